/** API v2 persons against the in-process sandbox: every endpoint, the cursor stream, resuming. */
import { describe, expect, layer } from "@effect/vitest"
import { Persons } from "@pipedrive-effect/core"
import { Chunk, Effect, Stream } from "effect"
import * as Sandbox from "./support/Sandbox.ts"

layer(Sandbox.layer({ persons: 1234 }))("Persons (v2) with 1,234 persons", (it) => {
  it.effect("list returns one page of 100 by default, with a cursor", () =>
    Effect.gen(function*() {
      const page = yield* Persons.list()
      expect(page.items).toHaveLength(100)
      expect(page.cursor).toBeUndefined()
      expect(page.nextCursor).toEqual(expect.any(String))
      expect(page.items[0]).toMatchObject({ id: 1, name: expect.any(String) })
    }))

  it.effect("stream reads every person exactly once, in id order, a page at a time", () =>
    Effect.gen(function*() {
      const pages = yield* Persons.pages({ limit: 500 }).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
      const ids = pages.flatMap((page) => page.items.map((person) => person.id))
      expect(ids).toHaveLength(1234)
      expect(new Set(ids).size).toBe(1234)
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      expect(pages.map((page) => page.items.length)).toEqual([500, 500, 234])
      expect(pages.at(-1)?.nextCursor).toBeUndefined()
      // Each page says where it came from, so a checkpoint can be taken after any of them.
      expect(pages[1]?.cursor).toBe(pages[0]?.nextCursor)
    }))

  it.effect("a stream resumed from a saved cursor yields exactly the rest", () =>
    Effect.gen(function*() {
      const all = yield* Persons.stream({ limit: 200 }).pipe(Stream.map((p) => p.id), Stream.runCollect)
      const firstTwo = yield* Persons.pages({ limit: 200 }).pipe(Stream.take(2), Stream.runCollect)
      const saved = Chunk.unsafeLast(firstTwo).nextCursor
      const rest = yield* Persons.stream({ limit: 200, cursor: saved }).pipe(Stream.map((p) => p.id), Stream.runCollect)
      const before = Chunk.flatMap(firstTwo, (page) => Chunk.fromIterable(page.items.map((p) => p.id)))
      expect(Chunk.toReadonlyArray(Chunk.appendAll(before, rest))).toEqual(Chunk.toReadonlyArray(all))
    }))

  it.effect("pulls pages only on demand", () =>
    Effect.gen(function*() {
      const firstThree = yield* Persons.stream({ limit: 500 }).pipe(Stream.take(3), Stream.runCollect)
      expect(Chunk.size(firstThree)).toBe(3)
    }))

  it.effect("passes filters and sorting through", () =>
    Effect.gen(function*() {
      const desc = yield* Persons.list({ sort_by: "id", sort_direction: "desc", limit: 3 })
      expect(desc.items.map((p) => p.id)).toEqual([1234, 1233, 1232])
      const some = yield* Persons.list({ ids: [5, 9, 11] })
      expect(some.items.map((p) => p.id)).toEqual([5, 9, 11])
      const owner = some.items[0]?.owner_id
      expect(owner).toEqual(expect.any(Number))
      const owned = yield* Persons.stream({ owner_id: owner ?? 0, limit: 500 }).pipe(Stream.runCollect)
      expect(Chunk.every(owned, (p) => p.owner_id === owner)).toBe(true)
      expect(Chunk.size(owned)).toBeGreaterThan(0)
    }))

  it.effect("get, create, update and remove a person", () =>
    Effect.gen(function*() {
      const seven = yield* Persons.get(7)
      expect(seven.id).toBe(7)
      const created = yield* Persons.create({
        name: "Grace Hopper",
        emails: [{ value: "grace@example.com", primary: true, label: "work" }],
        phones: [{ value: "+1 555 0100", primary: true }],
        visible_to: 3
      })
      expect(created).toMatchObject({ name: "Grace Hopper", first_name: "Grace", last_name: "Hopper" })
      expect(created.emails?.[0]?.value).toBe("grace@example.com")
      const updated = yield* Persons.update(created.id, { name: "Grace Brewster Hopper", org_id: null })
      expect(updated).toMatchObject({ id: created.id, name: "Grace Brewster Hopper", org_id: null })
      expect((yield* Persons.get(created.id)).name).toBe("Grace Brewster Hopper")
      expect(yield* Persons.remove(created.id)).toEqual({ id: created.id })
      const gone = yield* Persons.get(created.id).pipe(Effect.flip)
      expect(gone).toMatchObject({ _tag: "NotFound", status: 404, operation: "getPerson" })
    }))

  it.effect("maps the sandbox's refusals to typed errors", () =>
    Effect.gen(function*() {
      expect(yield* Persons.get(987654).pipe(Effect.flip)).toMatchObject({ _tag: "NotFound" })
      expect(yield* Persons.update(987654, { name: "x" }).pipe(Effect.flip)).toMatchObject({ _tag: "NotFound" })
      expect(yield* Persons.remove(987654).pipe(Effect.flip)).toMatchObject({ _tag: "NotFound" })
      const tooMany = yield* Persons.list({ limit: 501 }).pipe(Effect.flip)
      expect(tooMany).toMatchObject({ _tag: "ValidationFailed", status: 400 })
      expect(tooMany.message).toContain("limit")
      const badCursor = yield* Persons.list({ cursor: "not-a-cursor" }).pipe(Effect.flip)
      expect(badCursor).toMatchObject({ _tag: "ValidationFailed", status: 400 })
    }))
})

describe("Persons (v2) page boundaries", () => {
  layer(Sandbox.layer({ persons: 0 }))("an empty account", (it) => {
    it.effect("streams nothing, in one request", () =>
      Effect.gen(function*() {
        const pages = yield* Persons.pages({ limit: 500 }).pipe(Stream.runCollect)
        expect(Chunk.size(pages)).toBe(1)
        expect(Chunk.unsafeHead(pages).items).toEqual([])
      }))
  })

  layer(Sandbox.layer({ persons: 1000 }))("an exact multiple of the page size", (it) => {
    it.effect("streams every person once and stops", () =>
      Effect.gen(function*() {
        const ids = yield* Persons.stream({ limit: 500 }).pipe(Stream.map((p) => p.id), Stream.runCollect)
        expect(Chunk.size(ids)).toBe(1000)
        expect(new Set(ids).size).toBe(1000)
      }))
  })

  layer(Sandbox.layer({ persons: 5, token: "not-the-token" }))("a wrong token", (it) => {
    it.effect("fails with Unauthorized", () =>
      Effect.gen(function*() {
        const error = yield* Persons.list().pipe(Effect.flip)
        expect(error).toMatchObject({ _tag: "Unauthorized", status: 401 })
        expect(JSON.stringify(error)).not.toContain("not-the-token")
      }))
  })
})
