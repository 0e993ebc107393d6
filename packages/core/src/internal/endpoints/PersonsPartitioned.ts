/**
 * Every person through API v2, walked in `update_time` windows at once, as many as the rate limit
 * keeps busy. Re-exported by `Persons`; use it from there.
 *
 * One cursor walk waits a whole latency (300-700 ms for a 500-person page) per page, which spends
 * about a sixth of a token's allowance. Cutting the `update_time` span into windows and walking
 * several at once uses all of it: `RateLimit.concurrency` says how many requests keep the limit
 * busy, and a walker that runs out of work halves the biggest remaining window (work stealing), so
 * all end together; a window is halved only while it seems to hold more than two pages. A window shrinks to one second at the least and is then walked to its end by
 * one walker: exact even when thousands of persons share a second (a bulk update).
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
import { Deferred, Effect, Exit, Queue, Stream, Take } from "effect"
import * as Persons from "./PersonsList.ts"
import * as PipedriveClient from "../../PipedriveClient.ts"
import type { PipedriveError } from "../../PipedriveError.ts"
import * as RateLimit from "../../RateLimit.ts"
import type { Person } from "../../schema/PersonV2.ts"
import { initial, type PartitionState, Plan, rfc3339, secondsOf, type Window } from "../Partition.ts"

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

/** The span, from two one-person pages: the least and the most recently updated. */
const discover = (query: Query, updatedSince: string | undefined, count: Effect.Effect<number>) =>
  Effect.gen(function*() {
    const ends = (direction: "asc" | "desc") =>
      Persons.list({ ...query, updated_since: updatedSince, sort_by: "update_time", sort_direction: direction, limit: 1 })
    const [first, last] = yield* Effect.all([ends("asc"), ends("desc")], { concurrency: 2 })
    const since = secondsOf(first.items[0]?.update_time)
    const until = secondsOf(last.items[0]?.update_time)
    const lower = secondsOf(updatedSince)
    if (since === undefined || until === undefined || until < since) {
      return initial({ since: lower ?? 0, until: lower ?? 0 }, lower ?? null, 1)
    }
    // The latest update time is "now" on the server's clock: the catch-up starts there.
    return initial({ since, until: until + 1 }, until, yield* count)
  })

const progressOf = (plan: Plan): Progress => {
  const { since, until } = plan.state.span
  const covered = plan.covered()
  return {
    emitted: plan.emitted,
    estimatedTotal: covered <= 0 ? undefined : Math.max(plan.emitted, Math.round((plan.emitted * (until - since)) / covered))
  }
}

interface Fetched {
  readonly window: Window
  readonly items: ReadonlyArray<Person>
  readonly nextCursor: string | undefined
  readonly final: boolean
}

/** The windows, walked by a pool of walkers that grows with the limiter's `concurrency`. */
const mainPhase = (plan: Plan, query: Query, limit: number, buffer: number, wanted: Effect.Effect<number>) =>
  Stream.unwrapScoped(Effect.gen(function*() {
    const client = yield* PipedriveClient.PipedriveClient
    const scope = yield* Effect.scope
    const queue = yield* Queue.bounded<Take.Take<Fetched, PipedriveError>>(buffer)
    const finished = yield* Deferred.make<void, PipedriveError>()
    let running = 0
    let target = yield* wanted

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
    const walker = Effect.gen(function*() {
      while (true) {
        const window = plan.assign()
        if (window === undefined) return
        yield* walk(window)
        if (running > target) return
      }
    })
    const spawn: Effect.Effect<void> = Effect.suspend(() => {
      if (running >= target || !plan.hasWork()) return Effect.void
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
    // More walkers as the limiter learns a higher limit or a longer latency.
    yield* Effect.forkIn(
      Stream.runForEach(client.rateLimiter.changes, () =>
        Effect.flatMap(wanted, (n) => {
          target = n
          return spawn
        })),
      scope
    )
    yield* Effect.forkIn(
      Effect.flatMap(Deferred.await(finished).pipe(Effect.exit), (exit) =>
        Queue.offer(queue, Exit.isSuccess(exit) ? Take.end : Take.failCause(exit.cause))),
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

/** After the windows: everything updated since discovery, in `update_time` order, from the saved cursor. */
const catchUpPhase = (plan: Plan, query: Query, limit: number, cursor: string | undefined) => {
  const since = plan.state.catchUp.since
  return Persons.pages({
    ...query,
    updated_since: since === null ? undefined : rfc3339(since),
    sort_by: "update_time",
    sort_direction: "asc",
    limit,
    cursor
  }).pipe(Stream.map((page): PartitionedPage => ({
    items: page.items,
    phase: "catch-up",
    state: {
      ...plan.snapshot(),
      phase: page.nextCursor === undefined ? "done" : "catch-up",
      catchUp: { since, cursor: page.nextCursor ?? null }
    },
    progress: progressOf(plan)
  })))
}

/**
 * Every person matching `options`, walked in `update_time` windows at once (as many as
 * `RateLimit.concurrency` says, capped by `concurrency`), then a catch-up of what changed meanwhile.
 *
 * - **Each person at least once.** In the main phase each person appears exactly once, at its
 *   version when its window was walked. Persons created or updated during the walk move past the
 *   span's end; the catch-up phase lists everything updated since the walk began (by the server's
 *   clock), so a person updated during the walk may appear again there with its newer version: keep
 *   the last per id. A person deleted during the walk appears if its window was walked before the
 *   deletion, else not.
 * - **Order**: pages come as they arrive. Within a window persons come by `update_time` (ties by
 *   id); windows interleave. The catch-up comes last, by `update_time`.
 * - **Resume**: every element carries the `state` after it (what was emitted; pages fetched but not
 *   yet emitted are not in it). Pass it back as `resume` to continue: nothing lost, nothing twice.
 * - **Memory** stays flat: walkers wait while `buffer` pages are ahead of the consumer.
 */
export const streamPartitioned = (
  options: PartitionedOptions = {}
): Stream.Stream<PartitionedPage, PipedriveError, PipedriveClient.PipedriveClient> =>
  Stream.unwrap(Effect.gen(function*() {
    const client = yield* PipedriveClient.PipedriveClient
    const limit = options.limit ?? 500
    const cap = Math.max(1, options.concurrency ?? Number.POSITIVE_INFINITY)
    const wanted = Effect.map(client.rateLimiter.state, (state) => Math.min(cap, RateLimit.concurrency(state)))
    const query = queryOf(options)
    const start = options.resume ?? (yield* discover(query, options.updated_since, wanted))
    const plan = new Plan(start, limit)
    const main = start.phase === "main" ? mainPhase(plan, query, limit, Math.max(1, options.buffer ?? 8), wanted) : Stream.empty
    const catchUp = start.phase === "done"
      ? Stream.empty
      : Stream.suspend(() => catchUpPhase(plan, query, limit, start.phase === "catch-up" ? start.catchUp.cursor ?? undefined : undefined))
    return Stream.concat(main, catchUp)
  }))
