/** API v1 person writes against the in-process sandbox: create, update (PUT), delete, bulk delete. */
import { FetchHttpClient, HttpClient } from "@effect/platform"
import { describe, expect, it, layer } from "@effect/vitest"
import { PersonsV1, PipedriveClient } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Effect, Layer, Option, Redacted } from "effect"
import * as Sandbox from "./support/Sandbox.ts"

/** The custom field keys of the sandbox company, by name. */
const customKey = (name: string) =>
  Effect.map(PipedriveSandbox.PipedriveSandbox, (sandbox) => {
    const field = sandbox.store.seed.customFields.find((candidate) => candidate.name === name)
    if (field === undefined) throw new Error(`no custom field ${name}`)
    return PersonsV1.CustomFieldKey.make(field.key)
  })

layer(Sandbox.layer({ persons: 50 }))("PersonsV1 writes", (it) => {
  it.effect("create sends v1's body and returns the person in v1's shape", () =>
    Effect.gen(function*() {
      const linkedIn = yield* customKey("LinkedIn profile")
      const leadSource = yield* customKey("Lead source")
      const person = yield* PersonsV1.create({
        name: "Ada Lovelace",
        owner_id: 900002,
        org_id: 3,
        email: [{ value: "ada@example.com", primary: true, label: "work" }, { value: "ada@home.example.org" }],
        phone: "+44 20 7946 0000",
        label_ids: [1, 3],
        visible_to: "1",
        add_time: "2024-03-01 10:00:00",
        [linkedIn]: "https://www.linkedin.com/in/ada",
        [leadSource]: 102
      })
      expect(person.id).toBe(51)
      expect(person.name).toBe("Ada Lovelace")
      expect(PersonsV1.ownerId(person)).toBe(900002)
      expect(PersonsV1.orgId(person)).toBe(3)
      expect(person.email).toEqual([
        { value: "ada@example.com", primary: true, label: "work" },
        { value: "ada@home.example.org", primary: false, label: "work" }
      ])
      expect(person.phone).toEqual([{ value: "+44 20 7946 0000", primary: true, label: "work" }])
      expect(person.visible_to).toBe("1")
      expect(person.label_ids).toEqual([1, 3])
      expect(person.add_time).toBe("2024-03-01 10:00:00")
      expect(person[linkedIn]).toBe("https://www.linkedin.com/in/ada")
      expect(person[leadSource]).toBe("102")
      expect((yield* PersonsV1.get(51)).name).toBe("Ada Lovelace")
    }))

  it.effect("update (PUT) changes only the given fields", () =>
    Effect.gen(function*() {
      const before = yield* PersonsV1.get(5)
      const updated = yield* PersonsV1.update(5, { phone: ["+1 555 0100"], label: 2 })
      expect(updated.name).toBe(before.name)
      expect(updated.email).toEqual(before.email)
      expect(updated.phone).toEqual([{ value: "+1 555 0100", primary: true, label: "work" }])
      expect(updated.label_ids).toEqual([2])
      const renamed = yield* PersonsV1.update(5, { name: "Grace Hopper", org_id: null })
      expect(renamed.first_name).toBe("Grace")
      expect(renamed.org_id).toBeNull()
    }))

  it.effect("remove deletes one person; a missing one is NotFound", () =>
    Effect.gen(function*() {
      expect(yield* PersonsV1.remove(7)).toBe(7)
      const again = yield* Effect.flip(PersonsV1.remove(7))
      expect(again._tag).toBe("NotFound")
      expect((yield* Effect.flip(PersonsV1.get(7)))._tag).toBe("NotFound")
      expect((yield* Effect.flip(PersonsV1.update(7, { name: "x y" })))._tag).toBe("NotFound")
    }))

  it.effect("bodies are checked before sending: unknown keys, blank names, bad custom keys", () =>
    Effect.gen(function*() {
      // @ts-expect-error a typo'd standard key is refused by the compiler too
      const typo = yield* Effect.flip(PersonsV1.create({ name: "Ada", emial: ["a@b.c"] }))
      expect(typo._tag).toBe("InvalidRequest")
      expect(typo.message).toContain("emial")
      const blank = yield* Effect.flip(PersonsV1.create({ name: "  " }))
      expect(blank._tag).toBe("InvalidRequest")
      const time = yield* Effect.flip(PersonsV1.update(1, { add_time: "2024-03-01T10:00:00Z" }))
      expect(time.message).toContain("add_time")
      const visibility = yield* Effect.flip(
        // @ts-expect-error 2 is not a visibility level
        PersonsV1.update(1, { visible_to: "2" })
      )
      expect(visibility._tag).toBe("InvalidRequest")
    }))

  it.effect("the sandbox's own validation comes back as ValidationFailed", () =>
    Effect.gen(function*() {
      const owner = yield* Effect.flip(PersonsV1.create({ name: "Ada", owner_id: 12345 }))
      expect(owner._tag).toBe("ValidationFailed")
      expect(owner.message).toContain("owner_id")
      const unknownField = yield* Effect.flip(
        PersonsV1.create({ name: "Ada", [PersonsV1.CustomFieldKey.make("0".repeat(40))]: "x" })
      )
      expect(unknownField._tag).toBe("ValidationFailed")
      const lifetime = yield* customKey("Lifetime value")
      const badValue = yield* Effect.flip(PersonsV1.update(2, { [lifetime]: "a lot" }))
      expect(badValue._tag).toBe("ValidationFailed")
    }))

  it.effect("removeMany deletes up to 100 ids, skipping missing ones", () =>
    Effect.gen(function*() {
      expect(yield* PersonsV1.removeMany([10, 11, 12, 9999])).toEqual([10, 11, 12])
      const none = yield* Effect.flip(PersonsV1.removeMany([10, 11]))
      expect(none._tag).toBe("NotFound")
    }))

  it.effect("removeMany refuses more than 100 ids, or none, without sending", () =>
    Effect.gen(function*() {
      const many = Array.from({ length: 101 }, (_, i) => i + 1)
      const tooMany = yield* Effect.flip(PersonsV1.removeMany(many))
      expect(tooMany._tag).toBe("InvalidRequest")
      expect((yield* Effect.flip(PersonsV1.removeMany([])))._tag).toBe("InvalidRequest")
      expect((yield* Effect.flip(PersonsV1.removeMany([0])))._tag).toBe("InvalidRequest")
      // Nothing was deleted.
      expect((yield* PersonsV1.get(1)).id).toBe(1)
    }))
})

