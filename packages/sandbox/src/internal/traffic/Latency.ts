/**
 * The time real Pipedrive takes to answer (300–700 ms for a 500-person v2 list page, 100–400 ms for
 * a write), played by holding every answer back. Only the answer waits: the request was counted by
 * the limits when it arrived and processed at its turn right after (`Traffic.guard`), as on a server
 * whose reply is slow to travel back.
 *
 * Each request's delay is drawn, uniformly in `min … max`, from the sandbox's seed and the request's
 * arrival number, so a sequential run with the same seed meets the same delays.
 */
import { draw } from "./Faults.ts"

/** A fixed delay in milliseconds, or a range drawn from uniformly (both ends included). */
export type Latency = number | { readonly min: number; readonly max: number }

/** The longest delay accepted: ten minutes, past any client's timeout. */
export const MAX_MILLIS = 600_000

const isMillis = (value: unknown): value is number =>
  typeof value === "number" && Number.isSafeInteger(value) && value >= 0 && value <= MAX_MILLIS

/**
 * What is wrong with a latency, naming the option, or `undefined` when it is good: whole
 * milliseconds from 0 to `MAX_MILLIS`, a range's `min` at most its `max`.
 *
 * @example
 * ```ts
 * import { problem } from "./Latency.ts"
 *
 * problem({ min: 700, max: 300 }) // "latencyMs.min must be at most latencyMs.max, got 700 and 300"
 * ```
 */
export const problem = (latency: Latency): string | undefined => {
  if (typeof latency === "number") {
    return isMillis(latency) ? undefined : `latencyMs must be an integer from 0 to ${MAX_MILLIS}, got ${String(latency)}`
  }
  if (typeof latency !== "object" || latency === null) return `latencyMs must be a number or { min, max }, got ${String(latency)}`
  for (const end of ["min", "max"] as const) {
    if (!isMillis(latency[end])) return `latencyMs.${end} must be an integer from 0 to ${MAX_MILLIS}, got ${String(latency[end])}`
  }
  return latency.min <= latency.max
    ? undefined
    : `latencyMs.min must be at most latencyMs.max, got ${latency.min} and ${latency.max}`
}

/** Whether any answer is delayed at all; when not, the guard skips the delay. */
export const enabled = (latency: Latency | undefined): latency is Latency =>
  latency !== undefined && (typeof latency === "number" ? latency > 0 : latency.max > 0)

/**
 * The delay of the request that arrived `sequence`-th (0, 1, 2…): a pure function of the latency,
 * the seed and the sequence number.
 *
 * @example
 * ```ts
 * import { delayOf } from "./Latency.ts"
 *
 * delayOf({ min: 300, max: 700 }, "sandbox", 0) // an integer from 300 to 700, the same every time
 * ```
 */
export const delayOf = (latency: Latency, seed: string, sequence: number): number => {
  if (typeof latency === "number") return latency
  // Salted, so the delays do not move in step with the faults drawn from the same seed.
  return latency.min + Math.floor(draw(`latency\u0000${seed}`, sequence) * (latency.max - latency.min + 1))
}
