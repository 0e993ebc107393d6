/**
 * A timeline of every request a client made, for finding where a walk's time goes (a debug aid of
 * the benchmarks, never a timed test): when each request asked the rate limiter for a slot, when it
 * was sent, when its answer's headers came and when its body was decoded, what it asked for (its
 * query: a partitioned walk's window and cursor), and the limiter's state at the ask and the send.
 *
 * It wraps the limiter (`RateLimit.make`), so it sees the wait for a slot, and the client's
 * `transformClient`, which runs inside the limiter's slot and sees the URL; a fiber-local id ties
 * the two together.
 */
import { HttpClient } from "@effect/platform"
import { RateLimit } from "@pipedrive-effect/core"
import { Effect, FiberRef, Layer } from "effect"

/** The limiter's state as a timeline keeps it. */
export interface LimiterAt {
  readonly used: number
  readonly limit: number | undefined
  readonly learned: boolean
  readonly waiting: number
  readonly marginMillis: number
  readonly latencyMillis: number | undefined
  readonly pausedUntil: number | undefined
}

/** One request; times in ms since the trace began. */
export interface Traced {
  readonly id: number
  readonly asked: number
  sent?: number
  answered?: number
  done?: number
  status?: number
  remaining?: number
  query?: Record<string, string>
  readonly atAsk: LimiterAt
  atSend?: LimiterAt
}

/** A consumer's event beside the requests (an element of the stream, say). */
export interface Mark {
  readonly at: number
  readonly what: string
}

const limiterAt = (state: RateLimit.State): LimiterAt => ({
  used: state.general.used,
  limit: state.general.limit,
  learned: state.general.learned,
  waiting: state.waiting,
  marginMillis: state.general.marginMillis,
  latencyMillis: state.general.latencyMillis === undefined ? undefined : Math.round(state.general.latencyMillis),
  pausedUntil: state.general.pausedUntil
})

/** A trace in progress: the limiter layer and the client transform to use, and what they recorded. */
export interface Trace {
  readonly limiter: (options?: RateLimit.Options) => Layer.Layer<RateLimit.RateLimiter>
  readonly transformClient: (client: HttpClient.HttpClient) => HttpClient.HttpClient
  readonly mark: (what: string) => void
  readonly requests: ReadonlyArray<Traced>
  readonly marks: ReadonlyArray<Mark>
}

export const make = (): Trace => {
  const origin = performance.now()
  const now = () => Math.round((performance.now() - origin) * 10) / 10
  const requests: Array<Traced> = []
  const marks: Array<Mark> = []
  const current = FiberRef.unsafeMake<Traced | undefined>(undefined)

  const limiter = (options?: RateLimit.Options) =>
    Layer.effect(
      RateLimit.RateLimiter,
      Effect.map(RateLimit.make(options), (inner): RateLimit.Service => {
        return {
          ...inner,
          run: (request, use) =>
            Effect.gen(function*() {
              const traced: Traced = { id: requests.length, asked: now(), atAsk: limiterAt(yield* inner.state) }
              requests.push(traced)
              return yield* inner.run(request, (observe) =>
                Effect.gen(function*() {
                  traced.sent = now()
                  traced.atSend = limiterAt(yield* inner.state)
                  return yield* Effect.locally(use(observe), current, traced)
                })).pipe(Effect.ensuring(Effect.sync(() => (traced.done = now()))))
            })
        }
      })
    )

  const transformClient = (client: HttpClient.HttpClient) =>
    client.pipe(
      HttpClient.tapRequest((request) =>
        Effect.map(FiberRef.get(current), (traced) => {
          if (traced !== undefined) traced.query = Object.fromEntries(request.urlParams)
        })
      ),
      HttpClient.tap((response) =>
        Effect.map(FiberRef.get(current), (traced) => {
          if (traced === undefined) return
          traced.answered = now()
          traced.status = response.status
          const remaining = response.headers["x-ratelimit-remaining"]
          if (remaining !== undefined) traced.remaining = Number(remaining)
        })
      )
    )

  return {
    limiter,
    transformClient,
    mark: (what) => {
      marks.push({ at: now(), what })
    },
    requests,
    marks
  }
}

