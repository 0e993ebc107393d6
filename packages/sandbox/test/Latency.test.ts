/** Latency: every answer held back on the Clock, the request counted and processed on arrival. */
import { describe, expect, it } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import * as Latency from "../src/internal/traffic/Latency.ts"
import { Effect, Fiber, Option, TestClock } from "effect"
import { answer, send } from "./support/Raw.ts"

/** Lets real time pass until `count` sleeps wait on the TestClock; bounded, so a broken sandbox fails. */
const sleepsReach = (count: number) =>
  Effect.gen(function*() {
    for (let i = 0; i < 400 && (yield* TestClock.sleeps()).length < count; i++) {
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
    }
    expect(yield* TestClock.sleeps()).toHaveLength(count)
  })

const settle = Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))

describe("Latency.delayOf", () => {
  it("is the fixed delay, or a reproducible uniform draw over the whole range", () => {
    expect(Latency.delayOf(250, "s", 7)).toBe(250)
    const range = { min: 300, max: 700 }
    const draws = Array.from({ length: 2_000 }, (_, i) => Latency.delayOf(range, "s", i))
    expect(draws.every((delay) => Number.isInteger(delay) && delay >= 300 && delay <= 700)).toBe(true)
    expect(Math.min(...draws)).toBeLessThan(310)
    expect(Math.max(...draws)).toBeGreaterThan(690)
    const mean = draws.reduce((sum, delay) => sum + delay, 0) / draws.length
    expect(Math.abs(mean - 500)).toBeLessThan(15)
    expect(Array.from({ length: 2_000 }, (_, i) => Latency.delayOf(range, "s", i))).toEqual(draws)
    expect(Array.from({ length: 50 }, (_, i) => Latency.delayOf(range, "other", i))).not.toEqual(draws.slice(0, 50))
    expect(Latency.delayOf({ min: 5, max: 5 }, "s", 3)).toBe(5)
  })

  it("problem names what is wrong", () => {
    expect(Latency.problem(0)).toBeUndefined()
    expect(Latency.problem({ min: 100, max: 400 })).toBeUndefined()
    expect(Latency.problem(-1)).toBe("latencyMs must be an integer from 0 to 600000, got -1")
    expect(Latency.problem(1.5)).toBe("latencyMs must be an integer from 0 to 600000, got 1.5")
    expect(Latency.problem({ min: 700, max: 300 })).toBe("latencyMs.min must be at most latencyMs.max, got 700 and 300")
    expect(Latency.problem({ min: 0, max: Number.NaN })).toBe("latencyMs.max must be an integer from 0 to 600000, got NaN")
    expect(Latency.enabled(undefined)).toBe(false)
    expect(Latency.enabled(0)).toBe(false)
    expect(Latency.enabled({ min: 0, max: 0 })).toBe(false)
    expect(Latency.enabled({ min: 0, max: 1 })).toBe(true)
  })
})

describe("over HTTP", () => {
  it.scoped("a write is applied on arrival; its answer comes latencyMs later on the Clock", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, latencyMs: 300 })
      const pending = yield* Effect.fork(send(sandbox, "/api/v2/persons", { method: "POST", body: { name: "Early Bird" } }))
      yield* sleepsReach(1)
      expect(yield* sandbox.store.count).toBe(4)
      // A list sent now already reads the write.
      const list = yield* Effect.fork(send(sandbox, "/api/v2/persons?limit=500"))
      yield* sleepsReach(2)
      yield* TestClock.adjust(299)
      yield* settle
      expect(Option.isNone(yield* Fiber.poll(pending))).toBe(true)
      yield* TestClock.adjust(1)
      expect(answer(yield* Fiber.join(pending)).status).toBe(200)
      yield* TestClock.adjust(300)
      const names = (JSON.parse(answer(yield* Fiber.join(list)).text) as { data: Array<{ name: string }> }).data
      expect(names.map((person) => person.name)).toContain("Early Bird")
    }))

  it.scoped("delays do not queue: requests in flight wait side by side, each its own drawn delay", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, seed: "lat", latencyMs: { min: 100, max: 400 } })
      const fibers = yield* Effect.forEach([1, 2, 3], (id) => Effect.fork(send(sandbox, `/api/v2/persons/${id}`)), {
        concurrency: "unbounded"
      })
      yield* sleepsReach(3)
      const delays = [0, 1, 2].map((i) => Latency.delayOf({ min: 100, max: 400 }, "lat", i)).sort((a, b) => a - b)
      expect(Array.from(yield* TestClock.sleeps(), Number).sort((a, b) => a - b)).toEqual(delays)
      yield* TestClock.adjust(400)
      for (const fiber of fibers) expect(answer(yield* Fiber.join(fiber)).status).toBe(200)
    }))

  it.scoped("the limiter counts a request on arrival; 429s and 404s are held back too", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, rateLimit: 2, latencyMs: 500 })
      const first = yield* Effect.fork(send(sandbox, "/api/v2/persons/1"))
      yield* sleepsReach(1)
      const missing = yield* Effect.fork(send(sandbox, "/api/v2/persons/99"))
      yield* sleepsReach(2)
      const refused = yield* Effect.fork(send(sandbox, "/api/v2/persons/2"))
      yield* sleepsReach(3)
      yield* TestClock.adjust(499)
      yield* settle
      expect(Option.isNone(yield* Fiber.poll(refused))).toBe(true)
      yield* TestClock.adjust(1)
      expect(answer(yield* Fiber.join(first)).status).toBe(200)
      expect(answer(yield* Fiber.join(missing)).status).toBe(404)
      expect(answer(yield* Fiber.join(refused)).status).toBe(429)
    }))

  it.scoped("drop-after: the write is applied, then after the delay the connection is reset", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, latencyMs: 1_000, faults: { dropAfterRate: 1 } })
      const pending = yield* Effect.fork(send(sandbox, "/api/v2/persons", { method: "POST", body: { name: "Lost Answer" } }))
      yield* sleepsReach(1)
      expect(yield* sandbox.store.count).toBe(4)
      yield* settle
      expect(Option.isNone(yield* Fiber.poll(pending))).toBe(true)
      yield* TestClock.adjust(1_000)
      expect((yield* Fiber.join(pending))._tag).toBe("Reset")
    }))

  it.scoped("start dies on a bad latency, naming the option", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(PipedriveSandbox.start({ latencyMs: { min: 9, max: 1 } }))
      expect(String(exit)).toContain("PipedriveSandbox: latencyMs.min must be at most latencyMs.max, got 9 and 1")
    }))
})
