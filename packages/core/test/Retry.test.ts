/**
 * The retry policy: its schedule's bounds on the TestClock, which failures it retries, and, through
 * the whole client against scripted answers, that a write is never sent twice after a failure that
 * does not tell whether it was applied.
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { HttpTransport, Persons, PipedriveClient, PipedriveError, type RateLimit, Retry } from "@pipedrive-effect/core"
import { Chunk, Clock, Effect, Fiber, Layer, Redacted, TestClock } from "effect"
import * as FetchTransport from "../src/internal/FetchTransport.ts"
import * as ScriptedServer from "./support/ScriptedServer.ts"

const where: RateLimit.RequestInfo = { operation: "getPerson", method: "GET", path: "/api/v2/persons/1" }
const write: RateLimit.RequestInfo = { operation: "addPerson", method: "POST", path: "/api/v2/persons" }
const serverError = (status: number, on = where) =>
  new PipedriveError.ServerError({ ...on, status, error: "boom" })
const network = (on = where) => new PipedriveError.Transport({ ...on, reason: "Network", detail: "socket hang up" })

/** Runs `policy` over an attempt that always fails with `error`; the times of the attempts. */
const attemptTimes = (policy: Retry.Service, error: PipedriveError.PipedriveError, request: RateLimit.RequestInfo = where) =>
  Effect.gen(function*() {
    const times: Array<number> = []
    const attempt = Effect.flatMap(Clock.currentTimeMillis, (now) => {
      times.push(now)
      return Effect.fail(error)
    })
    const fiber = yield* Effect.fork(policy.retry(request, attempt))
    while ((yield* Fiber.poll(fiber))._tag === "None") {
      const next = Chunk.reduce(yield* TestClock.sleeps(), Number.POSITIVE_INFINITY, (a, b) => Math.min(a, b))
      yield* Number.isFinite(next) ? TestClock.setTime(next) : TestClock.adjust("1 millis")
    }
    return times
  })

// Jittered delays are fractional milliseconds: compare them to the millisecond.
const gaps = (times: ReadonlyArray<number>) => times.slice(1).map((time, i) => Math.round(time - times[i]!))

describe("Retry schedule", () => {
  it.effect("backs off exponentially with jitter, each delay capped, bounded in count", () =>
    Effect.gen(function*() {
      const policy = Retry.make({ maxRetries: 5, baseDelay: "200 millis", maxDelay: "1 second" })
      const times = yield* attemptTimes(policy, serverError(500))
      expect(times).toHaveLength(6)
      const delays = gaps(times)
      // 200, 400, 800, then capped at 1000; jitter is ±20%.
      expect(delays[0]).toBeGreaterThanOrEqual(160)
      expect(delays[0]).toBeLessThanOrEqual(240)
      expect(delays[1]).toBeGreaterThanOrEqual(320)
      expect(delays[1]).toBeLessThanOrEqual(480)
      expect(delays[2]).toBeGreaterThanOrEqual(640)
      for (const delay of delays) expect(delay).toBeLessThanOrEqual(1000)
      expect(delays.slice(3)).toEqual([1000, 1000])
    }))

  it.effect("starts no retry after maxElapsed", () =>
    Effect.gen(function*() {
      const policy = Retry.make({ maxRetries: 1000, baseDelay: "1 second", maxDelay: "1 second", maxElapsed: "5 seconds" })
      const times = yield* attemptTimes(policy, network())
      const last = times.at(-1)! - times[0]!
      expect(times.length).toBeGreaterThanOrEqual(5)
      expect(times.length).toBeLessThanOrEqual(7)
      expect(last).toBeLessThanOrEqual(6_000)
    }))

  it.effect("waits at least a 429's x-ratelimit-reset", () =>
    Effect.gen(function*() {
      const policy = Retry.make({ maxRetries: 2, baseDelay: "10 millis" })
      const limited = new PipedriveError.RateLimited({ ...where, status: 429, error: "Request over limit", reset: 3 })
      const delays = gaps(yield* attemptTimes(policy, limited))
      expect(delays).toHaveLength(2)
      for (const delay of delays) expect(delay).toBeGreaterThanOrEqual(3_000)
    }))

  it.effect("never retries a spent daily budget, a 4xx, or an ambiguous write", () =>
    Effect.gen(function*() {
      const policy = Retry.make()
      const daily = new PipedriveError.DailyBudgetExhausted({ ...where, resetsAt: new Date(86_400_000), dailyRequestsLeft: 0 })
      expect(yield* attemptTimes(policy, daily)).toHaveLength(1)
      expect(yield* attemptTimes(policy, new PipedriveError.NotFound({ ...where, status: 404, error: "not found" })))
        .toHaveLength(1)
      const ambiguous = new PipedriveError.AmbiguousWrite({ ...write, failure: network(write) })
      expect(yield* attemptTimes(policy, ambiguous, write)).toHaveLength(1)
    }))
})

