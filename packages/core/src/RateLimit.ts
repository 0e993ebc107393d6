/**
 * Pipedrive's rate limits, kept on the client side so that a busy program uses the whole burst
 * allowance of its token without ever getting a 429 (and never the 403 block that follows a client
 * which keeps sending after 429s).
 *
 * Pipedrive counts requests per token in a rolling 2-second window (20 to 120 per plan for API
 * tokens, four times that for OAuth tokens) and search requests in a window of their own (10); the
 * company's daily budget is counted in tokens, each operation costing its `x-token-cost`
 * (`TokenCost`). Every answer says where the token stands: `x-ratelimit-limit`,
 * `x-ratelimit-remaining`, `x-ratelimit-reset` (seconds) and `x-daily-requests-left`.
 *
 * The limiter, like dfx's, starts from the plan's limit and learns the real one from those headers
 * (sending at most two requests at a time until the first answer arrives, so a wrong guess costs no 429).
 * It paces with a sliding log. Pipedrive counts a request when it ARRIVES, so a slot frees one
 * window (plus `margin`, default 100 ms, for the jitter of the way there) after the request was
 * SENT, or one window after its answer if that is earlier. An answer slower than the fastest recent
 * ones by more than the margin (a new connection's handshake, a busy server) may have arrived that
 * much later, so its slot is held for that excess instead of the margin. Holding it until a window after the
 * answer instead would cap a client at `limit / (window + latency)`, some 80% of the allowance at
 * 500 ms. A 429 shows the way there is more uneven than the margin allows: it doubles the margin, up
 * to a window. Requests wait, first come first served, for a free slot. When the headers show more
 * spent than the log knows of (another program, the web app), the difference is added to the log.
 * The limiter also measures each bucket's latency (send to answer headers), from which
 * `concurrency` tells how many requests to keep in flight to use the whole allowance. On a 429 every
 * request of the bucket waits until `x-ratelimit-reset` has passed (a search refused while its own
 * bucket's headers still show room was refused by the window of all requests, which then waits too). A 429
 * with the daily budget spent fails every request with `DailyBudgetExhausted` until midnight UTC,
 * without sending it. A server that sends no rate-limit headers on success (a proxy, a sandbox
 * without limits) is not paced.
 *
 * `PipedriveClient` uses the `RateLimiter` in context, or a default one (`make()`) of its own; provide
 * `layer(options)` to configure it or to share one limiter between clients of the same token, or
 * `disabled` to turn limiting off.
 *
 * @example
 * ```ts
 * import { PipedriveClient, RateLimit } from "@pipedrive-effect/core"
 * import { Effect, Layer, Stream } from "effect"
 *
 * // An Advanced plan, keeping 5,000 tokens of the daily budget for other integrations:
 * const Pipedrive = PipedriveClient.layerConfig().pipe(
 *   Layer.provide(RateLimit.layer({ plan: "advanced", dailyReserve: 5_000 }))
 * )
 *
 * // Watch the limiter while a job runs:
 * const watch = Effect.flatMap(RateLimit.RateLimiter, (limiter) =>
 *   Stream.runForEach(limiter.changes, (state) => Effect.log(`${state.general.used}/${state.general.limit}`)))
 * ```
 *
 * @module
 */
import type * as Headers from "@effect/platform/Headers"
import * as Clock from "effect/Clock"
import * as Context from "effect/Context"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Layer from "effect/Layer"
import * as Stream from "effect/Stream"
import { DailyBudgetExhausted } from "./PipedriveError.ts"
import { type Observed, type Slot, SlidingLog } from "./internal/SlidingLog.ts"
import * as TokenCost from "./internal/TokenCost.ts"

/** Pipedrive's plans, whose burst limits differ. */
export type Plan = "essential" | "advanced" | "professional" | "power" | "enterprise"

/** Requests per 2-second window for an API token, by plan (OAuth tokens get `oauthMultiplier` times as many). */
export const planLimits: Readonly<Record<Plan, number>> = {
  essential: 20,
  advanced: 40,
  professional: 80,
  power: 100,
  enterprise: 120
}

/** How many times an API token's burst limit an OAuth access token gets. */
export const oauthMultiplier = 4

/** Search requests per window, on every plan. */
export const defaultSearchLimit = 10

/** Pipedrive's rolling window. */
export const defaultWindow: Duration.Duration = Duration.seconds(2)

/** How much longer than the window a slot is held after sending, by default (see `Options.margin`). */
export const defaultMargin: Duration.Duration = Duration.millis(100)

