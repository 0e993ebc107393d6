/**
 * Pagination is one idea in two shapes. Pipedrive pages either by cursor (API v2, and the v1
 * collection and changelog endpoints: `additional_data.next_cursor`) or by offset (API v1:
 * `additional_data.pagination.next_start`). Both become a `Stream` of pages pulled on demand (one
 * page is fetched ahead, so the server works on the next page while the caller handles this one,
 * and no more, so at most two pages are held),
 * so memory stays flat however many items there are, and every page says where it came from and
 * where the next one starts, so a caller can checkpoint after a page and resume from there later.
 *
 * @example
 * ```ts
 * import { Persons } from "@pipedrive-effect/core"
 * import { Effect, Stream } from "effect"
 *
 * // Save `page.nextCursor` after each page; pass it back as `cursor` to resume.
 * const walk = (cursor?: string) =>
 *   Persons.pages({ limit: 500, cursor }).pipe(
 *     Stream.runForEach((page) => Effect.log(`${page.items.length} persons, next: ${page.nextCursor}`))
 *   )
 * ```
 *
 * @module
 */
import * as Chunk from "effect/Chunk"
import * as Deferred from "effect/Deferred"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"

/** One page of a cursor-paginated list. */
export interface CursorPage<A> {
  readonly items: ReadonlyArray<A>
  /** The cursor this page was fetched with (`undefined` for the first page). */
  readonly cursor: string | undefined
  /** The cursor of the next page; `undefined` on the last page. Save it to resume after this page. */
  readonly nextCursor: string | undefined
}

/** One page of an offset-paginated list. */
export interface OffsetPage<A> {
  readonly items: ReadonlyArray<A>
  /** The offset this page was fetched with. */
  readonly start: number
  /** The offset of the next page; `undefined` on the last page. Save it to resume after this page. */
  readonly nextStart: number | undefined
}

/** The pages of a cursor-paginated list, fetched in order, one ahead of the consumer. */
export const cursorPages = <P extends CursorPage<unknown>, E, R>(
  fetch: (cursor: string | undefined) => Effect.Effect<P, E, R>,
  cursor?: string | undefined
): Stream.Stream<P, E, R> =>
  oneAhead(cursor, fetch, (page) =>
    page.nextCursor === undefined || page.nextCursor === "" ? Option.none() : Option.some(page.nextCursor))

/** The pages of an offset-paginated list, fetched in order, one ahead of the consumer. */
export const offsetPages = <P extends OffsetPage<unknown>, E, R>(
  fetch: (start: number) => Effect.Effect<P, E, R>,
  start = 0
): Stream.Stream<P, E, R> => oneAhead(start, fetch, (page) => Option.fromNullable(page.nextStart))

/**
 * Pages from `first` on, the next one fetched while the consumer handles this one, and no more: at
 * most two pages are alive at a time (`Stream.buffer({ capacity: 1 })` kept three: one in its
 * queue and one more fetched and waiting to be queued). A page that lives through more garbage
 * collections is promoted to the old generation and costs more to collect, and the process's
 * memory grows with the pages held.
 */