describe("Retry.classify and isRetryable", () => {
  const cases: ReadonlyArray<readonly [string, PipedriveError.PipedriveError, RateLimit.RequestInfo, string, boolean]> = [
    ["read, dropped connection", network(), where, "Transport", true],
    ["read, 500", serverError(500), where, "ServerError", true],
    ["read, bad body", new PipedriveError.Decode({ ...where, status: 200, detail: "x" }), where, "Decode", true],
    ["write, dropped connection", network(write), write, "AmbiguousWrite", false],
    ["write, timeout", new PipedriveError.Transport({ ...write, reason: "Timeout", detail: "x" }), write, "AmbiguousWrite", false],
    ["write, 500", serverError(500, write), write, "AmbiguousWrite", false],
    ["write, 502", serverError(502, write), write, "AmbiguousWrite", false],
    ["write, 503 (before processing)", serverError(503, write), write, "ServerError", true],
    [
      "write, connection refused",
      new PipedriveError.Transport({ ...write, reason: "Unreachable", detail: "ECONNREFUSED" }),
      write,
      "Transport",
      true
    ],
    ["write, 429", new PipedriveError.RateLimited({ ...write, status: 429, error: "Request over limit" }), write, "RateLimited", true],
    ["write, bad body of a 2xx (it was applied)", new PipedriveError.Decode({ ...write, status: 201, detail: "x" }), write, "Decode", false],
    ["write, 400", new PipedriveError.ValidationFailed({ ...write, status: 400, error: "x" }), write, "ValidationFailed", false]
  ]
  for (const [name, error, request, tag, retryable] of cases) {
    it(`${name}: ${tag}, ${retryable ? "retried" : "not retried"}`, () => {
      const classified = Retry.classify(request, error)
      expect(classified._tag).toBe(tag)
      expect(Retry.isRetryable(request, classified)).toBe(retryable)
    })
  }

  it("does not retry another operation's failure (an OAuth refresh the request needed)", () => {
    const refresh = new PipedriveError.Transport({ operation: "refreshAccessToken", method: "POST", path: "/oauth/token", reason: "Network", detail: "x" })
    expect(Retry.isRetryable(where, refresh)).toBe(false)
  })
})

// The client with a fast policy, so these run on the real clock in milliseconds; over each transport,
// which must report a dropped or refused connection alike.
const clientLayerOver = (transport: Layer.Layer<HttpClient.HttpClient>) => (baseUrl: string) =>
  PipedriveClient.layer({ apiToken: Redacted.make("retry-token"), baseUrl, timeout: "2 seconds" }).pipe(
    Layer.provide([transport, Retry.layer({ maxRetries: 3, baseDelay: "1 millis", maxDelay: "5 millis" })])
  )
const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  // What HttpTransport is outside Node (Deno, Bun, browsers): fetch, with less around it.
  ["HttpTransport (fetch)", FetchTransport.layer],
  // What HttpTransport is under Node (tests run on Node): node:http.
  ["HttpTransport (node:http)", HttpTransport.layer]
]

const person = JSON.stringify({ success: true, data: { id: 1, name: "Ada" } })
const failureBody = (error: string) => JSON.stringify({ success: false, error, data: null })