/** How the limiter starts; everything but the reserve is corrected by the first answers' headers. */
export interface Options {
  /** The plan whose limit applies until the headers tell the real one. Default `essential` (the lowest). */
  readonly plan?: Plan | undefined
  /** Whether the token is an OAuth access token (four times the plan's limit). Default `false`. */
  readonly oauth?: boolean | undefined
  /** A starting limit (requests per window) instead of the plan's. */
  readonly limit?: number | undefined
  /** The starting limit of search requests per window. Default 10. */
  readonly searchLimit?: number | undefined
  /** The window. Default 2 seconds. */
  readonly window?: Duration.DurationInput | undefined
  /**
   * How much longer than a window a slot stays taken after its request was sent: room for the
   * difference in two requests' travel time to the server (jitter), as Pipedrive counts a request
   * when it arrives. Default 100 ms; raise it on a network with a slow or uneven way out. Each 429
   * doubles it (up to a window), as the network evidently needs more.
   */
  readonly margin?: Duration.DurationInput | undefined
  /**
   * Tokens of the daily budget to leave unspent: once the budget left (as last reported, less the
   * cost of the requests sent since) would fall under it, requests fail with
   * `DailyBudgetExhausted` (with `reserve` set) instead of being sent. Default: no reserve.
   */
  readonly dailyReserve?: number | undefined
}

/** The request being limited. */
export interface RequestInfo {
  /** Pipedrive's operationId; decides the token cost (`TokenCost`). */
  readonly operation: string
  readonly method: string
  /** The path, e.g. `/api/v2/persons/search`: decides the version's cost and the search bucket. */
  readonly path: string
}

export type { Observed }

/** Where one window bucket (all requests, or search) stands. */
export interface BucketState {
  /** Requests allowed per window; `undefined` when the server sends no limit (nothing is paced). */
  readonly limit: number | undefined
  /** Whether `limit` came from the server's headers rather than the options. */
  readonly learned: boolean
  /** Slots taken: requests sent less than a window (and margin) ago and not freed early by their answer. */
  readonly used: number
  /** Moving average of the time from sending to the answer's headers (ms); `undefined` before any answer. */
  readonly latencyMillis: number | undefined
  /** How long past the window a slot is held after sending (ms): `Options.margin`, doubled by each 429. */
  readonly marginMillis: number
  /** While set, no request is sent: a 429 asked to wait until then (epoch milliseconds). */
  readonly pausedUntil: number | undefined
}

/** The limiter's state, for a progress display or a log. */
export interface State {
  readonly general: BucketState
  /** The window the limits count in (ms). */
  readonly windowMillis: number
  readonly search: BucketState
  /** Pipedrive's last `x-daily-requests-left`, less the cost of the requests sent since. */
  readonly dailyRequestsLeft: number | undefined
  /** While set, the daily budget is spent and requests fail until then (epoch milliseconds). */
  readonly dailyExhaustedUntil: number | undefined
  /** Requests waiting for a slot now. */
  readonly waiting: number
  /** Requests sent. */
  readonly sent: number
  /** Requests that had to wait for a slot (or behind others waiting for one). */
  readonly delayed: number
  /** 429 answers received. */
  readonly rateLimited: number
  /** Token cost of the requests sent (`TokenCost`). */
  readonly tokensSpent: number
  /**
   * The server's clock less this one, in whole seconds, from the `Date` header of the latest answer
   * that had one; `undefined` before any. A job that must name a time in the server's terms (an
   * `updated_since` covering its own writes) adds it to its local clock.
   */
  readonly serverSkewMillis: number | undefined
}

/** The limiter. */
export interface Service {
  /**
   * Runs one request when there is room for it. `use` sends it and calls `observe` with the
   * answer's status and headers as soon as they arrive; a request that fails without an answer
   * keeps its slot for a window, as the server may have counted it.
   */
  readonly run: <A, E, R>(
    request: RequestInfo,
    use: (observe: (response: Observed) => Effect.Effect<void>) => Effect.Effect<A, E, R>
  ) => Effect.Effect<A, E | DailyBudgetExhausted, R>
  /** The current state. */
  readonly state: Effect.Effect<State>
  /** The state, then every change of it. */
  readonly changes: Stream.Stream<State>
}

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const RateLimiterBase: Context.TagClass<RateLimiter, "@pipedrive-effect/core/RateLimiter", Service> =
  Context.Tag("@pipedrive-effect/core/RateLimiter")<RateLimiter, Service>()
