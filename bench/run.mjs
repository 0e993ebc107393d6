// `npm run bench`: runs each benchmark in its own Node process and rewrites BENCHMARKS.md with the
// machine, the date and the figures. Benchmarks are never part of `npm test`.
import { execFileSync, spawnSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import { fileURLToPath } from "node:url"

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const only = process.argv.slice(2)

const benchmarks = [
  { name: "stream-heap", script: "dist/stream-heap.js", args: ["--persons", "1000000"], node: ["--expose-gc"] }
].filter((b) => only.length === 0 || only.includes(b.name))

const run = (bench) => {
  console.error(`> ${bench.name}`)
  const result = spawnSync("node", [...bench.node, here(bench.script), ...bench.args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024
  })
  if (result.status !== 0) throw new Error(`${bench.name} failed with ${result.status}`)
  return JSON.parse(result.stdout.trim().split("\n").at(-1))
}

const version = (pkg) => JSON.parse(readFileSync(here(`../node_modules/${pkg}/package.json`), "utf8")).version
const machine = [
  `- Date: ${new Date().toISOString().slice(0, 10)}`,
  `- Machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
  `- Node ${process.version}; effect ${version("effect")}, @effect/platform ${version("@effect/platform")}; git ${execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim()}`
].join("\n")

const sections = []
for (const bench of benchmarks) {
  const out = run(bench)
  if (out.benchmark === "stream-heap") {
    const rows = out.results.map((r) =>
      `| ${r.name} | ${r.persons.toLocaleString("en")} | ${r.seconds} s | ${r.personsPerSecond.toLocaleString("en")} | ${r.heapMiB.min}–${r.heapMiB.max} MiB | ${r.heapMiB.steadyMin}–${r.heapMiB.steadyMax} MiB | ${r.peakRssMiB} MiB |`
    )
    sections.push([
      `## Streaming ${out.seeded.toLocaleString("en")} persons: heap stays flat`,
      "",
      "`bench/stream-heap.ts`: the sandbox bin in its own process, seeded with the persons; this process",
      "streams them all (500 a page) and samples `heapUsed` after a full GC every 50,000 persons: the live",
      "heap, which a leak would grow. \"Steady\" leaves out the first two samples (warm-up). The forced GCs",
      "cost some throughput; the persons/s here are not the speed benchmark (see issue 5/6's benchmarks).",
      "",
      "| stream | persons | time | persons/s | live heap (all samples) | live heap (steady) | RSS at end |",
      "| --- | ---: | ---: | ---: | --- | --- | ---: |",
      ...rows,
      "",
      "Heap samples (MiB) every 50,000 persons:",
      "",
      ...out.results.map((r) => `- ${r.name}: ${r.samples.map((s) => s.heapMiB).join(", ")}`)
    ].join("\n"))
  }
}

const file = here("BENCHMARKS.md")
writeFileSync(file, [`# Benchmarks`, "", "Written by `npm run bench`; figures from the last run.", "", machine, "", ...sections, ""].join("\n"))
console.error(`wrote ${file}`)