/** A server answering the n-th request (from 0) with `script[n]` (the last one repeats). */
const scripted = (script: ReadonlyArray<ScriptedServer.Handler>) => {
  let n = 0
  return ScriptedServer.start((request, response) => script[Math.min(n++, script.length - 1)]!(request, response))
}
const answer = (status: number, body: string, headers?: Record<string, string>): ScriptedServer.Handler => (_, response) =>
  ScriptedServer.reply(response, status, body, { "content-type": "application/json", ...headers })
const drop: ScriptedServer.Handler = (_, response) => response.socket?.destroy()

describe.each(transports)("the client's retries over %s", (_, transport) => {
  const clientLayer = clientLayerOver(transport)
  it.live("a write whose connection drops is sent once and fails with AmbiguousWrite", () =>
    Effect.gen(function*() {
      const server = yield* scripted([drop, answer(201, person)])
      const error = yield* Persons.create({ name: "Ada" }).pipe(Effect.provide(clientLayer(server.url)), Effect.flip)
      expect(error._tag).toBe("AmbiguousWrite")
      expect(error.message).toContain("may or may not have been applied")
      expect(server.requests).toHaveLength(1)
    }).pipe(Effect.scoped))

  it.live("a write answered 500 is sent once (AmbiguousWrite); answered 503 it is sent again", () =>
    Effect.gen(function*() {
      const five = yield* scripted([answer(500, failureBody("Internal")), answer(201, person)])
      const error = yield* Persons.create({ name: "Ada" }).pipe(Effect.provide(clientLayer(five.url)), Effect.flip)
      expect(error).toMatchObject({ _tag: "AmbiguousWrite", failure: { _tag: "ServerError", status: 500 } })
      expect(five.requests).toHaveLength(1)

      const unavailable = yield* scripted([answer(503, failureBody("Unavailable")), answer(201, person)])
      const created = yield* Persons.create({ name: "Ada" }).pipe(Effect.provide(clientLayer(unavailable.url)))
      expect(created.id).toBe(1)
      expect(unavailable.requests).toHaveLength(2)
    }).pipe(Effect.scoped))

  it.live("a read is retried through 500s, drops and a truncated body", () =>
    Effect.gen(function*() {
      const server = yield* scripted([answer(500, failureBody("x")), drop, answer(200, person.slice(0, 20)), answer(200, person)])
      const found = yield* Persons.get(1).pipe(Effect.provide(clientLayer(server.url)))
      expect(found.name).toBe("Ada")
      expect(server.requests).toHaveLength(4)
    }).pipe(Effect.scoped))

  it.live("gives up after maxRetries with the last error", () =>
    Effect.gen(function*() {
      const server = yield* scripted([answer(502, failureBody("Bad gateway"))])
      const error = yield* Persons.get(1).pipe(Effect.provide(clientLayer(server.url)), Effect.flip)
      expect(error).toMatchObject({ _tag: "ServerError", status: 502 })
      expect(server.requests).toHaveLength(4)
    }).pipe(Effect.scoped))

  it.live("a 429 with the daily budget spent fails at once with DailyBudgetExhausted", () =>
    Effect.gen(function*() {
      const server = yield* scripted([
        answer(429, failureBody("Request over limit"), { "x-daily-requests-left": "0", "x-ratelimit-reset": "3600" })
      ])
      const [first, second] = yield* Effect.all([Effect.flip(Persons.get(1)), Effect.flip(Persons.get(2))]).pipe(
        Effect.provide(clientLayer(server.url))
      )
      expect(first._tag).toBe("DailyBudgetExhausted")
      // The client's limiter knows now: the second request is refused without being sent.
      expect(second._tag).toBe("DailyBudgetExhausted")
      expect(server.requests).toHaveLength(1)
    }).pipe(Effect.scoped))

  it.live("a write to a port nobody listens on is retried (nothing was sent), then fails as Unreachable", () =>
    Effect.gen(function*() {
      const port = yield* ScriptedServer.closedPort
      const error = yield* Persons.create({ name: "Ada" }).pipe(
        Effect.provide(clientLayer(`http://127.0.0.1:${port}`)),
        Effect.flip
      )
      expect(error).toMatchObject({ _tag: "Transport", reason: "Unreachable" })
    }))
})
