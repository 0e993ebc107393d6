/** The v1 collection (global admins only) and recents against the in-process sandbox. */
import { FetchHttpClient } from "@effect/platform"
import { expect, layer } from "@effect/vitest"
import { PersonsV1, PipedriveClient } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Chunk, Effect, Layer, Redacted, Stream, TestClock } from "effect"

const REGULAR_TOKEN = "regular-user-token"

const environment = Layer.unwrapEffect(
  Effect.map(PipedriveSandbox.PipedriveSandbox, (sandbox) =>
    PipedriveClient.layer({ apiToken: Redacted.make(sandbox.token), baseUrl: sandbox.url }))
).pipe(
  Layer.provideMerge(PipedriveSandbox.layer({ persons: 1200, seed: "core-tests", regularTokens: [REGULAR_TOKEN] })),
  Layer.provide(FetchHttpClient.layer)
)

/** The same sandbox, called with a token of a user who is not a global admin. */
const asRegularUser = <A, E>(effect: Effect.Effect<A, E, PipedriveClient.PipedriveClient>) =>
  Effect.flatMap(PipedriveSandbox.PipedriveSandbox, (sandbox) =>
    Effect.provide(
      effect,
      PipedriveClient.layer({ apiToken: Redacted.make(REGULAR_TOKEN), baseUrl: sandbox.url }).pipe(
        Layer.provide(FetchHttpClient.layer)
      )
    ))

/** Seeded person `id` was added at 2024-01-01 + id × 37 s and updated up to 36 s later. */
const v1Time = (millis: number) => new Date(millis).toISOString().slice(0, 19).replace("T", " ")

