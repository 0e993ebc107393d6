/**
 * The sandbox's persons: the seeded ones, computed on demand, plus what the API (or a test) changed.
 *
 * Only changes are held: a map of persons that differ from the seed (updated seeded persons and
 * created ones, ids `N + 1` and up) and a bitset of the seeded ids that were updated or deleted. A
 * seeded id is "pristine" while its bit is clear, and then it is exactly `seed.person(id)`.
 *
 * Listing merges two ordered sequences: pristine seeded persons, whose sort keys are known from the
 * id alone (times never decrease with the id, ties ordered by id; names have a precomputed order),
 * and the changed persons, sorted on demand and cached until the next change. A page therefore
 * costs its size plus a binary search, however many persons were seeded.
 *
 * @example
 * ```ts
 * import { PersonStore } from "@pipedrive-effect/sandbox"
 * import { Effect, Option } from "effect"
 *
 * // Plant a duplicate of person 1 before running the code under test.
 * const plant = Effect.gen(function*() {
 *   const store = yield* PersonStore.PersonStore
 *   const original = Option.getOrThrow(yield* store.get(1))
 *   return yield* store.create({ name: original.name, emails: original.emails })
 * })
 * ```
 */
import { type Cause, Clock, Context, Data, Effect, Layer, Option, Stream } from "effect"
import * as Bitset from "./internal/store/Bitset.ts"
import type { ContactEntry, CustomFieldValue, Person } from "./internal/store/Person.ts"
import { nameKey, splitName } from "./internal/store/Person.ts"
import * as Seed from "./internal/store/Seed.ts"
import { toSeconds } from "./internal/store/Time.ts"

export type { ContactEntry, CustomFieldValue, Person } from "./internal/store/Person.ts"
export type { BulkUpdate, CustomField, CustomFieldType, Organization, Seed, User } from "./internal/store/Seed.ts"

/** What a new person is made of; everything but `name` has a default. */
export interface NewPerson {
  readonly name: string
  /** Defaults to the company's first user. */
  readonly ownerId?: number
  readonly orgId?: number | null
  readonly emails?: ReadonlyArray<ContactEntry>
  readonly phones?: ReadonlyArray<ContactEntry>
  /** Defaults to 3 (the owner's visibility group). */
  readonly visibleTo?: number
  readonly labelIds?: ReadonlyArray<number>
  /** Merged over the company's fields, which all default to `null`. */
  readonly customFields?: Readonly<Record<string, CustomFieldValue>>
  /** Defaults to now (from `Clock`). */
  readonly addTime?: number
  /** Defaults to `addTime`. */
  readonly updateTime?: number
}

/** A partial update: absent fields are kept; `customFields` are merged key by key. */
export interface PersonPatch {
  readonly name?: string
  readonly ownerId?: number
  readonly orgId?: number | null
  readonly emails?: ReadonlyArray<ContactEntry>
  readonly phones?: ReadonlyArray<ContactEntry>
  readonly visibleTo?: number
  readonly labelIds?: ReadonlyArray<number>
  readonly customFields?: Readonly<Record<string, CustomFieldValue>>
  /** Defaults to now (from `Clock`). */
  readonly updateTime?: number
}

/** The sort orders the store can list in. */
export type Order = "id" | "add_time" | "update_time" | "name"

/** Where a listing stopped: the sort key and id of the last person returned. */
export interface Position {
  /** The id, a time in milliseconds, or the lower-cased name, depending on the order. */
  readonly key: number | string
  readonly id: number
}

/** Which persons to list; every given condition must hold. */
export interface Filter {
  /** Only these ids (those that exist). */
  readonly ids?: ReadonlyArray<number>
  readonly ownerId?: number
  readonly orgId?: number
  /** Only ids that are a multiple of this: how the sandbox interprets `filter_id`. */
  readonly idMultipleOf?: number
  /** Inclusive, milliseconds. */
  readonly updatedSince?: number
  /** Exclusive, milliseconds. */
  readonly updatedUntil?: number
  /** Case-insensitive prefix of the name. */
  readonly namePrefix?: string
}

/** A listing: an order, a direction, an optional position to resume after, and a filter. */
export interface Scan {
  readonly order: Order
  readonly direction: "asc" | "desc"
  readonly after?: Position
  readonly filter?: Filter
}

