/**
 * How a client finds an account's `update_time` span: the first and the last person by update_time,
 * one `limit=1` v2 list each way, within an updated_since/updated_until window.
 */
import { expect, layer } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Effect, TestClock } from "effect"
import { call, type V2List } from "./support/Http.ts"

const rfc3339 = (millis: number) => new Date(millis).toISOString().replace(".000Z", "Z")

const edge = (sandbox: PipedriveSandbox.Service, direction: "asc" | "desc", since: number, until: number) =>
  Effect.map(
    call<V2List>(
      sandbox,
      `/api/v2/persons?sort_by=update_time&sort_direction=${direction}&updated_since=${rfc3339(since)}&updated_until=${rfc3339(until)}&limit=1`
    ),
    (reply) => {
      expect(reply.status).toBe(200)
      expect(reply.body.data.length).toBeLessThanOrEqual(1)
      return { person: reply.body.data[0], more: reply.body.additional_data.next_cursor !== null }
    }
  )

layer(PipedriveSandbox.layer({ persons: 2_000, seed: "span", bulkUpdateShare: 0.25 }))("update_time span", (it) => {
  it.effect("limit=1 asc and desc give the first and the last person by update_time in the window", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const seed = sandbox.store.seed
      const all = [Date.UTC(2000, 0, 1), Date.UTC(2100, 0, 1)] as const
      const first = yield* edge(sandbox, "asc", ...all)
      const last = yield* edge(sandbox, "desc", ...all)
      expect([first.person?.id, first.more]).toEqual([1, true])
      expect([last.person?.id, last.more]).toEqual([2_000, true])
      expect(first.person?.update_time).toBe(rfc3339(seed.updateTime(1)))

      // A window that starts and ends on the plateau: asc gives its first id, desc its last.
      const bulk = seed.bulkUpdate!
      const plateau = [bulk.time, bulk.time + 1000] as const
      expect((yield* edge(sandbox, "asc", ...plateau)).person?.id).toBe(bulk.first)
      expect((yield* edge(sandbox, "desc", ...plateau)).person?.id).toBe(bulk.last)
      // updated_until is exclusive: a window ending at the plateau second ends before the block.
      expect((yield* edge(sandbox, "desc", all[0], bulk.time)).person?.id).toBe(bulk.first - 1)
      expect((yield* edge(sandbox, "asc", bulk.time + 1000, all[1])).person?.id).toBe(bulk.last + 1)

      // Edits move persons to now; the span follows them, and the window still bounds them.
      yield* TestClock.setTime(Date.UTC(2026, 5, 1, 12))
      yield* sandbox.store.update(5, { name: "Edited Late" })
      yield* sandbox.store.update(1_999, { name: "Edited Later" })
      yield* TestClock.setTime(Date.UTC(2026, 5, 1, 13))
      yield* sandbox.store.update(1_999, { name: "Edited Latest" })
      const newest = yield* edge(sandbox, "desc", ...all)
      expect([newest.person?.id, newest.person?.update_time]).toEqual([1_999, "2026-06-01T13:00:00Z"])
      expect((yield* edge(sandbox, "asc", ...all)).person?.id).toBe(1)
      const before = yield* edge(sandbox, "desc", all[0], Date.UTC(2026, 5, 1, 13))
      expect([before.person?.id, before.person?.update_time]).toEqual([5, "2026-06-01T12:00:00Z"])
      const after = yield* edge(sandbox, "asc", Date.UTC(2026, 5, 1, 12, 0, 1), all[1])
      expect([after.person?.id, after.more]).toEqual([1_999, false])
      yield* sandbox.store.delete(1)
      expect((yield* edge(sandbox, "asc", ...all)).person?.id).toBe(2)

      // Empty windows: nothing, and no cursor.
      const empty = yield* edge(sandbox, "asc", Date.UTC(2099, 0, 1), all[1])
      expect([empty.person, empty.more]).toEqual([undefined, false])
      const early = yield* edge(sandbox, "desc", all[0], Date.UTC(2001, 0, 1))
      expect([early.person, early.more]).toEqual([undefined, false])
      const reversed = yield* edge(sandbox, "desc", all[1], all[0])
      expect([reversed.person, reversed.more]).toEqual([undefined, false])
    }))
})
