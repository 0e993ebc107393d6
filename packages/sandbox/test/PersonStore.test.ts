/**
 * The store against a brute-force model: after random creates, updates and deletes, every order,
 * direction and filter must list exactly what sorting all persons would, and resuming after any
 * position must continue exactly there. Also the bitset the store skips changed ids with.
 */
import { describe, expect, it } from "@effect/vitest"
import { PersonStore } from "@pipedrive-effect/sandbox"
import * as Bitset from "../src/internal/store/Bitset.ts"
import type * as PersonModule from "../src/internal/store/Person.ts"
import * as Seed from "../src/internal/store/Seed.ts"
import { Chunk, Effect, Option, Stream, TestClock } from "effect"

const { compare, keyOf, positionOf } = PersonStore
type Person = PersonModule.Person

/** A tiny deterministic generator, so a failing case can be replayed. */
const random = (seed: number) => {
  let state = seed >>> 0
  return (max: number) => {
    state = (Math.imul(state, 1664525) + 1013904223) >>> 0
    return state % max
  }
}

const NAMES = ["alice", "Bob", "bob", "Zed", "al", "Émile", "maria Ann", "Kai Hansen", "Aaron Adams"]

/** Applies random changes through the store's own API. */
const mutate = (store: PersonStore.Service, seed: number, steps: number) =>
  Effect.gen(function*() {
    const next = random(seed)
    const users = store.seed.users.map((user) => user.id)
    for (let step = 0; step < steps; step++) {
      const id = 1 + next(store.seed.persons + 40)
      switch (next(3)) {
        case 0:
          yield* store.create({
            name: NAMES[next(NAMES.length)]!,
            ownerId: users[next(users.length)]!,
            orgId: next(3) === 0 ? null : 1 + next(5),
            addTime: Seed.EPOCH + next(200) * 37_000,
            updateTime: Seed.EPOCH + next(400) * 37_000
          })
          break
        case 1:
          yield* Effect.ignore(store.update(id, {
            ...(next(2) === 0 ? { name: NAMES[next(NAMES.length)]! } : {}),
            ownerId: users[next(users.length)]!,
            updateTime: Seed.EPOCH + next(400) * 37_000
          }))
          break
        default:
          yield* Effect.ignore(store.delete(id))
      }
    }
  })

/** Every existing person, by brute force. */
const everyone = (store: PersonStore.Service) =>
  Effect.gen(function*() {
    const persons: Array<Person> = []
    for (let id = 1; id <= store.seed.persons + 200; id++) {
      const person = yield* store.get(id)
      if (Option.isSome(person)) persons.push(person.value)
    }
    return persons
  })

const matches = (filter: PersonStore.Filter) => (person: Person) =>
  (filter.ids === undefined || filter.ids.includes(person.id)) &&
  (filter.ownerId === undefined || person.ownerId === filter.ownerId) &&
  (filter.orgId === undefined || person.orgId === filter.orgId) &&
  (filter.idMultipleOf === undefined || person.id % filter.idMultipleOf === 0) &&
  (filter.updatedSince === undefined || person.updateTime >= filter.updatedSince) &&
  (filter.updatedUntil === undefined || person.updateTime < filter.updatedUntil) &&
  (filter.namePrefix === undefined || person.name.toLowerCase().startsWith(filter.namePrefix))

const expected = (persons: ReadonlyArray<Person>, scan: PersonStore.Scan) => {
  const sign = scan.direction === "desc" ? -1 : 1
  return persons
    .filter(matches(scan.filter ?? {}))
    .sort((a, b) => sign * compare(keyOf(a, scan.order), a.id, keyOf(b, scan.order), b.id))
    .map((person) => person.id)
}

/** Lists in pages of `size`, resuming after the last person of each page. */
const paged = (store: PersonStore.Service, scan: PersonStore.Scan, size: number) => {
  const ids: Array<number> = []
  let after: PersonStore.Position | undefined
  while (true) {
    const page = Array.from(take(store.scan({ ...scan, ...(after === undefined ? {} : { after }) }), size))
    ids.push(...page.map((person) => person.id))
    if (page.length < size) return ids
    after = positionOf(page[page.length - 1]!, scan.order)
  }
}

function* take<A>(iterator: Iterator<A>, count: number): Generator<A> {
  for (let i = 0; i < count; i++) {
    const next = iterator.next()
    if (next.done === true) return
    yield next.value
  }
}

const ORDERS: ReadonlyArray<PersonStore.Order> = ["id", "add_time", "update_time", "name"]

