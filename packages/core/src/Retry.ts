/**
 * When a failed request is tried again, and how often: the policy `PipedriveClient` applies to every
 * request.
 *
 * Reads (GET, HEAD, OPTIONS) are retried on anything that may pass next time: a transport failure
 * or timeout, a 5xx, a 429, a body that does not decode. Writes are retried only when the request
 * provably did not take effect: no connection could be made, a 429, or a 503 (Pipedrive answers 503
 * before processing). Any other failure of a write reaches the caller as `AmbiguousWrite` (the
 * client classifies it, retry or not), since sending it again could apply it twice.
 * `DailyBudgetExhausted` is never retried: nothing will pass before midnight UTC.
 *
 * Delays grow exponentially with jitter, each capped, bounded in count and in total time; after a
 * 429 the delay is at least the `x-ratelimit-reset` it announced. `PipedriveClient` uses the
 * `RetryPolicy` in context or `make()`; provide `layer(options)` to tune it, `disabled` to turn
 * retries off, or your own `RetryPolicy` to replace it.
 *
 * @example
 * ```ts
 * import { PipedriveClient, Retry } from "@pipedrive-effect/core"
 * import { Layer } from "effect"
 *
 * // A batch job that may wait longer for Pipedrive to come back:
 * const Pipedrive = PipedriveClient.layerConfig().pipe(
 *   Layer.provide(Retry.layer({ maxRetries: 8, maxDelay: "30 seconds", maxElapsed: "5 minutes" }))
 * )
 * ```
 *
 * @module
 */
import * as Context from "effect/Context"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Layer from "effect/Layer"
import * as Schedule from "effect/Schedule"
import { AmbiguousWrite, type PipedriveError } from "./PipedriveError.ts"
import type { RequestInfo } from "./RateLimit.ts"

/** How long and how often to retry. */
export interface Options {
  /** Retries after the first attempt. Default 4. */
  readonly maxRetries?: number | undefined
  /** The first delay; each next one doubles, with ±20% jitter. Default 250 ms. */
  readonly baseDelay?: Duration.DurationInput | undefined
  /** The longest single delay. Default 10 seconds. */
  readonly maxDelay?: Duration.DurationInput | undefined
  /** No retry starts after this much time since the first attempt. Default 60 seconds. */
  readonly maxElapsed?: Duration.DurationInput | undefined
}

/** The policy. */
export interface Service {
  /** Runs `attempt`, and again as the policy allows while it fails. */
  readonly retry: <A, R>(request: RequestInfo, attempt: Effect.Effect<A, PipedriveError, R>) => Effect.Effect<A, PipedriveError, R>
}

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const RetryPolicyBase: Context.TagClass<RetryPolicy, "@pipedrive-effect/core/RetryPolicy", Service> =
  Context.Tag("@pipedrive-effect/core/RetryPolicy")<RetryPolicy, Service>()
/** The retry policy a `PipedriveClient` uses. */
export class RetryPolicy extends RetryPolicyBase {}

/** Methods whose requests may be sent twice with the effect of once. */
export const isIdempotent = (method: string): boolean => method === "GET" || method === "HEAD" || method === "OPTIONS"

/**
 * A write's failure that does not tell whether the write happened becomes `AmbiguousWrite`: a
 * dropped connection or a timeout after sending, a 5xx other than 503. Reads, and failures that
 * prove the request was not applied, are returned as they are.
 */
export const classify = (request: RequestInfo, error: PipedriveError): PipedriveError => {
  if (isIdempotent(request.method)) return error
  if (
    (error._tag === "Transport" && error.reason !== "Unreachable") ||
    (error._tag === "ServerError" && error.status !== 503)
  ) {
    return new AmbiguousWrite({ operation: error.operation, method: error.method, path: error.path, failure: error })
  }
  return error
}

/** Whether `error` (as `classify` left it) is worth another attempt of `request`. */
export const isRetryable = (request: RequestInfo, error: PipedriveError): boolean => {
  // A failure of another operation the request needed (an OAuth token refresh) is not this
  // request's to retry: a refresh token may not survive being used twice.
  if (error.operation !== request.operation) return false
  switch (error._tag) {
    case "RateLimited":
      return true
    case "Transport":
      return isIdempotent(request.method) || error.reason === "Unreachable"
    case "ServerError":
      return isIdempotent(request.method) || error.status === 503
    case "Decode":
      return isIdempotent(request.method)
    default:
      return false
  }
}

/**
 * The delays: exponential from `baseDelay` with jitter, each at most `maxDelay`, at most
 * `maxRetries` of them, none started after `maxElapsed`; after a 429, at least its `x-ratelimit-reset`.
 */
export const schedule = (options: Options = {}): Schedule.Schedule<unknown, PipedriveError> => {
  const maxDelay = Duration.decode(options.maxDelay ?? "10 seconds")
  const backoff = Schedule.exponential(options.baseDelay ?? "250 millis").pipe(
    Schedule.jittered,
    Schedule.modifyDelay((_, delay) => Duration.min(delay, maxDelay)),
    Schedule.intersect(Schedule.recurs(options.maxRetries ?? 4)),
    Schedule.upTo(options.maxElapsed ?? "60 seconds")
  )
  const rateLimitReset = Schedule.identity<PipedriveError>().pipe(
    Schedule.addDelay((error) =>
      error._tag === "RateLimited" && error.reset !== undefined ? Duration.seconds(Math.max(1, error.reset)) : Duration.zero
    )
  )
  // `intersect` waits for the longer of the two delays.
  return Schedule.intersect(backoff, rateLimitReset)
}

/** A policy with these bounds. */
export const make = (options: Options = {}): Service => {
  const delays = schedule(options)
  const retry = <A, R>(request: RequestInfo, attempt: Effect.Effect<A, PipedriveError, R>): Effect.Effect<A, PipedriveError, R> =>
    // The schedule's driver is made only after a first failure: most requests never need it.
    Effect.catchAll(attempt, (first) =>
      Effect.flatMap(Schedule.driver(delays), (driver) => {
        const again = (error: PipedriveError): Effect.Effect<A, PipedriveError, R> =>
          isRetryable(request, error)
            ? Effect.matchEffect(driver.next(error), {
              onFailure: () => Effect.fail(error),
              onSuccess: () => Effect.catchAll(attempt, again)
            })
            : Effect.fail(error)
        return again(first)
      }))
  return { retry }
}

/** A layer of a configured policy. */
export const layer = (options: Options = {}): Layer.Layer<RetryPolicy> => Layer.succeed(RetryPolicy, make(options))

/** No retries: every failure reaches the caller at once (writes are still classified as `AmbiguousWrite`). */
export const disabled: Layer.Layer<RetryPolicy> = Layer.succeed(RetryPolicy, { retry: (_request, attempt) => attempt })
