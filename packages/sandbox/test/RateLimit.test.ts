/** The burst window (requests), the search bucket, the daily budget (token cost), the 403 block and option validation, on the wire. */
import { describe, expect, it } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import * as OperationCost from "../src/internal/traffic/OperationCost.ts"
import * as RateLimit from "../src/internal/traffic/RateLimit.ts"
import { Cause, Clock, Effect, Exit, Layer, TestClock } from "effect"
import { answer, send } from "./support/Raw.ts"

const limitHeaders = (headers: Headers) => ({
  limit: headers.get("x-ratelimit-limit"),
  remaining: headers.get("x-ratelimit-remaining"),
  reset: headers.get("x-ratelimit-reset"),
  daily: headers.get("x-daily-requests-left")
})

describe("OperationCost", () => {
  it("uses the spec's x-token-cost, literal routes before parameters, 1 for unknown operations", () => {
    expect(OperationCost.costOf("GET", "/api/v2/persons?limit=5")).toBe(10)
    expect(OperationCost.costOf("GET", "/api/v2/persons/7")).toBe(1)
    expect(OperationCost.costOf("GET", "/api/v2/persons/search?term=ab")).toBe(20)
    expect(OperationCost.costOf("get", "/api/v1/persons/search")).toBe(40)
    expect(OperationCost.costOf("PUT", "/api/v1/persons/3/merge")).toBe(40)
    expect(OperationCost.costOf("DELETE", "/api/v2/persons/3/followers/9")).toBe(3)
    expect(OperationCost.costOf("GET", "/api/v2/deals")).toBe(1)
  })
})

describe("RateLimit.isSearch", () => {
  it("is a path whose last segment is search, or itemSearch[/field]", () => {
    for (
      const url of [
        "/api/v2/persons/search?term=ab",
        "/api/v1/persons/search",
        "/api/v1/deals/search/",
        "/api/v1/itemSearch?term=x",
        "/api/v2/itemSearch",
        "/api/v2/itemSearch/field?field_key=name"
      ]
    ) expect(RateLimit.isSearch(url), url).toBe(true)
    for (
      const url of ["/api/v2/persons", "/api/v2/persons/7", "/api/v1/persons/find?term=search", "/api/v2/searchable", "/api/v2/itemSearch/field/x"]
    ) expect(RateLimit.isSearch(url), url).toBe(false)
  })
})

describe("RateLimit.problem", () => {
  it("names the option that is not a positive integer", () => {
    expect(RateLimit.problem({ rateLimit: 20, searchRateLimit: 10, dailyBudget: 30_000 })).toBeUndefined()
    expect(RateLimit.problem({})).toBeUndefined()
    expect(RateLimit.problem({ rateLimit: 0 })).toBe("rateLimit must be a positive integer, got 0")
    expect(RateLimit.problem({ searchRateLimit: 1.5 })).toBe("searchRateLimit must be a positive integer, got 1.5")
    expect(RateLimit.problem({ dailyBudget: Number.NaN })).toBe("dailyBudget must be a positive integer, got NaN")
  })
})

