/**
 * The client-side limiter against a model of Pipedrive's limits (the sandbox's own `RateLimit`,
 * which enforces them in the sandbox server), all on the `TestClock`: each request takes 5 ms to
 * reach the "server" and 5 ms to come back (unless a test sets other delays), and the test moves
 * time from one pending sleep to the next.
 */
import { Headers } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { RateLimit } from "@pipedrive-effect/core"
// The server side of the limits, as the sandbox enforces them: the client is tested against its rules.
import * as OperationCost from "../../sandbox/src/internal/traffic/OperationCost.ts"
import * as ServerLimits from "../../sandbox/src/internal/traffic/RateLimit.ts"
import { Chunk, Effect, Exit, Fiber, Stream, TestClock } from "effect"

const getPerson = { operation: "getPerson", method: "GET", path: "/api/v2/persons/1" } as const
const searchPersons = { operation: "searchPersons", method: "GET", path: "/api/v2/persons/search" } as const
const latency = 5

/** How long the n-th request takes to reach the server (`out`) and its answer to come back (`back`). */
interface Delays {
  readonly out: (n: number) => number
  readonly back: (n: number) => number
}
const fixed: Delays = { out: () => latency, back: () => latency }

/** Pipedrive as the sandbox models it (counting each request when it arrives), with a log of what reached it. */
const modelServer = (options: ServerLimits.Options, delays: Delays = fixed) => {
  const limits = ServerLimits.make(options)
  let sentCount = 0
  const log: Array<{ readonly at: number; readonly path: string; readonly status: number }> = []
  /** Another program spending the same token's window. */
  const spendElsewhere = (n: number) =>
    Effect.forEach(Array.from({ length: n }), () => limits.admit("token", { cost: 1, search: false }), { discard: true })
  const send = (limiter: RateLimit.Service, request: RateLimit.RequestInfo) =>
    limiter.run(request, (observe) =>
      Effect.gen(function*() {
        const n = sentCount++
        yield* Effect.sleep(delays.out(n))
        const decision = yield* limits.admit("token", {
          cost: OperationCost.costOf(request.method, request.path),
          search: ServerLimits.isSearch(request.path)
        })
        const status = decision._tag === "Allow" ? 200 : decision._tag === "Blocked" ? 403 : 429
        log.push({ at: yield* TestClockNow, path: request.path, status })
        yield* Effect.sleep(delays.back(n))
        yield* observe({ status, headers: Headers.fromInput(decision._tag === "Blocked" ? {} : decision.headers) })
        return status
      }))
  return { log, send, spendElsewhere }
}

const TestClockNow = Effect.clockWith((clock) => clock.currentTimeMillis)

/** Moves the TestClock from one pending sleep to the next until `fiber` is done (at most `maxMillis`). */
const runUntilDone = <A, E>(fiber: Fiber.RuntimeFiber<A, E>, maxMillis: number) =>
  Effect.gen(function*() {
    const deadline = (yield* TestClockNow) + maxMillis
    while (true) {
      const done = yield* Fiber.poll(fiber)
      if (done._tag === "Some") return { exit: done.value, at: yield* TestClockNow }
      const now = yield* TestClockNow
      if (now > deadline) return yield* Effect.dieMessage(`not done within ${maxMillis} ms`)
      const next = Chunk.reduce(yield* TestClock.sleeps(), Number.POSITIVE_INFINITY, (a, b) => Math.min(a, b))
      yield* Number.isFinite(next) && next > now ? TestClock.setTime(next) : TestClock.adjust("1 millis")
    }
  })

/** Runs one request to its end on the TestClock. */
const complete = <A, E>(effect: Effect.Effect<A, E>) =>
  Effect.flatMap(Effect.fork(effect), (fiber) =>
    Effect.flatMap(runUntilDone(fiber, 60_000), ({ exit }) => exit))

const statuses = (log: ReadonlyArray<{ readonly status: number }>) =>
  log.reduce<Record<number, number>>((acc, entry) => ({ ...acc, [entry.status]: (acc[entry.status] ?? 0) + 1 }), {})

