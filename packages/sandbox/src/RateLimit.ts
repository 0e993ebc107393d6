/**
 * Pipedrive's rate limits, enforced: a rolling 2-second burst window of token cost per token, and a
 * daily token budget per company that refills at midnight UTC. Both are off unless configured.
 *
 * Every answer then carries Pipedrive's headers: `x-ratelimit-limit`, `x-ratelimit-remaining`,
 * `x-ratelimit-reset` (whole seconds until the window has room for this request again) and
 * `x-daily-requests-left`. Over the burst limit the answer is a 429 with Pipedrive's JSON body and no
 * `Retry-After`; a token that keeps sending while limited is blocked with a 403 HTML page.
 * All time comes from Effect's `Clock`, so tests drive it with `TestClock`.
 */
import { HttpServerResponse } from "@effect/platform"
import { Clock, Effect } from "effect"
import { ERROR_INFO } from "./ApiError.ts"
import { json } from "./Envelope.ts"

/** How the limits are configured; an absent field turns that limit off. */
export interface Options {
  /** Tokens of cost each API token may spend per rolling 2-second window. */
  readonly rateLimit?: number | undefined
  /** Tokens of cost the company may spend per UTC day. */
  readonly dailyBudget?: number | undefined
}

/** The length of the burst window. */
export const WINDOW_MILLIS = 2_000

/** How long a token that hammered past its 429s stays blocked with 403. */
export const BLOCK_MILLIS = 60_000

/** What the limiter decided for one request. */
export type Decision =
  | { readonly _tag: "Allow"; readonly headers: Record<string, string> }
  | { readonly _tag: "OverLimit"; readonly headers: Record<string, string> }
  | { readonly _tag: "DailyExhausted"; readonly headers: Record<string, string> }
  | { readonly _tag: "Blocked" }

/** The limiter: `admit` decides one request and spends its cost when it is allowed. */
export interface Service {
  readonly admit: (token: string, cost: number) => Effect.Effect<Decision>
}

interface TokenState {
  // Spends still inside the window, oldest first.
  readonly spends: Array<{ readonly at: number; readonly cost: number }>
  // 429s answered since the token was last allowed through.
  refused: number
  blockedUntil: number
}

const DAY_MILLIS = 86_400_000

/** Whether any limit is configured; when not, the app skips the limiter altogether. */
export const enabled = (options: Options): boolean =>
  options.rateLimit !== undefined || options.dailyBudget !== undefined

/**
 * A limiter. A request costing more than the whole limit still passes on an empty window, as it
 * could otherwise never pass at all.
 */
export const make = (options: Options): Service => {
  const tokens = new Map<string, TokenState>()
  let day = Number.NaN
  let dailyLeft = options.dailyBudget ?? 0

  const admit = (token: string, cost: number): Effect.Effect<Decision> =>
    Effect.map(Clock.currentTimeMillis, (now) => {
      const today = Math.floor(now / DAY_MILLIS)
      if (today !== day) {
        day = today
        dailyLeft = options.dailyBudget ?? 0
      }
      let state = tokens.get(token)
      if (state === undefined) {
        state = { spends: [], refused: 0, blockedUntil: 0 }
        tokens.set(token, state)
      }
      if (now < state.blockedUntil) return { _tag: "Blocked" } as const
      while (state.spends.length > 0 && state.spends[0]!.at + WINDOW_MILLIS <= now) state.spends.shift()
      const used = state.spends.reduce((sum, spend) => sum + spend.cost, 0)
      const limit = options.rateLimit
      const fits = limit === undefined || used === 0 || used + cost <= limit

      const headers = (spent: number, reset: number): Record<string, string> => ({
        ...(limit === undefined ? {} : {
          "x-ratelimit-limit": String(limit),
          "x-ratelimit-remaining": String(Math.max(0, limit - spent)),
          "x-ratelimit-reset": String(reset)
        }),
        ...(options.dailyBudget === undefined ? {} : { "x-daily-requests-left": String(dailyLeft) })
      })

      if (options.dailyBudget !== undefined && dailyLeft <= 0) {
        return { _tag: "DailyExhausted", headers: headers(used, resetSeconds(state.spends, used, cost, limit, now)) }
      }
      if (!fits) {
        state.refused += 1
        // Pipedrive blocks a client that ignores its 429s; "ignores" here: more refusals than the limit.
        if (limit !== undefined && state.refused > limit) {
          state.blockedUntil = now + BLOCK_MILLIS
          state.refused = 0
          return { _tag: "Blocked" } as const
        }
        return { _tag: "OverLimit", headers: headers(used, resetSeconds(state.spends, used, cost, limit, now)) }
      }
      state.refused = 0
      state.spends.push({ at: now, cost })
      if (options.dailyBudget !== undefined) dailyLeft = Math.max(0, dailyLeft - cost)
      const after = used + cost
      return { _tag: "Allow", headers: headers(after, resetSeconds(state.spends, after, cost, limit, now)) }
    })

  return { admit }
}

// Whole seconds until enough of the window has expired for a request of `cost` to fit (0 when it fits).
const resetSeconds = (
  spends: ReadonlyArray<{ readonly at: number; readonly cost: number }>,
  used: number,
  cost: number,
  limit: number | undefined,
  now: number
): number => {
  if (limit === undefined) return 0
  let left = used
  for (const spend of spends) {
    if (left === 0 || left + cost <= limit) break
    left -= spend.cost
    if (left === 0 || left + cost <= limit) return Math.ceil((spend.at + WINDOW_MILLIS - now) / 1000)
  }
  return 0
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