layer(environment)("collection and recents", (it) => {
  it.effect("collection walks every person by cursor to the last page", () =>
    Effect.gen(function*() {
      const pages = yield* PersonsV1.collectionPages({ limit: 500 }).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray))
      expect(pages).toHaveLength(3)
      expect(pages[0]?.cursor).toBeUndefined()
      expect(pages.at(-1)?.nextCursor).toBeUndefined()
      const ids = pages.flatMap((page) => page.items.map((person) => person.id))
      expect(ids).toEqual(Array.from({ length: 1200 }, (_, i) => i + 1))
      const first = pages[0]!.items[0]!
      expect(first).toMatchObject({ id: 1, active_flag: true, delete_time: null })
      expect(first.owner_id).toEqual(expect.any(Number))
      expect(typeof first.visible_to).toBe("string")
    }))

  it.effect("collection resumes from a saved cursor, and filters by owner, time and first letter", () =>
    Effect.gen(function*() {
      const first = yield* PersonsV1.collection({ limit: 100 })
      const rest = yield* PersonsV1.collectionStream({ limit: 250, cursor: first.nextCursor }).pipe(
        Stream.map((person) => person.id),
        Stream.runCollect,
        Effect.map(Chunk.toReadonlyArray)
      )
      expect(rest).toEqual(Array.from({ length: 1100 }, (_, i) => i + 101))

      const owned = yield* PersonsV1.collectionStream({ owner_id: 900002, limit: 500 }).pipe(Stream.runCollect)
      expect(Chunk.size(owned)).toBeGreaterThan(0)
      expect(Chunk.every(owned, (person) => person.owner_id === 900002)).toBe(true)

      const since = v1Time(Date.UTC(2024, 0, 1) + 1000 * 37_000 + 36_000)
      const late = yield* PersonsV1.collectionStream({ since, limit: 500 }).pipe(Stream.runCollect)
      expect(Chunk.toReadonlyArray(late).every((person) => (person.update_time ?? "") >= since)).toBe(true)
      expect(Chunk.size(late)).toBeGreaterThan(190)
      expect(Chunk.size(late)).toBeLessThanOrEqual(200)

      const letter = yield* PersonsV1.collection({ first_char: "a", limit: 500 })
      expect(letter.items.every((person) => (person.name ?? "").toLowerCase().startsWith("a"))).toBe(true)
      const none = yield* PersonsV1.collectionStream({ owner_id: 123 }).pipe(Stream.runCount)
      expect(none).toBe(0)
    }))

  it.effect("collection is for global admins: a regular user's token gets Forbidden", () =>
    Effect.gen(function*() {
      const error = yield* Effect.flip(asRegularUser(PersonsV1.collection()))
      expect(error._tag).toBe("Forbidden")
      if (error._tag === "Forbidden") expect(error.status).toBe(403)
      // The same token may read persons otherwise.
      expect((yield* asRegularUser(PersonsV1.get(1))).id).toBe(1)
    }))

  it.effect("collection refuses a bad time or cursor as ValidationFailed", () =>
    Effect.gen(function*() {
      expect((yield* Effect.flip(PersonsV1.collection({ since: "yesterday" })))._tag).toBe("ValidationFailed")
      expect((yield* Effect.flip(PersonsV1.collection({ cursor: "%%%" })))._tag).toBe("ValidationFailed")
    }))

  it.effect("recents lists persons changed since a time, oldest change first, to the last page", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      // Seeded times run to 2024-01-01 12:20; these changes happen on 2025-06-01.
      yield* TestClock.setTime(Date.UTC(2025, 5, 1, 9, 0, 0))
      yield* sandbox.store.update(40, { name: "Changed First" })
      yield* TestClock.setTime(Date.UTC(2025, 5, 1, 9, 0, 5))
      const created = yield* sandbox.store.create({ name: "Created Later" })
      yield* TestClock.setTime(Date.UTC(2025, 5, 1, 9, 0, 9))
      yield* sandbox.store.update(7, { name: "Changed Last" })

      const page = yield* PersonsV1.recents({ since_timestamp: "2025-06-01 00:00:00" })
      expect(page.items.map((entry) => [entry.item, entry.id])).toEqual([["person", 40], ["person", created.id], ["person", 7]])
      expect(page.items[0]?.data?.name).toBe("Changed First")
      expect(page.items[0]?.data?.update_time).toBe("2025-06-01 09:00:00")
      expect(page.lastTimestampOnPage).toBe("2025-06-01 09:00:09")
      expect(page.nextStart).toBeUndefined()

      const empty = yield* PersonsV1.recentsPages({ since_timestamp: "2030-01-01 00:00:00" }).pipe(Stream.runCollect)
      expect(Chunk.size(empty)).toBe(1)
      expect(Chunk.unsafeHead(empty).items).toEqual([])
    }))

  it.effect("recentsStream walks offsets to the end and resumes from a saved start", () =>
    Effect.gen(function*() {
      const since = v1Time(Date.UTC(2024, 0, 1) + 500 * 37_000 + 36_000)
      const all = yield* PersonsV1.recentsStream({ since_timestamp: since, limit: 100 }).pipe(
        Stream.map((entry) => entry.id),
        Stream.runCollect,
        Effect.map(Chunk.toReadonlyArray)
      )
      expect(all.length).toBeGreaterThan(600)
      expect(new Set(all).size).toBe(all.length)
      const rest = yield* PersonsV1.recentsStream({ since_timestamp: since, limit: 100, start: 300 }).pipe(
        Stream.map((entry) => entry.id),
        Stream.runCollect,
        Effect.map(Chunk.toReadonlyArray)
      )
      expect(rest).toEqual(all.slice(300))
    }))

  it.effect("recents checks since_timestamp before sending; the sandbox checks the rest", () =>
    Effect.gen(function*() {
      const bad = yield* Effect.flip(PersonsV1.recents({ since_timestamp: "2025-06-01T00:00:00Z" }))
      expect(bad._tag).toBe("InvalidRequest")
      const limit = yield* Effect.flip(PersonsV1.recents({ since_timestamp: "2025-06-01 00:00:00", limit: 0 }))
      expect(limit._tag).toBe("ValidationFailed")
    }))
})
