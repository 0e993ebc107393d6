/**
 * The bookkeeping of a partitioned walk (`Persons.streamPartitioned`): the span of `update_time`
 * seconds cut into half-open windows, which walker has which, splitting the biggest when a walker
 * is free, and the state of what was EMITTED, which is what a caller saves to resume.
 *
 * Each window is tracked twice: how far its walker has FETCHED (to choose where to split) and how
 * far the consumer has been GIVEN (the saved state). A split cuts above the fetched position, so no
 * fetched person is ever handed to a second window; pages still queued between the two are simply
 * not in the state yet, and a resume fetches them again. Plain mutable data: every method is
 * synchronous, so fibers interleaving between them always see it whole.
 */
import * as Schema from "effect/Schema"

/** One open window of a saved walk: `update_time` in `[since, until)`, epoch seconds. */
export const WindowState: Schema.Struct<{
  since: typeof Schema.Int
  until: typeof Schema.Int
  /** The `updated_until` the window's cursor was issued with (a split lowers `until`, not this). */
  queryUntil: typeof Schema.Int
  /** Where its next page starts; `null`: not started. */
  cursor: Schema.NullOr<typeof Schema.String>
  /** `update_time` (epoch seconds) of the last person emitted from it; `null`: none yet. */
  position: Schema.NullOr<typeof Schema.Int>
}> = Schema.Struct({
  since: Schema.Int,
  until: Schema.Int,
  /** The `updated_until` the window's cursor was issued with (a split lowers `until`, not this). */
  queryUntil: Schema.Int,
  /** Where its next page starts; `null`: not started. */
  cursor: Schema.NullOr(Schema.String),
  /** `update_time` (epoch seconds) of the last person emitted from it; `null`: none yet. */
  position: Schema.NullOr(Schema.Int)
})
export type WindowState = typeof WindowState.Type

/**
 * Where a partitioned walk stands after an element: JSON as it is (`Schema.encode` is the
 * identity), so it can be written to a file and decoded back with this schema.
 */
export const PartitionState: Schema.Struct<{
  /** `main`: windows left; `catch-up`: the windows are done; `done`: nothing left. */
  phase: Schema.Literal<["main", "catch-up", "done"]>
  /** The span found at the start, `[since, until)` in epoch seconds (`since = until`: nothing listed). */
  span: Schema.Struct<{
    since: typeof Schema.Int
    until: typeof Schema.Int
  }>
  windows: Schema.Array$<typeof WindowState>
  /** The catch-up walk: `updated_since` (epoch seconds; `null`: from the beginning) and its cursor. */
  catchUp: Schema.Struct<{
    since: Schema.NullOr<typeof Schema.Int>
    cursor: Schema.NullOr<typeof Schema.String>
  }>
  /** Persons emitted in the main phase so far. */
  emitted: typeof Schema.Int
  /** Seconds of the span whose persons were all emitted (for the progress estimate). */
  coveredSeconds: typeof Schema.Int
}> = Schema.Struct({
  /** `main`: windows left; `catch-up`: the windows are done; `done`: nothing left. */
  phase: Schema.Literal("main", "catch-up", "done"),
  /** The span found at the start, `[since, until)` in epoch seconds (`since = until`: nothing listed). */
  span: Schema.Struct({ since: Schema.Int, until: Schema.Int }),
  windows: Schema.Array(WindowState),
  /** The catch-up walk: `updated_since` (epoch seconds; `null`: from the beginning) and its cursor. */
  catchUp: Schema.Struct({ since: Schema.NullOr(Schema.Int), cursor: Schema.NullOr(Schema.String) }),
  /** Persons emitted in the main phase so far. */
  emitted: Schema.Int,
  /** Seconds of the span whose persons were all emitted (for the progress estimate). */
  coveredSeconds: Schema.Int
})
export type PartitionState = typeof PartitionState.Type

/** A window as the walk keeps it. */
export interface Window {
  readonly since: number
  until: number
  readonly queryUntil: number
  started: boolean
  fetchCursor: string | undefined
  fetchPosition: number | undefined
  fetchDone: boolean
  /** Persons its walker fetched inside its bounds: with its position, its density. */
  fetched: number
  cursor: string | undefined
  position: number | undefined
}

