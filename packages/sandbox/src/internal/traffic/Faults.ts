/**
 * Faults injected on purpose, so client code can be tested against a network and a server that
 * misbehave: 503s, connections dropped before or after a request is applied, slow answers, and
 * truncated JSON bodies. Each request draws one number from a generator seeded by `seed` and the
 * request's sequence number, so the same seed and the same sequence of requests give the same faults.
 */
import { Buffer } from "node:buffer"
import { HttpServerResponse } from "@effect/platform"

/** How often each fault happens (each a probability from 0 to 1; together at most 1). All default to 0. */
export interface Options {
  /** A 503 with Pipedrive's JSON error body, before the request is processed. */
  readonly failRate?: number | undefined
  /** The connection is reset before the request is processed: nothing happened. */
  readonly dropBeforeRate?: number | undefined
  /** The request is processed (a write is applied), then the connection is reset instead of answered. */
  readonly dropAfterRate?: number | undefined
  /** The answer is delayed by `slowMillis` (on Effect's `Clock`). */
  readonly slowRate?: number | undefined
  /** The delay of a slow answer. Default 5,000 ms. */
  readonly slowMillis?: number | undefined
  /** The request is processed, and the answer's body is cut to its first half. */
  readonly truncateRate?: number | undefined
  /** The seed of the draws. Default `"faults"`. */
  readonly seed?: string | undefined
}

/** One request's fate. */
export type Fault = "none" | "fail" | "dropBefore" | "dropAfter" | "slow" | "truncate"

/** The delay of a slow answer when `slowMillis` is not given. */
export const DEFAULT_SLOW_MILLIS = 5_000

/** The options that are rates, in the order `faultOf` stacks them on the unit interval. */
export const RATES = ["failRate", "dropBeforeRate", "dropAfterRate", "slowRate", "truncateRate"] as const

// Rates that add up to 1 in decimal may exceed it by a rounding error in binary (0.7 + 0.2 + 0.1).
const SUM_SLACK = 1e-9

/**
 * What is wrong with the options, naming the option, or `undefined` when they are good: each rate a
 * number from 0 to 1, the rates together at most 1, `slowMillis` a non-negative integer.
 *
 * @example
 * ```ts
 * import { problem } from "./Faults.ts"
 *
 * problem({ failRate: 0.7, slowRate: 0.5 }) // "faults: the rates add up to 1.2 (failRate 0.7, slowRate 0.5); at most 1"
 * ```
 */
export const problem = (options: Options): string | undefined => {
  for (const name of RATES) {
    const rate = options[name]
    if (rate !== undefined && !(typeof rate === "number" && rate >= 0 && rate <= 1)) {
      return `faults.${name} must be a number from 0 to 1, got ${String(rate)}`
    }
  }
  const given = RATES.filter((name) => (options[name] ?? 0) > 0)
  const sum = given.reduce((total, name) => total + (options[name] ?? 0), 0)
  if (sum > 1 + SUM_SLACK) {
    const parts = given.map((name) => `${name} ${options[name]}`).join(", ")
    return `faults: the rates add up to ${Number(sum.toFixed(6))} (${parts}); at most 1`
  }
  const slow = options.slowMillis
  if (slow !== undefined && !(Number.isSafeInteger(slow) && slow >= 0)) {
    return `faults.slowMillis must be a non-negative integer, got ${String(slow)}`
  }
  return undefined
}

/** Whether any fault has a rate above 0; when not, the app skips fault injection altogether. */
export const enabled = (options: Options): boolean => RATES.some((name) => (options[name] ?? 0) > 0)

/**
 * The fault of the request numbered `sequence` (0, 1, 2…): a pure function of the seed, the rates
 * and the sequence number.
 *
 * @example
 * ```ts
 * import { faultOf } from "./Faults.ts"
 *
 * faultOf({ failRate: 0.1, seed: "a" }, 0) // "none" or "fail", the same every time
 * ```
 */
export const faultOf = (options: Options, sequence: number): Fault => {
  const value = draw(options.seed ?? "faults", sequence)
  let edge = 0
  const kinds: ReadonlyArray<readonly [Fault, number | undefined]> = [
    ["fail", options.failRate],
    ["dropBefore", options.dropBeforeRate],
    ["dropAfter", options.dropAfterRate],
    ["slow", options.slowRate],
    ["truncate", options.truncateRate]
  ]
  for (const [kind, rate] of kinds) {
    edge += rate ?? 0
    if (value < edge) return kind
  }
  return "none"
}

/** A response whose body is cut to its first half (a string or bytes body; others are left alone). */
export const truncate = (response: HttpServerResponse.HttpServerResponse): HttpServerResponse.HttpServerResponse => {
  const body = response.body
  const bytes = body._tag === "Uint8Array"
    ? body.body
    : body._tag === "Raw" && typeof body.body === "string"
    ? Buffer.from(body.body)
    : undefined
  if (bytes === undefined) return response
  const half = bytes.subarray(0, Math.floor(bytes.length / 2))
  const headers = { ...response.headers, "content-length": String(half.length) }
  return HttpServerResponse.uint8Array(half, {
    status: response.status,
    headers,
    ...(body.contentType === undefined ? {} : { contentType: body.contentType })
  })
}

/**
 * A number in [0, 1) from a seed and a sequence number, with no state between requests: how faults
 * and latencies are drawn reproducibly.
 */
export const draw = (seed: string, sequence: number): number => uniform(hash(seed), sequence)

// FNV-1a: spreads a seed string over 32 bits.
const hash = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

// One mulberry32 step from (seed, sequence): a number in [0, 1) that needs no state between requests.
const uniform = (seed: number, sequence: number): number => {
  let t = (seed + Math.imul(sequence + 1, 0x6d2b79f5)) | 0
  t = Math.imul(t ^ (t >>> 15), t | 1)
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296
}
