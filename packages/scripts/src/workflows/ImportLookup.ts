/**
 * How `persons import` finds the person of a row, and how it settles a write whose answer was lost,
 * without ever trusting Pipedrive's search index for absence:
 *
 * - **walk**: every person of the account read once (v2 list, 500 a page, 10 tokens a page), indexed
 *   by the rows' match keys (`Keys`, the normalisation dedupe uses). Lists read the database, so the
 *   index is the truth: a key it lacks has no person, and an update needs no get first.
 * - **search**: per row a v2 search by email (20 tokens, and search's own limit of 10 requests per
 *   2 s). A hit is a hint, confirmed by a get; a miss is not proof of absence (a person created or
 *   changed within the index's lag is missing from it), so the persons changed recently are read
 *   too, with one consistent list (`updated_since` = the run's start in server time less a lag
 *   bound, `sort_by=update_time`) shared by all rows; a key found there is found.
 * - `auto` chooses by cost: the walk's pages are estimated from the highest person id (an upper
 *   bound on the count, read with one list request of one person), and compared with 20 tokens a row
 *   (`choose`); a search under way walks after all once it would cost more (`keepSearching`, a ski
 *   rental; `ImportFinder` keeps the account).
 *
 * A create whose answer was lost (`AmbiguousWrite`, or a 2xx that could not be read) is settled by
 * `Doubts`: after a settle time, ONE list of the persons updated since the earliest intent in doubt
 * (`updated_since`, `sort_by=update_time`, walked to its end) answers every row waiting, by key.
 */
import { Persons, PipedriveClient, type PipedriveError, RateLimit } from "@pipedrive-effect/core"
import { Deferred, Effect, Queue, type Scope, Stream } from "effect"
import * as Keys from "../records/Keys.ts"
import * as Gate from "./Gate.ts"

/** How rows are looked up: chosen by cost (`auto`), or forced. */
export type Lookup = "auto" | "walk" | "search"

/** Token costs of the operations the cost choice weighs (Pipedrive's table, as the limiter counts them). */
export const cost = {
  page: RateLimit.tokenCost("getPersons", "/api/v2/persons"),
  search: RateLimit.tokenCost("searchPersons", "/api/v2/persons/search"),
  get: RateLimit.tokenCost("getPerson", "/api/v2/persons/{id}")
} as const

/** Persons a v2 list page holds at most. */
export const pageSize = 500

/** The server's clock, as its `Date` header told it, and where the account's ids end. */
export interface ServerClock {
  /** Server time minus local time, in milliseconds (whole seconds: `Date` has no finer grain). */
  readonly skewMillis: number
  /** The highest person id (0 for an empty account): an upper bound on the count. */
  readonly maxId: number
}

/**
 * One `GET /api/v2/persons?sort_by=id&sort_direction=desc&limit=1` for two things at once: the
 * highest id, and the server's clock (the limiter reads the answer's `Date` header; without one the
 * local clock is taken as the server's).
 */
export const probe: Effect.Effect<ServerClock, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient> = Effect.gen(
  function*() {
    const page = yield* Persons.list({ sort_by: "id", sort_direction: "desc", limit: 1 })
    const state = yield* (yield* PipedriveClient.PipedriveClient).rateLimiter.state
    return { skewMillis: state.serverSkewMillis ?? 0, maxId: page.items[0]?.id ?? 0 }
  }
)

/** The server's time now, floored to whole seconds, less one second: safe as an inclusive `updated_since`. */
export const serverSince = (clock: ServerClock, at: number = Date.now()): string =>
  rfc3339(Math.floor((at + clock.skewMillis) / 1000) * 1000 - 1000)

export const rfc3339 = (millis: number): string => new Date(millis).toISOString().replace(/\.\d{3}Z$/, "Z")

const thousands = (n: number) => n.toLocaleString("en-US")

/** What `choose` decided, and why, in words for the summary. */
export interface Choice {
  readonly mode: "walk" | "search"
  readonly reason: string
}

/** Pages a walk of an account whose ids end at `maxId` reads at most (ids are never reused: the count is at most the highest id). */
export const walkPages = (maxId: number): number => Math.max(1, Math.ceil(maxId / pageSize))

/** What a walk of an account whose ids end at `maxId` costs at most, in tokens. */
export const walkTokens = (maxId: number): number => walkPages(maxId) * cost.page

