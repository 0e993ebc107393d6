/**
 * `bulkUpdateShare`: a block of seeded persons with one `update_time` second, and listings that stay
 * exact across it (time windows that cut at that second, cursors that stop inside it).
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import * as Seed from "../src/internal/store/Seed.ts"
import { Effect } from "effect"
import { call, type V1List, type V2List, walkV2 } from "./support/Http.ts"

const PERSONS = 5_000
const rfc3339 = (millis: number) => new Date(millis).toISOString().replace(".000Z", "Z")
const v1Time = (millis: number) => rfc3339(millis).replace("T", " ").replace("Z", "")
const idsOf = (pages: ReadonlyArray<V2List>) => pages.flatMap((page) => page.data.map((person) => person.id))
const sortedCopy = (ids: ReadonlyArray<number>) => [...ids].sort((a, b) => a - b)

describe("Seed.bulkUpdateOf", () => {
  it("puts a share of the ids, mid-range, on the update second of the block's last id", () => {
    const seed = Seed.make({ seed: "bulk", persons: 1_000, bulkUpdateShare: 0.2 })
    const plain = Seed.make({ seed: "bulk", persons: 1_000 })
    expect(seed.bulkUpdate).toEqual({ first: 401, last: 600, time: plain.updateTime(600) })
    for (let id = 1; id <= 1_000; id++) {
      const inside = id >= 401 && id <= 600
      expect(seed.updateTime(id)).toBe(inside ? plain.updateTime(600) : plain.updateTime(id))
      expect(seed.person(id).updateTime).toBe(seed.updateTime(id))
      expect(seed.updateTime(id)).toBeGreaterThanOrEqual(seed.addTime(id))
      if (id > 1) expect(seed.updateTime(id)).toBeGreaterThanOrEqual(seed.updateTime(id - 1))
    }
    expect(Seed.make({ seed: "bulk", persons: 1_000, bulkUpdateShare: 1 }).bulkUpdate).toMatchObject({ first: 1, last: 1_000 })
    expect(Seed.make({ seed: "bulk", persons: 1_000, bulkUpdateShare: 0 }).bulkUpdate).toBeUndefined()
    expect(plain.bulkUpdate).toBeUndefined()
  })

  it.scoped("start dies on a share outside 0–1, naming the option", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(PipedriveSandbox.start({ bulkUpdateShare: 1.5 }))
      expect(String(exit)).toContain("PipedriveSandbox: bulkUpdateShare must be a number from 0 to 1, got 1.5")
    }))
})

layer(PipedriveSandbox.layer({ persons: PERSONS, seed: "bulk", bulkUpdateShare: 0.3 }))("across the plateau", (it) => {
  const plateau = Effect.map(PipedriveSandbox.PipedriveSandbox, (sandbox) => sandbox.store.seed.bulkUpdate!)

  it.effect("1,500 seeded persons share one update_time second", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const bulk = yield* plateau
      expect(bulk.last - bulk.first + 1).toBe(1_500)
      const pages = yield* walkV2(sandbox, `updated_since=${rfc3339(bulk.time)}&updated_until=${rfc3339(bulk.time + 1000)}&limit=500`)
      expect(idsOf(pages)).toEqual(Array.from({ length: 1_500 }, (_, i) => bulk.first + i))
      expect(new Set(pages.flatMap((page) => page.data.map((person) => person.update_time)))).toEqual(
        new Set([rfc3339(bulk.time)])
      )
    }))

  it.effect("v2 windows cut at the plateau second, walked by 500 with cursors, give each person exactly once", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const bulk = yield* plateau
      // Changed persons on the plateau second too: one inside the block, two outside it.
      for (const id of [bulk.first + 10, 7, PERSONS - 3]) {
        yield* sandbox.store.update(id, { name: `Bulk Edited ${id}`, updateTime: bulk.time })
      }
      const edges = [Seed.EPOCH, bulk.time - 1000, bulk.time, bulk.time + 1000, Date.UTC(2100, 0, 1)]
      for (const sort of ["sort_by=id", "sort_by=update_time", "sort_by=update_time&sort_direction=desc"]) {
        const seen: Array<number> = []
        for (let i = 0; i + 1 < edges.length; i++) {
          const window = `updated_since=${rfc3339(edges[i]!)}&updated_until=${rfc3339(edges[i + 1]!)}`
          const pages = yield* walkV2(sandbox, `${sort}&${window}&limit=500`)
          for (const person of pages.flatMap((page) => page.data)) {
            const time = Date.parse(person.update_time)
            expect(time >= edges[i]! && time < edges[i + 1]!, `${sort} ${window}: ${person.id}`).toBe(true)
          }
          const ids = idsOf(pages)
          if (sort.startsWith("sort_by=update_time")) {
            const keys = pages.flatMap((page) => page.data.map((person) => [Date.parse(person.update_time), person.id] as const))
            const sign = sort.endsWith("desc") ? -1 : 1
            for (let k = 1; k < keys.length; k++) {
              const [a, b] = [keys[k - 1]!, keys[k]!]
              expect(sign * (a[0] - b[0] || a[1] - b[1]), `${sort} order at ${b[1]}`).toBeLessThan(0)
            }
          }
          seen.push(...ids)
        }
        expect(sortedCopy(seen), sort).toEqual(Array.from({ length: PERSONS }, (_, i) => i + 1))
      }
      const onPlateau = yield* walkV2(sandbox, `updated_since=${rfc3339(bulk.time)}&updated_until=${rfc3339(bulk.time + 1000)}&limit=500`)
      expect(idsOf(onPlateau)).toHaveLength(1_502)
    }), 60_000)

  it.effect("v1 lists sorted by update_time walk across the plateau by offset, each person once and in order", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const bulk = yield* plateau
      for (const direction of ["ASC", "DESC"]) {
        const seen: Array<{ readonly id: number; readonly time: string }> = []
        let start: number | undefined = 0
        while (start !== undefined) {
          const reply: { body: V1List } = yield* call<V1List>(
            sandbox,
            `/api/v1/persons?sort=${encodeURIComponent(`update_time ${direction}`)}&limit=500&start=${start}`
          )
          for (const person of reply.body.data ?? []) seen.push({ id: person.id, time: String(person["update_time"]) })
          start = reply.body.additional_data.pagination.next_start
        }
        expect(sortedCopy(seen.map((entry) => entry.id)), direction).toEqual(Array.from({ length: PERSONS }, (_, i) => i + 1))
        const sign = direction === "DESC" ? -1 : 1
        for (let k = 1; k < seen.length; k++) {
          const [a, b] = [seen[k - 1]!, seen[k]!]
          expect(sign * (a.time < b.time ? -1 : a.time > b.time ? 1 : a.id - b.id), `${direction} at ${b.id}`).toBeLessThan(0)
        }
        expect(seen.filter((entry) => entry.time === v1Time(bulk.time)).length).toBeGreaterThanOrEqual(1_500)
      }
    }), 60_000)
})
