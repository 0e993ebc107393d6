/** Injected faults: each kind at its rate, reproducibly from the seed, on a real loopback socket. */
import { describe, expect, it } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import * as Faults from "../src/internal/traffic/Faults.ts"
import { Effect, Fiber, Option, TestClock } from "effect"
import { answer, type Outcome, send } from "./support/Raw.ts"

const mixed: Faults.Options = {
  failRate: 0.1,
  dropBeforeRate: 0.05,
  dropAfterRate: 0.05,
  truncateRate: 0.1,
  seed: "mixed"
}

const kindOf = (outcome: Outcome): "fail" | "drop" | "truncate" | "none" => {
  if (outcome._tag === "Reset") return "drop"
  if (outcome.status === 503) return "fail"
  try {
    JSON.parse(outcome.text)
    return "none"
  } catch {
    return "truncate"
  }
}

describe("Faults.faultOf", () => {
  const every: Faults.Options = {
    failRate: 0.1,
    dropBeforeRate: 0.05,
    dropAfterRate: 0.05,
    slowRate: 0.15,
    truncateRate: 0.1,
    seed: "every kind"
  }
  const run = (options: Faults.Options, n: number) => Array.from({ length: n }, (_, i) => Faults.faultOf(options, i))

  it("puts each kind at its rate over 2,000 seeded draws", () => {
    const draws = run(every, 2_000)
    const share = (kind: Faults.Fault) => draws.filter((draw) => draw === kind).length / draws.length
    const expected: ReadonlyArray<readonly [Faults.Fault, number]> = [
      ["fail", 0.1],
      ["dropBefore", 0.05],
      ["dropAfter", 0.05],
      ["slow", 0.15],
      ["truncate", 0.1],
      ["none", 0.55]
    ]
    // About three standard deviations of a share over 2,000 draws.
    for (const [kind, rate] of expected) expect(Math.abs(share(kind) - rate), kind).toBeLessThan(0.03)
  })

  it("is a function of the seed and the sequence", () => {
    const draws = run(every, 2_000)
    expect(run({ ...every }, 2_000)).toEqual(draws)
    expect(Faults.faultOf(every, 1_234)).toBe(draws[1_234])
    expect(run({ ...every, seed: "another" }, 100)).not.toEqual(draws.slice(0, 100))
    expect(run({ failRate: 0.1 }, 50)).toEqual(run({ failRate: 0.1, seed: "faults" }, 50))
  })

  it("a rate of 1 hits every request, no rates none", () => {
    expect(new Set(run({ truncateRate: 1 }, 500))).toEqual(new Set(["truncate"]))
    expect(new Set(run({}, 500))).toEqual(new Set(["none"]))
    expect(Faults.enabled({})).toBe(false)
    expect(Faults.enabled({ failRate: 0 })).toBe(false)
    expect(Faults.enabled({ slowRate: 0.2 })).toBe(true)
  })
})

describe("Faults.problem", () => {
  const fifths: Faults.Options = { failRate: 0.2, dropBeforeRate: 0.2, dropAfterRate: 0.2, slowRate: 0.2, truncateRate: 0.2 }
  it("accepts rates from 0 to 1 adding up to at most 1, and names what is wrong otherwise", () => {
    expect(Faults.problem(fifths)).toBeUndefined()
    expect(Faults.problem({ failRate: 0.7, dropAfterRate: 0.2, truncateRate: 0.1 })).toBeUndefined()
    expect(Faults.problem({ failRate: 1, slowMillis: 0 })).toBeUndefined()
    expect(Faults.problem({ failRate: -0.1 })).toBe("faults.failRate must be a number from 0 to 1, got -0.1")
    expect(Faults.problem({ slowRate: Number.NaN })).toBe("faults.slowRate must be a number from 0 to 1, got NaN")
    expect(Faults.problem({ truncateRate: 1.5 })).toBe("faults.truncateRate must be a number from 0 to 1, got 1.5")
    expect(Faults.problem({ failRate: 0.7, slowRate: 0.5 })).toBe(
      "faults: the rates add up to 1.2 (failRate 0.7, slowRate 0.5); at most 1"
    )
    expect(Faults.problem({ slowRate: 0.5, slowMillis: 1.5 })).toBe("faults.slowMillis must be a non-negative integer, got 1.5")
  })
})

describe("over HTTP", () => {
  it.scoped("each kind shows on the wire exactly where the seed puts it", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, faults: mixed })
      const seen: Array<string> = []
      for (let i = 0; i < 120; i++) {
        const outcome = yield* send(sandbox, "/api/v2/persons/1")
        seen.push(kindOf(outcome))
        if (outcome._tag === "Answer" && outcome.status === 503) {
          expect(JSON.parse(outcome.text)).toMatchObject({ success: false, code: "ERR_SERVICE_UNAVAILABLE" })
        }
      }
      const expected = Array.from({ length: 120 }, (_, i) => {
        const fault = Faults.faultOf(mixed, i)
        return fault === "dropBefore" || fault === "dropAfter" ? "drop" : fault
      })
      expect(seen).toEqual(expected)
      for (const kind of ["fail", "drop", "truncate", "none"]) expect(seen).toContain(kind)
    }))

  it.scoped("a write dropped after it was applied changed the store; one dropped before did not", () =>
    Effect.gen(function*() {
      const after = yield* PipedriveSandbox.start({ persons: 3, faults: { dropAfterRate: 1 } })
      const lost = yield* send(after, "/api/v2/persons", { method: "POST", body: { name: "Applied Anyway" } })
      expect(lost._tag).toBe("Reset")
      expect(yield* after.store.count).toBe(4)
      const created = yield* after.store.get(4)
      expect(Option.map(created, (person) => person.name)).toEqual(Option.some("Applied Anyway"))

      const before = yield* PipedriveSandbox.start({ persons: 3, faults: { dropBeforeRate: 1 } })
      const refused = yield* send(before, "/api/v2/persons", { method: "POST", body: { name: "Never Made" } })
      expect(refused._tag).toBe("Reset")
      expect(yield* before.store.count).toBe(3)
    }))

  it.scoped("a slow answer waits on the Clock", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, faults: { slowRate: 1, slowMillis: 30_000 } })
      const pending = yield* Effect.fork(send(sandbox, "/api/v2/persons/1"))
      // The request travels over a real socket: wait (one event-loop turn at a time, within a bounded
      // real time, so a broken sandbox fails instead of hanging) until the sandbox sleeps on the Clock.
      const deadline = Date.now() + 20_000
      while ((yield* TestClock.sleeps()).length === 0 && Date.now() < deadline) {
        yield* Effect.async<void>((resume) => {
          setImmediate(() => resume(Effect.void))
        })
      }
      expect(yield* TestClock.sleeps()).toHaveLength(1)
      // 29 s on: the sandbox's sleep is still pending (it is due at 30 s), so no answer is on its way.
      yield* TestClock.adjust("29 seconds")
      expect(yield* TestClock.sleeps()).toHaveLength(1)
      expect(Option.isNone(yield* Fiber.poll(pending))).toBe(true)
      yield* TestClock.adjust("1 second")
      expect(yield* TestClock.sleeps()).toHaveLength(0)
      expect(answer(yield* Fiber.join(pending)).status).toBe(200)
    }), 30_000)
})