/** Epoch seconds of an RFC 3339 time; `undefined` when absent or unreadable. */
export const secondsOf = (time: string | null | undefined): number | undefined => {
  if (time === null || time === undefined) return undefined
  const millis = Date.parse(time)
  return Number.isFinite(millis) ? Math.floor(millis / 1000) : undefined
}

/** RFC 3339 in whole seconds, as Pipedrive's `updated_since` / `updated_until` take it. */
export const rfc3339 = (seconds: number): string => new Date(seconds * 1000).toISOString().replace(/\.\d{3}Z$/, "Z")

/**
 * `[since, until)` cut into `count` whole-second windows (fewer when it has fewer seconds), even
 * when `pages` is `count` or less; otherwise `pages` even slices dealt out whole, so that each
 * window spans a whole number of them (when a slice is the persons of a page, a window ends with a
 * full page rather than wherever an even cut falls).
 */
const cut = (since: number, until: number, count: number, pages = count): Array<WindowState> => {
  const seconds = until - since
  if (seconds <= 0) return []
  const n = Math.max(1, Math.min(count, seconds))
  const p = Math.max(n, pages)
  const cuts = Array.from({ length: n + 1 }, (_, i) => since + Math.floor((seconds * Math.floor((p * i) / n)) / p))
  return cuts.slice(0, -1).flatMap((from, i) =>
    from < cuts[i + 1]! ? [{ since: from, until: cuts[i + 1]!, queryUntil: cuts[i + 1]!, cursor: null, position: null }] : []
  )
}

/** What a walk can send now, as the limiter says: how its windows are sized (`windowCount`). */
export interface Budget {
  /** Requests the limiter would let go at once now (free slots of the window, under the caller's cap). */
  readonly burst: number
  /** Requests to keep in flight to use the whole allowance (`RateLimit.concurrency`, under the cap). */
  readonly concurrency: number
}

/**
 * How full a window cut to be walked in one request is expected to be: the estimate is a density
 * from the span's two ends, and a window holding more than a page costs a second round trip.
 */
export const onePageFill = 0.8

/**
 * How many windows to cut a range expected to hold `persons` into. When windows of about one page
 * each (`onePageFill` of a page) fit in what the limiter sends at once now, that many: the whole
 * range in ONE round trip. Otherwise the limit, not the latency, is the bound, and every window
 * costs a partial page: as few windows as keep the allowance busy (`concurrency`), each several
 * pages long, and work stealing evens out their ends.
 *
 * @example
 * ```ts
 * import { windowCount } from "./Partition.ts"
 *
 * windowCount(29_000, 500, { burst: 117, concurrency: 31 }) // 73: all at once (120 per 2 s)
 * windowCount(29_000, 500, { burst: 17, concurrency: 6 })   // 6: limit-bound (20 per 2 s)
 * ```
 */
export const windowCount = (persons: number, pageSize: number, budget: Budget): number => {
  const onePageEach = Math.max(1, Math.ceil(persons / (onePageFill * pageSize)))
  return onePageEach <= budget.burst ? onePageEach : Math.max(1, Math.min(onePageEach, budget.concurrency))
}

/**
 * How full the pages of a window several pages long are planned to be. Every window ends in a page
 * of its own, so an even cut wastes half a page per window on average (30,000 persons in 7 windows
 * at 20 per 2 s: 63 requests for 59 pages' worth, and the rolling window's fourth cycle). Cut to a
 * whole number of pages at this fill of the estimate, a window's last page is nearly full, and one
 * more request is needed only when the estimate is more than 3% short.
 */
export const manyPagesFill = 0.97

/**
 * The pages a range expected to hold `persons` is planned in, cut into `windows` windows (`cut`
 * deals them out whole): one each when the windows are a page each (`windowCount`), else as many
 * as hold the persons at `manyPagesFill`.
 *
 * @example
 * ```ts
 * import { pagesFor } from "./Partition.ts"
 *
 * pagesFor(29_000, 500, 73) // 73: one page each
 * pagesFor(29_000, 500, 7)  // 60: windows of 9 and 8 pages, each nearly full at its end
 * ```
 */
