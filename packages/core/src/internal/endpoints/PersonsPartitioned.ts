/**
 * Every person through API v2, walked in `update_time` windows at once, as many as the rate limit
 * keeps busy. Re-exported by `Persons`; use it from there.
 *
 * One cursor walk waits a whole latency (300-700 ms for a 500-person page) per page, which spends
 * about a sixth of a token's allowance. The walk instead:
 *
 * 1. **Discovers** the span with two whole pages sent at once, the first by `update_time`
 *    ascending and the first descending. They are not spent on finding the span only: each is
 *    the walk of a window (everyone updated before the ascending page's last second, and after
 *    the descending page's lowest), so an account of one page is read by discovery alone.
 * 2. **Cuts the middle** to the limiter's budget, with as many persons per second expected as the
 *    two pages held: when windows of about a page each all fit in what the limiter sends at once
 *    now (120 requests / 2 s, 30,000 persons), that many, and the whole middle takes one round
 *    trip; otherwise (the limit is the bound) as many windows as `RateLimit.concurrency` says keep
 *    the allowance busy, each of whole pages, its last nearly full.
 * 3. **Walks the windows** at once. A walker that runs out of work splits the biggest remaining
 *    window after whole pages of about half of it (work stealing), while it seems to hold more than
 *    the page its walker has in flight, so all end together: while requests wait for the limiter,
 *    only windows not started yet are taken (a split would gain nothing then).
 *    A window shrinks to one second at the least and is then walked to its end by one walker:
 *    exact even when thousands of persons share a second (a bulk update), and never slower than
 *    a plain walk of them.
 * 4. **Catches up** with everything updated since the walk began, once the last window's page was
 *    read: a person changed after its window was read is there, at its newer version. This costs
 *    one round trip at the end, and cannot start sooner: a person changed after the catch-up's
 *    read but before a window's would be missed by both.
 *
 * @example
 * ```ts
 * import { Persons } from "@pipedrive-effect/core"
 * import { Effect, Schema, Stream } from "effect"
 *
 * // Where the pages and the state go (a file each, say).
 * declare const write: (persons: ReadonlyArray<Persons.Person>, phase: "main" | "catch-up") => void
 * declare const save: (state: unknown) => void
 *
 * const exportAll = (saved?: Persons.PartitionState) =>
 *   Persons.streamPartitioned({ resume: saved }).pipe(
 *     Stream.runForEach((page) =>
 *       Effect.sync(() => {
 *         write(page.items, page.phase) // catch-up pages supersede earlier versions of their ids
 *         save(Schema.encodeSync(Persons.PartitionState)(page.state))
 *       })))
 * ```
 */
import * as Clock from "effect/Clock"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Queue from "effect/Queue"
import * as Stream from "effect/Stream"
import * as Take from "effect/Take"
import * as Persons from "./PersonsList.ts"
import * as PipedriveClient from "../../PipedriveClient.ts"
import type * as Pagination from "../../Pagination.ts"
import type { PipedriveError } from "../../PipedriveError.ts"
import * as RateLimit from "../../RateLimit.ts"
import type { Person } from "../../schema/PersonV2.ts"
import { layout, type PartitionState, Plan, rfc3339, secondsOf, type Window } from "../Partition.ts"

export { PartitionState, WindowState } from "../Partition.ts"

/** The options of `streamPartitioned`: the list filters that keep a span meaningful, and the walk's. */
export interface PartitionedOptions extends Persons.ReadOptions {
  readonly filter_id?: number | undefined
  readonly owner_id?: number | undefined
  readonly org_id?: number | undefined
  /** RFC 3339: only persons updated at or after it. */
  readonly updated_since?: string | undefined
  /** Page size, 1 to 500. Default 500 (the fewest requests). */
  readonly limit?: number | undefined
  /** The most windows walked at once. Default: no cap but the limiter's `RateLimit.concurrency`. */
  readonly concurrency?: number | undefined
  /** Pages fetched ahead of the consumer, at most. Default 8. */
  readonly buffer?: number | undefined
  /** A `state` saved from an element: the walk continues right after that element. */
  readonly resume?: PartitionState | undefined
}

/** How far the walk is, for a progress bar: persons emitted in the main phase, and the total expected. */
export interface Progress {
  readonly emitted: number
  /** Persons emitted per second of span covered so far, times the span; `undefined` before any. */
  readonly estimatedTotal: number | undefined
}

