/**
 * Pipedrive's rate limits, enforced. All of them are off unless configured, and all time comes from
 * Effect's `Clock` (tests drive it with `TestClock`). The exact rules, which a client-side limiter
 * can rely on:
 *
 * - **Burst window** (`rateLimit`): each token (API token or OAuth access token, as presented) may
 *   make `rateLimit` REQUESTS in any rolling 2-second window, whatever they cost. A request at time
 *   `t` is admitted when fewer than `rateLimit` requests of that token were admitted in `(t - 2000 ms, t]`.
 *   Refused requests are not counted.
 * - **Search bucket** (`searchRateLimit`, default 10 whenever `rateLimit` is set): requests to search
 *   endpoints (`isSearch`) are also limited to `searchRateLimit` per rolling 2 s per token. A search
 *   request must find room in BOTH the search bucket and the burst window, and is counted in both. A
 *   search refused by its own bucket counts in neither, so it never holds back other requests.
 * - **Daily budget** (`dailyBudget`): the company (every token together) may spend `dailyBudget` of
 *   token cost (`x-token-cost`, `OperationCost.ts`) per UTC day. A request is admitted while anything
 *   is left and then spends its whole cost (the budget floors at 0); once it is 0, every request is
 *   refused until midnight UTC, when it refills.
 *
 * Headers on every answer to an accepted token (never on 401s, never on the 403 page):
 *
 * | header | on a search answer | on any other answer |
 * |---|---|---|
 * | `x-ratelimit-limit` | `searchRateLimit` | `rateLimit` |
 * | `x-ratelimit-remaining` | requests left in the search bucket after this one | requests left in the burst window after this one |
 * | `x-ratelimit-reset` | whole seconds (rounded up) until a request of the same kind would be admitted by every bucket it counts in; `0` when it would be now | same |
 * | `x-daily-requests-left` | token cost left today (after this request), with a daily budget | same |
 *
 * The `x-ratelimit-*` headers are sent only when the bucket they describe is on.
 *
 * Refusals: over a bucket, `429` with Pipedrive's JSON body (`overLimitBody`), NO `Retry-After`, and
 * `x-ratelimit-reset` at least 1. With the daily budget gone, `429` with the same body,
 * `x-daily-requests-left: 0` and `x-ratelimit-reset` = whole seconds until midnight UTC (at least 1).
 * Because `x-ratelimit-reset` is rounded up, waiting that many seconds always finds room (unless other
 * requests of the token take it first). A token refused by the same bucket more than that bucket's
 * limit times in a row (the bucket admitting nothing in between) is blocked for `BLOCK_MILLIS`: every
 * request with it gets a `403` HTML page (`BLOCKED_PAGE`). A client with more requests in flight than
 * the limit, all refused, is "in a row" too. Neither 429s nor 403s spend anything.
 *
 * Each admission costs O(1) amortised: a bucket keeps only the admission times still in its window,
 * at most its limit of them.
 */
import { HttpServerResponse } from "@effect/platform"
import { Clock, Effect } from "effect"
import { ERROR_INFO } from "../http/ApiError.ts"
import { json } from "../http/Envelope.ts"

/** How the limits are configured; an absent field turns that limit off. */
export interface Options {
  /** Requests each token may make per rolling 2-second window. */
  readonly rateLimit?: number | undefined
  /** Search requests each token may make per rolling 2-second window. Default 10 when `rateLimit` is set. */
  readonly searchRateLimit?: number | undefined
  /** Token cost the company may spend per UTC day. */
  readonly dailyBudget?: number | undefined
}

/** The length of the burst window. */
export const WINDOW_MILLIS = 2_000

/** How long a token that hammered past its 429s stays blocked with 403. */
export const BLOCK_MILLIS = 60_000

/** The search bucket's limit when `rateLimit` is set and `searchRateLimit` is not (Pipedrive's). */
export const DEFAULT_SEARCH_RATE_LIMIT = 10

/** What a request asks of the limiter: its token cost, and whether it is a search. */
export interface Charge {
  readonly cost: number
  readonly search: boolean
}