export const pagesFor = (persons: number, pageSize: number, windows: number): number =>
  Math.max(windows, Math.ceil(persons / (manyPagesFill * pageSize)))

/** One end of the span as discovery read it: a whole page by `update_time`, and whether it was the list's last. */
export interface End<A> {
  readonly items: ReadonlyArray<A>
  readonly complete: boolean
}

/** A discovery page kept as its window's only page: the window starting at `since`, its persons ascending. */
export interface Prefetched<A> {
  readonly since: number
  readonly items: ReadonlyArray<A>
}

/**
 * The walk's first state from its two discovery pages, read at once: the first page by `update_time`
 * ascending and the first descending, each a whole page. Each is a window already walked:
 *
 * - the ascending page holds every person updated before its last person's second (`tA`): the
 *   window `[since, tA)`, whose persons are kept (`prefetched`) unless `keepFirst` is false;
 * - the descending page holds every person updated after its last (lowest) second (`tD`): the
 *   window `[tD + 1, newest + 1)`, kept too. The persons of the two boundary seconds, which a page
 *   may hold only in part, are left to the middle;
 * - the middle `[tA, tD + 1)`, expected to hold as many persons per second as the two pages did,
 *   is cut into `windowCount` windows, each a whole number of the pages `pagesFor` plans;
 * - when the ascending page is the list's last, it holds everyone: one window, nothing else.
 *
 * `catchUpSince` gets the newest `update_time` seen and gives where the catch-up starts.
 */
export const layout = <A>(options: {
  readonly first: End<A>
  readonly last: End<A>
  readonly timeOf: (a: A) => number | undefined
  /** The caller's `updated_since`, epoch seconds. */
  readonly lower: number | undefined
  readonly catchUpSince: (newest: number) => number
  /** Whether the ascending page's persons may be emitted (else its window is walked again). */
  readonly keepFirst: boolean
  readonly pageSize: number
  readonly budget: Budget
}): { readonly state: PartitionState; readonly prefetched: ReadonlyArray<Prefetched<A>> } => {
  const { first, last, lower } = options
  if (first.items.length === 0) {
    return { state: initial({ since: lower ?? 0, until: lower ?? 0 }, lower ?? null, 1), prefetched: [] }
  }
  const timesOf = (items: ReadonlyArray<A>) => items.map((item) => options.timeOf(item)).filter((t) => t !== undefined)
  const ascending = timesOf(first.items)
  const descending = timesOf(last.items)
  const since = ascending[0] ?? lower ?? 0
  const tA = ascending.at(-1) ?? since
  const newest = Math.max(tA, descending[0] ?? tA)
  const until = newest + 1
  const timeOf = (item: A) => options.timeOf(item) ?? since
  const state = (windows: Array<WindowState>): PartitionState => ({
    phase: windows.length === 0 ? "catch-up" : "main",
    span: { since, until },
    windows,
    catchUp: { since: options.catchUpSince(newest), cursor: null },
    emitted: 0,
    coveredSeconds: 0
  })
  const kept = (window: WindowState, items: ReadonlyArray<A>): Array<Prefetched<A>> => [{ since: window.since, items }]
  if (first.complete) {
    const everyone = cut(since, until, 1)
    return { state: state(everyone), prefetched: options.keepFirst ? kept(everyone[0]!, first.items) : [] }
  }
  // The middle: from the ascending page's last second to the descending page's lowest complete one.
  const a = tA
  const tD = descending.at(-1)
  const b = Math.max(a, tD === undefined ? until : last.complete ? tD : tD + 1)
  const lowest = cut(since, a, 1)
  const top = cut(b, until, 1)
  const seconds = (times: ReadonlyArray<number>) => times.length === 0 ? 0 : Math.abs(times[0]! - times.at(-1)!) + 1
  const density = (ascending.length + descending.length) / Math.max(1, seconds(ascending) + seconds(descending))
  const expected = density * (b - a)
  const count = windowCount(expected, options.pageSize, options.budget)
  const middle = cut(a, b, count, pagesFor(expected, options.pageSize, count))
  const prefetched = [
    ...(options.keepFirst && lowest.length > 0 ? kept(lowest[0]!, first.items.filter((item) => timeOf(item) < a)) : []),
    // Descending: reversed, they come as a walk of the window would give them.
    ...(top.length > 0 ? kept(top[0]!, last.items.filter((item) => timeOf(item) >= b).reverse()) : [])
  ]
  return { state: state([...lowest, ...middle, ...top]), prefetched }
}