/** One element of `streamPartitioned`: a page of persons and where the walk stands after it. */
export interface PartitionedPage {
  /** May be empty when only the state moved (a window found empty or finished). */
  readonly items: ReadonlyArray<Person>
  /** `catch-up`: persons changed while the windows were walked; they supersede earlier versions. */
  readonly phase: "main" | "catch-up"
  /**
   * The window (epoch seconds, `[since, until)`) a main-phase page belongs to: windows never overlap,
   * so a consumer that keeps each window's pages apart can put them in time order whatever order
   * they came in. Absent in the catch-up.
   */
  readonly window?: { readonly since: number; readonly until: number } | undefined
  /** Save it to resume after this element (`resume`); counts what was emitted, nothing queued. */
  readonly state: PartitionState
  readonly progress: Progress
}

const timeOf = (person: Person) => secondsOf(person.update_time)

type Query = Omit<PartitionedOptions, "limit" | "concurrency" | "buffer" | "resume" | "updated_since">

const queryOf = (options: PartitionedOptions): Query => ({
  filter_id: options.filter_id,
  owner_id: options.owner_id,
  org_id: options.org_id,
  include_fields: options.include_fields,
  custom_fields: options.custom_fields,
  include_option_labels: options.include_option_labels,
  include_labels: options.include_labels
})

/**
 * The span, from two whole pages sent at once: the first by `update_time` descending and the first
 * ascending (`layout` keeps both as windows already walked, and cuts the middle to the limiter's
 * budget as it stands after them).
 *
 * The catch-up must list every person updated after ANY page of the walk was read. Pages read after
 * the descending one are covered by the newest `update_time` it saw (a later update is at least as
 * new); the ascending page may have been read a moment before it, so the catch-up starts no later
 * than the server's clock when both were sent: this clock plus the skew the limiter read from the
 * answers' `Date` (to the second, so 500 ms less, and a second more for another server's clock).
 * A server that sends no `Date` gets the ascending page's window walked again instead.
 */
const discover = (query: Query, updatedSince: string | undefined, limit: number, cap: number) =>
  Effect.gen(function*() {
    const client = yield* PipedriveClient.PipedriveClient
    const sentAt = yield* Clock.currentTimeMillis
    const ends = (direction: "asc" | "desc") =>
      Persons.list({ ...query, updated_since: updatedSince, sort_by: "update_time", sort_direction: direction, limit })
    // Descending first: under a cap of one the ascending page is then read after it, which needs no clock.
    const [last, first] = yield* Effect.all([ends("desc"), ends("asc")], { concurrency: Math.min(2, cap) })
    const limiter = yield* client.rateLimiter.state
    const skew = limiter.serverSkewMillis
    const serverStart = skew === undefined ? undefined : Math.floor((sentAt + skew - 500) / 1000) - 1
    const concurrency = Math.min(cap, RateLimit.concurrency(limiter))
    const { limit: allowed, used } = limiter.general
    return layout({
      first: { items: first.items, complete: first.nextCursor === undefined },
      last: { items: last.items, complete: last.nextCursor === undefined },
      timeOf,
      lower: secondsOf(updatedSince),
      catchUpSince: (newest) => (serverStart === undefined ? newest : Math.min(newest, serverStart)),
      keepFirst: serverStart !== undefined || cap < 2,
      pageSize: limit,
      // What the limiter sends at once now, less one for the catch-up.
      budget: { burst: Math.min(cap, allowed === undefined ? concurrency : allowed - used - 1), concurrency }
    })
  })

const progressOf = (plan: Plan): Progress => {
  const { since, until } = plan.state.span
  const covered = plan.covered()
  return {
    emitted: plan.emitted,
    estimatedTotal: covered <= 0 ? undefined : Math.max(plan.emitted, Math.round((plan.emitted * (until - since)) / covered))
  }
}

/**
 * How many walkers the limiter keeps busy now (`RateLimit.concurrency`, or the windows not started
 * yet when more: they were cut to go at once), and whether requests wait for it (the limit binds).
 */
interface Wanted {
  readonly walkers: number
  readonly saturated: boolean
}

interface Fetched {
  readonly window: Window
  readonly items: ReadonlyArray<Person>
  readonly nextCursor: string | undefined
  readonly final: boolean
}

