/** API v1 persons against the in-process sandbox: list, get, the offset stream, resuming. */
import { describe, expect, layer } from "@effect/vitest"
import { PersonsV1 } from "@pipedrive-effect/core"
import { Chunk, Effect, Stream } from "effect"
import * as Sandbox from "./support/Sandbox.ts"

layer(Sandbox.layer({ persons: 1234 }))("PersonsV1 with 1,234 persons", (it) => {
  it.effect("list returns a page with v1's shapes and the next offset", () =>
    Effect.gen(function*() {
      const page = yield* PersonsV1.list({ limit: 10 })
      expect(page.items).toHaveLength(10)
      expect(page.start).toBe(0)
      expect(page.nextStart).toBe(10)
      const first = page.items[0]
      expect(first?.id).toBe(1)
      // v1 embeds the owner as an object whose `value` is the user id, and lists emails as `email`.
      expect(typeof first?.owner_id === "object" && first.owner_id !== null ? first.owner_id.value : undefined)
        .toEqual(expect.any(Number))
      expect(Array.isArray(first?.email)).toBe(true)
    }))

  it.effect("keeps custom fields, which v1 sends as top-level hash keys", () =>
    Effect.gen(function*() {
      const person = yield* PersonsV1.get(3)
      expect(Object.keys(PersonsV1.customFieldValues(person)).every((k) => /^[0-9a-f]{40}$/.test(k))).toBe(true)
      expect(Object.keys(PersonsV1.customFieldValues(person)).length).toBeGreaterThan(0)
    }))

  it.effect("stream reads every person once through the offsets", () =>
    Effect.gen(function*() {
      const pages = yield* PersonsV1.pages({ limit: 500 }).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
      const ids = pages.flatMap((page) => page.items.map((p) => p.id))
      expect(ids).toHaveLength(1234)
      expect(new Set(ids).size).toBe(1234)
      expect(pages.map((p) => p.start)).toEqual([0, 500, 1000])
      expect(pages.at(-1)?.nextStart).toBeUndefined()
    }))

  it.effect("a stream resumed from a saved offset yields exactly the rest", () =>
    Effect.gen(function*() {
      const all = yield* PersonsV1.stream({ limit: 300 }).pipe(Stream.map((p) => p.id), Stream.runCollect)
      const first = yield* PersonsV1.pages({ limit: 300 }).pipe(Stream.take(1), Stream.runCollect)
      const resumeAt = Chunk.unsafeHead(first).nextStart
      const rest = yield* PersonsV1.stream({ limit: 300, start: resumeAt ?? 0 }).pipe(
        Stream.map((p) => p.id),
        Stream.runCollect
      )
      expect([...Chunk.unsafeHead(first).items.map((p) => p.id), ...rest]).toEqual([...all])
    }))

  it.effect("passes first_char and sort through", () =>
    Effect.gen(function*() {
      const sorted = yield* PersonsV1.list({ sort: "id DESC", limit: 2 })
      expect(sorted.items.map((p) => p.id)).toEqual([1234, 1233])
      const first = yield* PersonsV1.get(1)
      const letter = (first.name ?? "x").charAt(0)
      const byLetter = yield* PersonsV1.stream({ first_char: letter.toLowerCase(), limit: 500 }).pipe(Stream.runCollect)
      expect(Chunk.size(byLetter)).toBeGreaterThan(0)
      expect(Chunk.every(byLetter, (p) => (p.name ?? "").toLowerCase().startsWith(letter.toLowerCase()))).toBe(true)
    }))

  it.effect("get fails with NotFound for a missing person", () =>
    Effect.gen(function*() {
      expect(yield* PersonsV1.get(987654).pipe(Effect.flip)).toMatchObject({ _tag: "NotFound", status: 404 })
    }))
})

describe("PersonsV1 page boundaries", () => {
  layer(Sandbox.layer({ persons: 0 }))("an empty account (v1 sends data: null)", (it) => {
    it.effect("streams nothing", () =>
      Effect.gen(function*() {
        const pages = yield* PersonsV1.pages({ limit: 100 }).pipe(Stream.runCollect)
        expect(Chunk.size(pages)).toBe(1)
        expect(Chunk.unsafeHead(pages).items).toEqual([])
      }))
  })

  layer(Sandbox.layer({ persons: 600 }))("an exact multiple of the page size", (it) => {
    it.effect("streams every person once and stops", () =>
      Effect.gen(function*() {
        const pages = yield* PersonsV1.pages({ limit: 200 }).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
        expect(pages.flatMap((p) => p.items)).toHaveLength(600)
        expect(pages).toHaveLength(3)
      }))
  })
})
