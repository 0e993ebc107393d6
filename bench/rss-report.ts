/**
 * Preloaded (`node --import bench/dist/rss-report.js …`) into a process the benchmarks did not
 * write, such as the CLI: on exit, writes the process's peak RSS (`maxRSS`, KiB) and CPU time
 * (user + system, µs) as JSON to the file named by `BENCH_RSS_FILE`, so those figures are the
 * process's own, read by the process itself.
 */
import { writeFileSync } from "node:fs"

const file = process.env["BENCH_RSS_FILE"]
if (file !== undefined) {
  process.on("exit", () => {
    const usage = process.resourceUsage()
    writeFileSync(file, JSON.stringify({ maxRSS: usage.maxRSS, cpuMicros: usage.userCPUTime + usage.systemCPUTime }))
  })
}