/**
 * The windows, walked by a pool of walkers that grows with the limiter's `concurrency` (or the
 * windows not taken yet, when more: they were cut to go at once), after the pages discovery read.
 */
const mainPhase = (
  plan: Plan,
  query: Query,
  limit: number,
  buffer: number,
  wanted: Effect.Effect<Wanted>,
  prefetched: ReadonlyArray<Fetched>,
  walked: Effect.Effect<void>
) =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const client = yield* PipedriveClient.PipedriveClient
    const scope = yield* Effect.scope
    const queue = yield* Queue.bounded<Take.Take<Fetched, PipedriveError>>(buffer)
    const finished = yield* Deferred.make<void, PipedriveError>()
    let running = 0
    let { saturated, walkers: target } = yield* wanted

    const walk = (window: Window) =>
      Effect.gen(function*() {
        while (!window.fetchDone) {
          const page = yield* Persons.list({
            ...query,
            updated_since: rfc3339(window.since),
            updated_until: rfc3339(window.queryUntil),
            sort_by: "update_time",
            sort_direction: "asc",
            limit,
            cursor: window.fetchCursor
          })
          const fetched = plan.fetched(window, page.items, page.nextCursor, timeOf)
          yield* Queue.offer(queue, Take.of({ window, ...fetched }))
        }
      })
    // While requests wait for the limiter, the walkers there keep the limit busy: a free one only
    // takes a window not started yet, as halving another would add a partial page and gain nothing.
    const walker = Effect.gen(function*() {
      while (true) {
        const window = plan.assign({ steal: !saturated })
        if (window === undefined) return
        yield* walk(window)
        if (running > target) return
      }
    })
    const spawn: Effect.Effect<void> = Effect.suspend(() => {
      const work = saturated && running > 0 ? plan.unstarted() > 0 : plan.hasWork()
      if (running >= target || !work) return Effect.void
      running += 1
      const ended = (exit: Exit.Exit<void, PipedriveError>) =>
        Effect.suspend(() => {
          running -= 1
          if (Exit.isFailure(exit)) return Deferred.failCause(finished, exit.cause)
          if (running > 0) return Effect.void
          return plan.hasWork() ? spawn : Deferred.succeed(finished, undefined)
        })
      return Effect.zipRight(
        Effect.forkIn(walker.pipe(Effect.provideService(PipedriveClient.PipedriveClient, client), Effect.onExit(ended)), scope),
        spawn
      )
    })
    yield* spawn
    // Every window was read at discovery: nothing to walk.
    if (running === 0) yield* Deferred.succeed(finished, undefined)
    // More walkers as the limiter learns a higher limit or a longer latency.
    yield* Effect.forkIn(
      Stream.runForEach(client.rateLimiter.changes, () =>
        Effect.flatMap(wanted, (now) => {
          target = now.walkers
          saturated = now.saturated
          return spawn
        })),
      scope
    )
    yield* Effect.forkIn(
      Effect.zipRight(
        Effect.forEach(prefetched, (page) => Queue.offer(queue, Take.of(page)), { discard: true }),
        Effect.flatMap(Deferred.await(finished).pipe(Effect.exit), (exit) =>
          Exit.isSuccess(exit)
            ? Effect.zipRight(walked, Queue.offer(queue, Take.end))
            : Queue.offer(queue, Take.failCause(exit.cause)))
      ),
      scope
    )
    return Stream.fromQueue(queue, { maxChunkSize: 1 }).pipe(
      Stream.flattenTake,
      Stream.map((fetched): PartitionedPage => {
        const items = plan.emit(fetched.window, fetched, timeOf)
        return {
          items,
          phase: "main",
          window: { since: fetched.window.since, until: fetched.window.until },
          state: plan.snapshot(),
          progress: progressOf(plan)
        }
      })
    )
  }))

/** The catch-up's list: everything updated since the walk began, in `update_time` order. */
const catchUpQuery = (plan: Plan, query: Query, limit: number): Persons.ListOptions => {
  const since = plan.state.catchUp.since
  return {
    ...query,
    updated_since: since === null ? undefined : rfc3339(since),
    sort_by: "update_time",
    sort_direction: "asc",
    limit
  }
}

/**
 * After the windows: the catch-up from the saved cursor, or from its first page (`first`: read as
 * soon as the walkers were done, while the consumer may still be writing the windows' pages).
 */