/** The limiter a `PipedriveClient` uses. */
export class RateLimiter extends RateLimiterBase {}

/**
 * The daily-budget cost (`x-token-cost`) of one request, by operationId and path, as Pipedrive's
 * specs list it: what a job weighs when it chooses between ways of doing the same work.
 *
 * @example
 * ```ts
 * import { RateLimit } from "@pipedrive-effect/core"
 *
 * RateLimit.tokenCost("getPersons", "/api/v2/persons")         // 10
 * RateLimit.tokenCost("searchPersons", "/api/v2/persons/search") // 20
 * ```
 */
export const tokenCost: (operation: string, path: string) => number = TokenCost.of

/** Whether a request counts against search's own window (`/persons/search`, `/itemSearch`…). */
export const isSearch = (path: string): boolean => /\/(?:search|itemSearch(?:\/field)?)$/.test(path)

/** Midnight UTC after `now` (epoch milliseconds): when the daily budget refills. */
export const nextMidnightUtc = (now: number): number => (Math.floor(now / 86_400_000) + 1) * 86_400_000

/** A numeric header of Pipedrive's (`x-ratelimit-*`, `x-daily-requests-left`); absent, blank or not a number: `undefined`. */
export const headerNumber = (headers: Headers.Headers, name: string): number | undefined => {
  const raw = headers[name]
  if (raw === undefined || raw.trim() === "") return undefined
  const value = Number(raw)
  return Number.isFinite(value) ? value : undefined
}

/**
 * A limiter. Cheap to make; give each token its own (or share one between clients of one token).
 */