describe("RateLimit", () => {
  it.effect("reads the server's clock from the Date header of the latest answer, to a second", () =>
    Effect.gen(function*() {
      const limiter = yield* RateLimit.make()
      expect((yield* limiter.state).serverSkewMillis).toBeUndefined()
      yield* TestClock.setTime(Date.parse("2026-03-01T12:00:00.400Z"))
      const info = { operation: "getPersons", method: "GET", path: "/api/v2/persons" }
      const answer = (date: string) => limiter.run(info, (observe) => observe({ status: 200, headers: Headers.fromInput({ date }) }))
      yield* answer("Sun, 01 Mar 2026 12:00:07 GMT")
      expect((yield* limiter.state).serverSkewMillis).toBe(7_000)
      yield* answer("not a date")
      expect((yield* limiter.state).serverSkewMillis).toBe(7_000)
      yield* answer("Sun, 01 Mar 2026 11:59:57 GMT")
      expect((yield* limiter.state).serverSkewMillis).toBe(-3_000)
    }))

  it.effect("paces a steady load at the limit: 100 requests at 20 per 2 s, no 429, no idle window", () =>
    Effect.gen(function*() {
      const server = modelServer({ rateLimit: 20 })
      const limiter = yield* RateLimit.make()
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 100 }), () => server.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      const { at } = yield* runUntilDone(fiber, 20_000)
      expect(statuses(server.log)).toEqual({ 200: 100 })
      // Five windows of 20; each slot frees one window after its answer (10 ms after sending, which
      // is earlier than a window and margin after sending), and the first answer is awaited with
      // one other request at most (the limit is not known before it).
      expect(at).toBeGreaterThanOrEqual(8_000)
      expect(at).toBeLessThanOrEqual(8_100)
      // Never more than 20 arrivals in any 2-second window.
      for (const entry of server.log) {
        expect(server.log.filter((other) => other.at > entry.at - 2_000 && other.at <= entry.at).length).toBeLessThanOrEqual(20)
      }
      const state = yield* limiter.state
      expect(state).toMatchObject({ sent: 100, rateLimited: 0, general: { limit: 20, learned: true } })
      expect(state.delayed).toBeGreaterThanOrEqual(80)
    }), 30_000)

  it.effect("before the first answer, two requests at once and no more, however high the plan guessed", () =>
    Effect.gen(function*() {
      // A server allowing 2 per window, an enterprise limiter (120): the guess must not cost a 429.
      const server = modelServer({ rateLimit: 2 }, { out: () => 0, back: () => 500 })
      const limiter = yield* RateLimit.make({ plan: "enterprise" })
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 6 }), () => server.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      yield* runUntilDone(fiber, 20_000)
      expect(statuses(server.log)).toEqual({ 200: 6 })
      // Two at once (a job's first two questions cost one latency, not two), then paced by what was learned.
      expect(server.log.slice(0, 3).map((entry) => entry.at)).toEqual([0, 0, 2_100])
      expect((yield* limiter.state).general).toMatchObject({ limit: 2, learned: true })
    }))

  it.effect("learns a limit different from the plan's default from the headers (40, then 10)", () =>
    Effect.gen(function*() {
      const higher = modelServer({ rateLimit: 40 })
      const limiter = yield* RateLimit.make({ plan: "essential" })
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 200 }), () => higher.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      const { at } = yield* runUntilDone(fiber, 30_000)
      expect(statuses(higher.log)).toEqual({ 200: 200 })
      expect(at).toBeLessThanOrEqual(8_100) // 5 windows of 40, not 10 windows of 20
      expect((yield* limiter.state).general).toMatchObject({ limit: 40, learned: true })

      const lower = modelServer({ rateLimit: 10 })
      const second = yield* RateLimit.make({ plan: "enterprise" })
      const start = yield* TestClockNow
      const slow = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 30 }), () => lower.send(second, getPerson), { concurrency: "unbounded" })
      )
      const done = yield* runUntilDone(slow, 30_000)
      expect(statuses(lower.log)).toEqual({ 200: 30 })
      expect(done.at - start).toBeGreaterThanOrEqual(4_000)
      expect((yield* second.state).general).toMatchObject({ limit: 10, learned: true })
    }), 30_000)

  it.effect("counts what another program spent (x-ratelimit-remaining) and pauses on a 429 until x-ratelimit-reset", () =>
    Effect.gen(function*() {
      const server = modelServer({ rateLimit: 20 })
      const limiter = yield* RateLimit.make({ limit: 20 })
      // Someone else took 18 slots: the first answers show 0 remaining, so the limiter waits. (Two
      // go before any answer: had 19 been taken, the second would get the 429 that a single request
      // gets when all 20 are; the first answer's `x-ratelimit-remaining` tells the rest.)
      yield* server.spendElsewhere(18)
      const first = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 5 }), () => server.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      yield* runUntilDone(first, 10_000)
      expect(statuses(server.log)).toEqual({ 200: 5 })
      expect(server.log.slice(2).every((entry) => entry.at >= 2_000)).toBe(true)

      // Now the other program fills the window behind our back: our next request gets a 429.
      yield* server.spendElsewhere(20)
      const limited = yield* Effect.fork(server.send(limiter, getPerson))
      const { exit } = yield* runUntilDone(limited, 1_000)
      expect(exit).toEqual(Exit.succeed(429))
      const paused = yield* limiter.state
      expect(paused.rateLimited).toBe(1)
      const resumeAt = paused.general.pausedUntil ?? 0
      const pausedAt = yield* TestClockNow
      expect(resumeAt).toBeGreaterThan(pausedAt)
      // Everything waits until then, and then passes.
      const after = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 3 }), () => server.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      yield* runUntilDone(after, 10_000)
      const resumed = server.log.slice(-3)
      expect(resumed.map((entry) => entry.status)).toEqual([200, 200, 200])
      expect(resumed.every((entry) => entry.at >= resumeAt)).toBe(true)
    }))

  it.effect("search has its own bucket: 30 searches take 3 windows while 50 reads pass at once", () =>
    Effect.gen(function*() {
      const server = modelServer({ rateLimit: 100 })
      const limiter = yield* RateLimit.make({ limit: 100 })
      const searches = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 30 }), () => server.send(limiter, searchPersons), { concurrency: "unbounded" })
      )
      yield* TestClock.adjust("10 millis")
      const reads = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 50 }), () => server.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      const readsDone = yield* runUntilDone(reads, 10_000)
      expect(readsDone.at).toBeLessThanOrEqual(100)
      const searchesDone = yield* runUntilDone(searches, 10_000)
      expect(searchesDone.at).toBeGreaterThanOrEqual(4_000)
      expect(statuses(server.log)).toEqual({ 200: 80 })
      expect((yield* limiter.state).search).toMatchObject({ limit: 10, learned: true })
    }), 30_000)

  it.effect("a search refused while its own bucket had room (the window of all requests was full) pauses that window too", () =>
    Effect.gen(function*() {
      const server = modelServer({ rateLimit: 20 })
      const limiter = yield* RateLimit.make({ limit: 20 })
      yield* complete(server.send(limiter, getPerson))
      yield* complete(server.send(limiter, searchPersons))
      // Another program fills the window of all requests: a search, with room in its own bucket,
      // is refused by the other one; its answer's headers describe the search bucket (room left).
      yield* server.spendElsewhere(20)
      const refused = yield* complete(server.send(limiter, searchPersons))
      expect(refused).toBe(429)
      const reads = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 5 }), () => server.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      yield* runUntilDone(reads, 10_000)
      // The reads waited for the reset instead of running into the full window.
      expect(statuses(server.log)).toEqual({ 200: 7, 429: 1 })
    }))

  it.effect("a spent daily budget fails at once, until midnight UTC, without sending", () =>
    Effect.gen(function*() {
      const server = modelServer({ dailyBudget: 3 })
      const limiter = yield* RateLimit.make()
      for (let i = 0; i < 3; i++) expect(yield* complete(server.send(limiter, getPerson))).toBe(200)
      // The 4th reaches the server and gets the daily 429; the 5th is refused by the limiter itself.
      expect(yield* complete(server.send(limiter, getPerson))).toBe(429)
      const refused = yield* Effect.flip(server.send(limiter, getPerson))
      expect(refused._tag).toBe("DailyBudgetExhausted")
      expect(refused.resetsAt.toISOString()).toBe("1970-01-02T00:00:00.000Z")
      expect(server.log).toHaveLength(4)
      // After midnight the budget is back.
      yield* TestClock.setTime(86_400_000)
      expect(yield* complete(server.send(limiter, getPerson))).toBe(200)
    }))

  it.effect("keeps a daily reserve: stops before spending the tokens the caller set aside", () =>
    Effect.gen(function*() {
      const server = modelServer({ dailyBudget: 100 })
      const limiter = yield* RateLimit.make({ dailyReserve: 60 })
      const list = { operation: "getPersons", method: "GET", path: "/api/v2/persons" } as const // 10 tokens
      const results = yield* Effect.forEach(Array.from({ length: 6 }), () => complete(Effect.either(server.send(limiter, list))))
      expect(results.filter((result) => result._tag === "Right")).toHaveLength(4)
      const stopped = results[4]
      expect(stopped?._tag === "Left" && stopped.left).toMatchObject({
        _tag: "DailyBudgetExhausted",
        reserve: 60,
        dailyRequestsLeft: 60
      })
      expect(server.log).toHaveLength(4)
      expect((yield* limiter.state).tokensSpent).toBe(40)
    }))

  it.effect("a server that sends no rate-limit headers is not paced", () =>
    Effect.gen(function*() {
      const server = modelServer({})
      const limiter = yield* RateLimit.make()
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 200 }), () => server.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      const { at } = yield* runUntilDone(fiber, 1_000)
      expect(at).toBeLessThanOrEqual(30)
      expect((yield* limiter.state).general).toMatchObject({ limit: undefined, learned: true })
    }), 30_000)

  it.effect("publishes its state as a Stream", () =>
    Effect.gen(function*() {
      const server = modelServer({ rateLimit: 20 })
      const limiter = yield* RateLimit.make()
      const seen = yield* Effect.fork(Stream.runCollect(Stream.take(limiter.changes, 3)))
      yield* TestClock.adjust("1 millis")
      const send = yield* Effect.fork(server.send(limiter, getPerson))
      yield* runUntilDone(send, 1_000)
      const states = Array.from(yield* Fiber.join(seen))
      expect(states[0]?.sent).toBe(0)
      expect(states.at(-1)).toMatchObject({ sent: 1, general: { limit: 20, used: 1, learned: true } })
    }))

  it.effect("a request waiting for a slot in an uninterruptible region still gets it (no deadlock)", () =>
    Effect.gen(function*() {
      // A job that lets requests in flight finish runs them uninterruptibly; the limiter's wait
      // (a race between a timer and a change) must still end when the timer fires.
      const server = modelServer({ rateLimit: 2 })
      const limiter = yield* RateLimit.make({ limit: 2 })
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 5 }), () => Effect.uninterruptible(server.send(limiter, getPerson)), {
          concurrency: 1
        })
      )
      yield* runUntilDone(fiber, 10_000)
      expect(statuses(server.log)).toEqual({ 200: 5 })
    }))

  it.effect("disabled sends everything at once", () =>
    Effect.gen(function*() {
      const server = modelServer({ rateLimit: 5 })
      const limiter = yield* Effect.provide(RateLimit.RateLimiter, RateLimit.disabled)
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 8 }), () => server.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      yield* runUntilDone(fiber, 1_000)
      expect(statuses(server.log)).toEqual({ 200: 5, 429: 3 })
    }))
})

