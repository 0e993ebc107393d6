/**
 * The import's row gate: at most its permits inside, waiters woken in turn (one per freed permit,
 * not every waiter at each release as Effect's Semaphore does), resizable, and nothing lost to a
 * failure or an interruption.
 */
import { describe, expect, it } from "@effect/vitest"
import { Deferred, Effect, Exit, Fiber } from "effect"
import * as Gate from "../src/workflows/Gate.ts"

/** Runs `count` jobs through `gate`, each yielding a few times; the most inside at once. */
const crowd = (gate: Gate.Gate, count: number) =>
  Effect.gen(function*() {
    let inside = 0
    let most = 0
    const job = gate.withPermit(Effect.gen(function*() {
      inside += 1
      most = Math.max(most, inside)
      yield* Effect.yieldNow()
      yield* Effect.yieldNow()
      inside -= 1
    }))
    yield* Effect.all(Array.from({ length: count }, () => job), { concurrency: "unbounded", discard: true })
    return most
  })

describe("Gate", () => {
  it.effect("lets at most its permits in at once, and everyone through", () =>
    Effect.gen(function*() {
      const gate = Gate.make(3)
      expect(yield* crowd(gate, 200)).toBe(3)
      expect(gate.taken()).toBe(0)
      expect(gate.waiting()).toBe(0)
    }))

  it.effect("wakes one waiter per freed permit: 2,000 rows waiting for 1 permit wait 1,999 times, not millions", () =>
    Effect.gen(function*() {
      const gate = Gate.make(1)
      expect(yield* crowd(gate, 2000)).toBe(1)
      // Every row but the first waited once. Waking every waiter at each release (Effect's
      // Semaphore) would make each of the others wait again: ~2 million waits.
      expect(gate.waits()).toBe(1999)
    }))

  it.effect("resizing up lets waiters in at once; resizing down holds newcomers until enough return", () =>
    Effect.gen(function*() {
      const gate = Gate.make(1)
      const release = yield* Deferred.make<void>()
      const holders = yield* Effect.forEach(
        Array.from({ length: 4 }),
        () => Effect.fork(gate.withPermit(Deferred.await(release))),
        { concurrency: 1 }
      )
      yield* Effect.yieldNow()
      expect([gate.taken(), gate.waiting()]).toEqual([1, 3])
      yield* gate.resize(3)
      yield* Effect.yieldNow()
      expect([gate.taken(), gate.waiting()]).toEqual([3, 1])
      yield* gate.resize(1)
      yield* Deferred.succeed(release, undefined)
      yield* Effect.forEach(holders, Fiber.join, { discard: true })
      expect([gate.taken(), gate.waiting()]).toEqual([0, 0])
      // With 1 permit again, a crowd goes through one at a time.
      expect(yield* crowd(gate, 20)).toBe(1)
    }))

  it.effect("a failing job frees its permit", () =>
    Effect.gen(function*() {
      const gate = Gate.make(1)
      const exit = yield* Effect.exit(gate.withPermit(Effect.fail("boom")))
      expect(Exit.isFailure(exit)).toBe(true)
      expect(gate.taken()).toBe(0)
      expect(yield* gate.withPermit(Effect.succeed("next"))).toBe("next")
    }))

  it.effect("interrupted waiters take nothing and stall nobody", () =>
    Effect.gen(function*() {
      const gate = Gate.make(1)
      const release = yield* Deferred.make<void>()
      const holder = yield* Effect.fork(gate.withPermit(Deferred.await(release)))
      yield* Effect.yieldNow()
      const waiters = yield* Effect.forEach(Array.from({ length: 5 }), () => Effect.fork(gate.withPermit(Effect.void)))
      const last = yield* Effect.fork(gate.withPermit(Effect.succeed("last")))
      yield* Effect.yieldNow()
      expect(gate.waiting()).toBe(6)
      // Interrupted as the permit frees: each is woken in turn, or taken off before it is.
      yield* Deferred.succeed(release, undefined)
      yield* Effect.forEach(waiters, Fiber.interrupt, { discard: true })
      yield* Fiber.join(holder)
      expect(yield* Fiber.join(last)).toBe("last")
      expect([gate.taken(), gate.waiting()]).toEqual([0, 0])
    }))

  it.effect("an uninterruptible job holds its permit until it ends, even when interrupted", () =>
    Effect.gen(function*() {
      const gate = Gate.make(1)
      const started = yield* Deferred.make<void>()
      const release = yield* Deferred.make<void>()
      const job = yield* Effect.fork(gate.withPermit(Effect.uninterruptible(Effect.zipRight(Deferred.succeed(started, undefined), Deferred.await(release)))))
      yield* Deferred.await(started)
      const interrupting = yield* Effect.fork(Fiber.interrupt(job))
      yield* Effect.yieldNow()
      expect(gate.taken()).toBe(1)
      yield* Deferred.succeed(release, undefined)
      yield* Fiber.join(interrupting)
      expect(gate.taken()).toBe(0)
    }))
})