describe("burst window", () => {
  it.scoped("every answer carries the limit headers, errors included; without limits there are none", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, rateLimit: 100, dailyBudget: 1000 })
      const one = answer(yield* send(sandbox, "/api/v2/persons/1"))
      expect(one.status).toBe(200)
      expect(limitHeaders(one.headers)).toEqual({ limit: "100", remaining: "99", reset: "0", daily: "999" })
      const stranger = answer(yield* send(sandbox, "/api/v2/persons/1", { token: "wrong" }))
      expect(stranger.status).toBe(401)
      expect(limitHeaders(stranger.headers)).toEqual({ limit: null, remaining: null, reset: null, daily: null })
      const missing = answer(yield* send(sandbox, "/api/v2/persons/999"))
      expect(missing.status).toBe(404)
      expect(limitHeaders(missing.headers)).toEqual({ limit: "100", remaining: "98", reset: "0", daily: "998" })

      const plain = yield* PipedriveSandbox.start({ persons: 1 })
      const free = answer(yield* send(plain, "/api/v2/persons/1"))
      expect(limitHeaders(free.headers)).toEqual({ limit: null, remaining: null, reset: null, daily: null })
    }))

  it.scoped("answers 429 at the limit with Pipedrive's body and no Retry-After, and recovers as the window rolls", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, rateLimit: 3 })
      for (let i = 0; i < 2; i++) expect(answer(yield* send(sandbox, "/api/v2/persons/1")).status).toBe(200)
      yield* TestClock.adjust("1 second")
      const third = answer(yield* send(sandbox, "/api/v2/persons/1"))
      expect(limitHeaders(third.headers)).toMatchObject({ remaining: "0", reset: "1" })

      const over = answer(yield* send(sandbox, "/api/v2/persons/2"))
      expect(over.status).toBe(429)
      expect(over.headers.get("retry-after")).toBeNull()
      expect(limitHeaders(over.headers)).toMatchObject({ limit: "3", remaining: "0", reset: "1" })
      expect(JSON.parse(over.text)).toMatchObject({ success: false, error: "Request over limit", errorCode: 429 })

      // The first two spends leave the window at 2 s; the third stays until 3 s.
      yield* TestClock.adjust("1 second")
      const back = answer(yield* send(sandbox, "/api/v2/persons/2"))
      expect(back.status).toBe(200)
      expect(limitHeaders(back.headers)).toMatchObject({ remaining: "1" })
    }))

  it.scoped("counts requests, whatever they cost; refused requests count nothing", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, rateLimit: 3, dailyBudget: 100 })
      const headersOf = function*(path: string) {
        const reply = answer(yield* send(sandbox, path))
        return { status: reply.status, ...limitHeaders(reply.headers) }
      }
      expect(yield* headersOf("/api/v2/persons?limit=2")).toMatchObject({ status: 200, remaining: "2", daily: "90" })
      expect(yield* headersOf("/api/v1/persons?limit=2")).toMatchObject({ status: 200, remaining: "1", daily: "70" })
      expect(yield* headersOf("/api/v1/persons/1")).toMatchObject({ status: 200, remaining: "0", reset: "2", daily: "68" })
      expect(yield* headersOf("/api/v2/persons/1")).toEqual({
        status: 429,
        limit: "3",
        remaining: "0",
        reset: "2",
        daily: "68"
      })
    }))

  it.scoped("x-ratelimit-reset on a 429 is at least 1, even a millisecond before the window has room", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, rateLimit: 2 })
      for (let i = 0; i < 2; i++) expect(answer(yield* send(sandbox, "/api/v2/persons/1")).status).toBe(200)
      yield* TestClock.adjust(1_999)
      const over = answer(yield* send(sandbox, "/api/v2/persons/1"))
      expect(over.status).toBe(429)
      expect(limitHeaders(over.headers)).toMatchObject({ remaining: "0", reset: "1" })
      yield* TestClock.adjust(1)
      const back = answer(yield* send(sandbox, "/api/v2/persons/1"))
      expect(back.status).toBe(200)
      expect(limitHeaders(back.headers)).toMatchObject({ remaining: "1", reset: "0" })
    }))

  it.scoped("a token that keeps sending after 429s gets a 403 HTML page until the block ends; others do not", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, rateLimit: 2, regularTokens: ["other"] })
      const statuses: Array<number> = []
      for (let i = 0; i < 5; i++) statuses.push(answer(yield* send(sandbox, "/api/v2/persons/1")).status)
      expect(statuses).toEqual([200, 200, 429, 429, 403])
      const blocked = answer(yield* send(sandbox, "/api/v2/persons/1"))
      expect(blocked.status).toBe(403)
      expect(blocked.headers.get("content-type")).toMatch(/^text\/html/)
      expect(blocked.text).toContain("<html>")
      expect(answer(yield* send(sandbox, "/api/v2/persons/1", { token: "other" })).status).toBe(200)

      yield* TestClock.adjust("2 seconds")
      expect(answer(yield* send(sandbox, "/api/v2/persons/1")).status).toBe(403)
      yield* TestClock.adjust(RateLimit.BLOCK_MILLIS)
      expect(answer(yield* send(sandbox, "/api/v2/persons/1")).status).toBe(200)
    }))

  // On the live clock: what is measured is the sandbox's event loop, busy rendering 500-person pages.
  it.scopedLive("a burst is counted when it arrives, not as the pages ahead of it finish rendering", () =>
    Effect.gen(function*() {
      const limit = 100
      const sandbox = yield* PipedriveSandbox.start({ persons: 8_000, rateLimit: limit })
      // 16 pages, last first, so that no page is served from one built ahead: 16 renders one after another.
      const pages = Array.from({ length: 16 }, (_, i) => `/api/v1/persons?start=${(15 - i) * 500}&limit=500`)
      const all = (paths: ReadonlyArray<string>) => Effect.forEach(paths, (path) => send(sandbox, path), { concurrency: "unbounded" })
      // A first burst of other pages opens the client's connections (undici opens them one after
      // another), so that the measured one goes out at once.
      yield* all(pages.map(() => "/api/v2/persons?limit=500"))
      const sent = yield* Clock.currentTimeMillis
      const burst = yield* all(pages)
      const rendered = (yield* Clock.currentTimeMillis) - sent
      expect(burst.map((outcome) => answer(outcome).status)).toEqual(pages.map(() => 200))
      // Counted on arrival, the burst has left the window 2 s after it was sent (give or take a
      // render: one may be under way when a request arrives). Counted as each request's turn to
      // render came, its last three quarters would still be in it a quarter of the answers' time later.
      yield* Effect.sleep(sent + RateLimit.WINDOW_MILLIS + rendered / 4 - (yield* Clock.currentTimeMillis))
      const probe = answer(yield* send(sandbox, "/api/v2/persons/1"))
      const stillCounted = limit - Number(probe.headers.get("x-ratelimit-remaining")) - 1
      expect(stillCounted, `the burst's answers took ${rendered} ms`).toBe(0)
    }))
})