/** The state of a walk about to start: the span cut into `count` even windows. */
export const initial = (span: { readonly since: number; readonly until: number }, catchUpSince: number | null, count: number): PartitionState => {
  const windows = cut(span.since, span.until, count)
  return {
    phase: windows.length === 0 ? "catch-up" : "main",
    span,
    windows,
    catchUp: { since: catchUpSince, cursor: null },
    emitted: 0,
    coveredSeconds: 0
  }
}

export class Plan {
  private readonly windows: Array<Window>
  emitted: number
  coveredSeconds: number
  // Fetched so far, over the seconds walked: the density a window with no page yet is assumed to have.
  private fetchedPersons = 0
  private fetchedSeconds = 0

  /** `pageSize`: a window is split after whole pages, and only when more than one seems left in it. */
  constructor(readonly state: PartitionState, readonly pageSize: number = 500) {
    this.emitted = state.emitted
    this.coveredSeconds = state.coveredSeconds
    this.windows = state.windows.map((w) => ({
      since: w.since,
      until: w.until,
      queryUntil: w.queryUntil,
      started: false,
      fetchCursor: w.cursor ?? undefined,
      fetchPosition: w.position ?? undefined,
      fetchDone: false,
      fetched: 0,
      cursor: w.cursor ?? undefined,
      position: w.position ?? undefined
    }))
  }

  private left(w: Window): number {
    return w.until - (w.fetchPosition ?? w.since)
  }

  /** Persons per second in `w` so far (or in the whole walk, before its walker's first page). */
  private density(w: Window): number {
    if (w.fetched > 0 && w.fetchPosition !== undefined) return w.fetched / Math.max(1, w.fetchPosition - w.since)
    return this.fetchedSeconds > 0 ? this.fetchedPersons / this.fetchedSeconds : Number.POSITIVE_INFINITY
  }

  /**
   * The window with the most seconds left after its walker's position, if it can be split (2 s or
   * more) and seems to hold more than a page: the page its walker has in flight, and more after it
   * that would otherwise wait a round trip. Split after whole pages (`splitAt`), the two parts cost
   * the requests the whole would (a part of one page or less would cost one more and gain nothing).
   */
  private splittable(): Window | undefined {
    let best: Window | undefined
    for (const w of this.windows) {
      const left = this.left(w)
      if (!w.started || w.fetchDone || left < 2 || this.density(w) * left <= this.pageSize) continue
      if (best === undefined || left > this.left(best)) best = w
    }
    return best
  }

  /** Windows no walker has taken yet. */
  unstarted(): number {
    let count = 0
    for (const w of this.windows) if (!w.started) count++
    return count
  }

  /**
   * A discovery page as the only page of the window starting at `since` (`layout`'s `prefetched`):
   * the window is taken and fetched to its end, as if a walker had read it.
   */
  prefill<A>(since: number, items: ReadonlyArray<A>, timeOf: (a: A) => number | undefined) {
    const window = this.windows.find((w) => w.since === since && !w.started)
    if (window === undefined) return undefined
    window.started = true
    return { window, ...this.fetched(window, items, undefined, timeOf) }
  }

  /** Whether a free walker would find something to do. */
  hasWork(): boolean {
    return this.windows.some((w) => !w.started) || this.splittable() !== undefined
  }

