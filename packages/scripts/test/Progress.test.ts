/** Progress without a terminal: one line every few seconds (on the `TestClock`), nothing after the scope. */
import { describe, expect, it } from "@effect/vitest"
import { Progress } from "@pipedrive-effect/scripts"
import { Effect, TestClock } from "effect"

describe("Progress", () => {
  it.effect("writes a line every `every` with the count and rate, and stops with its scope", () =>
    Effect.gen(function*() {
      const lines: Array<string> = []
      const write = (line: string) => Effect.sync(() => void lines.push(line))
      yield* Effect.scoped(Effect.gen(function*() {
        const progress = yield* Progress.make({ label: "export", unit: "persons", tty: false, every: "5 seconds", write })
        yield* progress.add(500)
        yield* TestClock.adjust("4 seconds")
        expect(lines).toEqual([])
        yield* progress.add(500)
        yield* TestClock.adjust("1 second")
        expect(lines).toEqual(["export: 1000 persons, 200/s"])
        yield* progress.setTotal(4000)
        yield* TestClock.adjust("5 seconds")
        expect(lines).toEqual(["export: 1000 persons, 200/s", "export: 1000 of 4000 persons, 100/s"])
        expect(yield* progress.done).toBe(1000)
      }))
      yield* TestClock.adjust("30 seconds")
      expect(lines).toHaveLength(2)
    }))

  it("aligns a summary", () => {
    expect(Progress.summary([["exported", "3 persons"], ["elapsed", "5 ms"]])).toEqual(["exported  3 persons", "elapsed   5 ms"])
  })
})