describe("daily budget", () => {
  it.scoped("spends costs, then answers every request 429 with x-daily-requests-left 0 until midnight UTC", () =>
    Effect.gen(function*() {
      yield* TestClock.setTime(Date.UTC(2026, 0, 1, 22, 0))
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, dailyBudget: 12 })
      const list = answer(yield* send(sandbox, "/api/v2/persons"))
      expect(list.headers.get("x-daily-requests-left")).toBe("2")
      expect(list.headers.get("x-ratelimit-limit")).toBeNull()
      expect(answer(yield* send(sandbox, "/api/v1/persons/1")).headers.get("x-daily-requests-left")).toBe("0")
      for (const path of ["/api/v2/persons/1", "/api/v2/persons", "/api/v1/personFields"]) {
        const refused = answer(yield* send(sandbox, path))
        expect(refused.status).toBe(429)
        expect(refused.headers.get("x-daily-requests-left")).toBe("0")
        expect(JSON.parse(refused.text)).toMatchObject({ error: "Request over limit", errorCode: 429 })
      }
      yield* TestClock.setTime(Date.UTC(2026, 0, 1, 23, 59, 59))
      expect(answer(yield* send(sandbox, "/api/v2/persons/1")).status).toBe(429)
      yield* TestClock.setTime(Date.UTC(2026, 0, 2))
      const next = answer(yield* send(sandbox, "/api/v2/persons/1"))
      expect(next.status).toBe(200)
      expect(next.headers.get("x-daily-requests-left")).toBe("11")
    }))
})

