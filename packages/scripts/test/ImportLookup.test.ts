/**
 * `ImportLookup`'s pure parts: the choice between walking the account and searching per row (by
 * tokens, and forced), the `updated_since` form of the server's time, and the index that follows a
 * person whose primary email changes.
 */
import { describe, expect, it } from "@effect/vitest"
import type { Persons } from "@pipedrive-effect/core"
import * as ImportLookup from "../src/workflows/ImportLookup.ts"

const person = (id: number, email: string | undefined, deleted = false) =>
  ({ id, name: `P${id}`, emails: email === undefined ? [] : [{ value: email, primary: true, label: "work" }], is_deleted: deleted }) as unknown as Persons.Person

describe("ImportLookup.choose", () => {
  it("walks when the pages cost no more than searching every row, else searches, and says why", () => {
    expect(ImportLookup.choose("auto", 1000, 20_000)).toEqual({ mode: "walk", reason: "40 pages ≈ 400 tokens ≤ 1,000 rows × 20" })
    expect(ImportLookup.choose("auto", 10, 200_000)).toEqual({
      mode: "search",
      reason: "10 rows × 20 = 200 tokens < 400 pages ≈ 4,000 tokens"
    })
    // Break-even: 20 rows × 20 = 400 tokens = 40 pages.
    expect(ImportLookup.choose("auto", 20, 20_000).mode).toBe("walk")
    expect(ImportLookup.choose("auto", 19, 20_000).mode).toBe("search")
    // An empty account is one page.
    expect(ImportLookup.choose("auto", 1, 0)).toEqual({ mode: "walk", reason: "1 page ≈ 10 tokens ≤ 1 row × 20" })
  })

  it("does as forced", () => {
    expect(ImportLookup.choose("search", 1000, 20_000).mode).toBe("search")
    expect(ImportLookup.choose("walk", 10, 200_000).mode).toBe("walk")
    expect(ImportLookup.choose("walk", 10, 200_000).reason).toContain("forced by --lookup walk")
  })
})

describe("ImportLookup.keepSearching", () => {
  it("searches while what was spent plus the keys left at the rate seen stays below the walk", () => {
    // The first guess: nothing spent, 20 a key.
    expect(ImportLookup.keepSearching(0, 10, 20, 4000)).toBe(true)
    expect(ImportLookup.keepSearching(0, 200, 20, 4000)).toBe(false)
    // Searches dearer than planned: 26 a key makes the same keys cost more than the walk.
    expect(ImportLookup.keepSearching(500, 150, 20, 4000)).toBe(true)
    expect(ImportLookup.keepSearching(500, 150, 26, 4000)).toBe(false)
    // A ski rental's bound: what was spent counts, so the searches never cost more than the walk.
    expect(ImportLookup.keepSearching(3990, 0, 20, 4000)).toBe(true)
    expect(ImportLookup.keepSearching(4000, 0, 20, 4000)).toBe(false)
  })

  it("agrees with the first choice", () => {
    for (const [rows, maxId] of [[19, 20_000], [20, 20_000], [10, 200_000], [1, 0]] as const) {
      expect(ImportLookup.choose("auto", rows, maxId).mode === "search")
        .toBe(ImportLookup.keepSearching(0, rows, ImportLookup.cost.search, ImportLookup.walkTokens(maxId)))
    }
  })
})

describe("ImportLookup.serverSince", () => {
  it("is the server's time (local plus skew), floored to the second, one second early, in RFC 3339", () => {
    const clock = { skewMillis: 5000, maxId: 0 }
    expect(ImportLookup.serverSince(clock, Date.parse("2026-01-02T03:04:05.987Z"))).toBe("2026-01-02T03:04:09Z")
  })
})

describe("ImportLookup.PersonIndex", () => {
  it("keeps only the rows' keys, moves a person whose primary email changed, drops a deleted one", () => {
    const index = new ImportLookup.PersonIndex(new Set(["a@x.com", "b@x.com"]))
    index.put(person(1, "A@x.com "))
    index.put(person(2, "other@x.com"))
    index.put(person(3, "a@x.com"))
    expect(index.get("a@x.com").map((p) => p.id)).toEqual([1, 3])
    index.put(person(1, "b@x.com"))
    expect(index.get("a@x.com").map((p) => p.id)).toEqual([3])
    expect(index.get("b@x.com").map((p) => p.id)).toEqual([1])
    index.put(person(3, "a@x.com", true))
    expect(index.get("a@x.com")).toEqual([])
  })
})

describe("ImportLookup.windowsFor", () => {
  it("one window per four pages of the account, at least two (both ends are read at once)", () => {
    expect(ImportLookup.windowsFor(0)).toBe(2)
    expect(ImportLookup.windowsFor(3000)).toBe(2)
    expect(ImportLookup.windowsFor(4000)).toBe(2)
    expect(ImportLookup.windowsFor(20_000)).toBe(10)
    expect(ImportLookup.windowsFor(200_000)).toBe(100)
  })
})
