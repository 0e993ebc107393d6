/**
 * `persons import --match email` (the CLI, under Node) against the sandbox bin: what a row costs in
 * API tokens and requests with the lookup chosen by cost (`--lookup auto`) beside the same run
 * searching every row (`--lookup search`), and how much of the rate limit it uses under latency.
 *
 *   node bench/dist/import-tokens.js [--scale 1]
 *
 * (a) 500 updates + 500 creates into 20,000 persons (target ≤ 6 tokens a row with auto);
 * (b) 10 creates into 200,000 persons (target ≤ 300 tokens in all with auto);
 * (c) 300 creates into 1,000 persons, answers 400–600 ms late, 20 requests per 2 s (target:
 *     requests on the wire ≥ 85% of what the limit allows over the run's requests).
 * `--scale` multiplies the row counts (0.1 for a quick look). Every run gets a fresh sandbox; the
 * sandbox logs each request (`--verbose`), which gives the requests and 429s on the wire. Tokens and
 * requests per row are the CLI's own summary (the limiter's counts). Prints one JSON object.
 */
import { spawn } from "node:child_process"
import { once } from "node:events"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { repoPath, startLoggedSandbox, token } from "./processes.ts"

const { values } = parseArgs({ options: { scale: { type: "string", default: "1" } } })
const scale = Number(values.scale)
const cliBin = repoPath("packages/scripts/bin/pipedrive-effect.mjs")

/** Primary emails held by exactly one person, read through the API (500 a page). */
const uniqueEmails = async (url: string, wanted: number): Promise<ReadonlyArray<string>> => {
  const counts = new Map<string, number>()
  let cursor: string | null = null
  do {
    const query = new URLSearchParams({ limit: "500", ...(cursor === null ? {} : { cursor }) })
    const response = await fetch(`${url}/api/v2/persons?${query}`, { headers: { "x-api-token": token } })
    const body = (await response.json()) as {
      data: ReadonlyArray<{ emails: ReadonlyArray<{ value: string; primary: boolean }> }>
      additional_data: { next_cursor: string | null }
    }
    for (const person of body.data) {
      const email = person.emails.find((entry) => entry.primary)?.value.trim().toLowerCase()
      if (email !== undefined && email !== "") counts.set(email, (counts.get(email) ?? 0) + 1)
    }
    cursor = body.additional_data.next_cursor
  } while (cursor !== null)
  return [...counts].filter(([, n]) => n === 1).map(([email]) => email).slice(0, wanted)
}

const runImport = async (url: string, input: string, lookup: string) => {
  const started = Date.now()
  const child = spawn("node", [cliBin, "persons", "import", input, "--journal", `${input}.${lookup}.journal`, "--lookup", lookup], {
    env: { ...process.env, PIPEDRIVE_BASE_URL: url, PIPEDRIVE_API_TOKEN: token },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on("data", () => {})
  const [code] = (await once(child, "exit")) as [number | null]
  if (code !== 0) throw new Error(`import exited ${code}: ${stdout}`)
  const number = (pattern: RegExp) => Number(pattern.exec(stdout)?.[1]?.replace(/,/g, "") ?? Number.NaN)
  return {
    started,
    finished: Date.now(),
    tokens: number(/API tokens\s+(\d+) spent/),
    requests: number(/requests\s+(\d+) sent/),
    lookup: /lookup\s+(.*)/.exec(stdout)?.[1]?.trim() ?? "?",
    summary: stdout.trim().split("\n")
  }
}

interface Scenario {
  readonly name: string
  readonly persons: number
  readonly updates: number
  readonly creates: number
  readonly sandboxArgs: ReadonlyArray<string>
  readonly limit?: number
}

const scenarios: ReadonlyArray<Scenario> = [
  { name: "(a) updates + creates into 20,000 persons", persons: 20_000, updates: Math.round(500 * scale), creates: Math.round(500 * scale), sandboxArgs: [] },
  { name: "(b) creates into 200,000 persons", persons: 200_000, updates: 0, creates: Math.max(1, Math.round(10 * scale)), sandboxArgs: [] },
  {
    name: "(c) creates at 400-600 ms latency, 20 requests / 2 s",
    persons: 1_000,
    updates: 0,
    creates: Math.round(300 * scale),
    sandboxArgs: ["--latency-ms", "400-600", "--rate-limit", "20"],
    limit: 20
  }
]

const main = async () => {
  const dir = mkdtempSync(join(tmpdir(), "bench-import-tokens-"))
  const results = []
  for (const scenario of scenarios) {
    for (const lookup of ["auto", "search"]) {
      const sandbox = await startLoggedSandbox(["--persons", String(scenario.persons), "--seed", "bench-import-tokens", ...scenario.sandboxArgs])
      try {
        const emails = scenario.updates === 0 ? [] : await uniqueEmails(sandbox.url, scenario.updates)
        const rows = [
          ...emails.map((email, i) => `Bench Updated ${i},${email}`),
          ...Array.from({ length: scenario.creates }, (_, i) => `Bench New ${i},bench.new.${i}@import.example`)
        ]
        const input = join(dir, `${results.length}.csv`)
        writeFileSync(input, ["name,emails", ...rows].join("\n") + "\n")
        const from = sandbox.statuses.length
        const run = await runImport(sandbox.url, input, lookup)
        const wire = sandbox.statuses.slice(from)
        const span = wire.length < 2 ? 0 : (wire.at(-1)!.at - wire[0]!.at) / 1000
        const allowed = scenario.limit === undefined ? undefined : (scenario.limit / 2) * span
        results.push({
          name: scenario.name,
          lookupFlag: lookup,
          lookup: run.lookup,
          persons: scenario.persons,
          rows: rows.length,
          seconds: Math.round(((run.finished - run.started) / 1000) * 10) / 10,
          tokens: run.tokens,
          tokensPerRow: Math.round((run.tokens / rows.length) * 100) / 100,
          requests: run.requests,
          requestsPerRow: Math.round((run.requests / rows.length) * 100) / 100,
          wireRequests: wire.length,
          wire429: wire.filter((entry) => entry.status === 429).length,
          ...(allowed === undefined ? {} : { utilisation: Math.round((wire.length / allowed) * 1000) / 1000 }),
          summary: run.summary
        })
        console.error(JSON.stringify(results.at(-1)))
      } finally {
        sandbox.stop()
      }
    }
  }
  console.log(JSON.stringify({ benchmark: "import-tokens", scale, results }))
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})