// A class's base must be a typed constant for JSR (its fast check infers no `extends` expression).
const PersonNotFoundBase: new(args: { readonly id: number }) => Cause.YieldableError & {
  readonly _tag: "PersonNotFound"
  readonly id: number
} = Data.TaggedError("PersonNotFound")<{ readonly id: number }>
/** Raised by `update` and `delete` for an id that does not exist or was deleted. */
export class PersonNotFound extends PersonNotFoundBase {
  override get message(): string {
    return `Person ${this.id} not found`
  }
}

/** The store's operations. */
export interface Service {
  /** The seeded company: users, organizations, custom fields. */
  readonly seed: Seed.Seed
  /** How many persons exist now. */
  readonly count: Effect.Effect<number>
  /** The person `id`, unless it does not exist or was deleted. */
  readonly get: (id: number) => Effect.Effect<Option.Option<Person>>
  /** Adds a person with the next id, as `POST /persons` would. */
  readonly create: (input: NewPerson) => Effect.Effect<Person>
  /** Changes the person `id`, stamping `update_time` from the `Clock` unless the patch sets it. */
  readonly update: (id: number, patch: PersonPatch) => Effect.Effect<Person, PersonNotFound>
  /** Deletes the person `id`; `get` and listings then read it as absent. */
  readonly delete: (id: number) => Effect.Effect<void, PersonNotFound>
  /** Every existing id, ascending, computed as the stream is pulled. */
  readonly ids: Stream.Stream<number>
  /** Every existing person by ascending id, computed as the stream is pulled. */
  readonly persons: Stream.Stream<Person>
  /**
   * The persons of a listing, in order, computed as the iterator is pulled. Synchronous because it
   * is the server's hot path; pull it to the end (or drop it) before changing the store.
   */
  readonly scan: (query: Scan) => IterableIterator<Person>
  /** How many existing persons belong to an organization. */
  readonly peopleCount: (orgId: number) => number
  /** Increases on every change; a listing position computed at one version is stable until the next. */
  readonly version: () => number
  /**
   * Calls `listener` after every change, with the person before and after it (`undefined` for a
   * create's before and a delete's after); how the changelog and the flow learn of changes.
   */
  readonly onChange: (listener: (change: Change) => void) => void
}

/** One change of the store: a create (`before` undefined), an update, or a delete (`after` undefined). */
export interface Change {
  readonly before: Person | undefined
  readonly after: Person | undefined
}

const PersonStoreBase: Context.TagClass<PersonStore, "@pipedrive-effect/sandbox/PersonStore", Service> = Context.Tag(
  "@pipedrive-effect/sandbox/PersonStore"
)<PersonStore, Service>()
/** The store as an Effect service. */
export class PersonStore extends PersonStoreBase {}

/** The sort key of a person in an order. */
export const keyOf = (person: Person, order: Order): number | string =>
  order === "id"
    ? person.id
    : order === "add_time"
    ? person.addTime
    : order === "update_time"
    ? person.updateTime
    : nameKey(person.name)

/** Where a listing that ended on this person stopped. */
export const positionOf = (person: Person, order: Order): Position => ({ key: keyOf(person, order), id: person.id })

/** Negative, zero or positive as `(keyA, idA)` sorts before, with or after `(keyB, idB)`, ascending. */
export const compare = (keyA: number | string, idA: number, keyB: number | string, idB: number): number =>
  keyA < keyB ? -1 : keyA > keyB ? 1 : idA - idB

/** The first `limit` persons of a listing, and whether more follow. */
export const takePage = (
  persons: Iterator<Person>,
  limit: number
): { readonly persons: ReadonlyArray<Person>; readonly more: boolean } => {
  const page: Array<Person> = []
  for (let next = persons.next(); next.done !== true; next = persons.next()) {
    if (page.length === limit) return { persons: page, more: true }
    page.push(next.value)
  }
  return { persons: page, more: false }
}

/** How to build a store; every field has a default. */
export interface Options {
  /** How many persons to seed (ids `1 … persons`). Default 0. */
  readonly persons?: number
  /** What the seeded persons derive from. Default `"sandbox"`. */
  readonly seed?: string | number
  /**
   * A share (0–1) of the seeded persons, a block of consecutive ids in the middle, that share one
   * `update_time` second, as after a bulk update (`Seed.bulkUpdateOf`). Default 0.
   */
  readonly bulkUpdateShare?: number
}

/** Builds a store of `persons` seeded persons (default 0) from `seed` (default `"sandbox"`). */
export const make = (options: Options = {}): Effect.Effect<Service> => Effect.sync(() => unsafeMake(options))

/** A layer with a fresh store. */
export const layer = (options: Options = {}): Layer.Layer<PersonStore> => Layer.effect(PersonStore, make(options))