/** When a request's slot frees, by `SlidingLog`'s rule (the fastest of the 64 answers before it is the floor). */
const freesAt = (requests: ReadonlyArray<Traced>, window: number): Map<Traced, number> => {
  const frees = new Map<Traced, number>()
  const recent: Array<number> = []
  for (const r of [...requests].filter((r) => r.sent !== undefined).sort((a, b) => (a.answered ?? a.done ?? 0) - (b.answered ?? b.done ?? 0))) {
    const sent = r.sent!
    if (r.answered === undefined) {
      frees.set(r, (r.done ?? sent) + window)
      continue
    }
    const sample = r.answered - sent
    recent.push(sample)
    if (recent.length > 64) recent.shift()
    const slack = Math.ceil(Math.max(r.atSend?.marginMillis ?? 100, sample - Math.min(...recent)))
    frees.set(r, Math.min(r.answered + window, sent + window + slack))
  }
  return frees
}

/** A window's chain of pages: its `updated_since` and `updated_until` (a catch-up or discovery page has no `until`). */
const chainOf = (r: Traced): string =>
  `${r.query?.["updated_since"] ?? "-"}..${r.query?.["updated_until"] ?? "-"} ${r.query?.["sort_direction"] ?? ""}`

/** What a request was: a discovery page, a window's first page or a later one, or the catch-up. */
export const kindOf = (r: Traced, first: ReadonlyArray<Traced>): string =>
  first.includes(r)
    ? "discovery"
    : r.query?.["updated_until"] === undefined
    ? "catch-up"
    : r.query?.["cursor"] === undefined
    ? "window, first page"
    : "window, next page"

/** One step of the critical path, newest first. */
export interface Step {
  readonly id: number
  readonly kind: string
  readonly cause: string
  readonly at: number
}

/** Where the run's time went: the critical path from its end back to its start, in ms per cause, and the requests by kind. */
export interface Summary {
  readonly requests: number
  readonly byKind: Record<string, number>
  readonly windows: number
  readonly endMillis: number
  /** Ms of the run per cause along the critical path (they add up to `endMillis`). */
  readonly path: Record<string, number>
  readonly steps: ReadonlyArray<Step>
  /** Ms during which every slot was taken (by the limiter's rule), and during which requests waited for one. */
  readonly saturatedMillis: number
  readonly waitingMillis: number
  readonly maxInFlight: number
}

/**
 * Walks back from the last answer: each request was sent either when a slot freed (it waited for
 * the limiter: the request whose slot it took comes before it on the path, a window and its hold
 * earlier) or as soon as it was asked, and asked after the page before it in its window (or, for a
 * window's first page, after the latest answer before it: a walker freed or the layout made).
 * Slots free by `SlidingLog`'s rule for the request's own send and answer; what the limiter holds
 * beyond that (slots it added for requests the server counted and it did not know of, a 429's
 * pause) shows as the time between the rule's free and the send, and is negative when a 429 grew
 * the margin after the send.
 */