const oneAhead = <S, P, E, R>(
  first: S,
  fetch: (state: S) => Effect.Effect<P, E, R>,
  next: (page: P) => Option.Option<S>
): Stream.Stream<P, E, R> =>
  Stream.unwrapScoped(Effect.map(Effect.scope, (scope) => {
    // The next page's request, in a fiber of the stream's scope (a stream ended early stops it). The
    // page is handed over in a box the consumer empties, not as the fiber's exit or a Deferred's
    // value: Effect's scheduler keeps each fiber it ran in a WeakMap whose entry leads back to the
    // fiber, which V8's young-generation collections do not see through, so a finished fiber, and
    // what it still references, lives until a full collection. A page held that way is copied to
    // the old generation (bench/PROFILE-notes.md, "Pages promoted").
    const ahead = (page: P) =>
      Option.match(next(page), {
        onNone: () => Effect.succeed([Chunk.of(page), Option.none<Ahead<P, E>>()] as const),
        // The Deferred made as `Deferred.make` makes it (for this fiber), and the exit handed over
        // in one `matchCauseEffect`: five Effect operations a page fewer than `make` and `exit`.
        onSome: (state) =>
          Effect.withFiberRuntime<readonly [Chunk.Chunk<P>, Option.Option<Ahead<P, E>>], never, R>((fiber) => {
            const done = Deferred.unsafeMake<void>(fiber.id())
            const box: Ahead<P, E> = { done, exit: undefined }
            const handOver = (exit: Exit.Exit<P, E>) => {
              box.exit = exit
              return Deferred.succeed(done, undefined)
            }
            const run = Effect.matchCauseEffect(fetch(state), {
              onFailure: (cause) => handOver(Exit.failCause(cause)),
              onSuccess: (page) => handOver(Exit.succeed(page))
            })
            return Effect.as(Effect.forkIn(run, scope), [Chunk.of(page), Option.some(box)] as const)
          })
      })
    const take = (box: Ahead<P, E>) =>
      Effect.flatMap(Deferred.await(box.done), () => {
        const exit = box.exit
        box.exit = undefined
        return exit === undefined ? Effect.interrupt : exit
      })
    return Stream.paginateChunkEffect<Ahead<P, E> | undefined, P, E, R>(
      undefined,
      (fetching) => Effect.flatMap(fetching === undefined ? fetch(first) : take(fetching), ahead)
    )
  }))

interface Ahead<P, E> {
  readonly done: Deferred.Deferred<void>
  exit: Exit.Exit<P, E> | undefined
}

/**
 * A cursor page from a list body: its items (`data: null` is none), the cursor it was fetched with
 * and the next one (`additional_data.next_cursor`; `null` or absent on the last page).
 */
export const cursorPage = <A>(
  body: {
    readonly data?: ReadonlyArray<A> | null | undefined
    readonly additional_data?: { readonly next_cursor?: string | null | undefined } | null | undefined
  },
  cursor: string | undefined
): CursorPage<A> => ({ items: body.data ?? [], cursor, nextCursor: body.additional_data?.next_cursor ?? undefined })

/** The items of a stream of pages, in order. */
export const items = <A, E, R>(
  pages: Stream.Stream<{ readonly items: ReadonlyArray<A> }, E, R>
): Stream.Stream<A, E, R> => Stream.mapConcat(pages, (page) => page.items)

/**
 * Pipedrive's v1 offset pagination, read tolerantly: under `additional_data.pagination` (as
 * documented) or directly under `additional_data` (as some endpoints send it). The next offset is
 * `next_start`, or `start + items` when more items are announced without one.
 */
export const nextStart = (
  additionalData:
    | {
      readonly pagination?: OffsetInfo | null | undefined
    } & OffsetInfo
    | null
    | undefined,
  start: number,
  count: number
): number | undefined => {
  const info = additionalData?.pagination ?? additionalData
  if (info === null || info === undefined || info.more_items_in_collection !== true) return undefined
  const next = info.next_start ?? (info.start ?? start) + count
  // A server that does not move forward would loop forever; stop instead.
  return next > start ? next : undefined
}

/** An offset page from a v1 list body: its items (`data: null` is none), this offset and the next. */
export const offsetPage = <A>(
  body: {
    readonly data?: ReadonlyArray<A> | null | undefined
    readonly additional_data?: Parameters<typeof nextStart>[0]
  },
  start: number
): OffsetPage<A> => {
  const items = body.data ?? []
  return { items, start, nextStart: nextStart(body.additional_data, start, items.length) }
}

/** The offset fields Pipedrive v1 sends. */
export interface OffsetInfo {
  readonly start?: number | null | undefined
  readonly limit?: number | null | undefined
  readonly more_items_in_collection?: boolean | null | undefined
  readonly next_start?: number | null | undefined
}