describe("search bucket", () => {
  it.scoped("10 searches per 2 s by default; the 11th is 429 with the search bucket's headers, other requests still pass", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, rateLimit: 100 })
      const searches = ["/api/v2/persons/search?term=ab", "/api/v1/persons/search?term=ab"]
      for (let i = 0; i < 10; i++) {
        const found = answer(yield* send(sandbox, searches[i % 2]!))
        expect(found.status).toBe(200)
        expect(limitHeaders(found.headers)).toMatchObject({ limit: "10", remaining: String(9 - i) })
      }
      const over = answer(yield* send(sandbox, "/api/v2/persons/search?term=ab"))
      expect(over.status).toBe(429)
      expect(over.headers.get("retry-after")).toBeNull()
      expect(limitHeaders(over.headers)).toEqual({ limit: "10", remaining: "0", reset: "2", daily: null })
      expect(JSON.parse(over.text)).toMatchObject({ error: "Request over limit", errorCode: 429 })
      // Every search endpoint shares the bucket, routed or not.
      expect(answer(yield* send(sandbox, "/api/v1/itemSearch?term=ab")).status).toBe(429)

      // The 10 searches counted in the burst window too; the refused ones did not.
      const person = answer(yield* send(sandbox, "/api/v2/persons/1"))
      expect(person.status).toBe(200)
      expect(limitHeaders(person.headers)).toMatchObject({ limit: "100", remaining: "89", reset: "0" })

      yield* TestClock.adjust("2 seconds")
      const again = answer(yield* send(sandbox, "/api/v2/persons/search?term=ab"))
      expect(again.status).toBe(200)
      expect(limitHeaders(again.headers)).toMatchObject({ limit: "10", remaining: "9" })
    }))

  it.scoped("searchRateLimit sets the bucket; a search answer shows it, any other answer the burst window", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, rateLimit: 20, searchRateLimit: 3, dailyBudget: 1000 })
      const search = answer(yield* send(sandbox, "/api/v2/persons/search?term=ab"))
      expect(limitHeaders(search.headers)).toEqual({ limit: "3", remaining: "2", reset: "0", daily: "980" })
      const list = answer(yield* send(sandbox, "/api/v2/persons"))
      expect(limitHeaders(list.headers)).toEqual({ limit: "20", remaining: "18", reset: "0", daily: "970" })
    }))

  it.scoped("a search needs room in the burst window too; refused there, it keeps its own headers and a reset of at least 1", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, rateLimit: 2, searchRateLimit: 5 })
      for (let i = 0; i < 2; i++) expect(answer(yield* send(sandbox, "/api/v2/persons/1")).status).toBe(200)
      yield* TestClock.adjust(500)
      const over = answer(yield* send(sandbox, "/api/v2/persons/search?term=ab"))
      expect(over.status).toBe(429)
      expect(limitHeaders(over.headers)).toMatchObject({ limit: "5", remaining: "5", reset: "2" })
      yield* TestClock.adjust(1_500)
      const found = answer(yield* send(sandbox, "/api/v2/persons/search?term=ab"))
      expect(found.status).toBe(200)
      expect(limitHeaders(found.headers)).toMatchObject({ limit: "5", remaining: "4" })
    }))

  it.scoped("hammering search after its 429s blocks the token", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, rateLimit: 100, searchRateLimit: 2 })
      const statuses: Array<number> = []
      for (let i = 0; i < 5; i++) statuses.push(answer(yield* send(sandbox, "/api/v2/persons/search?term=ab")).status)
      expect(statuses).toEqual([200, 200, 429, 429, 403])
      expect(answer(yield* send(sandbox, "/api/v2/persons/1")).status).toBe(403)
    }))

  it.scoped("with only searchRateLimit, other answers carry no x-ratelimit headers", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, searchRateLimit: 1 })
      expect(limitHeaders(answer(yield* send(sandbox, "/api/v2/persons/search?term=ab")).headers)).toMatchObject({
        limit: "1",
        remaining: "0"
      })
      expect(answer(yield* send(sandbox, "/api/v2/persons/search?term=ab")).status).toBe(429)
      const other = answer(yield* send(sandbox, "/api/v2/persons/1"))
      expect(other.status).toBe(200)
      expect(limitHeaders(other.headers)).toEqual({ limit: null, remaining: null, reset: null, daily: null })
    }))
})

