/**
 * The bookkeeping of `Persons.streamPartitioned` on its own (no server): even windows, splitting the
 * biggest remaining range, and a state that counts only what was emitted.
 */
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { initial, PartitionState, Plan, rfc3339, secondsOf } from "../src/internal/Partition.ts"

interface Item {
  readonly id: number
  readonly t: number
}
const timeOf = (item: Item) => item.t

describe("Partition", () => {
  it("cuts the span into even half-open windows, never shorter than a second", () => {
    const state = initial({ since: 100, until: 110 }, 109, 3)
    expect(state.windows.map((w) => [w.since, w.until])).toEqual([[100, 103], [103, 106], [106, 110]])
    expect(initial({ since: 100, until: 102 }, 101, 8).windows).toHaveLength(2)
    expect(initial({ since: 5, until: 5 }, null, 4)).toMatchObject({ phase: "catch-up", windows: [] })
  })

  it("reads and writes Pipedrive's whole-second RFC 3339", () => {
    expect(rfc3339(secondsOf("2024-01-01T00:00:37Z")!)).toBe("2024-01-01T00:00:37Z")
    expect(secondsOf("2024-01-01T00:00:37.900Z")).toBe(secondsOf("2024-01-01T00:00:37Z"))
    expect(secondsOf(null)).toBeUndefined()
  })

  it("a free walker takes the upper half of the remaining range of the biggest window; the owner stops at the new bound", () => {
    // Pages of one person, so that a few persons are "more than two pages".
    const plan = new Plan(initial({ since: 0, until: 100 }, 99, 1), 1)
    const owner = plan.assign()!
    // The owner fetched up to second 20: 80 seconds left, split at 60.
    const first = plan.fetched(owner, [{ id: 1, t: 10 }, { id: 2, t: 20 }], "c1", timeOf)
    expect(first.final).toBe(false)
    const upper = plan.assign()!
    expect([upper.since, upper.until, owner.until]).toEqual([60, 100, 60])
    // The owner's request in flight during the split comes back past the bound: cut there, done.
    const second = plan.fetched(owner, [{ id: 3, t: 59 }, { id: 4, t: 60 }, { id: 5, t: 70 }], "c2", timeOf)
    expect(second).toMatchObject({ items: [{ id: 3, t: 59 }], final: true })
    expect(owner.fetchDone).toBe(true)
  })

  it("a window that seems to hold two pages or less is not split: halving it would only add a request", () => {
    const plan = new Plan(initial({ since: 0, until: 100 }, 99, 1), 10)
    const owner = plan.assign()!
    // 5 persons in 20 s: about 20 in the 80 s left, two pages of 10.
    plan.fetched(owner, [1, 2, 3, 4, 5].map((id) => ({ id, t: id * 4 })), "c1", timeOf)
    expect(plan.assign()).toBeUndefined()
    // 20 persons in the same 20 s: about 80 left, so it is halved.
    plan.fetched(owner, Array.from({ length: 15 }, (_, i) => ({ id: 6 + i, t: 20 })), "c2", timeOf)
    expect(plan.assign()).toMatchObject({ since: 60, until: 100 })
  })

  it("a one-second window is never split: its walker takes it to the end", () => {
    const plan = new Plan(initial({ since: 7, until: 8 }, 7, 1))
    const only = plan.assign()!
    plan.fetched(only, [{ id: 1, t: 7 }], "c1", timeOf)
    expect(plan.assign()).toBeUndefined()
    expect(plan.hasWork()).toBe(false)
  })

  it("the state counts what was emitted, not what is queued, and resumes into the same windows", () => {
    const plan = new Plan(initial({ since: 0, until: 100 }, 99, 1), 1)
    const owner = plan.assign()!
    const page1 = plan.fetched(owner, [{ id: 1, t: 10 }], "c1", timeOf)
    const page2 = plan.fetched(owner, [{ id: 2, t: 30 }], "c2", timeOf)
    // Fetched two pages, emitted one: the state is after page 1.
    expect(plan.emit(owner, page1, timeOf)).toEqual([{ id: 1, t: 10 }])
    const afterFirst = plan.snapshot()
    expect(afterFirst.windows).toEqual([{ since: 0, until: 100, queryUntil: 100, cursor: "c1", position: 10 }])
    expect(afterFirst.emitted).toBe(1)
    // A split after the fetch of page 2 (at 30 + 35 = 65) shows in the state of the next emission.
    const upper = plan.assign()!
    expect(upper.since).toBe(65)
    plan.emit(owner, page2, timeOf)
    const afterSecond = Schema.decodeUnknownSync(PartitionState)(JSON.parse(JSON.stringify(plan.snapshot())))
    expect(afterSecond.windows).toEqual([
      { since: 0, until: 65, queryUntil: 100, cursor: "c2", position: 30 },
      { since: 65, until: 100, queryUntil: 100, cursor: null, position: null }
    ])
    // Resumed: both windows are walked again from where the consumer was.
    const resumed = new Plan(afterSecond)
    const a = resumed.assign()!
    const b = resumed.assign()!
    expect([a.fetchCursor, a.queryUntil, a.until, b.fetchCursor]).toEqual(["c2", 100, 65, undefined])
  })

  it("a final page closes its window and counts its seconds as covered", () => {
    const plan = new Plan(initial({ since: 0, until: 10 }, 9, 2))
    const a = plan.assign()!
    const page = plan.fetched(a, [{ id: 1, t: 2 }], undefined, timeOf)
    plan.emit(a, page, timeOf)
    const state = plan.snapshot()
    expect(state.windows.map((w) => w.since)).toEqual([5])
    expect(state.coveredSeconds).toBe(5)
    expect(plan.covered()).toBe(5)
  })
})