const filters = (store: PersonStore.Service): ReadonlyArray<PersonStore.Filter> => [
  {},
  { ownerId: store.seed.users[1]!.id },
  { orgId: 3 },
  { idMultipleOf: 7 },
  { updatedSince: Seed.EPOCH + 50 * 37_000, updatedUntil: Seed.EPOCH + 150 * 37_000 },
  { namePrefix: "a" },
  { namePrefix: "bob" },
  { ids: [5, 3, 999, 17, 250, 3, 260] },
  { idMultipleOf: 3, ownerId: store.seed.users[0]!.id, namePrefix: "m" }
]

describe("PersonStore", () => {
  it.effect("the same seed makes the same persons, another seed others", () =>
    Effect.gen(function*() {
      const a = yield* PersonStore.make({ persons: 50, seed: "one" })
      const b = yield* PersonStore.make({ persons: 50, seed: "one" })
      const c = yield* PersonStore.make({ persons: 50, seed: "two" })
      const all = (store: PersonStore.Service) => Stream.runCollect(store.persons).pipe(Effect.map(Chunk.toReadonlyArray))
      expect(yield* all(a)).toEqual(yield* all(b))
      expect((yield* all(a)).map((p) => p.name)).not.toEqual((yield* all(c)).map((p) => p.name))
      expect(a.seed.customFields.map((f) => f.key)).toEqual(b.seed.customFields.map((f) => f.key))
      expect(a.seed.customFields.map((f) => f.key)).not.toEqual(c.seed.customFields.map((f) => f.key))
      for (const field of a.seed.customFields) expect(field.key).toMatch(/^[0-9a-f]{40}$/)
    }))

  it.effect("seeded persons look like an account's: times increase with the id, 1-2 emails, 0-2 phones", () =>
    Effect.gen(function*() {
      const store = yield* PersonStore.make({ persons: 2000, seed: "shape" })
      const persons = Chunk.toReadonlyArray(yield* Stream.runCollect(store.persons))
      expect(persons).toHaveLength(2000)
      const users = new Set(store.seed.users.map((u) => u.id))
      for (const [index, person] of persons.entries()) {
        expect(person.id).toBe(index + 1)
        expect(person.emails.length).toBeGreaterThanOrEqual(1)
        expect(person.emails.length).toBeLessThanOrEqual(2)
        expect(person.phones.length).toBeLessThanOrEqual(2)
        expect(person.emails.filter((e) => e.primary)).toHaveLength(1)
        expect(users.has(person.ownerId)).toBe(true)
        expect(person.name).toBe(`${person.firstName} ${person.lastName}`)
        expect(person.updateTime).toBeGreaterThanOrEqual(person.addTime)
        expect(person.addTime % 1000).toBe(0)
        if (index > 0) {
          expect(person.addTime).toBeGreaterThan(persons[index - 1]!.addTime)
          expect(person.updateTime).toBeGreaterThan(persons[index - 1]!.updateTime)
        }
      }
      expect(persons.some((p) => p.orgId === null)).toBe(true)
      expect(persons.some((p) => p.phones.length === 0)).toBe(true)
      expect(persons.some((p) => p.labelIds.length > 0)).toBe(true)
      // Some persons share a primary email, for dedupe to find.
      const emails = persons.map((p) => p.emails[0]!.value.toLowerCase())
      expect(new Set(emails).size).toBeLessThan(emails.length)
    }))

  it.effect("create, update and delete; count and peopleCount follow", () =>
    Effect.gen(function*() {
      const store = yield* PersonStore.make({ persons: 10, seed: "crud" })
      expect(yield* store.count).toBe(10)
      expect(Option.isNone(yield* store.get(0))).toBe(true)
      expect(Option.isNone(yield* store.get(11))).toBe(true)

      const orgBefore = store.peopleCount(2)
      const created = yield* store.create({ name: "Ada Lovelace", orgId: 2, addTime: Seed.EPOCH })
      expect(created).toMatchObject({ id: 11, firstName: "Ada", lastName: "Lovelace", orgId: 2, updateTime: Seed.EPOCH })
      expect(Object.keys(created.customFields)).toEqual(store.seed.customFields.map((f) => f.key))
      expect(yield* store.count).toBe(11)
      expect(store.peopleCount(2)).toBe(orgBefore + 1)

      const updated = yield* store.update(3, { name: "Mononym", orgId: 2, updateTime: Seed.EPOCH + 1000 })
      expect(updated).toMatchObject({ id: 3, name: "Mononym", firstName: "Mononym", lastName: null, orgId: 2 })
      expect(yield* store.get(3)).toEqual(Option.some(updated))

      yield* store.delete(11)
      yield* store.delete(3)
      expect(yield* store.count).toBe(9)
      expect(Option.isNone(yield* store.get(3))).toBe(true)
      expect(store.peopleCount(2)).toBe(orgBefore)
      expect((yield* Effect.flip(store.delete(3)))._tag).toBe("PersonNotFound")
      expect((yield* Effect.flip(store.update(11, { name: "x" })))._tag).toBe("PersonNotFound")
      // Ids are never reused.
      expect((yield* store.create({ name: "Next" })).id).toBe(12)
      expect(Chunk.toReadonlyArray(yield* Stream.runCollect(store.ids))).toEqual([1, 2, 4, 5, 6, 7, 8, 9, 10, 12])
    }))

  for (const seed of [1, 2, 3]) {
    it.effect(`every order, direction and filter lists what sorting would, and pages resume exactly (run ${seed})`, () =>
      Effect.gen(function*() {
        const store = yield* PersonStore.make({ persons: 300, seed: `model-${seed}` })
        yield* mutate(store, seed, 150)
        const persons = yield* everyone(store)
        expect(yield* store.count).toBe(persons.length)
        for (const order of ORDERS) {
          for (const direction of ["asc", "desc"] as const) {
            for (const filter of filters(store)) {
              const scan = { order, direction, filter }
              const want = expected(persons, scan)
              const label = JSON.stringify(scan)
              expect(Array.from(store.scan(scan), (p) => p.id), label).toEqual(want)
              expect(paged(store, scan, 7), label).toEqual(want)
            }
          }
        }
      }))
  }

  it.effect("a position survives changes: listing resumes after it, whatever was added or removed", () =>
    Effect.gen(function*() {
      const store = yield* PersonStore.make({ persons: 100, seed: "stable" })
      const first = Array.from(take(store.scan({ order: "id", direction: "asc" }), 10))
      const after = positionOf(first[9]!, "id")
      yield* store.delete(5)
      yield* store.delete(11)
      yield* store.create({ name: "Late" })
      const rest = Array.from(store.scan({ order: "id", direction: "asc", after }), (p) => p.id)
      expect(rest[0]).toBe(12)
      expect(rest.at(-1)).toBe(101)
      expect(rest).toHaveLength(90)
    }))

  it.effect("a million seeded persons cost nothing until asked for", () =>
    Effect.gen(function*() {
      const store = yield* PersonStore.make({ persons: 1_000_000, seed: "big" })
      expect(yield* store.count).toBe(1_000_000)
      const last = Array.from(take(store.scan({ order: "update_time", direction: "desc" }), 3), (p) => p.id)
      expect(last).toEqual([1_000_000, 999_999, 999_998])
      const late = Array.from(
        take(store.scan({ order: "id", direction: "asc", after: { key: 999_990, id: 999_990 } }), 100),
        (p) => p.id
      )
      expect(late).toEqual([999_991, 999_992, 999_993, 999_994, 999_995, 999_996, 999_997, 999_998, 999_999, 1_000_000])
      // An update takes its time from the Clock: move it past the seeded persons.
      yield* TestClock.setTime(Date.UTC(2026, 0, 1))
      yield* store.update(3, { name: "Moved" })
      const moved = Array.from(take(store.scan({ order: "update_time", direction: "desc" }), 1), (p) => p.id)
      expect(moved).toEqual([3])
    }))
})

describe("Bitset, the store's record of changed seeded ids", () => {
  for (const size of [1, 31, 32, 33, 64, 100, 1000]) {
    it(`nextClear and prevClear agree with a linear search (size ${size})`, () => {
      let state = size
      const next = () => (state = (Math.imul(state, 1664525) + 1013904223) >>> 0)
      for (const density of [0, 0.3, 0.9, 1]) {
        const bits = Bitset.make(size)
        const plain = new Array<boolean>(size).fill(false)
        for (let i = 0; i < size; i++) {
          if (next() / 2 ** 32 < density) {
            expect(bits.add(i)).toBe(true)
            expect(bits.add(i)).toBe(false)
            plain[i] = true
          }
        }
        expect(bits.count).toBe(plain.filter(Boolean).length)
        for (let from = -1; from <= size + 1; from++) {
          let want = Math.max(from, 0)
          while (want < size && plain[want]) want++
          expect(bits.nextClear(from), `nextClear(${from})`).toBe(Math.min(want, size))
          let back = Math.min(from, size - 1)
          while (back >= 0 && plain[back]) back--
          expect(bits.prevClear(from), `prevClear(${from})`).toBe(back)
        }
      }
    })
  }
})
