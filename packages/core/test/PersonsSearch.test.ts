/** Person search against the in-process sandbox: v2 and v1 search, and the deprecated v1 find. */
import { expect, layer } from "@effect/vitest"
import { Persons, PersonsV1 } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Chunk, Effect, Stream } from "effect"
import * as Sandbox from "./support/Sandbox.ts"

/** Plants persons that searches below can find, whatever the seed made. */
const plant = Effect.gen(function*() {
  const sandbox = yield* PipedriveSandbox.PipedriveSandbox
  const ada = yield* sandbox.store.create({
    name: "Ada Quuxley",
    orgId: 4,
    emails: [{ value: "ada.quuxley@example.com", primary: true, label: "work" }],
    phones: [{ value: "+44 20 7946 0999", primary: true, label: "work" }]
  })
  const other = yield* sandbox.store.create({ name: "Quuxley Brothers Fan", emails: [] })
  return { ada: ada.id, other: other.id }
})

layer(Sandbox.layer({ persons: 2000 }))("search", (it) => {
  it.effect("v2 search finds by name, best match first, as { result_score, item }", () =>
    Effect.gen(function*() {
      const { ada, other } = yield* plant
      // A name that starts with the term ranks above one where a later word does.
      const page = yield* Persons.search({ term: "quuxley" })
      expect(page.items.map((result) => result.item.id)).toEqual([other, ada])
      expect(page.items[0]!.result_score).toBeGreaterThan(page.items[1]!.result_score ?? 1)
      const whole = yield* Persons.search({ term: "ADA QUUXLEY" })
      const first = whole.items[0]!
      expect(whole.items).toHaveLength(1)
      expect(first.result_score).toBe(1)
      expect(first.item).toMatchObject({
        id: ada,
        type: "person",
        name: "Ada Quuxley",
        emails: ["ada.quuxley@example.com"],
        phones: ["+44 20 7946 0999"],
        organization: { id: 4 }
      })
      expect(page.nextCursor).toBeUndefined()
    }))

  it.effect("exact_match, fields and organization_id narrow the results", () =>
    Effect.gen(function*() {
      const exact = yield* Persons.search({ term: "ada.quuxley@example.com", exact_match: true, fields: ["email"] })
      expect(exact.items.map((result) => result.item.name)).toEqual(["Ada Quuxley"])
      const partialOnly = yield* Persons.search({ term: "quuxley@example", exact_match: true })
      expect(partialOnly.items).toEqual([])
      const byPhone = yield* Persons.search({ term: "7946 0999", fields: ["phone"] })
      expect(byPhone.items.map((result) => result.item.name)).toEqual(["Ada Quuxley"])
      const inOrg = yield* Persons.search({ term: "quuxley", organization_id: 5 })
      expect(inOrg.items).toEqual([])
    }))

  it.effect("a term too short is refused before sending; 1 character is enough with exact_match", () =>
    Effect.gen(function*() {
      const short = yield* Effect.flip(Persons.search({ term: "a" }))
      expect(short._tag).toBe("InvalidRequest")
      const v1Short = yield* Effect.flip(PersonsV1.search({ term: " b " }))
      expect(v1Short._tag).toBe("InvalidRequest")
      const one = yield* Persons.search({ term: "x", exact_match: true })
      expect(one.items).toEqual([])
    }))

  it.effect("the sandbox refuses bad parameters as ValidationFailed", () =>
    Effect.gen(function*() {
      const limit = yield* Effect.flip(Persons.search({ term: "ada", limit: 501 }))
      expect(limit._tag).toBe("ValidationFailed")
      const cursor = yield* Effect.flip(Persons.search({ term: "ada", cursor: "not-a-cursor!" }))
      expect(cursor._tag).toBe("ValidationFailed")
    }))

  it.effect("v2 searchStream walks every page; a saved cursor resumes after its page", () =>
    Effect.gen(function*() {
      const all = yield* Persons.searchStream({ term: "example", fields: ["email"], limit: 100 }).pipe(
        Stream.map((result) => result.item.id),
        Stream.runCollect,
        Effect.map(Chunk.toReadonlyArray)
      )
      expect(all.length).toBeGreaterThan(1000)
      expect(new Set(all).size).toBe(all.length)
      const first = yield* Persons.searchPages({ term: "example", fields: ["email"], limit: 100 }).pipe(
        Stream.take(1),
        Stream.runCollect,
        Effect.map(Chunk.unsafeHead)
      )
      expect(first.nextCursor).toEqual(expect.any(String))
      const rest = yield* Persons.searchStream({ term: "example", fields: ["email"], limit: 100, cursor: first.nextCursor })
        .pipe(Stream.map((result) => result.item.id), Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
      expect([...first.items.map((result) => result.item.id), ...rest]).toEqual(all)
    }))

  it.effect("a search with no match streams nothing, in one request", () =>
    Effect.gen(function*() {
      const pages = yield* Persons.searchPages({ term: "zzzzzz-nobody" }).pipe(Stream.runCollect)
      expect(Chunk.size(pages)).toBe(1)
      expect(Chunk.unsafeHead(pages).items).toEqual([])
      const v1 = yield* PersonsV1.searchStream({ term: "zzzzzz-nobody" }).pipe(Stream.runCount)
      expect(v1).toBe(0)
    }))

  it.effect("v1 search pages by offset, and resumes from a saved start", () =>
    Effect.gen(function*() {
      const pages = yield* PersonsV1.searchPages({ term: "example.org", fields: ["email"], limit: 200 }).pipe(
        Stream.runCollect,
        Effect.map(Chunk.toReadonlyArray)
      )
      expect(pages.length).toBeGreaterThan(1)
      expect(pages.map((page) => page.start)).toEqual(pages.map((_, index) => index * 200))
      expect(pages.at(-1)?.nextStart).toBeUndefined()
      const all = pages.flatMap((page) => page.items.map((result) => result.item.id))
      const scores = pages.flatMap((page) => page.items.map((result) => result.result_score ?? 0))
      expect([...scores].sort((a, b) => b - a)).toEqual(scores)
      const rest = yield* PersonsV1.searchStream({ term: "example.org", fields: ["email"], limit: 200, start: 200 }).pipe(
        Stream.map((result) => result.item.id),
        Stream.runCollect,
        Effect.map(Chunk.toReadonlyArray)
      )
      expect(rest).toEqual(all.slice(200))
    }))

  it.effect("findByName (deprecated) matches names, or emails with search_by_email", () =>
    Effect.gen(function*() {
      const byName = yield* PersonsV1.findByName({ term: "Quuxley" })
      expect(byName.items.map((person) => person.name)).toEqual(["Quuxley Brothers Fan", "Ada Quuxley"])
      expect(byName.items[1]).toMatchObject({ email: "ada.quuxley@example.com", org_id: 4 })
      expect(byName.nextStart).toBeUndefined()
      const byEmail = yield* PersonsV1.findByName({ term: "ada.quuxley@", search_by_email: true })
      expect(byEmail.items.map((person) => person.name)).toEqual(["Ada Quuxley"])
      const none = yield* PersonsV1.findByName({ term: "nobody-at-all" })
      expect(none.items).toEqual([])
      const paged = yield* PersonsV1.findByName({ term: "quuxley", limit: 1 })
      expect(paged.nextStart).toBe(1)
      const bad = yield* Effect.flip(PersonsV1.findByName({ term: "" }))
      expect(bad._tag).toBe("ValidationFailed")
    }))
})