const unsafeMake = (options: Options): Service => {
  const seed = Seed.make({
    seed: options.seed ?? "sandbox",
    persons: options.persons ?? 0,
    bulkUpdateShare: options.bulkUpdateShare
  })
  const seeded = seed.persons
  /** Seeded ids that were updated or deleted. */
  const touched = Bitset.make(seeded + 1)
  /** Existing persons that differ from the seed: updated seeded ones and created ones. */
  const changed = new Map<number, Person>()
  const orgDelta = new Map<number, number>()
  let nextId = seeded + 1
  let version = 0
  const listeners: Array<(change: Change) => void> = []

  const isPristine = (id: number) => id >= 1 && id <= seeded && !touched.has(id)
  const unsafeGet = (id: number): Person | undefined => (isPristine(id) ? seed.person(id) : changed.get(id))

  const adjustOrg = (orgId: number | null, by: number) => {
    if (orgId !== null) orgDelta.set(orgId, (orgDelta.get(orgId) ?? 0) + by)
  }
  const replace = (before: Person | undefined, after: Person | undefined, id: number) => {
    if (before !== undefined) adjustOrg(before.orgId, -1)
    if (after !== undefined) adjustOrg(after.orgId, 1)
    if (id <= seeded) touched.add(id)
    if (after === undefined) changed.delete(id)
    else changed.set(id, after)
    version++
    for (const listener of listeners) listener({ before, after })
  }

  const defaultFields = () => Object.fromEntries(seed.customFields.map((field) => [field.key, null]))
  const now = Effect.map(Clock.currentTimeMillis, toSeconds)

  const create = (input: NewPerson) =>
    Effect.map(now, (time) => {
      const addTime = input.addTime ?? time
      const person: Person = {
        id: nextId++,
        name: input.name,
        ...splitName(input.name),
        ownerId: input.ownerId ?? seed.users[0]!.id,
        orgId: input.orgId ?? null,
        emails: input.emails ?? [],
        phones: input.phones ?? [],
        visibleTo: input.visibleTo ?? 3,
        labelIds: input.labelIds ?? [],
        customFields: { ...defaultFields(), ...input.customFields },
        addTime,
        updateTime: input.updateTime ?? addTime
      }
      replace(undefined, person, person.id)
      return person
    })

  const update = (id: number, patch: PersonPatch) =>
    Effect.flatMap(now, (time) => {
      const before = unsafeGet(id)
      if (before === undefined) return Effect.fail(new PersonNotFound({ id }))
      const after: Person = {
        ...before,
        ...(patch.name === undefined ? {} : { name: patch.name, ...splitName(patch.name) }),
        ...(patch.ownerId === undefined ? {} : { ownerId: patch.ownerId }),
        ...(patch.orgId === undefined ? {} : { orgId: patch.orgId }),
        ...(patch.emails === undefined ? {} : { emails: patch.emails }),
        ...(patch.phones === undefined ? {} : { phones: patch.phones }),
        ...(patch.visibleTo === undefined ? {} : { visibleTo: patch.visibleTo }),
        ...(patch.labelIds === undefined ? {} : { labelIds: patch.labelIds }),
        customFields: { ...before.customFields, ...patch.customFields },
        updateTime: patch.updateTime ?? time
      }
      replace(before, after, id)
      return Effect.succeed(after)
    })

  const remove = (id: number) =>
    Effect.suspend(() => {
      const before = unsafeGet(id)
      if (before === undefined) return Effect.fail(new PersonNotFound({ id }))
      replace(before, undefined, id)
      return Effect.void
    })

  // Changed persons sorted per order, rebuilt lazily after a change.
  const sortedCache = new Map<Order, { readonly version: number; readonly persons: ReadonlyArray<Person> }>()
  const sortedChanged = (order: Order): ReadonlyArray<Person> => {
    const cached = sortedCache.get(order)
    if (cached !== undefined && cached.version === version) return cached.persons
    const persons = Array.from(changed.values(), (person) => ({ person, key: keyOf(person, order) }))
      .sort((a, b) => compare(a.key, a.person.id, b.key, b.person.id))
      .map((entry) => entry.person)
    sortedCache.set(order, { version, persons })
    return persons
  }

  const scan = (query: Scan): IterableIterator<Person> => {
    const filter = query.filter ?? {}
    if (filter.ids !== undefined) return scanIds(query, filter.ids)
    return mergeSorted(query, seededIds(query), sortedChanged(query.order))
  }

  /** Pristine seeded ids matching the query, in its order, after its position. */
  const seededIds = (query: Scan): Iterator<number> => {
    const filter = query.filter ?? {}
    const desc = query.direction === "desc"
    const matches = seededPredicate(seed, filter)
    if (query.order === "name") {
      const order = seed.nameOrder()
      let lo = 0
      let hi = order.length
      const keyAt = (index: number) => seed.nameKey(order[index]!)
      if (filter.namePrefix !== undefined && filter.namePrefix !== "") {
        const prefix = filter.namePrefix
        lo = firstIndex(lo, hi, (i) => keyAt(i) >= prefix)
        hi = firstIndex(lo, hi, (i) => keyAt(i) > prefix && !keyAt(i).startsWith(prefix))
      }
      const after = query.after
      if (after !== undefined) {
        if (desc) hi = firstIndex(lo, hi, (i) => compare(keyAt(i), order[i]!, after.key, after.id) >= 0)
        else lo = firstIndex(lo, hi, (i) => compare(keyAt(i), order[i]!, after.key, after.id) > 0)
      }
      return filterIterator(indexRange(lo, hi - 1, desc), (i) => {
        const id = order[i]!
        return !touched.has(id) && matches(id) ? id : undefined
      })
    }
    // In the other orders the key never decreases with the id (a bulk-update plateau is a run of
    // equal keys, ordered by id), so every bound is an id range.
    const key = query.order === "id" ? (id: number) => id : query.order === "add_time" ? seed.addTime : seed.updateTime
    let lo = 1
    let hi = seeded
    if (filter.updatedSince !== undefined) {
      const since = filter.updatedSince
      lo = firstIndex(lo, hi + 1, (id) => seed.updateTime(id) >= since)
    }
    if (filter.updatedUntil !== undefined) {
      const until = filter.updatedUntil
      hi = firstIndex(lo, hi + 1, (id) => seed.updateTime(id) >= until) - 1
    }
    const after = query.after
    if (after !== undefined) {
      if (desc) hi = firstIndex(lo, hi + 1, (id) => compare(key(id), id, after.key, after.id) >= 0) - 1
      else lo = firstIndex(lo, hi + 1, (id) => compare(key(id), id, after.key, after.id) > 0)
    }
    const step = filter.idMultipleOf ?? 1
    if (step > 1) {
      lo = Math.ceil(lo / step) * step
      hi = Math.floor(hi / step) * step
      return filterIterator(stepRange(lo, hi, step, desc), (id) => (!touched.has(id) && matches(id) ? id : undefined))
    }
    return pristineRange(lo, hi, desc, matches)
  }

  /** Pristine ids in `[lo, hi]` that match, skipping touched runs a word at a time. */
  function* pristineRange(lo: number, hi: number, desc: boolean, matches: (id: number) => boolean): Generator<number> {
    if (desc) {
      for (let id = touched.prevClear(hi); id >= lo && id >= 1; id = touched.prevClear(id - 1)) {
        if (matches(id)) yield id
      }
    } else {
      for (let id = touched.nextClear(lo); id <= hi; id = touched.nextClear(id + 1)) {
        if (matches(id)) yield id
      }
    }
  }

  function* mergeSorted(query: Scan, seededIds: Iterator<number>, others: ReadonlyArray<Person>): Generator<Person> {
    const order = query.order
    const desc = query.direction === "desc"
    const sign = desc ? -1 : 1
    const matches = personPredicate(query.filter ?? {})
    const seedKey = order === "id"
      ? (id: number) => id
      : order === "add_time"
      ? seed.addTime
      : order === "update_time"
      ? seed.updateTime
      : seed.nameKey
    // Position in `others` of the first person after `query.after`.
    let index: number
    const after = query.after
    if (desc) {
      const end = after === undefined
        ? others.length
        : firstIndex(0, others.length, (i) => compare(keyOf(others[i]!, order), others[i]!.id, after.key, after.id) >= 0)
      index = end - 1
    } else {
      index = after === undefined
        ? 0
        : firstIndex(0, others.length, (i) => compare(keyOf(others[i]!, order), others[i]!.id, after.key, after.id) > 0)
    }
    const nextOther = () => {
      while (index >= 0 && index < others.length) {
        const person = others[index]!
        index += sign
        if (matches(person)) return person
      }
      return undefined
    }
    let other = nextOther()
    let next = seededIds.next()
    while (true) {
      if (next.done === true) {
        if (other === undefined) return
        yield other
        other = nextOther()
        continue
      }
      const id = next.value
      if (other === undefined || sign * compare(seedKey(id), id, keyOf(other, order), other.id) < 0) {
        yield seed.person(id)
        next = seededIds.next()
      } else {
        yield other
        other = nextOther()
      }
    }
  }

  function* scanIds(query: Scan, ids: ReadonlyArray<number>): Generator<Person> {
    const matches = personPredicate(query.filter ?? {})
    const order = query.order
    const sign = query.direction === "desc" ? -1 : 1
    const after = query.after
    const persons = Array.from(new Set(ids), unsafeGet)
      .filter((person): person is Person => person !== undefined && matches(person))
      .map((person) => ({ person, key: keyOf(person, order) }))
      .filter(({ key, person }) => after === undefined || sign * compare(key, person.id, after.key, after.id) > 0)
      .sort((a, b) => sign * compare(a.key, a.person.id, b.key, b.person.id))
    for (const { person } of persons) yield person
  }

  function* allIds(): Generator<number> {
    for (let id = 1; id < nextId; id++) if (id <= seeded ? isPristine(id) || changed.has(id) : changed.has(id)) yield id
  }

  return {
    seed,
    count: Effect.sync(() => seeded - touched.count + changed.size),
    get: (id) => Effect.sync(() => Option.fromNullable(unsafeGet(id))),
    create,
    update,
    delete: remove,
    ids: Stream.suspend(() => Stream.fromIterable(iterable(allIds))),
    persons: Stream.suspend(() => Stream.fromIterable(iterable(() => scan({ order: "id", direction: "asc" })))),
    scan,
    peopleCount: (orgId) => (seed.peopleCountByOrg().get(orgId) ?? 0) + (orgDelta.get(orgId) ?? 0),
    version: () => version,
    onChange: (listener) => {
      listeners.push(listener)
    }
  }
}

