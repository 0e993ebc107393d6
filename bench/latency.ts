/**
 * Timing single requests: a batch of gets, one at a time or several at a time, each request timed
 * from the call to its resolved value.
 */
import { percentile, round } from "./stats.ts"

/** Latencies of one batch (ms) and its throughput. */
export interface Batch {
  readonly p50: number
  readonly p99: number
  readonly mean: number
  readonly requestsPerSecond: number
  /** This process's CPU time (user + system) per request, ms: its own cost, however busy the machine. */
  readonly cpuMsPerRequest: number
}

/**
 * Runs `total` calls of `get` (ids 1–1000 in turn) with `workers` in flight at a time and times
 * each; a call resolving with an id ≤ 0 is a failure.
 */
export const batch = async (get: (id: number) => Promise<number>, total: number, workers: number): Promise<Batch> => {
  const latencies: Array<number> = []
  let next = 0
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  const worker = async () => {
    while (next < total) {
      const id = 1 + (next++ % 1000)
      const sent = performance.now()
      const got = await get(id)
      latencies.push(performance.now() - sent)
      if (got <= 0) throw new Error(`no person for ${id}`)
    }
  }
  await Promise.all(Array.from({ length: workers }, worker))
  const elapsed = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuStarted)
  latencies.sort((a, b) => a - b)
  return {
    p50: round(percentile(latencies, 50), 3),
    p99: round(percentile(latencies, 99), 3),
    mean: round(latencies.reduce((sum, l) => sum + l, 0) / latencies.length, 3),
    requestsPerSecond: Math.round(total / elapsed),
    cpuMsPerRequest: round((cpu.user + cpu.system) / 1000 / total, 4)
  }
}
