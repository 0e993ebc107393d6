/**
 * How `persons import` finds the persons of a row's key, and when it changes its mind about how.
 *
 * - `--match id`: a get by the row's id.
 * - `--match email`, walked: the account's persons in an index (`ImportLookup.PersonIndex`). A list
 *   reads the database, so the index is the truth: a key it lacks has no person.
 * - `--match email`, searched: per key a v2 search, whose hits are hints confirmed by a get, beside
 *   one consistent list of the persons changed recently (search misses them).
 *
 * `auto` starts with the cheaper of the two by the up-front estimate (`ImportLookup.choose`), and
 * when it starts searching it keeps a ski rental's account: the tokens the search plan has spent
 * (the recent list's pages, the searches, the gets), plus the keys left at the rate seen so far,
 * must stay below the walk's estimated cost. Once they would not, the rest is walked: the search
 * never costs more than the walk it avoided, plus that walk. A key already answered is answered
 * from memory, so each key costs one lookup.
 */
import { Persons, type PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import { Deferred, Effect, Option, type Scope, Stream } from "effect"
import { emailKey } from "../records/Keys.ts"
import * as ImportLookup from "./ImportLookup.ts"
import * as ImportPlan from "./ImportPlan.ts"

/** How the rows were looked up, and why (the summary's `lookup` line). */
export interface LookupUsed {
  /** How the last rows were looked up: `walk` also after a switch from search. */
  readonly mode: "walk" | "search" | "id"
  readonly reason: string
  /** Keys looked up by search (all of them with `search`; those before the switch when it walked later). */
  readonly searched: number
}

/** Finds the persons of a key, with their current values (read by a list or a get: an update needs no get first). */
export interface Finder {
  readonly find: (key: string) => Effect.Effect<ReadonlyArray<Persons.Person>, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient>
  /** A person as this run wrote it (or found it), so later rows of its key find it as it is now. */
  readonly remember: (person: Persons.Person) => void
  /** How rows were looked up so far. */
  readonly lookup: () => LookupUsed
}

/** The person with `id`, unless there is none or it is deleted. */
export const findById = (id: number): Effect.Effect<Option.Option<Persons.Person>, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient> =>
  Persons.get(id).pipe(
    Effect.map((person) => (person.is_deleted === true ? Option.none() : Option.some(person))),
    Effect.catchTag("NotFound", () => Effect.succeed(Option.none()))
  )

/** `--match id`: a get by the row's id. */
export const idFinder: Finder = {
  find: (key) => Effect.map(findById(Number(key)), Option.toArray),
  remember: () => {},
  lookup: () => ({ mode: "id", reason: "by the row's id (a get per row)", searched: 0 })
}

/** The walked index as a finder: a key it lacks has no person. */
const walkFinder = (index: ImportLookup.PersonIndex, lookup: LookupUsed): Finder => ({
  find: (key) => Effect.succeed(index.get(key)),
  remember: (person) => index.put(person),
  lookup: () => lookup
})

/**
 * One key by search: the hits whose listed emails include the key (every page of them: the key may
 * be another email of more persons than a page holds, and the one whose primary it is may come
 * last), and the persons of the key among those changed recently (`recent`), each read by a get;
 * only those whose PRIMARY email is the key count. Returns them and the tokens spent past the
 * first search (further pages, gets).
 */
const searchKey = (recent: ImportLookup.PersonIndex, key: string) =>
  Effect.gen(function*() {
    const hinted: Array<number> = []
    const pages = yield* Stream.runFold(
      Persons.searchPages({ term: key, fields: ["email"], exact_match: true, limit: ImportLookup.pageSize }),
      0,
      (pages, page) => {
        for (const hit of page.items) {
          if (hit.item.emails == null || hit.item.emails.some((email) => emailKey(email) === key)) hinted.push(hit.item.id)
        }
        return pages + 1
      }
    )
    const ids = [...new Set([...hinted, ...recent.get(key).map((person) => person.id)])]
    const persons = yield* Effect.forEach(ids, findById, { concurrency: 2 })
    const found = persons.flatMap((person) => Option.toArray(person)).filter((person) => ImportPlan.isEmailMatch(key, person))
    return { found, extra: (pages - 1) * ImportLookup.cost.search + ids.length * ImportLookup.cost.get }
  })

/** What the finder of a run is built from. */
export interface Setup {
  readonly match: ImportPlan.Match
  readonly lookup: ImportLookup.Lookup
  /** The rows' keys (each is looked up once). */
  readonly keys: ReadonlySet<string>
  readonly clock: ImportLookup.ServerClock
  /** `updated_since` of the recent-changes list that goes beside search (server time). */
  readonly recentSince: string
}

/** The finder of a run: by id; or by email, walked or searched as `lookup` says (`auto`: see the module's description). */
export const make = (
  setup: Setup
): Effect.Effect<Finder, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient | Scope.Scope> =>
  Effect.gen(function*() {
    if (setup.match === "id") return idFinder
    const choice = ImportLookup.choose(setup.lookup, setup.keys.size, setup.clock.maxId)
    if (choice.mode === "walk") return yield* walked(setup, { mode: "walk", reason: choice.reason, searched: 0 })
    return yield* searching(setup, choice.reason)
  })

/** The account walked into an index of the rows' keys, as a finder. */
const walked = (setup: Setup, lookup: LookupUsed) =>
  Effect.gen(function*() {
    const index = new ImportLookup.PersonIndex(setup.keys)
    yield* ImportLookup.walkAccountInto(index, setup.clock.maxId)
    return walkFinder(index, lookup)
  })

const thousands = (n: number) => Math.round(n).toLocaleString("en-US")
const plural = (n: number, noun: string) => `${thousands(n)} ${noun}${n === 1 ? "" : "s"}`

/**
 * Search beside the recent-changes list; unless forced, a ski rental (`ImportLookup.keepSearching`)
 * decides before the list's every page and before every key's search whether to walk instead.
 */
const searching = (setup: Setup, firstReason: string) =>
  Effect.gen(function*() {
    const forced = setup.lookup === "search"
    const walkTokens = ImportLookup.walkTokens(setup.clock.maxId)
    const walkText = `the walk's ≈ ${thousands(walkTokens)} tokens`
    const recent = new ImportLookup.PersonIndex(setup.keys)
    let listTokens = 0
    let listDone = true
    yield* Stream.runDrain(
      Persons.pages({ updated_since: setup.recentSince, sort_by: "update_time", limit: ImportLookup.pageSize }).pipe(
        Stream.takeUntil((page) => {
          listTokens += ImportLookup.cost.page
          for (const person of page.items) recent.put(person)
          const over = !forced && !ImportLookup.keepSearching(listTokens, setup.keys.size, ImportLookup.cost.search, walkTokens)
          if (over && page.nextCursor !== undefined) listDone = false
          return over
        })
      )
    )
    if (!listDone) {
      return yield* walked(setup, {
        mode: "walk",
        reason: `first choice search (${firstReason}), but the persons changed since ${setup.recentSince} took ${
          plural(listTokens / ImportLookup.cost.page, "page")
        } and more: with ${thousands(setup.keys.size)} searches that is more than ${walkText}, so it walked`,
        searched: 0
      })
    }

    let spent = listTokens
    let searched = 0
    let keysLeft = setup.keys.size
    // Keys searched, and those answered (their persons, then as this run wrote them, in `known`).
    const asked = new Set<string>()
    const answered = new Set<string>()
    const known = new ImportLookup.PersonIndex(setup.keys)
    let index: ImportLookup.PersonIndex | undefined
    let switchReason: string | undefined
    // The walk, once, for every row that comes after the switch, in a fiber of the run's own: a row
    // waits for it inside its uninterruptible part, where the walk's fibers could not be stopped.
    // What it reads of the keys answered before is never used (the walk may have read a person
    // before a row's write): those keys are answered from `known`, where each write is remembered.
    const switched = yield* Deferred.make<void>()
    const walk = yield* Deferred.make<ImportLookup.PersonIndex, PipedriveError.PipedriveError>()
    const walkOnce = Effect.gen(function*() {
      const walkedIndex = new ImportLookup.PersonIndex(setup.keys)
      yield* ImportLookup.walkAccountInto(walkedIndex, setup.clock.maxId)
      index = walkedIndex
      return walkedIndex
    })
    yield* Effect.forkScoped(
      Deferred.await(switched).pipe(Effect.zipRight(Effect.exit(walkOnce)), Effect.flatMap((exit) => Deferred.done(walk, exit)))
    )
    const perKey = () => (searched === 0 ? ImportLookup.cost.search : Math.max(ImportLookup.cost.search, (spent - listTokens) / searched))
    const finder: Finder = {
      find: (key) =>
        Effect.suspend(() => {
          if (answered.has(key)) return Effect.succeed(known.get(key))
          if (index !== undefined) return Effect.succeed(index.get(key))
          if (switchReason === undefined && !forced && !ImportLookup.keepSearching(spent, keysLeft, perKey(), walkTokens)) {
            switchReason = `first choice search (${firstReason}); after ${thousands(searched)} of ${
              thousands(setup.keys.size)
            } rows searched it had spent ${thousands(spent)} tokens, and the ${thousands(keysLeft)} left at ${
              perKey().toFixed(1)
            } each would bring it past ${walkText}, so it walked for the rest`
          }
          if (switchReason !== undefined) {
            return Effect.zipRight(
              Deferred.succeed(switched, undefined),
              Effect.map(Deferred.await(walk), (walkedIndex) => walkedIndex.get(key))
            )
          }
          if (!asked.has(key)) {
            asked.add(key)
            keysLeft--
            searched++
          }
          spent += ImportLookup.cost.search
          return Effect.map(searchKey(recent, key), ({ extra, found }) => {
            spent += extra
            for (const person of found) known.put(person)
            answered.add(key)
            return found
          })
        }),
      remember: (person) => {
        known.put(person)
        index?.put(person)
      },
      lookup: () =>
        switchReason === undefined
          ? { mode: "search", reason: firstReason, searched }
          : { mode: "walk", reason: switchReason, searched }
    }
    return finder
  })
