/**
 * `persons import` (the CLI, under Node) against the sandbox bin enforcing 20 requests per 2 s:
 * how many rows a second an import gets done under Pipedrive's lowest burst limit, and how close
 * its requests run to the limit without a 429.
 *
 *   node bench/dist/import-rate-limit.js [--creates 150] [--updates 200]
 *
 * Two runs: new persons matched by email (`--lookup auto`: the account, 200 persons, is walked,
 * since one page costs less than a search a row; then a create a row), then existing persons updated
 * by id (each row a read and an update). The sandbox
 * logs every request (`--verbose`), which gives the requests and 429s on the wire. Prints one JSON
 * object (what `run.mjs` writes into BENCHMARKS.md).
 */
import { spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"
import { startLoggedSandbox } from "./processes.ts"

const { values } = parseArgs({
  options: { creates: { type: "string", default: "150" }, updates: { type: "string", default: "200" } }
})
const creates = Number(values.creates)
const updates = Number(values.updates)
const limit = 20
const file = (path: string) => fileURLToPath(new URL(path, import.meta.url))
const cliBin = file("../../packages/scripts/bin/pipedrive-effect.mjs")


const runImport = async (url: string, input: string, extra: ReadonlyArray<string>) => {
  const started = Date.now()
  const child = spawn("node", [cliBin, "persons", "import", input, "--journal", `${input}.journal`, ...extra], {
    env: { ...process.env, PIPEDRIVE_BASE_URL: url, PIPEDRIVE_API_TOKEN: "sandbox-token" },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => process.stderr.write(chunk))
  const [code] = (await once(child, "exit")) as [number | null]
  if (code !== 0) throw new Error(`import exited ${code}: ${stdout}`)
  return { started, finished: Date.now(), stdout }
}

const main = async () => {
  const sandbox = await startLoggedSandbox(["--persons", String(updates), "--seed", "bench-import", "--rate-limit", String(limit)])
  const dir = mkdtempSync(join(tmpdir(), "bench-import-"))
  try {
    const results = []
    const newRows = join(dir, "new.csv")
    writeFileSync(
      newRows,
      ["name,emails", ...Array.from({ length: creates }, (_, i) => `Bench Person ${i},bench.person.${i}@import.example [work]`)]
        .join("\n") + "\n"
    )
    const byId = join(dir, "updates.ndjson")
    writeFileSync(
      byId,
      Array.from({ length: updates }, (_, i) => JSON.stringify({ id: i + 1, name: `Updated Person ${i + 1}` })).join("\n") + "\n"
    )
    for (const [name, input, extra, rows] of [
      ["new persons, matched by email (search + create)", newRows, [], creates],
      ["existing persons, updated by id (read + update)", byId, ["--match", "id"], updates]
    ] as const) {
      const run = await runImport(sandbox.url, input, extra)
      const during = sandbox.statuses.filter((entry) => entry.at >= run.started && entry.at <= run.finished + 50)
      const seconds = (run.finished - run.started) / 1000
      results.push({
        name,
        rows,
        seconds: Math.round(seconds * 10) / 10,
        rowsPerSecond: Math.round((rows / seconds) * 10) / 10,
        requests: during.length,
        requestsPerSecond: Math.round((during.length / seconds) * 10) / 10,
        limitPerSecond: limit / 2,
        wire429: during.filter((entry) => entry.status === 429).length,
        wire403: during.filter((entry) => entry.status === 403).length,
        summary: run.stdout.trim().split("\n")
      })
    }
    console.log(JSON.stringify({ benchmark: "import-rate-limit", limit, results }))
  } finally {
    sandbox.stop()
  }
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
