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
        expect(lines).toEqual(["export: 1000 persons, 200/s", "export: 1000 of 4000 persons, 100/s, ETA 30s"])
        expect(yield* progress.done).toBe(1000)
      }))
      yield* TestClock.adjust("30 seconds")
      expect(lines).toHaveLength(2)
    }))

  it("estimates the time left from the rate so far, once a total is known", () => {
    expect(Progress.eta(0, 100, 1000)).toBe("")
    expect(Progress.eta(50, undefined, 1000)).toBe("")
    expect(Progress.eta(100, 100, 1000)).toBe("")
    expect(Progress.eta(1000, 31_000, 10_000)).toBe("ETA 5m 00s")
    expect(Progress.eta(1, 3, 1000)).toBe("ETA 2s")
  })

  it("shows the share of the rate limit in use: requests per second against the limit per second", () => {
    const idle = { limit: 20, learned: true, used: 18, latencyMillis: 500, marginMillis: 100, pausedUntil: undefined }
    const state = {
      general: idle,
      search: { ...idle, limit: 10, used: 0 },
      dailyRequestsLeft: undefined,
      dailyExhaustedUntil: undefined,
      waiting: 3,
      sent: 105,
      delayed: 0,
      rateLimited: 0,
      tokensSpent: 0,
      windowMillis: 2000,
      serverSkewMillis: undefined
    }
    expect(Progress.rateLimitText(state, 0, { sentBefore: 10, millis: 10_000 })).toBe("rate limit 18/20, 9.5 req/s of 10/s (95%), 3 waiting")
    expect(Progress.rateLimitText(state, 0)).toBe("rate limit 18/20, 3 waiting")
  })

  it("aligns a summary", () => {
    expect(Progress.summary([["exported", "3 persons"], ["elapsed", "5 ms"]])).toEqual(["exported  3 persons", "elapsed   5 ms"])
  })
})