export const make = (options: Options = {}): Effect.Effect<Service> =>
  Effect.gen(function*() {
    const window = Duration.toMillis(options.window ?? defaultWindow)
    const start = options.limit ?? planLimits[options.plan ?? "essential"] * (options.oauth === true ? oauthMultiplier : 1)
    const margin = Duration.toMillis(options.margin ?? defaultMargin)
    const general = new SlidingLog(start, window, margin)
    const search = new SlidingLog(options.searchLimit ?? defaultSearchLimit, window, margin)
    // `queued`: requests in the gate, waiting their turn; while there are any, newcomers queue too.
    const lanes = {
      general: { buckets: [general], gate: yield* Effect.makeSemaphore(1), learns: general, queued: 0 },
      search: { buckets: [search, general], gate: yield* Effect.makeSemaphore(1), learns: search, queued: 0 }
    }
    type Lane = typeof lanes.general
    let dailyLeft: number | undefined
    let spentSince = 0
    let exhaustedUntil: number | undefined
    let waiting = 0
    let sent = 0
    let delayed = 0
    let rateLimited = 0
    let serverSkewMillis: number | undefined
    let tokensSpent = 0
    // Completed on the next change: wakes the requests waiting for a slot and the `changes` stream.
    // Made when somebody waits, not at every change: a request changes the state twice, and a
    // Deferred costs ~2.7 µs to make (bench/PROFILE-notes.md). `version` counts the changes, so the
    // stream misses none.
    let changed: Deferred.Deferred<void> | undefined
    let version = 0
    const nextChange = Effect.suspend(() => Deferred.await(changed ??= Deferred.unsafeMake<void>(FiberId.none)))
    const notify = () => {
      version += 1
      const previous = changed
      if (previous === undefined) return
      changed = undefined
      Deferred.unsafeDone(previous, Exit.void)
    }
    // A change at `at`: slots free up then. One timer, for the earliest time anybody waits for.
    let timerAt: number | undefined
    const wakeAt = (at: number, now: number) =>
      timerAt !== undefined && timerAt <= at ? Effect.void : Effect.suspend(() => {
        timerAt = at
        return Effect.asVoid(Effect.forkDaemon(Effect.delay(
          Effect.sync(() => {
            if (timerAt === at) timerAt = undefined
            notify()
          }),
          at - now
        )))
      })

    const snapshot = (now: number): State => ({
      general: snapshotOf(general, now),
      windowMillis: window,
      search: snapshotOf(search, now),
      dailyRequestsLeft: dailyLeft === undefined ? undefined : Math.max(0, dailyLeft - spentSince),
      dailyExhaustedUntil: exhaustedUntil !== undefined && now < exhaustedUntil ? exhaustedUntil : undefined,
      waiting,
      sent,
      delayed,
      rateLimited,
      tokensSpent,
      serverSkewMillis
    })
    const state = Effect.map(Clock.currentTimeMillis, snapshot)
    const changes = Stream.suspend(() => {
      let seen = -1
      const next = Effect.zipRight(
        Effect.suspend(() => (version !== seen ? Effect.void : nextChange)),
        Effect.suspend(() => {
          seen = version
          return state
        })
      )
      return Stream.repeatEffect(next)
    })

    const refusal = (request: RequestInfo, now: number, cost: number): DailyBudgetExhausted | undefined => {
      if (exhaustedUntil !== undefined) {
        if (now < exhaustedUntil) {
          return new DailyBudgetExhausted({ ...where(request), resetsAt: new Date(exhaustedUntil), dailyRequestsLeft: 0 })
        }
        exhaustedUntil = undefined
        dailyLeft = undefined
      }
      const reserve = options.dailyReserve
      if (reserve !== undefined && dailyLeft !== undefined && dailyLeft - spentSince - cost < reserve) {
        return new DailyBudgetExhausted({
          ...where(request),
          resetsAt: new Date(nextMidnightUtc(now)),
          dailyRequestsLeft: Math.max(0, dailyLeft - spentSince),
          reserve
        })
      }
      return undefined
    }

    // Takes a slot in every bucket of the lane when all have room (and returns them); otherwise says
    // when to look again (`wake`; none: when a request in flight is answered).
    const tryTake = (
      lane: Lane,
      cost: number,
      now: number,
      waited: boolean
    ): { readonly wake: number | undefined } | ReadonlyArray<Slot> => {
      let wake: number | undefined
      let busy = false
      for (const bucket of lane.buckets) {
        const blocked = bucket.blockedUntil(now)
        if (blocked === "busy") busy = true
        else if (blocked !== undefined) wake = wake === undefined ? blocked : Math.min(wake, blocked)
      }
      if (wake !== undefined || busy) return { wake }
      const slots = lane.buckets.map((bucket) => bucket.take(now))
      spentSince += cost
      tokensSpent += cost
      sent += 1
      if (waited) delayed += 1
      notify()
      return slots
    }

    // Waits, holding the lane's gate so that requests are served in order, until a slot is free.
    const takeInTurn = (request: RequestInfo, lane: Lane, cost: number) =>
      Effect.gen(function*() {
        while (true) {
          const now = yield* Clock.currentTimeMillis
          const refused = refusal(request, now, cost)
          if (refused !== undefined) return yield* Effect.fail(refused)
          const blocked = tryTake(lane, cost, now, true)
          if (isSlots(blocked)) return blocked
          if (blocked.wake !== undefined) yield* wakeAt(blocked.wake, now)
          // One plain wait, not a race with a timer: a race's losing side could not be stopped in a
          // caller that is uninterruptible (a job that lets requests in flight finish), and the
          // caller's interruption would reach the race's sides there.
          yield* nextChange
        }
      })

    // A chain of as few operations as it can be: this runs for every request. The clock is asked
    // once (the fiber's, as `Clock.currentTimeMillis` asks it) and read directly after.
    const run: Service["run"] = (request, use) =>
      Effect.clockWith((clock) => {
        const now = clock.unsafeCurrentTimeMillis()
        const lane = isSearch(request.path) ? lanes.search : lanes.general
        const cost = TokenCost.of(request.operation, request.path)
        const refused = refusal(request, now, cost)
        if (refused !== undefined) return Effect.fail(refused)
        const sendWith = (slots: ReadonlyArray<Slot>) => {
          let settled = false
          const settle = (response: Observed | undefined) =>
            Effect.sync(() => {
              if (settled) return
              settled = true
              const at = clock.unsafeCurrentTimeMillis()
              lane.buckets.forEach((bucket, i) => bucket.settle(slots[i]!, at, response !== undefined))
              if (response !== undefined) {
                // A success without any rate-limit header: this server does not limit, in any bucket.
                const unlimited = response.status >= 200 && response.status < 300 &&
                  response.headers["x-ratelimit-limit"] === undefined
                // A 429 whose headers (those of the bucket it learns from) still show room was refused by
                // another bucket the request counts in: a search, by the window of all requests.
                const refusedElsewhere = response.status === 429 &&
                  (headerNumber(response.headers, "x-ratelimit-remaining") ?? 0) > 0
                lane.buckets.forEach((bucket, i) => {
                  if (unlimited || bucket === lane.learns) bucket.learn(at, slots[i]!, response, headerNumber)
                  else if (refusedElsewhere) bucket.pause(at, response, headerNumber)
                })
                if (response.status === 429) rateLimited += 1
                const served = response.headers["date"] === undefined ? Number.NaN : Date.parse(response.headers["date"])
                // `Date` has whole seconds: the skew is only known to a second.
                if (!Number.isNaN(served)) serverSkewMillis = Math.round((served - at) / 1000) * 1000
                const left = headerNumber(response.headers, "x-daily-requests-left")
                if (left !== undefined) {
                  dailyLeft = left
                  spentSince = 0
                  if (response.status === 429 && left <= 0) exhaustedUntil = nextMidnightUtc(at)
                }
              }
              notify()
            })
          return use(settle).pipe(Effect.ensuring(settle(undefined)))
        }
        // The usual case, with room and nobody waiting, takes its slot without the gate.
        const first = lane.queued === 0 ? tryTake(lane, cost, now, false) : undefined
        if (first !== undefined && isSlots(first)) return sendWith(first)
        return Effect.flatMap(
          Effect.suspend(() => {
            lane.queued += 1
            waiting += 1
            notify()
            return lane.gate.withPermits(1)(takeInTurn(request, lane, cost)).pipe(
              Effect.ensuring(Effect.sync(() => {
                lane.queued -= 1
                waiting -= 1
              }))
            )
          }),
          sendWith
        )
      })

    return { run, state, changes }
  })