const iterable = <A>(make: () => Iterator<A>): Iterable<A> => ({ [Symbol.iterator]: make })

/** The cheap checks of a filter on a pristine seeded id (bounds already applied are rechecked harmlessly). */
const seededPredicate = (seed: Seed.Seed, filter: Filter) => {
  const { idMultipleOf, namePrefix, orgId, ownerId, updatedSince, updatedUntil } = filter
  return (id: number) =>
    (ownerId === undefined || seed.ownerId(id) === ownerId) &&
    (orgId === undefined || seed.orgId(id) === orgId) &&
    (idMultipleOf === undefined || id % idMultipleOf === 0) &&
    (updatedSince === undefined || seed.updateTime(id) >= updatedSince) &&
    (updatedUntil === undefined || seed.updateTime(id) < updatedUntil) &&
    (namePrefix === undefined || seed.nameKey(id).startsWith(namePrefix))
}

const personPredicate = (filter: Filter) => {
  const { idMultipleOf, ids, namePrefix, orgId, ownerId, updatedSince, updatedUntil } = filter
  const idSet = ids === undefined ? undefined : new Set(ids)
  return (person: Person) =>
    (idSet === undefined || idSet.has(person.id)) &&
    (ownerId === undefined || person.ownerId === ownerId) &&
    (orgId === undefined || person.orgId === orgId) &&
    (idMultipleOf === undefined || person.id % idMultipleOf === 0) &&
    (updatedSince === undefined || person.updateTime >= updatedSince) &&
    (updatedUntil === undefined || person.updateTime < updatedUntil) &&
    (namePrefix === undefined || nameKey(person.name).startsWith(namePrefix))
}

/** The first index in `[lo, hi)` where a monotone predicate turns true, or `hi`. */
const firstIndex = (lo: number, hi: number, predicate: (index: number) => boolean): number => {
  while (lo < hi) {
    const mid = lo + Math.floor((hi - lo) / 2)
    if (predicate(mid)) hi = mid
    else lo = mid + 1
  }
  return lo
}

function* indexRange(lo: number, hi: number, desc: boolean): Generator<number> {
  if (desc) for (let i = hi; i >= lo; i--) yield i
  else for (let i = lo; i <= hi; i++) yield i
}

function* stepRange(lo: number, hi: number, step: number, desc: boolean): Generator<number> {
  if (desc) for (let i = hi; i >= lo; i -= step) yield i
  else for (let i = lo; i <= hi; i += step) yield i
}

function* filterIterator<A>(source: Iterator<number>, select: (value: number) => A | undefined): Generator<A> {
  for (let next = source.next(); next.done !== true; next = source.next()) {
    const selected = select(next.value)
    if (selected !== undefined) yield selected
  }
}