/** What the limiter decided for one request. */
export type Decision =
  | { readonly _tag: "Allow"; readonly headers: Record<string, string> }
  | { readonly _tag: "OverLimit"; readonly headers: Record<string, string> }
  | { readonly _tag: "DailyExhausted"; readonly headers: Record<string, string> }
  | { readonly _tag: "Blocked" }

/** The limiter: `admit` decides one request and spends its share when it is allowed. */
export interface Service {
  readonly admit: (token: string, charge: Charge) => Effect.Effect<Decision>
}

/**
 * Whether a request goes to a search endpoint, which has its own bucket: a path whose last segment
 * is `search`, or Pipedrive's `itemSearch` (`/api/v1/itemSearch`, `/api/v2/itemSearch/field`).
 *
 * @example
 * ```ts
 * import { isSearch } from "./RateLimit.ts"
 *
 * isSearch("/api/v2/persons/search?term=ann") // true
 * isSearch("/api/v2/itemSearch/field")        // true
 * isSearch("/api/v2/persons/7")               // false
 * ```
 */
export const isSearch = (url: string): boolean => {
  const question = url.indexOf("?")
  const path = (question === -1 ? url : url.slice(0, question)).replace(/\/+$/, "")
  if (path.endsWith("/search")) return true
  const segments = path.split("/")
  const itemSearch = segments.lastIndexOf("itemSearch")
  return itemSearch !== -1 && itemSearch >= segments.length - 2
}

/** Whether any limit is configured; when not, the app skips the limiter altogether. */
export const enabled = (options: Options): boolean =>
  options.rateLimit !== undefined || options.searchRateLimit !== undefined || options.dailyBudget !== undefined

/** The search bucket's limit, with its default applied; `undefined` when search is not limited. */
export const searchLimitOf = (options: Options): number | undefined =>
  options.searchRateLimit ?? (options.rateLimit === undefined ? undefined : DEFAULT_SEARCH_RATE_LIMIT)

/**
 * What is wrong with the options, naming the option, or `undefined` when they are good: every
 * limit is a positive safe integer.
 */
export const problem = (options: Options): string | undefined => {
  const fields = [
    ["rateLimit", options.rateLimit],
    ["searchRateLimit", options.searchRateLimit],
    ["dailyBudget", options.dailyBudget]
  ] as const
  for (const [name, value] of fields) {
    if (value !== undefined && !(Number.isSafeInteger(value) && value >= 1)) {
      return `${name} must be a positive integer, got ${String(value)}`
    }
  }
  return undefined
}

// One rolling window: the admission times still inside it, oldest first, in a ring that grows
// (doubling) up to `limit` slots, so memory follows the traffic actually seen, never beyond the limit.
interface Bucket {
  readonly limit: number
  times: Array<number>
  head: number
  size: number
  // Refusals by this bucket since it last admitted a request.
  refused: number
}

const bucket = (limit: number): Bucket => ({ limit, times: new Array<number>(Math.min(limit, 16)), head: 0, size: 0, refused: 0 })

const expire = (b: Bucket, now: number): void => {
  while (b.size > 0 && b.times[b.head]! + WINDOW_MILLIS <= now) {
    b.head = (b.head + 1) % b.times.length
    b.size -= 1
  }
}

const record = (b: Bucket, now: number): void => {
  if (b.size === b.times.length) {
    const grown = new Array<number>(Math.min(b.limit, b.times.length * 2))
    for (let i = 0; i < b.size; i++) grown[i] = b.times[(b.head + i) % b.times.length]!
    b.times = grown
    b.head = 0
  }
  b.times[(b.head + b.size) % b.times.length] = now
  b.size += 1
}

// Milliseconds until the bucket has room for one more request (0 when it has).
const waitMillis = (b: Bucket, now: number): number => b.size < b.limit ? 0 : b.times[b.head]! + WINDOW_MILLIS - now

interface TokenState {
  readonly general: Bucket | undefined
  readonly search: Bucket | undefined
  blockedUntil: number
}

const DAY_MILLIS = 86_400_000

