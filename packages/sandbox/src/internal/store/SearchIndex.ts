/**
 * What search reads: the persons as Pipedrive's search index sees them. Pipedrive updates that index
 * asynchronously, so for seconds to minutes after a write search misses new persons, finds changed
 * ones by their old values and still finds deleted ones; lists and gets read the database and are
 * current. With a lag of `lagMillis` this index answers from the data as it was that long ago; with
 * none it is the store itself.
 *
 * It listens to the store's changes, stamping each with the `Clock`'s time, and keeps those of the
 * last `lagMillis` ms: an id with recent changes is seen as the `before` of its earliest one (none
 * for a person created in the window), every other id as the store has it now. Older changes are
 * forgotten as time passes, so the view moves on without any change to the store: `refresh` says
 * which view is current, for caches of search results to key on.
 */
import type { Clock } from "effect"
import type { Person } from "./Person.ts"
import type { Service as Store } from "../../PersonStore.ts"

/** The persons search sees. */
export interface SearchIndex {
  /**
   * Forgets what fell out of the lag window by now and names the view: two calls return the same
   * key exactly when they would see the same persons.
   */
  readonly refresh: () => string
  /** The person with this id as search sees it, if it sees one. */
  readonly get: (id: number) => Person | undefined
  /** Every person search sees (of an organization, when given), in no particular order. */
  readonly persons: (orgId?: number) => Iterable<Person>
}

/** The index of a store, `lagMillis` ms behind it (on `clock`); the store itself for a lag of 0. */
export const make = (store: Store, options: { readonly lagMillis: number; readonly clock: Clock.Clock }): SearchIndex =>
  options.lagMillis > 0 ? lagging(store, options.lagMillis, options.clock) : current(store)

const currentGet = (store: Store, id: number): Person | undefined =>
  store.scan({ order: "id", direction: "asc", filter: { ids: [id] } }).next().value ?? undefined

const scanOf = (store: Store, orgId: number | undefined) =>
  store.scan({ order: "id", direction: "asc", ...(orgId === undefined ? {} : { filter: { orgId } }) })

/** The store itself, as search sees it without a lag. */
export const current = (store: Store): SearchIndex => ({
  refresh: () => String(store.version()),
  get: (id) => currentGet(store, id),
  persons: (orgId) => ({ [Symbol.iterator]: () => scanOf(store, orgId) })
})

interface Entry {
  readonly time: number
  readonly id: number
  readonly before: Person | undefined
}

const lagging = (store: Store, lagMillis: number, clock: Clock.Clock): SearchIndex => {
  // Changes in arrival order, from `head` on those still inside the window.
  let queue: Array<Entry> = []
  let head = 0
  let forgotten = 0
  // Per id, its changes still inside the window, oldest first.
  const recent = new Map<number, Array<Entry>>()

  const forget = (now: number) => {
    while (head < queue.length && now - queue[head]!.time >= lagMillis) {
      const entry = queue[head++]!
      const entries = recent.get(entry.id)!
      entries.shift()
      if (entries.length === 0) recent.delete(entry.id)
      forgotten++
    }
    // Drops the forgotten prefix now and then, so memory follows the window, not the history.
    if (head > 1024 && head * 2 > queue.length) {
      queue = queue.slice(head)
      head = 0
    }
  }

  store.onChange(({ after, before }) => {
    const id = (before ?? after)!.id
    const entry: Entry = { time: clock.unsafeCurrentTimeMillis(), id, before }
    queue.push(entry)
    const entries = recent.get(id)
    if (entries === undefined) recent.set(id, [entry])
    else entries.push(entry)
    forget(entry.time)
  })

  function* persons(orgId: number | undefined): Generator<Person> {
    for (const person of scanOf(store, orgId)) if (!recent.has(person.id)) yield person
    for (const entries of recent.values()) {
      const then = entries[0]!.before
      if (then !== undefined && (orgId === undefined || then.orgId === orgId)) yield then
    }
  }

  return {
    // Every change adds one entry, so the store's version and the count of forgotten entries fix
    // which changes are inside the window, and with them the view.
    refresh: () => {
      forget(clock.unsafeCurrentTimeMillis())
      return `${store.version()}/${forgotten}`
    },
    get: (id) => {
      const entries = recent.get(id)
      return entries === undefined ? currentGet(store, id) : entries[0]!.before
    },
    persons: (orgId) => ({ [Symbol.iterator]: () => persons(orgId) })
  }
}
