import { describe, expect, it } from "@effect/vitest"
import { Demo } from "@pipedrive-effect/scripts"
import { Effect } from "effect"

describe("Demo", () => {
  it.live("runs the round trip against an in-process sandbox and sees every person both ways", () =>
    Effect.gen(function*() {
      const summary = yield* Demo.run({ persons: 1001, pageSize: 250 })
      expect(summary.v2).toEqual({ persons: 1001, pages: 5 })
      expect(summary.v1).toEqual({ persons: 1001, pages: 5 })
      expect(summary.roundTrip).toMatchObject({ createdId: 1002, updatedName: "Ada King", deletedThenNotFound: true })
      expect(Demo.succeeded(summary)).toBe(true)
      expect(Demo.format(summary)).toHaveLength(5)
    }))

  it("is judged a failure when a stream misses persons", () => {
    const summary: Demo.Summary = {
      sandboxUrl: "http://127.0.0.1:1",
      seeded: 10,
      v2: { persons: 10, pages: 1 },
      v1: { persons: 9, pages: 1 },
      roundTrip: { createdId: 11, updatedName: "Ada King", deletedThenNotFound: true },
      elapsedMillis: 1
    }
    expect(Demo.succeeded(summary)).toBe(false)
  })
})
