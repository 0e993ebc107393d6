/** The burst window, per-operation costs, the 403 block and the daily budget, on the wire. */
import { describe, expect, it } from "@effect/vitest"
import { OperationCost, PipedriveSandbox, RateLimit } from "@pipedrive-effect/sandbox"
import { Effect, TestClock } from "effect"
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

  it.scoped("spends each operation's cost", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, rateLimit: 100 })
      const remaining = function*(path: string) {
        return answer(yield* send(sandbox, path)).headers.get("x-ratelimit-remaining")
      }
      expect(yield* remaining("/api/v2/persons?limit=2")).toBe("90")
      expect(yield* remaining("/api/v1/persons?limit=2")).toBe("70")
      expect(yield* remaining("/api/v2/persons/search?term=ab")).toBe("50")
      expect(yield* remaining("/api/v1/persons/1")).toBe("48")
      const big = answer(yield* send(sandbox, "/api/v1/persons/search?term=ab"))
      expect(big.status).toBe(200)
      expect(big.headers.get("x-ratelimit-remaining")).toBe("8")
      const refused = answer(yield* send(sandbox, "/api/v2/persons?limit=1"))
      expect(refused.status).toBe(429)
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
