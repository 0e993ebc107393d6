/**
 * The bookkeeping of `Persons.streamPartitioned` on its own (no server): even windows, splitting the
 * biggest remaining range, and a state that counts only what was emitted.
 */
import { describe, expect, it } from "@effect/vitest"
import { Schema } from "effect"
import { initial, layout, pagesFor, PartitionState, Plan, rfc3339, secondsOf, windowCount } from "../src/internal/Partition.ts"

interface Item {
  readonly id: number
  readonly t: number
}
const timeOf = (item: Item) => item.t

/** Persons `from`, `from + 1`… each `step` seconds after the last, starting at second `start`. */
const run = (count: number, start: number, step: number, from = 1): Array<Item> =>
  Array.from({ length: count }, (_, i) => ({ id: from + i, t: start + i * step }))

/** `layout` of the two discovery pages, with the ascending page's persons kept and a catch-up from the newest second. */
const laid = (
  first: { readonly items: ReadonlyArray<Item>; readonly complete: boolean },
  last: { readonly items: ReadonlyArray<Item>; readonly complete: boolean },
  budget = { burst: 100, concurrency: 6 },
  keepFirst = true
) => layout({ first, last, timeOf, lower: undefined, catchUpSince: (newest) => newest, keepFirst, pageSize: 10, budget })