/**
 * The ski rental's rule, asked before each search (and each page of the recent-changes list):
 * go on searching while what the search has spent, plus the `keysLeft` at `perKey` tokens each
 * (the rate seen so far, at least a search's 20), stays below what the walk costs. Past that,
 * the walk is cheaper for the rest, and the searches already spent are at most the walk's cost:
 * the run spends at most about twice what the cheaper choice would have, whatever the searches
 * turned out to cost.
 *
 * @example
 * ```ts
 * import * as ImportLookup from "./ImportLookup.ts"
 *
 * ImportLookup.keepSearching(0, 10, 20, 4000)     // true: 200 tokens of searches < a 4,000-token walk
 * ImportLookup.keepSearching(3900, 10, 26, 4000) // false: 3,900 + 260 ≥ 4,000, walk the rest
 * ```
 */
export const keepSearching = (spent: number, keysLeft: number, perKey: number, walk: number): boolean =>
  spent + keysLeft * perKey < walk

/** The lookup for `rows` keyed rows on an account whose ids end at `maxId`: the cheaper in tokens, unless forced. */
export const choose = (lookup: Lookup, rows: number, maxId: number): Choice => {
  const pages = walkPages(maxId)
  const walk = walkTokens(maxId)
  const search = rows * cost.search
  const walkText = `${thousands(pages)} page${pages === 1 ? "" : "s"} ≈ ${thousands(walk)} tokens`
  const searchText = `${thousands(rows)} row${rows === 1 ? "" : "s"} × ${cost.search}`
  if (lookup === "walk") return { mode: "walk", reason: `forced by --lookup walk (${walkText}; searching: ${searchText})` }
  if (lookup === "search") return { mode: "search", reason: `forced by --lookup search (${searchText}; walking: ${walkText})` }
  return !keepSearching(0, rows, cost.search, walk)
    ? { mode: "walk", reason: `${walkText} ≤ ${searchText}` }
    : { mode: "search", reason: `${searchText} = ${thousands(search)} tokens < ${walkText}` }
}

/** Persons by match key, each with its values as last read or written. */
export class PersonIndex {
  private readonly byKey = new Map<string, Map<number, Persons.Person>>()
  private readonly keyOfId = new Map<number, string>()
  /** `keys`: only persons with one of these keys are kept (the rows' keys); all when undefined. */
  constructor(private readonly keys?: ReadonlySet<string>) {}

  /** Holds `person` under its current key (moved when its key changed; dropped when deleted). */
  put(person: Persons.Person): void {
    const before = this.keyOfId.get(person.id)
    if (before !== undefined) {
      this.byKey.get(before)?.delete(person.id)
      this.keyOfId.delete(person.id)
    }
    if (person.is_deleted === true) return
    const key = Keys.keyOf("email", person)
    if (key === undefined || (this.keys !== undefined && !this.keys.has(key))) return
    const persons = this.byKey.get(key) ?? new Map<number, Persons.Person>()
    persons.set(person.id, person)
    this.byKey.set(key, persons)
    this.keyOfId.set(person.id, key)
  }

  /** The persons whose primary email is `key`, by ascending id. */
  get(key: string): ReadonlyArray<Persons.Person> {
    return [...(this.byKey.get(key)?.values() ?? [])].sort((a, b) => a.id - b.id)
  }
}

/** Every person of `options`' list, walked to its end, into `index`. */
export const walkInto = (
  index: PersonIndex,
  options: Persons.ListOptions
): Effect.Effect<number, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient> =>
  Stream.runFold(Persons.pages({ ...options, limit: pageSize }), 0, (pages, page) => {
    for (const person of page.items) index.put(person)
    return pages + 1
  })

/**
 * The whole account into `index`, walked in time windows at once as the rate limit allows
 * (`Persons.streamPartitioned`, as `persons export` walks it); a person met again in the walk's
 * catch-up replaces its earlier version (`put`). Returns the pages read.
 *
 * Every window ends in a page of its own, 10 tokens like a full one: with the account's size
 * estimated (`maxId`), the windows are capped at one per `pagesPerWindow` pages, so a small account
 * is not walked in more pages than it has.
 */
export const walkAccountInto = (
  index: PersonIndex,
  maxId: number
): Effect.Effect<number, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient> =>
  Stream.runFold(Persons.streamPartitioned({ limit: pageSize, concurrency: windowsFor(maxId) }), 0, (pages, page) => {
    for (const person of page.items) index.put(person)
    return pages + 1
  })