describe("the limiter alone", () => {
  it.effect("a window is (t - 2 s, t]: a steady request every 2 s / limit never meets a 429, a faster one does", () =>
    Effect.gen(function*() {
      const steady = RateLimit.make({ rateLimit: 20 })
      const tags: Array<string> = []
      for (let i = 0; i < 200; i++) {
        yield* TestClock.setTime(i * 100)
        tags.push((yield* steady.admit("t", { cost: 10, search: false }))._tag)
      }
      expect(tags.every((tag) => tag === "Allow")).toBe(true)

      const fast = RateLimit.make({ rateLimit: 20 })
      const decisions: Array<RateLimit.Decision> = []
      for (let i = 0; i < 21; i++) {
        yield* TestClock.setTime(100_000 + i * 99)
        decisions.push(yield* fast.admit("t", { cost: 1, search: false }))
      }
      expect(decisions.slice(0, 20).every((decision) => decision._tag === "Allow")).toBe(true)
      // The 21st comes at 1,980 ms, 20 ms before the first leaves the window.
      expect(decisions[20]).toEqual({
        _tag: "OverLimit",
        headers: { "x-ratelimit-limit": "20", "x-ratelimit-remaining": "0", "x-ratelimit-reset": "1" }
      })
    }))

  it.effect("tokens have their own windows; the daily budget is the company's", () =>
    Effect.gen(function*() {
      const limiter = RateLimit.make({ rateLimit: 1, dailyBudget: 15 })
      const a = yield* limiter.admit("a", { cost: 10, search: false })
      const b = yield* limiter.admit("b", { cost: 10, search: false })
      expect(a).toMatchObject({ _tag: "Allow", headers: { "x-ratelimit-remaining": "0", "x-daily-requests-left": "5" } })
      expect(b).toMatchObject({ _tag: "Allow", headers: { "x-ratelimit-remaining": "0", "x-daily-requests-left": "0" } })
      yield* TestClock.setTime(2_000)
      const c = yield* limiter.admit("c", { cost: 1, search: false })
      // Midnight UTC of day 0 is 86,400 s after the epoch the TestClock starts at.
      expect(c).toEqual({
        _tag: "DailyExhausted",
        headers: {
          "x-ratelimit-limit": "1",
          "x-ratelimit-remaining": "1",
          "x-ratelimit-reset": "86398",
          "x-daily-requests-left": "0"
        }
      })
    }))
})

describe("validation", () => {
  const deathOf = (options: PipedriveSandbox.Options) =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Effect.scoped(PipedriveSandbox.start(options)))
      expect(Exit.isFailure(exit)).toBe(true)
      return Exit.isFailure(exit) ? Cause.pretty(exit.cause) : ""
    })

  it.effect("start dies with a message naming the bad option", () =>
    Effect.gen(function*() {
      expect(yield* deathOf({ rateLimit: 0 })).toContain("PipedriveSandbox: rateLimit must be a positive integer, got 0")
      expect(yield* deathOf({ rateLimit: 20, searchRateLimit: -1 })).toContain("searchRateLimit must be a positive integer")
      expect(yield* deathOf({ dailyBudget: 0.5 })).toContain("dailyBudget must be a positive integer, got 0.5")
      expect(yield* deathOf({ faults: { failRate: 2 } })).toContain("faults.failRate must be a number from 0 to 1, got 2")
      expect(yield* deathOf({ faults: { dropAfterRate: 0.6, truncateRate: 0.6 } })).toContain(
        "faults: the rates add up to 1.2 (dropAfterRate 0.6, truncateRate 0.6); at most 1"
      )
      expect(yield* deathOf({ faults: { slowRate: 0.1, slowMillis: -5 } })).toContain("faults.slowMillis")
    }))

  it.effect("so does the layer", () =>
    Effect.gen(function*() {
      const exit = yield* Effect.exit(Effect.scoped(Layer.build(PipedriveSandbox.layer({ rateLimit: -3 }))))
      expect(Exit.isFailure(exit) ? Cause.pretty(exit.cause) : "").toContain("rateLimit must be a positive integer, got -3")
    }))
})