describe("Partition", () => {
  it("cuts the span into even half-open windows, never shorter than a second", () => {
    const state = initial({ since: 100, until: 110 }, 109, 3)
    expect(state.windows.map((w) => [w.since, w.until])).toEqual([[100, 103], [103, 106], [106, 110]])
    expect(initial({ since: 100, until: 102 }, 101, 8).windows).toHaveLength(2)
    expect(initial({ since: 5, until: 5 }, null, 4)).toMatchObject({ phase: "catch-up", windows: [] })
  })

  it("windows of about a page each when they all go at once, else as many as keep the allowance busy", () => {
    // 120 per 2 s after discovery: 73 one-page windows fit in the 117 requests it sends at once.
    expect(windowCount(29_000, 500, { burst: 117, concurrency: 31 })).toBe(73)
    // 20 per 2 s: they do not; the limit is the bound, and each window ends in a partial page.
    expect(windowCount(29_000, 500, { burst: 17, concurrency: 6 })).toBe(6)
    // A small middle never gets more windows than it has pages for.
    expect(windowCount(1_200, 500, { burst: 2, concurrency: 6 })).toBe(3)
    expect(windowCount(0, 500, { burst: 0, concurrency: 6 })).toBe(1)
  })

  it("layout: the two discovery pages are windows walked already; the middle is cut to the budget", () => {
    // 100 persons, one every 10 s from second 1000; pages of 10.
    const everyone = run(100, 1_000, 10)
    const first = { items: everyone.slice(0, 10), complete: false }
    const last = { items: everyone.slice(-10).reverse(), complete: false }
    const { prefetched, state } = laid(first, last)
    // [1000, 1090): the ascending page but its last second; [1901, 1991): the descending page but its lowest.
    expect(state.span).toEqual({ since: 1_000, until: 1_991 })
    expect(state.catchUp).toEqual({ since: 1_990, cursor: null })
    const windows = state.windows.map((w) => [w.since, w.until])
    expect(windows[0]).toEqual([1_000, 1_090])
    expect(windows.at(-1)).toEqual([1_901, 1_991])
    // The middle, [1090, 1901): 20 persons seen in 182 s, so about 89 expected: 12 windows of about 8 (a page of 10 at 0.8).
    expect(windows.slice(1, -1)).toHaveLength(12)
    // Contiguous from 1090 to 1901.
    expect(windows.slice(1, -1).map(([since]) => since)).toEqual([1_090, ...windows.slice(1, -2).map(([, until]) => until)])
    expect(windows.at(-2)![1]).toBe(1_901)
    expect(prefetched).toEqual([
      { since: 1_000, items: everyone.slice(0, 9) },
      // Ascending, as a walk of the window would give them.
      { since: 1_901, items: everyone.slice(-9) }
    ])
    // Limit-bound: as many windows as the concurrency.
    expect(laid(first, last, { burst: 5, concurrency: 4 }).state.windows).toHaveLength(2 + 4)
    // Without a server clock the ascending page's window is walked again (but still not cut anew).
    const unkept = laid(first, last, undefined, false)
    expect(unkept.prefetched.map((page) => page.since)).toEqual([1_901])
    expect(unkept.state.windows[0]).toMatchObject({ since: 1_000, until: 1_090, cursor: null })
  })

  it("layout: limit-bound windows hold whole pages, so their walks cost the pages their persons need", () => {
    expect(pagesFor(29_000, 500, 73)).toBe(73)
    expect(pagesFor(29_002, 500, 7)).toBe(60)
    // 300 persons, one a second; pages of 10; 8 windows at once (the limit binds).
    const everyone = run(300, 0, 1)
    const { state } = laid({ items: everyone.slice(0, 10), complete: false }, { items: everyone.slice(-10).reverse(), complete: false }, {
      burst: 5,
      concurrency: 8
    })
    const middle = state.windows.slice(1, -1)
    expect(middle).toHaveLength(8)
    // Requests a walk of each window costs: a page per 10 persons, the last one partial.
    const requests = middle.map((w) => Math.max(1, Math.ceil(everyone.filter((p) => p.t >= w.since && p.t < w.until).length / 10)))
    const persons = everyone.filter((p) => p.t >= middle[0]!.since && p.t < middle.at(-1)!.until).length
    // 282 persons, 29 pages' worth: 30 at the planned fill (cut evenly, 35 seconds each, the windows took 4 pages each: 32).
    expect(persons).toBe(282)
    expect(requests.reduce((a, b) => a + b, 0)).toBe(Math.ceil(282 / (0.97 * 10)))
  })

  it("layout: an account in one page is one window, read; pages that overlap leave no middle", () => {
    const few = run(7, 50, 3)
    const one = laid({ items: few, complete: true }, { items: [...few].reverse(), complete: true })
    expect(one.state.windows.map((w) => [w.since, w.until])).toEqual([[50, 69]])
    expect(one.prefetched).toEqual([{ since: 50, items: few }])
    // 15 persons, pages of 10: the descending page covers from the 6th up, past the ascending page's end.
    const fifteen = run(15, 0, 1)
    const overlap = laid({ items: fifteen.slice(0, 10), complete: false }, { items: fifteen.slice(5).reverse(), complete: false })
    expect(overlap.state.windows.map((w) => [w.since, w.until])).toEqual([[0, 9], [9, 15]])
    expect(overlap.prefetched.flatMap((page) => page.items.map((item) => item.id))).toEqual(fifteen.map((item) => item.id))
    // Nobody there: nothing to walk, a catch-up from the caller's bound.
    expect(layout({ ...{ timeOf, catchUpSince: (n: number) => n, keepFirst: true, pageSize: 10, budget: { burst: 9, concurrency: 2 } }, first: { items: [], complete: true }, last: { items: [], complete: true }, lower: 77 }).state)
      .toMatchObject({ phase: "catch-up", windows: [], catchUp: { since: 77 } })
  })

  it("layout: a plateau at either end is left whole to the middle, where its second is walked to its end", () => {
    // 30 persons in second 500, then one a second: the ascending page is all one second.
    const plateau = [...Array.from({ length: 30 }, (_, i) => ({ id: i + 1, t: 500 })), ...run(20, 501, 1, 31)]
    const { prefetched, state } = laid({ items: plateau.slice(0, 10), complete: false }, { items: plateau.slice(-10).reverse(), complete: false })
    // Nothing before second 500, so the ascending page gives no window; the middle starts at 500.
    expect(state.windows[0]!.since).toBe(500)
    expect(prefetched.map((page) => page.since)).toEqual([512])
    const plan = new Plan(state, 10)
    for (const page of prefetched) plan.prefill(page.since, page.items, timeOf)
    expect(plan.unstarted()).toBe(state.windows.length - 1)
    expect(plan.prefill(512, [], timeOf)).toBeUndefined()
  })

  it("reads and writes Pipedrive's whole-second RFC 3339", () => {
    expect(rfc3339(secondsOf("2024-01-01T00:00:37Z")!)).toBe("2024-01-01T00:00:37Z")
    expect(secondsOf("2024-01-01T00:00:37.900Z")).toBe(secondsOf("2024-01-01T00:00:37Z"))
    expect(secondsOf(null)).toBeUndefined()
  })

  it("a free walker takes the upper part of the remaining range of the biggest window, after whole pages of half of it; the owner stops at the new bound", () => {
    // Pages of one person, so that a few persons are "more than two pages".
    const plan = new Plan(initial({ since: 0, until: 100 }, 99, 1), 1)
    const owner = plan.assign()!
    // The owner fetched 2 persons up to second 20: 80 seconds left, about 8 pages; it keeps 4 (at
    // 97%, 38.8 seconds' worth) and the split is at 58.
    const first = plan.fetched(owner, [{ id: 1, t: 10 }, { id: 2, t: 20 }], "c1", timeOf)
    expect(first.final).toBe(false)
    // While the limit binds, a free walker takes no half: it would only add a partial page.
    expect(plan.assign({ steal: false })).toBeUndefined()
    const upper = plan.assign()!
    expect([upper.since, upper.until, owner.until]).toEqual([58, 100, 58])
    // The owner's request in flight during the split comes back past the bound: cut there, done.
    const second = plan.fetched(owner, [{ id: 3, t: 57 }, { id: 4, t: 58 }, { id: 5, t: 70 }], "c2", timeOf)
    expect(second).toMatchObject({ items: [{ id: 3, t: 57 }], final: true })
    expect(owner.fetchDone).toBe(true)
  })

  it("a split leaves the owner whole pages: its last one nearly full", () => {
    const plan = new Plan(initial({ since: 0, until: 10_000 }, 9_999, 1), 500)
    const owner = plan.assign()!
    // 500 persons in the first 1,000 s (one every 2 s): about 4,500 in the 9,000 s left, 9 pages.
    plan.fetched(owner, Array.from({ length: 500 }, (_, i) => ({ id: i + 1, t: 2 * i + 1 })), "c1", timeOf)
    const upper = plan.assign()!
    const left = (owner.until - 999) / 2
    // The owner keeps 4 pages' worth at 97% (the midpoint, at 5,499, left it 4.5 pages: 5 requests).
    expect(Math.ceil(left / 500)).toBe(4)
    expect(left / (4 * 500)).toBeGreaterThan(0.95)
    expect(upper.since).toBe(owner.until)
  })

  it("a window that seems to hold a page or less is not split: a part would only add a request", () => {
    const plan = new Plan(initial({ since: 0, until: 100 }, 99, 1), 10)
    const owner = plan.assign()!
    // 2 persons in 20 s: about 8 in the 80 s left, which the page in flight holds.
    plan.fetched(owner, [1, 2].map((id) => ({ id, t: id * 10 })), "c1", timeOf)
    expect(plan.assign()).toBeUndefined()
    // 3 more in second 20: about 20 left, two pages, the second of which would wait for the first:
    // a free walker takes what is after the first (9.7 persons at 0.25 a second: 38 s).
    plan.fetched(owner, [3, 4, 5].map((id) => ({ id, t: 20 })), "c2", timeOf)
    expect(plan.assign()).toMatchObject({ since: 58, until: 100 })
    // The biggest window next is the new one, at the walk's density so far (10 in 20 s): 21 in its 42 s.
    plan.fetched(owner, [6, 7, 8, 9, 10].map((id) => ({ id, t: 20 })), "c3", timeOf)
    expect(plan.assign()).toMatchObject({ since: 58 + 19, until: 100 })
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
    // A split after the fetch of page 2 (2 persons in 30 s, so 2 of the 4.7 pages left: at 30 + 29 = 59)
    // shows in the state of the next emission.
    const upper = plan.assign()!
    expect(upper.since).toBe(59)
    plan.emit(owner, page2, timeOf)
    const afterSecond = Schema.decodeUnknownSync(PartitionState)(JSON.parse(JSON.stringify(plan.snapshot())))
    expect(afterSecond.windows).toEqual([
      { since: 0, until: 59, queryUntil: 100, cursor: "c2", position: 30 },
      { since: 59, until: 100, queryUntil: 100, cursor: null, position: null }
    ])
    // Resumed: both windows are walked again from where the consumer was.
    const resumed = new Plan(afterSecond)
    const a = resumed.assign()!
    const b = resumed.assign()!
    expect([a.fetchCursor, a.queryUntil, a.until, b.fetchCursor]).toEqual(["c2", 100, 59, undefined])
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