  /**
   * Where to split `w`, whose walker is at `from`: after the whole pages of half of what seems left
   * (at `manyPagesFill` of its density so far), so that the walker's last page is nearly full; the
   * midpoint of the seconds left when it has no density yet. Always leaves each side a second.
   */
  private splitAt(w: Window, from: number): number {
    const density = this.density(w)
    if (!Number.isFinite(density) || density <= 0) return from + Math.floor((w.until - from) / 2)
    const keep = Math.max(1, Math.floor((density * (w.until - from)) / this.pageSize / 2))
    const at = from + Math.floor((keep * this.pageSize * manyPagesFill) / density)
    return Math.min(w.until - 1, Math.max(from + 1, at))
  }

  /**
   * Work for a free walker: a window not started yet, else (unless `steal` is false) the upper
   * part of the remaining range of the biggest open one, about half of it (`splitAt`; its walker
   * keeps its cursor and stops at the new bound).
   */
  assign(options: { readonly steal: boolean } = { steal: true }): Window | undefined {
    const fresh = this.windows.find((w) => !w.started)
    if (fresh !== undefined) {
      fresh.started = true
      return fresh
    }
    if (!options.steal) return undefined
    const owner = this.splittable()
    if (owner === undefined) return undefined
    const mid = this.splitAt(owner, owner.fetchPosition ?? owner.since)
    const upper: Window = {
      since: mid,
      until: owner.until,
      queryUntil: owner.until,
      started: true,
      fetchCursor: undefined,
      fetchPosition: undefined,
      fetchDone: false,
      fetched: 0,
      cursor: undefined,
      position: undefined
    }
    owner.until = mid
    this.windows.splice(this.windows.indexOf(owner) + 1, 0, upper)
    return upper
  }

  /**
   * A page fetched for `w`: the persons inside its bounds now, and whether the window is finished
   * (the list ended, or reached the bound).
   */
  fetched<A>(w: Window, items: ReadonlyArray<A>, nextCursor: string | undefined, timeOf: (a: A) => number | undefined) {
    const inside = items.filter((item) => (timeOf(item) ?? w.since) < w.until)
    const last = inside.length > 0 ? timeOf(inside[inside.length - 1]!) : undefined
    const from = w.fetchPosition ?? w.since
    w.fetched += inside.length
    w.fetchCursor = nextCursor
    const final = nextCursor === undefined || inside.length < items.length
    if (last !== undefined) w.fetchPosition = last
    if (final) w.fetchDone = true
    this.fetchedPersons += inside.length
    this.fetchedSeconds += (final ? w.until : w.fetchPosition ?? from) - from
    return { items: inside, nextCursor, final }
  }

  /** A fetched page reaches the consumer: filtered against the bounds of now, then counted in the state. */
  emit<A>(w: Window, page: { readonly items: ReadonlyArray<A>; readonly nextCursor: string | undefined; readonly final: boolean }, timeOf: (a: A) => number | undefined): ReadonlyArray<A> {
    const items = page.items.filter((item) => (timeOf(item) ?? w.since) < w.until)
    this.emitted += items.length
    if (page.final) {
      this.windows.splice(this.windows.indexOf(w), 1)
      this.coveredSeconds += w.until - w.since
    } else {
      w.cursor = page.nextCursor
      const last = items.length > 0 ? timeOf(items[items.length - 1]!) : undefined
      if (last !== undefined) w.position = last
    }
    return items
  }

  /** What was emitted so far, as a state to resume from. */
  snapshot(): PartitionState {
    return {
      phase: this.windows.length === 0 ? "catch-up" : "main",
      span: this.state.span,
      windows: this.windows.map((w) => ({
        since: w.since,
        until: w.until,
        queryUntil: w.cursor === undefined ? w.until : w.queryUntil,
        cursor: w.cursor ?? null,
        position: w.position ?? null
      })),
      catchUp: this.state.catchUp,
      emitted: this.emitted,
      coveredSeconds: this.coveredSeconds
    }
  }

  /** Seconds of the span covered by what was emitted: closed windows, and open ones up to their position. */
  covered(): number {
    let seconds = this.coveredSeconds
    for (const w of this.windows) if (w.position !== undefined) seconds += w.position - w.since
    return seconds
  }
}
