import { describe, expect, it } from "@effect/vitest"
import fc from "fast-check"
import * as IdSet from "../src/workflows/IdSet.ts"

describe("IdSet", () => {
  it("holds exactly the ids added, counting each once, across growth", () =>
    fc.assert(fc.property(fc.array(fc.integer({ min: 0, max: 5_000_000 }), { maxLength: 300 }), fc.integer({ min: 0, max: 5_000_000 }), (ids, probe) => {
      const set = IdSet.make()
      const reference = new Set<number>()
      for (const id of ids) expect(set.add(id)).toBe(!reference.has(id) && reference.add(id) !== undefined)
      expect(set.size()).toBe(reference.size)
      for (const id of ids) expect(set.has(id)).toBe(true)
      expect(set.has(probe)).toBe(reference.has(probe))
    })))

  it("refuses what is not an id", () => {
    const set = IdSet.make()
    expect(() => set.add(-1)).toThrow(RangeError)
    expect(() => set.add(1.5)).toThrow(RangeError)
  })
})
