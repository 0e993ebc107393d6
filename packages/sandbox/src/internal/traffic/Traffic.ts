/**
 * What happens to a request between the socket and the routes when the sandbox plays a hard
 * Pipedrive: the rate limits of `RateLimit.ts`, then the faults of `Faults.ts`, and the latency of
 * `Latency.ts` on every answer. With none configured the application is returned unchanged.
 */
import { HttpServerRequest, HttpServerResponse } from "@effect/platform"
import * as NodeHttpServerRequest from "@effect/platform-node/NodeHttpServerRequest"
import { Effect } from "effect"
import { setImmediate } from "node:timers"
import { ERROR_INFO, versionOf } from "../http/ApiError.ts"
import * as Auth from "../http/Auth.ts"
import { json } from "../http/Envelope.ts"
import * as Faults from "./Faults.ts"
import * as Latency from "./Latency.ts"
import { costOf } from "./OperationCost.ts"
import * as QueryParams from "../http/QueryParams.ts"
import * as RateLimit from "./RateLimit.ts"

/** The limits, faults and latency to apply; each off when absent. */
export interface Options {
  readonly limits?: RateLimit.Options | undefined
  readonly faults?: Faults.Options | undefined
  /** How long every answer is held back (`Latency.ts`). */
  readonly latency?: Latency.Latency | undefined
  /** What the latency's draws derive from. Default `"sandbox"`. */
  readonly seed?: string | undefined
}

/**
 * Dies with a message naming the option when the limits or faults are invalid (a non-positive
 * limit, a rate outside 0–1, rates adding up to more than 1): a sandbox that silently misread them
 * would test the wrong thing.
 *
 * @example
 * ```ts
 * import * as Traffic from "./Traffic.ts"
 *
 * Traffic.validate({ limits: { rateLimit: 0 } }) // dies: "PipedriveSandbox: rateLimit must be a positive integer, got 0"
 * ```
 */
export const validate = (options: Options): Effect.Effect<void> => {
  const problem = (options.limits === undefined ? undefined : RateLimit.problem(options.limits)) ??
    (options.faults === undefined ? undefined : Faults.problem(options.faults)) ??
    (options.latency === undefined ? undefined : Latency.problem(options.latency))
  return problem === undefined ? Effect.void : Effect.dieMessage(`PipedriveSandbox: ${problem}`)
}

/**
 * Wraps an application. Requests are limited by the credential they present when `auth` accepts
 * it (a wrong token gets its 401 without spending the company's budget; `POST /oauth/token` has no
 * credential); every request that passes the limits draws its fault. Every answer, a 429, a fault
 * or a reset included, is then held back by its latency: the request was counted on arrival and
 * processed right after, only the answer waits. The options must be valid (`validate`).
 *
 * "On arrival" holds while the event loop is busy: a request is counted, and draws its fault and its
 * latency, in the first synchronous step of its handler, and is processed (the app runs: writes
 * applied, pages read and rendered) at its turn, one request per turn of the event loop in arrival
 * order. What arrives while a 500-person page renders is counted once that render ends, not after
 * every render queued before it: Pipedrive's window counts from the arrival, and a client that
 * counts from its send then agrees with `x-ratelimit-remaining`.
 */
export const guard = <E, R>(
  app: Effect.Effect<HttpServerResponse.HttpServerResponse, E, R>,
  options: Options,
  auth: Auth.Options
): Effect.Effect<HttpServerResponse.HttpServerResponse, E, R | HttpServerRequest.HttpServerRequest> => {
  const limits = options.limits
  const faults = options.faults
  const limiter = limits !== undefined && RateLimit.enabled(limits) ? RateLimit.make(limits) : undefined
  const faulty = faults !== undefined && Faults.enabled(faults) ? faults : undefined
  const latency = Latency.enabled(options.latency) ? options.latency : undefined
  if (limiter === undefined && faulty === undefined && latency === undefined) return app
  const latencySeed = options.seed ?? "sandbox"
  let sequence = 0
  let arrivals = 0
  const turns = makeTurns()

  const outcome = (request: HttpServerRequest.HttpServerRequest) =>
    Effect.gen(function*() {
      let headers: Record<string, string> = {}
      if (limiter !== undefined) {
        const params = QueryParams.fromUrl(request.url)
        const credential = Auth.credentialOf(request.headers, params)
        const accepted = credential !== undefined && (yield* Effect.isSuccess(Auth.verify(request.headers, params, auth)))
        if (credential !== undefined && accepted) {
          const decision = yield* limiter.admit(credential.token, {
            cost: costOf(request.method, request.url),
            search: RateLimit.isSearch(request.url)
          })
          const refused = RateLimit.refusal(decision)
          if (refused !== undefined) return refused
          if (decision._tag === "Allow") headers = decision.headers
        }
      }
      const fault = faulty === undefined ? "none" : Faults.faultOf(faulty, sequence++)
      switch (fault) {
        case "fail":
          return HttpServerResponse.setHeaders(unavailable(versionOf(request.url)), headers)
        case "dropBefore":
          return DROP
        case "slow":
          yield* Effect.sleep(faulty?.slowMillis ?? Faults.DEFAULT_SLOW_MILLIS)
          break
        default:
          break
      }
      yield* turns.next
      const response = HttpServerResponse.setHeaders(yield* app, headers)
      if (fault === "dropAfter") return DROP
      return fault === "truncate" ? Faults.truncate(response) : response
    })

  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    // Drawn on arrival, so the draws follow the arrival order whatever the answers' order.
    const delay = latency === undefined ? 0 : Latency.delayOf(latency, latencySeed, arrivals++)
    const result = yield* outcome(request)
    if (delay > 0) yield* Effect.sleep(delay)
    return result === DROP ? drop(request) : result
  })
}

// Requests waiting to be processed, one per turn of the event loop, first come first served: each
// turn starts one and schedules the next turn with `setImmediate`, which runs after the I/O that
// arrived meanwhile (its requests counted first). What a started request does later (reading a
// body, its latency) does not hold up the next.
const makeTurns = () => {
  const waiting: Array<() => void> = []
  let scheduled = false
  const schedule = () => {
    if (scheduled || waiting.length === 0) return
    scheduled = true
    setImmediate(() => {
      scheduled = false
      const start = waiting.shift()
      schedule()
      start?.()
    })
  }
  const next = Effect.async<void>((resume) => {
    const start = () => resume(Effect.void)
    waiting.push(start)
    schedule()
    // A client that hangs up while waiting gives its turn away.
    return Effect.sync(() => {
      const at = waiting.indexOf(start)
      if (at !== -1) waiting.splice(at, 1)
    })
  })
  return { next }
}

/** An outcome whose connection is to be reset rather than answered (after the latency). */
const DROP = Symbol("drop")

// The socket is destroyed under the request: the client sees a reset, and the empty answer returned
// for form's sake is never written (Node discards writes to a destroyed socket).
const drop = (request: HttpServerRequest.HttpServerRequest): HttpServerResponse.HttpServerResponse => {
  NodeHttpServerRequest.toIncomingMessage(request).socket.destroy()
  return HttpServerResponse.empty({ status: 503 })
}

const unavailable = (version: "v1" | "v2") =>
  json(503, {
    success: false,
    error: "Service temporarily unavailable",
    ...(version === "v2" ? { code: "ERR_SERVICE_UNAVAILABLE" } : {}),
    error_info: ERROR_INFO,
    data: null,
    additional_data: null
  })