/** A reproducible draw in `[min, max]` for the n-th request (no `Math.random`). */
const uniform = (min: number, max: number, salt: number) => (n: number) =>
  min + ((Math.imul(n + 1 + salt * 7_919, 2_654_435_761) >>> 0) % (max - min + 1))

/** The most requests the server admitted in any of its 2-second windows. */
const busiestWindow = (log: ReadonlyArray<{ readonly at: number; readonly status: number }>) =>
  Math.max(...log.map((entry) => log.filter((other) => other.status === 200 && other.at > entry.at - 2_000 && other.at <= entry.at).length))

describe("RateLimit on a slow network (slots free a window and margin after sending)", () => {
  it.effect("at 500 ms latency the 21st request goes 2.1 s after the 1st, not 2.5 s (a window after its answer)", () =>
    Effect.gen(function*() {
      // As the sandbox plays latency: counted on arrival, the answer held back 500 ms.
      const server = modelServer({ rateLimit: 20 }, { out: () => 0, back: () => 500 })
      const limiter = yield* RateLimit.make()
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 21 }), () => server.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      yield* runUntilDone(fiber, 10_000)
      expect(statuses(server.log)).toEqual({ 200: 21 })
      // The first two (the limit is unknown until an answer at 500 ms), then 18 at once.
      expect(server.log.map((entry) => entry.at).slice(0, 3)).toEqual([0, 0, 500])
      expect(server.log[20]?.at).toBe(2_100)
    }))

  it.effect("200 requests at 20 per 2 s with 400-600 ms answers and jittery arrivals: no 429, one window and margin per 20", () =>
    Effect.gen(function*() {
      const server = modelServer({ rateLimit: 20 }, { out: uniform(0, 90, 1), back: uniform(400, 600, 2) })
      const limiter = yield* RateLimit.make()
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 200 }), () => server.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      const { at } = yield* runUntilDone(fiber, 60_000)
      expect(statuses(server.log)).toEqual({ 200: 200 })
      expect(busiestWindow(server.log)).toBeLessThanOrEqual(20)
      // Ten groups of 20, 2.1 s apart (a slow answer's slot held up to its delay beyond the fastest
      // ones, here at most 290 ms), the last answered within 700 ms: under 21.5 s. Holding each slot
      // until a window after its answer would take 10 × 2.5 s.
      expect(at).toBeLessThanOrEqual(21_500)
      const state = yield* limiter.state
      expect(state.rateLimited).toBe(0)
      // Latency measured (send to answer): about 450-650 ms here.
      expect(state.general.latencyMillis).toBeGreaterThan(400)
      expect(state.general.latencyMillis).toBeLessThan(700)
      expect(RateLimit.concurrency(state)).toBeGreaterThanOrEqual(6)
      expect(RateLimit.concurrency(state)).toBeLessThanOrEqual(8)
    }), 30_000)

  it.effect("120 per 2 s at 500 ms: 600 requests, no 429, and 0 phantoms from our own requests still in the server's window", () =>
    Effect.gen(function*() {
      const server = modelServer({ rateLimit: 120 }, { out: () => 0, back: () => 500 })
      const limiter = yield* RateLimit.make({ plan: "enterprise" })
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 600 }), () => server.send(limiter, getPerson), { concurrency: "unbounded" })
      )
      const { at } = yield* runUntilDone(fiber, 60_000)
      expect(statuses(server.log)).toEqual({ 200: 600 })
      // Five groups of 120, 2.1 s apart, each sent as the first group was (one at 0, 119 at its
      // answer): the last 119 sent at 8.9 s, answered at 9.4 s. Freeing slots a window after the
      // answers would take until 11 s, and phantoms for our own requests longer still.
      expect(at).toBe(9_400)
    }), 30_000)

  it.effect("a network more uneven than the margin: a 429 doubles the margin, and then there are no more", () =>
    Effect.gen(function*() {
      // Up to 350 ms on the way there: more than the default 100 ms margin covers.
      const server = modelServer({ rateLimit: 20 }, { out: uniform(0, 350, 3), back: uniform(400, 600, 4) })
      const limiter = yield* RateLimit.make()
      const fiber = yield* Effect.fork(
        Effect.forEach(Array.from({ length: 300 }), () => server.send(limiter, getPerson), { concurrency: 8 })
      )
      yield* runUntilDone(fiber, 120_000)
      const refused = server.log.filter((entry) => entry.status === 429).length
      expect(refused).toBeGreaterThan(0)
      // A few, from the requests sent under the first margins (those of one margin double it once).
      expect(refused).toBeLessThanOrEqual(8)
      expect((yield* limiter.state).general.marginMillis).toBeGreaterThanOrEqual(400)
      // Slow answers hold their slots longer (their delay beyond the fastest may have been on the way
      // there), so 429s are rare even before the margin has grown; once it covers the 350 ms, none.
      expect(server.log.slice(200).every((entry) => entry.status === 200)).toBe(true)
    }), 30_000)

  it("concurrency: limit / window × latency, plus one; a guess before anything is learned", () => {
    const state = (limit: number | undefined, latencyMillis: number | undefined, learned = true): RateLimit.State => ({
      general: { limit, learned, used: 0, latencyMillis, marginMillis: 100, pausedUntil: undefined },
      search: { limit: 10, learned, used: 0, latencyMillis: undefined, marginMillis: 100, pausedUntil: undefined },
      windowMillis: 2_000,
      dailyRequestsLeft: undefined,
      dailyExhaustedUntil: undefined,
      waiting: 0,
      sent: 0,
      delayed: 0,
      rateLimited: 0,
      tokensSpent: 0,
      serverSkewMillis: undefined
    })
    expect(RateLimit.concurrency(state(20, 500))).toBe(6)
    expect(RateLimit.concurrency(state(120, 500))).toBe(31)
    expect(RateLimit.concurrency(state(20, 40))).toBe(2)
    expect(RateLimit.concurrency(state(20, 1))).toBe(2)
    // Before any answer: the plan's limit at the assumed 500 ms.
    expect(RateLimit.concurrency(state(20, undefined, false))).toBe(6)
    // No limit sent by the server: a modest fixed number.
    expect(RateLimit.concurrency(state(undefined, 300))).toBe(RateLimit.unpacedConcurrency)
  })
})
