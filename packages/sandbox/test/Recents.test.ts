/** `GET /api/v1/recents` over HTTP: persons changed since a time, offsets, validation. */
import { expect, layer } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import * as Seed from "../src/internal/store/Seed.ts"
import { Effect, TestClock } from "effect"
import { call, type ErrorBody } from "./support/Http.ts"

interface Recents {
  readonly success: true
  readonly data: ReadonlyArray<{
    readonly item: string
    readonly id: number
    readonly data: { readonly id: number; readonly name: string; readonly owner_id: number; readonly org_id: number | null; readonly update_time: string }
  }>
  readonly additional_data: {
    readonly since_timestamp: string
    readonly last_timestamp_on_page: string | null
    readonly pagination: { readonly start: number; readonly limit: number; readonly more_items_in_collection: boolean }
  }
}

const v1Time = (millis: number) => new Date(millis).toISOString().slice(0, 19).replace("T", " ")

layer(PipedriveSandbox.layer({ persons: 1000, seed: "recents" }))("GET /api/v1/recents", (it) => {
  it.effect("lists persons updated since the time, oldest first, in v1's shape with ids for owner and org", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      // Seeded person 990 was updated between 990 × 37 s and 36 s later.
      const since = v1Time(Seed.EPOCH + 990 * 37_000 + 36_000)
      const reply = yield* call<Recents>(sandbox, `/api/v1/recents?items=person&since_timestamp=${encodeURIComponent(since)}`)
      expect(reply.status).toBe(200)
      const ids = reply.body.data.map((entry) => entry.id)
      expect(ids.length).toBeGreaterThanOrEqual(9)
      expect(ids.length).toBeLessThanOrEqual(10)
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      expect(ids.at(-1)).toBe(1000)
      const entry = reply.body.data[0]!
      expect(entry.item).toBe("person")
      expect(entry.data.id).toBe(entry.id)
      expect(typeof entry.data.owner_id).toBe("number")
      expect(entry.data.update_time >= since).toBe(true)
      expect(reply.body.additional_data).toEqual({
        since_timestamp: since,
        last_timestamp_on_page: reply.body.data.at(-1)!.data.update_time,
        pagination: { start: 0, limit: 100, more_items_in_collection: false }
      })
    }))

  it.effect("a changed person moves to the end with its new update_time", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      yield* TestClock.setTime(Date.UTC(2026, 0, 1, 12, 0, 0))
      yield* sandbox.store.update(5, { name: "Fresh Change" })
      const reply = yield* call<Recents>(sandbox, "/api/v1/recents?since_timestamp=2025-12-31%2000:00:00")
      expect(reply.body.data.map((entry) => [entry.id, entry.data.name, entry.data.update_time])).toEqual([
        [5, "Fresh Change", "2026-01-01 12:00:00"]
      ])
      const deals = yield* call<Recents>(sandbox, "/api/v1/recents?items=deal&since_timestamp=2020-01-01%2000:00:00")
      expect(deals.body.data).toEqual([])
      expect(deals.body.additional_data.last_timestamp_on_page).toBeNull()
    }))

  it.effect("pages by start and limit; sequential pages and jumps agree", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const walked: Array<number> = []
      let start = 0
      let more = true
      while (more) {
        const reply: { readonly body: Recents } = yield* call<Recents>(
          sandbox,
          `/api/v1/recents?items=person&since_timestamp=2024-01-01%2000:00:00&start=${start}&limit=300`
        )
        walked.push(...reply.body.data.map((entry) => entry.id))
        more = reply.body.additional_data.pagination.more_items_in_collection
        start += 300
      }
      expect(walked).toHaveLength(yield* sandbox.store.count)
      expect(new Set(walked).size).toBe(walked.length)
      const jump = yield* call<Recents>(sandbox, "/api/v1/recents?since_timestamp=2024-01-01%2000:00:00&start=457&limit=5")
      expect(jump.body.data.map((entry) => entry.id)).toEqual(walked.slice(457, 462))
    }))

  it.effect("validates since_timestamp, items, start and limit", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      for (const query of ["", "since_timestamp=today", "since_timestamp=2024-01-01%2000:00:00&items=persons", "since_timestamp=2024-01-01%2000:00:00&limit=501", "since_timestamp=2024-01-01%2000:00:00&start=-1"]) {
        const reply = yield* call<ErrorBody>(sandbox, `/api/v1/recents?${query}`)
        expect(reply.status, query).toBe(400)
      }
    }))
})