const catchUpPhase = (
  plan: Plan,
  query: Query,
  limit: number,
  start: { readonly cursor: string | undefined } | { readonly first: Effect.Effect<Pagination.CursorPage<Person>, PipedriveError> }
) => {
  const list = catchUpQuery(plan, query, limit)
  const pages = "first" in start
    ? Stream.flatMap(Stream.fromEffect(start.first), (page) =>
      Stream.concat(Stream.succeed(page), page.nextCursor === undefined ? Stream.empty : Persons.pages({ ...list, cursor: page.nextCursor })))
    : Persons.pages({ ...list, cursor: start.cursor })
  return pages.pipe(Stream.map((page): PartitionedPage => ({
    items: page.items,
    phase: "catch-up",
    state: {
      ...plan.snapshot(),
      phase: page.nextCursor === undefined ? "done" : "catch-up",
      catchUp: { since: plan.state.catchUp.since, cursor: page.nextCursor ?? null }
    },
    progress: progressOf(plan)
  })))
}

/**
 * Every person matching `options`, walked in `update_time` windows at once (as many as
 * `RateLimit.concurrency` says, capped by `concurrency`), then a catch-up of what changed meanwhile.
 *
 * - **Each person at least once; the catch-up has the latest.** A person not changed during the
 *   walk appears exactly once, in the main phase, at its version when its window was read. A person
 *   created or changed after its window was read is in the catch-up at its newer version, so it
 *   may appear twice (three times when changed between the reads of the two discovery pages: both
 *   hold it). Keep each id's first main-phase version and let the catch-up's replace it, or keep
 *   the last per id. A person deleted during the walk appears if its window was read before the
 *   deletion, else not; nothing in the walk says it was deleted.
 * - **Order**: pages come as they arrive; usually the two discovery pages first. Within a window
 *   persons come by `update_time` (ties by id), and `window` says which window a page belongs to,
 *   so a consumer that keeps windows apart can join them in time order (as `persons export` does).
 *   The catch-up comes last, by `update_time`. Sort by id afterwards if that order is needed.
 * - **Resume**: every element carries the `state` after it (what was emitted; pages fetched but not
 *   yet emitted are not in it). Pass it back as `resume` to continue: nothing lost, nothing twice.
 * - **Memory** stays flat: walkers wait while `buffer` pages are ahead of the consumer.
 */
export const streamPartitioned = (
  options: PartitionedOptions = {}
): Stream.Stream<PartitionedPage, PipedriveError, PipedriveClient.PipedriveClient> =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const client = yield* PipedriveClient.PipedriveClient
    const scope = yield* Effect.scope
    const limit = options.limit ?? 500
    const cap = Math.max(1, options.concurrency ?? Number.POSITIVE_INFINITY)
    const query = queryOf(options)
    const discovered = options.resume === undefined
      ? yield* discover(query, options.updated_since, limit, cap)
      : { state: options.resume, prefetched: [] }
    const start = discovered.state
    const plan = new Plan(start, limit)
    const prefetched = discovered.prefetched.flatMap((page) => plan.prefill(page.since, page.items, timeOf) ?? [])
    const wanted = Effect.map(client.rateLimiter.state, (state): Wanted => ({
      walkers: Math.min(cap, Math.max(RateLimit.concurrency(state), plan.unstarted())),
      saturated: state.waiting > 0
    }))
    if (start.phase !== "main") {
      const cursor = start.phase === "catch-up" ? start.catchUp.cursor ?? undefined : undefined
      return start.phase === "done" ? Stream.empty : catchUpPhase(plan, query, limit, { cursor })
    }
    // The catch-up's first page is asked for once the walkers are done, not once their pages are consumed.
    const first = yield* Deferred.make<Pagination.CursorPage<Person>, PipedriveError>()
    const walked = Effect.asVoid(Effect.forkIn(
      Effect.intoDeferred(Persons.list(catchUpQuery(plan, query, limit)).pipe(Effect.provideService(PipedriveClient.PipedriveClient, client)), first),
      scope
    ))
    return Stream.concat(
      mainPhase(plan, query, limit, Math.max(1, options.buffer ?? 8), wanted, prefetched, walked),
      catchUpPhase(plan, query, limit, { first: Deferred.await(first) })
    )
  }))