/**
 * A limiter for validated options (`problem` says what is wrong with bad ones).
 *
 * @example
 * ```ts
 * import { Effect } from "effect"
 * import * as RateLimit from "./RateLimit.ts"
 *
 * const limiter = RateLimit.make({ rateLimit: 20, dailyBudget: 30_000 })
 * const decision = Effect.gen(function*() {
 *   return yield* limiter.admit("token", { cost: 10, search: false })
 * })
 * ```
 */
export const make = (options: Options): Service => {
  const tokens = new Map<string, TokenState>()
  const generalLimit = options.rateLimit
  const searchLimit = searchLimitOf(options)
  let day = Number.NaN
  let dailyLeft = options.dailyBudget ?? 0

  const admit = (token: string, charge: Charge): Effect.Effect<Decision> =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const today = Math.floor(now / DAY_MILLIS)
      if (today !== day) {
        day = today
        dailyLeft = options.dailyBudget ?? 0
      }
      let state = tokens.get(token)
      if (state === undefined) {
        state = {
          general: generalLimit === undefined ? undefined : bucket(generalLimit),
          search: searchLimit === undefined ? undefined : bucket(searchLimit),
          blockedUntil: 0
        }
        tokens.set(token, state)
      }
      if (now < state.blockedUntil) return { _tag: "Blocked" } as const

      // The buckets this request counts in, and the one its headers describe.
      const counted: Array<Bucket> = []
      if (charge.search && state.search !== undefined) counted.push(state.search)
      if (state.general !== undefined) counted.push(state.general)
      const shown = charge.search ? state.search : state.general
      for (const b of counted) expire(b, now)

      const headers = (reset: number): Record<string, string> => ({
        ...(shown === undefined ? {} : {
          "x-ratelimit-limit": String(shown.limit),
          "x-ratelimit-remaining": String(shown.limit - shown.size),
          "x-ratelimit-reset": String(reset)
        }),
        ...(options.dailyBudget === undefined ? {} : { "x-daily-requests-left": String(dailyLeft) })
      })
      const resetSeconds = () => Math.ceil(Math.max(0, ...counted.map((b) => waitMillis(b, now))) / 1000)

      if (options.dailyBudget !== undefined && dailyLeft <= 0) {
        const midnight = (today + 1) * DAY_MILLIS
        return { _tag: "DailyExhausted", headers: headers(Math.max(1, Math.ceil((midnight - now) / 1000))) }
      }
      const full = counted.find((b) => b.size >= b.limit)
      if (full !== undefined) {
        full.refused += 1
        // Pipedrive blocks a client that ignores its 429s; "ignores" here: more refusals in a row than the limit.
        if (full.refused > full.limit) {
          state.blockedUntil = now + BLOCK_MILLIS
          for (const b of counted) b.refused = 0
          return { _tag: "Blocked" } as const
        }
        return { _tag: "OverLimit", headers: headers(Math.max(1, resetSeconds())) }
      }
      for (const b of counted) {
        b.refused = 0
        record(b, now)
      }
      if (options.dailyBudget !== undefined) dailyLeft = Math.max(0, dailyLeft - charge.cost)
      return { _tag: "Allow", headers: headers(resetSeconds()) }
    })

  return { admit }
}

/** Pipedrive's 429 body. */
export const overLimitBody = {
  success: false,
  error: "Request over limit",
  errorCode: 429,
  error_info: ERROR_INFO,
  data: null,
  additional_data: null
} as const

/** The answer for a refused request, or `undefined` when it is allowed through. */
export const refusal = (decision: Decision): HttpServerResponse.HttpServerResponse | undefined => {
  switch (decision._tag) {
    case "Allow":
      return undefined
    case "OverLimit":
    case "DailyExhausted":
      return HttpServerResponse.setHeaders(json(429, overLimitBody), decision.headers)
    case "Blocked":
      return HttpServerResponse.text(BLOCKED_PAGE, { status: 403, contentType: "text/html; charset=utf-8" })
  }
}

/** The HTML page a blocked token gets instead of JSON, like Pipedrive's edge. */
export const BLOCKED_PAGE = `<!DOCTYPE html>
<html>
<head><title>403 Forbidden</title></head>
<body>
<h1>403 Forbidden</h1>
<p>Too many requests after being rate limited. This client is temporarily blocked.</p>
</body>
</html>
`