/** Pages a window of the account walk should have at least, so its last partial page costs little. */
export const pagesPerWindow = 4

/**
 * The most windows for an account whose ids end at `maxId`: one per `pagesPerWindow` pages, and at
 * least two, as the walk's first step reads both ends of the account at once (one walker would read
 * them one after the other, a latency later).
 */
export const windowsFor = (maxId: number): number => Math.max(2, Math.floor(Math.ceil(maxId / pageSize) / pagesPerWindow))

/** A row's create in doubt: its key and when its intent was journaled (server time, `updated_since` form). */
interface Doubt {
  readonly key: string
  readonly since: string
  readonly answer: Deferred.Deferred<ReadonlyArray<Persons.Person>, PipedriveError.PipedriveError>
}

/** Settles lost creates in rounds: each round one consistent list answers every row waiting. */
export interface Doubts {
  /** The persons whose primary email is `key` now, by a list of those updated since `since` (after the settle time). */
  readonly check: (key: string, since: string) => Effect.Effect<ReadonlyArray<Persons.Person>, PipedriveError.PipedriveError>
  /** Lists read so far (each one walk to its end). */
  readonly rounds: () => number
}

/**
 * The round keeper: a row in doubt waits; a round starts with the first, waits `settleMillis`
 * (lists have no documented read-after-write guarantee), takes every row waiting by then, walks
 * `GET /api/v2/persons?updated_since=<earliest>&sort_by=update_time` to its end once, and answers
 * each by its key. Rows arriving during a round wait for the next.
 */
export const doubts = (
  settleMillis: number
): Effect.Effect<Doubts, never, PipedriveClient.PipedriveClient | Scope.Scope> =>
  Effect.gen(function*() {
    const queue = yield* Queue.unbounded<Doubt>()
    let rounds = 0
    const round = Effect.gen(function*() {
      const first = yield* Queue.take(queue)
      if (settleMillis > 0) yield* Effect.sleep(settleMillis)
      const all = [first, ...(yield* Queue.takeAll(queue))]
      const since = all.map((doubt) => doubt.since).sort()[0]!
      const index = new PersonIndex(new Set(all.map((doubt) => doubt.key)))
      rounds++
      const walked = yield* Effect.either(walkInto(index, { updated_since: since, sort_by: "update_time" }))
      for (const doubt of all) {
        yield* Deferred.complete(
          doubt.answer,
          walked._tag === "Left" ? Effect.fail(walked.left) : Effect.succeed(index.get(doubt.key))
        )
      }
    })
    yield* Effect.forkScoped(Effect.forever(round))
    return {
      check: (key, since) =>
        Effect.flatMap(Deferred.make<ReadonlyArray<Persons.Person>, PipedriveError.PipedriveError>(), (answer) =>
          Effect.zipRight(Queue.offer(queue, { key, since, answer }), Deferred.await(answer))),
      rounds: () => rounds
    }
  })

/**
 * Rows in flight: as many as the client's limiter allows requests per window (its `general.limit`,
 * re-read as it learns the real one from the headers), at most `cap`. A row past that waits here;
 * requests past what the limiter allows at the moment wait in its queue.
 */
export const rowGate = (
  cap: number | undefined
): Effect.Effect<Gate.Gate, never, PipedriveClient.PipedriveClient | Scope.Scope> =>
  Effect.gen(function*() {
    const client = yield* PipedriveClient.PipedriveClient
    const permitsOf = (limit: number | undefined) => Math.max(1, Math.min(cap ?? Number.POSITIVE_INFINITY, limit ?? fallbackLimit))
    let permits = permitsOf((yield* client.rateLimiter.state).general.limit)
    // Not Effect's Semaphore: it wakes every waiting row each time a permit frees (see `Gate`).
    const gate = Gate.make(permits)
    if (cap === undefined) {
      yield* Effect.forkScoped(Stream.runForEach(client.rateLimiter.changes, (state) => {
        const next = permitsOf(state.general.limit)
        if (next === permits) return Effect.void
        permits = next
        return gate.resize(next)
      }))
    }
    return gate
  })

/** Rows in flight when the limiter knows no limit (a server that sends none): the lowest plan's. */
const fallbackLimit = 20
