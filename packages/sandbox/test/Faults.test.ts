/** Injected faults: each kind at its rate, reproducibly from the seed, on a real loopback socket. */
import { describe, expect, it } from "@effect/vitest"
import { Faults, PipedriveSandbox } from "@pipedrive-effect/sandbox"
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
  it("is a function of the seed and the sequence, and hits each rate", () => {
    const draws = Array.from({ length: 10_000 }, (_, i) => Faults.faultOf(mixed, i))
    expect(Array.from({ length: 10_000 }, (_, i) => Faults.faultOf(mixed, i))).toEqual(draws)
    const share = (kind: Faults.Fault) => draws.filter((draw) => draw === kind).length / draws.length
    expect(share("fail")).toBeCloseTo(0.1, 1)
    expect(share("dropBefore")).toBeCloseTo(0.05, 1)
    expect(share("dropAfter")).toBeCloseTo(0.05, 1)
    expect(share("truncate")).toBeCloseTo(0.1, 1)
    expect(share("none")).toBeCloseTo(0.7, 1)
    const other = Array.from({ length: 100 }, (_, i) => Faults.faultOf({ ...mixed, seed: "other" }, i))
    expect(other).not.toEqual(draws.slice(0, 100))
    expect(Faults.enabled({})).toBe(false)
    expect(Faults.enabled({ slowRate: 0.2 })).toBe(true)
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
      // Real time passes while the request travels; bounded, so a broken sandbox fails instead of hanging.
      for (let i = 0; i < 200 && (yield* TestClock.sleeps()).length === 0; i++) {
        yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 5)))
      }
      expect(yield* TestClock.sleeps()).toHaveLength(1)
      yield* TestClock.adjust("29 seconds")
      yield* Effect.promise(() => new Promise((resolve) => setTimeout(resolve, 50)))
      expect(Option.isNone(yield* Fiber.poll(pending))).toBe(true)
      yield* TestClock.adjust("1 second")
      expect(answer(yield* Fiber.join(pending)).status).toBe(200)
    }))
})