const isSlots = (taken: { readonly wake: number | undefined } | ReadonlyArray<Slot>): taken is ReadonlyArray<Slot> =>
  Array.isArray(taken)

const snapshotOf = (log: SlidingLog, now: number): BucketState => ({
  limit: log.limit,
  learned: log.learned,
  used: log.used(now),
  latencyMillis: log.latency,
  marginMillis: log.margin,
  pausedUntil: now < log.pausedUntil ? log.pausedUntil : undefined
})

const where = (request: RequestInfo) => ({ operation: request.operation, method: request.method, path: request.path })

/** The latency `concurrency` assumes before any answer was timed: a 500-person page of Pipedrive's. */
export const assumedLatency: Duration.Duration = Duration.millis(500)

/** How many requests `concurrency` suggests against a server that sends no rate-limit headers. */
export const unpacedConcurrency = 8

/**
 * How many requests to keep in flight so that the token's whole allowance is used and no more:
 * the requests the limit admits during one latency (`limit / window × latency`, rounded up), plus
 * one so a slot never waits for a sender. It follows the state: the learned limit and the measured
 * latency (until then the plan's limit and `assumedLatency`). At least 1.
 *
 * @example
 * ```ts
 * import { PipedriveClient, RateLimit } from "@pipedrive-effect/core"
 * import { Effect } from "effect"
 *
 * const workers = Effect.gen(function*() {
 *   const client = yield* PipedriveClient.PipedriveClient
 *   // 20 requests per 2 s at 500 ms: 6 in flight; 120 per 2 s: 31.
 *   return RateLimit.concurrency(yield* client.rateLimiter.state)
 * })
 * ```
 */
export const concurrency = (state: State): number => {
  const { latencyMillis, limit } = state.general
  if (limit === undefined) return unpacedConcurrency
  const latency = latencyMillis ?? Duration.toMillis(assumedLatency)
  return Math.max(1, Math.ceil((limit / state.windowMillis) * latency) + 1)
}

/** A layer of a configured limiter, for one client or shared by several clients of one token. */
export const layer = (options: Options = {}): Layer.Layer<RateLimiter> => Layer.effect(RateLimiter, make(options))

const idle: State = {
  general: { limit: undefined, learned: false, used: 0, latencyMillis: undefined, marginMillis: 0, pausedUntil: undefined },
  windowMillis: 2_000,
  search: { limit: undefined, learned: false, used: 0, latencyMillis: undefined, marginMillis: 0, pausedUntil: undefined },
  dailyRequestsLeft: undefined,
  dailyExhaustedUntil: undefined,
  waiting: 0,
  sent: 0,
  delayed: 0,
  rateLimited: 0,
  tokensSpent: 0,
  serverSkewMillis: undefined
}

/** No limiting at all: every request is sent at once (429s reach the `Retry` policy or the caller). */
export const disabled: Layer.Layer<RateLimiter> = Layer.succeed(RateLimiter, {
  run: (_request, use) => use(() => Effect.void),
  state: Effect.succeed(idle),
  changes: Stream.make(idle)
})
