/**
 * Scale: `pipedrive-effect persons export --out FILE` (NDJSON, the CLI workflow, v2 cursor pages)
 * of 10,000, 100,000 and 1,000,000 persons from the sandbox bin: wall time and the CLI process's
 * peak RSS (read by the process itself through `rss-report.ts`). One sandbox per size, all started
 * first; rounds rotate the order of the sizes. Time should grow linearly, memory stay flat.
 * Each round also exports the largest size with `NODE_OPTIONS=--max-old-space-size=N` (`--cap N`):
 * what a user short of memory gets (see the scripts README).
 *
 *   node bench/dist/export-scale.js [--sizes 10000,100000,1000000] [--rounds 5] [--cap 256]
 *
 * Prints one JSON object (what `run.mjs` writes into BENCHMARKS.md).
 */
import { spawn } from "node:child_process"
import { closeSync, mkdtempSync, openSync, readFileSync, readSync, rmSync, statSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { parseArgs } from "node:util"
import { benchScript, repoPath, type Server, startSandbox, token } from "./processes.ts"
import { rotation, round, spread } from "./stats.ts"

const { values } = parseArgs({
  options: {
    sizes: { type: "string", default: "10000,100000,1000000" },
    rounds: { type: "string", default: "5" },
    cap: { type: "string", default: "256" }
  }
})
const sizes = values.sizes.split(",").map(Number)
const rounds = Number(values.rounds)
const cap = Number(values.cap)
const dir = mkdtempSync(join(tmpdir(), "bench-export-"))

/** Lines in a file (a 1M-person export is larger than a string may be), read in chunks. */
const countLines = (path: string): number => {
  const fd = openSync(path, "r")
  const buffer = Buffer.alloc(1 << 20)
  let lines = 0
  try {
    for (let read = readSync(fd, buffer); read > 0; read = readSync(fd, buffer)) {
      for (let i = buffer.indexOf(10); i !== -1 && i < read; i = buffer.indexOf(10, i + 1)) lines++
    }
  } finally {
    closeSync(fd)
  }
  return lines
}

interface Run {
  readonly persons: number
  readonly seconds: number
  readonly peakRssMiB: number
  /** The CLI process's CPU time (user + system), which other jobs on the machine do not stretch. */
  readonly cpuSeconds: number
  readonly fileMB: number
}

const exportOnce = (persons: number, url: string, nodeOptions = ""): Promise<Run> =>
  new Promise((resolve, reject) => {
    const out = join(dir, `persons-${persons}.ndjson`)
    const rssFile = join(dir, `rss-${persons}`)
    const started = performance.now()
    const child = spawn(
      process.execPath,
      ["--import", benchScript("rss-report.js"), repoPath("packages/scripts/bin/pipedrive-effect.mjs"), "persons", "export", "--out", out],
      {
        stdio: ["ignore", "ignore", "ignore"],
        env: { ...process.env, PIPEDRIVE_BASE_URL: url, PIPEDRIVE_API_TOKEN: token, BENCH_RSS_FILE: rssFile, NO_COLOR: "1", NODE_OPTIONS: nodeOptions }
      }
    )
    child.once("error", reject)
    child.once("exit", (code) => {
      const seconds = (performance.now() - started) / 1000
      if (code !== 0) return reject(new Error(`export of ${persons} exited with ${code}`))
      const lines = countLines(out)
      if (lines !== persons) return reject(new Error(`export of ${persons} wrote ${lines} lines`))
      const usage: { maxRSS: number; cpuMicros: number } = JSON.parse(readFileSync(rssFile, "utf8"))
      const run: Run = {
        persons,
        seconds: round(seconds, 2),
        peakRssMiB: round(usage.maxRSS / 1024, 1),
        cpuSeconds: round(usage.cpuMicros / 1e6, 2),
        fileMB: round(statSync(out).size / 1e6)
      }
      rmSync(out, { force: true })
      resolve(run)
    })
  })

const sandboxes = new Map<number, Server>()
try {
  for (const size of sizes) sandboxes.set(size, await startSandbox(size))
  const runs: Array<Run> = []
  const capped: Array<Run> = []
  const largestSize = sizes.at(-1) ?? 0
  for (let r = 0; r < rounds; r++) {
    for (const size of rotation(sizes, r)) {
      const run = await exportOnce(size, sandboxes.get(size)?.url ?? "")
      console.error(`  round ${r + 1}: ${size} persons ${run.seconds} s (CPU ${run.cpuSeconds} s), peak RSS ${run.peakRssMiB} MiB`)
      runs.push(run)
    }
    const run = await exportOnce(largestSize, sandboxes.get(largestSize)?.url ?? "", `--max-old-space-size=${cap}`)
    console.error(`  round ${r + 1}: ${largestSize} persons, heap capped at ${cap} MB: ${run.seconds} s (CPU ${run.cpuSeconds} s), peak RSS ${run.peakRssMiB} MiB`)
    capped.push(run)
  }
  const of = (size: number) => runs.filter((run) => run.persons === size)
  const results = sizes.map((size) => ({
    persons: size,
    seconds: spread(of(size).map((run) => run.seconds), 2),
    personsPerSecond: spread(of(size).map((run) => run.persons / run.seconds)),
    peakRssMiB: spread(of(size).map((run) => run.peakRssMiB), 1),
    cpuSeconds: spread(of(size).map((run) => run.cpuSeconds), 2),
    fileMB: of(size)[0]?.fileMB ?? 0
  }))
  const largest = results.at(-1)
  const previous = results.at(-2)
  const growth = (pick: (r: (typeof results)[number]) => number) =>
    largest !== undefined && previous !== undefined
      ? round(pick(largest) / ((largest.persons / previous.persons) * pick(previous)), 2)
      : Number.NaN
  const linearity = growth((r) => r.seconds.median)
  const cpuLinearity = growth((r) => r.cpuSeconds.median)
  const cappedResult = {
    persons: largestSize,
    cap,
    seconds: spread(capped.map((run) => run.seconds), 2),
    peakRssMiB: spread(capped.map((run) => run.peakRssMiB), 1),
    cpuSeconds: spread(capped.map((run) => run.cpuSeconds), 2)
  }
  console.log(JSON.stringify({ benchmark: "export-scale", rounds, results, linearity, cpuLinearity, capped: cappedResult, runs, cappedRuns: capped }))
} finally {
  for (const sandbox of sandboxes.values()) sandbox.stop()
  rmSync(dir, { recursive: true, force: true })
}
