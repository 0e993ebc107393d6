/**
 * Start-up: the time from spawning a process to its first request arriving at a local server, for
 * `pipedrive-effect fields list` under Node and under Deno, versus a Node script that imports the
 * official client and lists the person fields too (`startup-official.ts`), and a one-line raw
 * `fetch` under Node (the floor: the runtime's own start). The server runs in this process and
 * replays the person fields pre-rendered from the sandbox, so it answers at once; the time to the
 * process's exit (the whole command) is recorded as well. Each contender is spawned once to warm
 * the disk cache and Deno's compile cache, then rounds rotate the order.
 *
 *   node bench/dist/startup.js [--rounds 10]
 *
 * Prints one JSON object (what `run.mjs` writes into BENCHMARKS.md).
 */
import { spawn } from "node:child_process"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { parseArgs } from "node:util"
import { benchScript, repoPath, startSandbox, token } from "./processes.ts"
import { renderList, serve } from "./static-pages.ts"
import { rotation, spread } from "./stats.ts"

const { values } = parseArgs({ options: { rounds: { type: "string", default: "10" } } })
const rounds = Number(values.rounds)

// The deno binary itself: `node_modules/.bin/deno` is a Node shim that would add a Node start-up.
const deno = join(dirname(createRequire(import.meta.url).resolve("deno/package.json")), "deno")

interface Contender {
  readonly name: string
  readonly command: string
  readonly args: ReadonlyArray<string>
}

const contenders: ReadonlyArray<Contender> = [
  {
    name: "pipedrive-effect fields list (Node)",
    command: process.execPath,
    args: [repoPath("packages/scripts/bin/pipedrive-effect.mjs"), "fields", "list"]
  },
  {
    name: "pipedrive-effect fields list (Deno)",
    command: deno,
    args: ["run", "-A", repoPath("packages/scripts/src/bin.ts"), "fields", "list"]
  },
  {
    name: "official client: import + getPersonFields (Node)",
    command: process.execPath,
    args: [benchScript("startup-official.js")]
  },
  {
    name: "raw fetch one-liner (Node, the floor)",
    command: process.execPath,
    args: ["-e", `fetch(process.env.PIPEDRIVE_BASE_URL + "/api/v2/personFields?limit=500", { headers: { "x-api-token": process.env.PIPEDRIVE_API_TOKEN } }).then((r) => r.text()).then(console.log)`]
  }
]

const sandbox = await startSandbox(1)
const fields = await renderList(sandbox.url, "/api/v2/personFields", 500).finally(() => sandbox.stop())

let firstRequest: (() => void) | undefined
const { server, url } = await serve({ lists: new Map([["/api/v2/personFields", fields.pages]]) }, () => {
  firstRequest?.()
  firstRequest = undefined
})

/** Spawns the contender; ms to its first request and to its exit. */
const once = (contender: Contender): Promise<{ firstRequestMs: number; exitMs: number }> =>
  new Promise((resolve, reject) => {
    let firstRequestMs = Number.NaN
    firstRequest = () => {
      firstRequestMs = performance.now() - started
    }
    const started = performance.now()
    const child = spawn(contender.command, [...contender.args], {
      stdio: ["ignore", "ignore", "inherit"],
      env: { ...process.env, PIPEDRIVE_BASE_URL: url, PIPEDRIVE_API_TOKEN: token, NO_COLOR: "1" }
    })
    child.once("error", reject)
    child.once("exit", (code) => {
      const exitMs = performance.now() - started
      if (code !== 0) reject(new Error(`${contender.name} exited with ${code}`))
      else if (Number.isNaN(firstRequestMs)) reject(new Error(`${contender.name} sent no request`))
      else resolve({ firstRequestMs, exitMs })
    })
  })

try {
  for (const contender of contenders) await once(contender)
  const runs: Array<{ name: string; firstRequestMs: number; exitMs: number }> = []
  for (let r = 0; r < rounds; r++) {
    for (const contender of rotation(contenders, r)) {
      const run = await once(contender)
      console.error(`  round ${r + 1}: ${contender.name} first request ${Math.round(run.firstRequestMs)} ms, exit ${Math.round(run.exitMs)} ms`)
      runs.push({ name: contender.name, ...run })
    }
  }
  const of = (name: string) => runs.filter((run) => run.name === name)
  const results = contenders.map((c) => ({
    name: c.name,
    firstRequestMs: spread(of(c.name).map((run) => run.firstRequestMs)),
    exitMs: spread(of(c.name).map((run) => run.exitMs))
  }))
  const [cliNode, , officialNode] = contenders
  const ratio = spread(
    of(cliNode!.name).map((run, i) => run.firstRequestMs / (of(officialNode!.name)[i]?.firstRequestMs ?? Number.NaN)),
    2
  )
  console.log(JSON.stringify({ benchmark: "startup", rounds, results, cliNodeVsOfficial: ratio, runs }))
} finally {
  server.close()
}