describe("PersonsV1.removeAll", () => {
  const sent: Array<string> = []
  const counted = Layer.unwrapEffect(
    Effect.map(PipedriveSandbox.PipedriveSandbox, (sandbox) =>
      PipedriveClient.layer({
        apiToken: Redacted.make(sandbox.token),
        baseUrl: sandbox.url,
        transformClient: HttpClient.tapRequest((request) => Effect.sync(() => sent.push(`${request.method} ${request.url}`)))
      }))
  ).pipe(
    Layer.provideMerge(PipedriveSandbox.layer({ persons: 300, seed: "core-tests" })),
    Layer.provide(FetchHttpClient.layer)
  )

  layer(counted)((it) => {
    it.effect("chunks 250 ids into 3 calls of at most 100 and returns every deleted id", () =>
      Effect.gen(function*() {
        const sandbox = yield* PipedriveSandbox.PipedriveSandbox
        const ids = Array.from({ length: 250 }, (_, i) => i + 1)
        sent.length = 0
        const deleted = yield* PersonsV1.removeAll(ids, { concurrency: 2 })
        expect([...deleted].sort((a, b) => a - b)).toEqual(ids)
        expect(sent).toHaveLength(3)
        expect(sent.every((line) => line.startsWith("DELETE ") && line.includes("/api/v1/persons"))).toBe(true)
        expect(yield* sandbox.store.count).toBe(50)
        expect(Option.isNone(yield* sandbox.store.get(250))).toBe(true)
        expect(Option.isSome(yield* sandbox.store.get(251))).toBe(true)
      }))

    it.effect("no ids, no calls", () =>
      Effect.gen(function*() {
        sent.length = 0
        expect(yield* PersonsV1.removeAll([])).toEqual([])
        expect(sent).toEqual([])
      }))
  })
})

it("CustomFieldKey refuses anything but 40 hex characters", () => {
  expect(() => PersonsV1.CustomFieldKey.make("nope")).toThrow()
  expect(PersonsV1.CustomFieldKey.make("a".repeat(40))).toBe("a".repeat(40))
})