export const summarise = (trace: Trace, limit: number, endMillis: number, window = 2000): Summary => {
  const requests = trace.requests.filter((r) => r.sent !== undefined && r.done !== undefined)
  const frees = freesAt(requests, window)
  const bySend = [...requests].sort((a, b) => a.sent! - b.sent!)
  const first = bySend.slice(0, 2)
  const path: Record<string, number> = {}
  const add = (cause: string, ms: number) => {
    path[cause] = (path[cause] ?? 0) + ms
  }
  const steps: Array<Step> = []
  // The slot a request waited for: the one whose freeing brought the slots held under the limit.
  const slotGate = (r: Traced): { readonly gate: number; readonly by: Traced } | undefined => {
    if (r.atAsk.limit === undefined) return undefined
    if (!r.atAsk.learned) {
      const answered = bySend.filter((j) => j !== r && j.answered !== undefined && j.answered > r.asked && j.answered <= r.sent! + 1)
      const by = answered.sort((a, b) => a.answered! - b.answered!)[0]
      return by === undefined ? undefined : { gate: by.answered!, by }
    }
    const held = bySend.filter((j) => j.sent! < r.sent! && frees.get(j)! > r.asked).sort((a, b) => frees.get(a)! - frees.get(b)!)
    if (held.length < limit) return undefined
    const by = held[held.length - limit]!
    return { gate: frees.get(by)!, by }
  }
  const chainBefore = (r: Traced): Traced | undefined => {
    const chain = chainOf(r)
    const same = bySend.filter((j) => j !== r && chainOf(j) === chain && j.done! <= r.asked + 1)
    if (same.length > 0 && r.query?.["cursor"] !== undefined) return same.sort((a, b) => b.done! - a.done!)[0]
    const before = bySend.filter((j) => j !== r && j.done! <= r.asked + 1)
    return before.sort((a, b) => b.done! - a.done!)[0]
  }
  let last = requests.reduce<Traced | undefined>((a, r) => (a === undefined || r.done! > a.done! ? r : a), undefined)
  if (last === undefined) return { requests: 0, byKind: {}, windows: 0, endMillis, path, steps, saturatedMillis: 0, waitingMillis: 0, maxInFlight: 0 }
  add("consumer after the last page", endMillis - last.done!)
  let r: Traced | undefined = last
  let via: "done" | "sent" = "done"
  while (r !== undefined) {
    const kind = kindOf(r, first)
    if (via === "done") {
      add("client: body and decode", r.done! - r.answered!)
      add("latency (send to headers)", r.answered! - r.sent!)
    }
    const gate = slotGate(r)
    if (gate !== undefined && gate.gate > r.asked + 1) {
      add("limiter: held after the slot freed by its rule (extra slots for x-ratelimit-remaining, a 429's pause)", r.sent! - gate.gate)
      if (!r.atAsk.learned) {
        add("limiter: waits for the first answer (limit not known)", gate.gate - gate.by.sent!)
        steps.push({ id: r.id, kind, cause: `waited for the limit to be learned from #${gate.by.id}`, at: r.sent! })
      } else {
        const hold = frees.get(gate.by)! - gate.by.sent!
        add("limiter: a slot held one window", Math.min(window, hold))
        add("limiter: a slot held past the window (margin, slow answer)", Math.max(0, hold - window))
        steps.push({ id: r.id, kind, cause: `slot of #${gate.by.id} (held ${Math.round(hold)} ms)`, at: r.sent! })
      }
      r = gate.by
      via = "sent"
      continue
    }
    add("limiter: admission", r.sent! - r.asked)
    const pred = chainBefore(r)
    steps.push({ id: r.id, kind, cause: pred === undefined ? "start" : `asked ${Math.round(r.asked - pred.done!)} ms after #${pred.id} was done`, at: r.sent! })
    if (pred === undefined) {
      add("start: until the first ask", r.asked)
      break
    }
    add(`client: after a page until the next ask (${kind})`, r.asked - pred.done!)
    r = pred
    via = "done"
  }
  const byKind: Record<string, number> = {}
  for (const q of requests) byKind[kindOf(q, first)] = (byKind[kindOf(q, first)] ?? 0) + 1
  // Sweep: slots held (by the rule) and requests waiting, over time.
  const events: Array<[number, number, number]> = []
  for (const q of requests) {
    events.push([q.sent!, 1, 0], [frees.get(q)!, -1, 0], [q.asked, 0, 1], [q.sent!, 0, -1])
  }
  events.sort((a, b) => a[0] - b[0])
  let held = 0
  let waiting = 0
  let saturatedMillis = 0
  let waitingMillis = 0
  let previous = 0
  for (const [t, dHeld, dWaiting] of events) {
    const until = Math.min(t, endMillis)
    if (until > previous) {
      if (held >= limit) saturatedMillis += until - previous
      if (waiting > 0) waitingMillis += until - previous
      previous = until
    }
    held += dHeld
    waiting += dWaiting
  }
  let inFlight = 0
  let maxInFlight = 0
  for (const [, d] of requests.flatMap((q) => [[q.sent!, 1], [q.answered ?? q.done!, -1]] as const).sort((a, b) => a[0] - b[0] || a[1] - b[1])) {
    inFlight += d
    maxInFlight = Math.max(maxInFlight, inFlight)
  }
  return {
    requests: requests.length,
    byKind,
    windows: new Set(requests.filter((q) => !first.includes(q) && q.query?.["updated_until"] !== undefined).map(chainOf)).size,
    endMillis,
    path: Object.fromEntries(Object.entries(path).map(([k, v]) => [k, Math.round(v)])),
    steps,
    saturatedMillis: Math.round(saturatedMillis),
    waitingMillis: Math.round(waitingMillis),
    maxInFlight
  }
}
