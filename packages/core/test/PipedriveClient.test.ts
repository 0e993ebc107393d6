/**
 * The client pipeline against responses the sandbox cannot produce on demand: every error mapping,
 * malformed bodies, hangs, refused connections, and that the token never leaks; over each
 * transport (the platform's `FetchHttpClient`, which a program may give, and `HttpTransport` as it
 * is outside Node, `fetch`, and on Node, `node:http`), which must not differ in any.
 */
import { FetchHttpClient, Headers, HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { HttpTransport, Persons, PersonsV1, PipedriveClient, Retry } from "@pipedrive-effect/core"
import { Cause, Deferred, type Duration, Effect, Exit, Fiber, FiberRef, Layer, Option, Redacted, Supervisor, TestClock, TestServices } from "effect"
import * as Capture from "./support/Capture.ts"
import { gzipSync } from "node:zlib"
import * as FetchTransport from "../src/internal/FetchTransport.ts"
import * as ScriptedServer from "./support/ScriptedServer.ts"

const token = "tok-0123456789abcdef-SECRET"

/** Counts the fibers started under it. */
class StartCounter extends Supervisor.AbstractSupervisor<number> {
  count = 0
  get value(): Effect.Effect<number> {
    return Effect.sync(() => this.count)
  }
  override onStart(): void {
    this.count += 1
  }
}

const transports: ReadonlyArray<readonly [string, Layer.Layer<HttpClient.HttpClient>]> = [
  ["FetchHttpClient", FetchHttpClient.layer],
  // What HttpTransport is outside Node (Deno, Bun, browsers): fetch, with less around it.
  ["HttpTransport (fetch)", FetchTransport.layer],
  // What HttpTransport is under Node (tests run on Node): node:http.
  ["HttpTransport (node:http)", HttpTransport.layer]
]

describe.each(transports)("PipedriveClient request pipeline over %s", (name, transport) => {
  // Retries off: these tests are about how each single answer is mapped (Retry.test.ts covers retries).
  const clientLayer = (baseUrl: string, timeout: Duration.DurationInput = "5 seconds") =>
    PipedriveClient.layer({ apiToken: Redacted.make(token), baseUrl, timeout }).pipe(
      Layer.provide([transport, Retry.disabled])
    )

  const personJson = { id: 7, name: "Ada Lovelace", emails: [{ value: "ada@example.com", primary: true, label: "work" }] }

  /** Runs `Persons.get(7)` against a server scripted with `handler`; returns the exit and the server. */
  const getWith = (handler: ScriptedServer.Handler, timeout?: Duration.DurationInput) =>
    Effect.gen(function*() {
      const server = yield* ScriptedServer.start(handler)
      const exit = yield* Persons.get(7).pipe(Effect.provide(clientLayer(server.url, timeout)), Effect.exit)
      return { exit, server }
    })

  const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
    if (Exit.isSuccess(exit)) throw new Error("expected a failure")
    const error = Cause.failureOption(exit.cause)
    if (Option.isNone(error)) throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
    return error.value
  }

  describe("one request", () => {
    it.scoped("sends the token as x-api-token, asks for JSON, and decodes the envelope", () =>
      Effect.gen(function*() {
        const { exit, server } = yield* getWith((_, res) =>
          ScriptedServer.reply(res, 200, JSON.stringify({ success: true, data: personJson }))
        )
        expect(Exit.isSuccess(exit) && exit.value.name).toBe("Ada Lovelace")
        const request = server.requests[0]
        expect(request?.url).toBe("/api/v2/persons/7")
        expect(request?.headers["x-api-token"]).toBe(token)
        expect(request?.headers["accept"]).toContain("application/json")
      }))

    it.scoped("encodes list options as Pipedrive's query parameters", () =>
      Effect.gen(function*() {
        const server = yield* ScriptedServer.start((_, res) =>
          ScriptedServer.reply(res, 200, JSON.stringify({ success: true, data: [], additional_data: { next_cursor: null } }))
        )
        const page = yield* Persons.list({
          ids: [1, 2, 3],
          include_fields: ["open_deals_count", "doi_status"],
          custom_fields: ["abc", "def"],
          sort_by: "update_time",
          sort_direction: "desc",
          updated_since: "2025-01-01T00:00:00Z",
          include_option_labels: true,
          limit: 500,
          cursor: "c1"
        }).pipe(Effect.provide(clientLayer(server.url)))
        expect(page).toEqual({ items: [], cursor: "c1", nextCursor: undefined })
        const url = new URL(server.requests[0]?.url ?? "", server.url)
        expect(Object.fromEntries(url.searchParams)).toEqual({
          ids: "1,2,3",
          include_fields: "open_deals_count,doi_status",
          custom_fields: "abc,def",
          sort_by: "update_time",
          sort_direction: "desc",
          updated_since: "2025-01-01T00:00:00Z",
          include_option_labels: "true",
          limit: "500",
          cursor: "c1"
        })
      }))

    const pipedriveError = (error: string, extra: Record<string, unknown> = {}) =>
      JSON.stringify({ success: false, error, error_info: "Please check developers.pipedrive.com", data: null, ...extra })

    it.scoped.each([
      [400, "ValidationFailed"],
      [422, "ValidationFailed"],
      [401, "Unauthorized"],
      [402, "Forbidden"],
      [403, "Forbidden"],
      [404, "NotFound"],
      [405, "RequestRejected"],
      [410, "RequestRejected"],
      [429, "RateLimited"],
      [500, "ServerError"],
      [502, "ServerError"],
      [503, "ServerError"]
    ] as const)("maps HTTP %i to %s with Pipedrive's error text", ([status, tag]) =>
      Effect.gen(function*() {
        const { exit } = yield* getWith((_, res) =>
          ScriptedServer.reply(res, status, pipedriveError(`boom ${status}`, { code: "ERR_X" }))
        )
        const error = failure(exit)
        expect(error._tag).toBe(tag)
        expect(error).toMatchObject({
          operation: "getPerson",
          method: "GET",
          path: "/api/v2/persons/7",
          status,
          error: `boom ${status}`,
          errorInfo: "Please check developers.pipedrive.com",
          code: "ERR_X"
        })
        expect(error.message).toContain(`boom ${status}`)
      }))

    it.scoped("maps a 403 HTML page (Pipedrive's block page) to Forbidden", () =>
      Effect.gen(function*() {
        const { exit } = yield* getWith((_, res) =>
          ScriptedServer.reply(res, 403, "<!DOCTYPE html><html><body>Access denied</body></html>", {
            "content-type": "text/html"
          })
        )
        expect(failure(exit)).toMatchObject({ _tag: "Forbidden", status: 403, error: "HTML error page" })
      }))

    it.scoped("reads the rate-limit headers of a 429", () =>
      Effect.gen(function*() {
        const { exit } = yield* getWith((_, res) =>
          ScriptedServer.reply(res, 429, pipedriveError("Request over limit"), {
            "content-type": "application/json",
            "x-ratelimit-limit": "40",
            "x-ratelimit-remaining": "0",
            "x-ratelimit-reset": "2",
            "x-daily-requests-left": "1234"
          })
        )
        expect(failure(exit)).toMatchObject({
          _tag: "RateLimited",
          limit: 40,
          remaining: 0,
          reset: 2,
          dailyRequestsLeft: 1234
        })
      }))

    it.scoped("fails with Decode, naming the field, when a 2xx body has the wrong shape", () =>
      Effect.gen(function*() {
        const { exit } = yield* getWith((_, res) =>
          ScriptedServer.reply(res, 200, JSON.stringify({ success: true, data: { id: "seven", name: 1 } }))
        )
        const error = failure(exit)
        expect(error._tag).toBe("Decode")
        expect(error.message).toContain("id")
      }))

    it.scoped("fails with Decode when a 2xx body is not JSON (a truncated body)", () =>
      Effect.gen(function*() {
        const { exit } = yield* getWith((_, res) => ScriptedServer.reply(res, 200, `{"success":true,"data":{"id":7,"na`))
        expect(failure(exit)).toMatchObject({ _tag: "Decode", status: 200 })
      }))

    describe("a body over maxResponseBytes (64 KiB here) fails with Decode, never buffered whole", () => {
      const limit = 64 * 1024
      const withLimit = (url: string) =>
        PipedriveClient.layer({ apiToken: Redacted.make(token), baseUrl: url, maxResponseBytes: limit }).pipe(
          Layer.provide([transport, Retry.disabled])
        )
      // A person whose name pads the envelope to about `bytes`.
      const envelope = (bytes: number) => JSON.stringify({ success: true, data: { ...personJson, name: "x".repeat(bytes) } })

      it.scoped("declared by content-length: refused before it is read", () =>
        Effect.gen(function*() {
          const body = envelope(1024 * 1024)
          const server = yield* ScriptedServer.start((_, res) =>
            ScriptedServer.reply(res, 200, body, { "content-type": "application/json", "content-length": String(body.length) })
          )
          const error = failure(yield* Persons.get(7).pipe(Effect.provide(withLimit(server.url)), Effect.exit))
          expect(error).toMatchObject({ _tag: "Decode", status: 200 })
          expect(error.message).toMatch(/over the limit of 65536 \(maxResponseBytes\)/)
        }))

      it.scopedLive("chunked with no end: abandoned once past the limit, the connection closed", () =>
        Effect.gen(function*() {
          let written = 0
          let closed = false
          const hungUp = yield* Deferred.make<void>()
          const server = yield* ScriptedServer.start((_, res) => {
            res.writeHead(200, { "content-type": "application/json" })
            res.on("close", () => {
              closed = true
              Deferred.unsafeDone(hungUp, Exit.void)
            })
            const chunk = Buffer.alloc(16 * 1024, 0x20)
            // Up to 256 MiB, a chunk whenever the socket drains, until the client hangs up.
            const pump = () => {
              while (!closed && written < 256 * 1024 * 1024) {
                written += chunk.byteLength
                if (!res.write(chunk)) return void res.once("drain", pump)
              }
            }
            pump()
          })
          const error = failure(yield* Persons.get(7).pipe(Effect.provide(withLimit(server.url)), Effect.exit))
          expect(error).toMatchObject({ _tag: "Decode", status: 200 })
          expect(error.message).toMatch(/over the limit of 65536 bytes \(maxResponseBytes\); abandoned after \d+/)
          // The server sees the client hang up (its socket closed), however long a loaded machine takes to
          // deliver that; a client that kept the connection open fails here instead of hanging the run.
          const seen = yield* Deferred.await(hungUp).pipe(Effect.timeout("20 seconds"), Effect.option)
          expect(Option.isSome(seen) && closed).toBe(true)
          // Socket buffers aside, the server could not send much past the limit.
          expect(written).toBeLessThan(16 * 1024 * 1024)
        }), 40_000)

      it.scoped("compressed: counted after decompression (a small gzip of a big body)", () =>
        Effect.gen(function*() {
          const body = gzipSync(envelope(1024 * 1024))
          const server = yield* ScriptedServer.start((_, res) => {
            res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": body.byteLength })
            res.end(body)
          })
          expect(body.byteLength).toBeLessThan(limit)
          const error = failure(yield* Persons.get(7).pipe(Effect.provide(withLimit(server.url)), Effect.exit))
          expect(error).toMatchObject({ _tag: "Decode", status: 200 })
          expect(error.message).toContain("over the limit of 65536 bytes")
        }))

      it.scoped("under the limit, chunked or compressed bodies read as before", () =>
        Effect.gen(function*() {
          const text = envelope(60 * 1024)
          const server = yield* ScriptedServer.start((request, res) => {
            if (request.url.endsWith("/1")) {
              res.writeHead(200, { "content-type": "application/json" })
              for (let i = 0; i < text.length; i += 1000) res.write(text.slice(i, i + 1000))
              return void res.end()
            }
            const body = gzipSync(text)
            res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip", "content-length": body.byteLength })
            res.end(body)
          })
          const [chunked, compressed] = yield* Effect.all([Persons.get(1), Persons.get(2)]).pipe(
            Effect.provide(withLimit(server.url))
          )
          expect(chunked.name).toHaveLength(60 * 1024)
          expect(compressed).toEqual(chunked)
        }))

      it.scoped("an error page over the limit still maps by its status", () =>
        Effect.gen(function*() {
          const server = yield* ScriptedServer.start((_, res) =>
            ScriptedServer.reply(res, 503, `<html>${"x".repeat(1024 * 1024)}</html>`, { "content-type": "text/html" })
          )
          const error = failure(yield* Persons.get(7).pipe(Effect.provide(withLimit(server.url)), Effect.exit))
          expect(error).toMatchObject({ _tag: "ServerError", status: 503 })
        }))

      it.effect("a limit that is not a positive integer is a ConfigurationError", () =>
        Effect.gen(function*() {
          const exit = yield* PipedriveClient.make({ apiToken: Redacted.make(token), maxResponseBytes: 0 }).pipe(
            Effect.provide(FetchHttpClient.layer),
            Effect.exit
          )
          expect(failure(exit)).toMatchObject({ _tag: "ConfigurationError", setting: "maxResponseBytes" })
        }))
    })

    // Live clock: the timeout races a real socket that never answers.
    it.scopedLive("times out a response that never comes, as a Transport error", () =>
      Effect.gen(function*() {
        const { exit } = yield* getWith(() => {
          // never answer
        }, "200 millis")
        expect(failure(exit)).toMatchObject({ _tag: "Transport", reason: "Timeout" })
      }))

    // Core's transports take the timeout as a deadline beside the request; a fiber a request to time
    // it cost 7% of a request's p50 (bench/PROFILE-notes.md). Any other HttpClient still gets one.
    it.scopedLive(`a request ${name === "FetchHttpClient" ? "is timed in a fiber of its own" : "starts no fiber"}`, () =>
      Effect.gen(function*() {
        const server = yield* ScriptedServer.start((_, res) => ScriptedServer.reply(res, 200, JSON.stringify({ success: true, data: personJson })))
        const client = yield* Layer.build(clientLayer(server.url))
        const started = new StartCounter()
        const person = yield* Persons.get(7).pipe(Effect.provide(client), Effect.supervised(started))
        expect(person.id).toBe(7)
        if (name === "FetchHttpClient") expect(started.count).toBeGreaterThan(0)
        else expect(started.count).toBe(0)
      }))

    it.scopedLive("a transformClient (which may send elsewhere) keeps the timeout", () =>
      Effect.gen(function*() {
        const server = yield* ScriptedServer.start(() => {
          // never answer
        })
        const layer = PipedriveClient.layer({
          apiToken: Redacted.make(token),
          baseUrl: server.url,
          timeout: "200 millis",
          transformClient: HttpClient.mapRequest(HttpClientRequest.setHeader("x-transformed", "yes"))
        }).pipe(Layer.provide([transport, Retry.disabled]))
        const exit = yield* Persons.get(7).pipe(Effect.provide(layer), Effect.exit)
        expect(failure(exit)).toMatchObject({ _tag: "Transport", reason: "Timeout" })
      }))

    // A body that starts and stalls: the timeout must stop the read as well as the wait for the head.
    const stallingBody: ScriptedServer.Handler = (_, res) => {
      res.writeHead(200, { "content-type": "application/json", "content-length": "1000" })
      res.write(`{"success":true,"data":`)
    }

    it.scopedLive("times out a body that stops half-way, and closes its connection", () =>
      Effect.gen(function*() {
        const closed = yield* Deferred.make<void>()
        const { exit } = yield* getWith((request, res) => {
          res.on("close", () => Deferred.unsafeDone(closed, Exit.void))
          stallingBody(request, res)
        }, "200 millis")
        expect(failure(exit)).toMatchObject({ _tag: "Transport", reason: "Timeout", detail: "no complete response within 200ms" })
        const seen = yield* Deferred.await(closed).pipe(Effect.timeout("5 seconds"), Effect.option)
        expect(Option.isSome(seen)).toBe(true)
      }))

    it.scopedLive("times out a compressed body that stops half-way", () =>
      Effect.gen(function*() {
        const gzipped = gzipSync(JSON.stringify({ success: true, data: { ...personJson, notes: "x".repeat(200_000) } }))
        const { exit } = yield* getWith((_, res) => {
          res.writeHead(200, { "content-type": "application/json", "content-encoding": "gzip" })
          res.write(gzipped.subarray(0, gzipped.length >> 1))
        }, "200 millis")
        expect(failure(exit)).toMatchObject({ _tag: "Transport", reason: "Timeout" })
      }))

    it.scopedLive("times out a stalled body even when the caller is uninterruptible", () =>
      Effect.gen(function*() {
        const server = yield* ScriptedServer.start(stallingBody)
        const exit = yield* Persons.get(7).pipe(
          Effect.provide(clientLayer(server.url, "200 millis")),
          Effect.uninterruptible,
          Effect.exit
        )
        expect(failure(exit)).toMatchObject({ _tag: "Transport", reason: "Timeout" })
      }))

    it.scoped("the timeout stops a hung request even when the caller is uninterruptible", () =>
      Effect.gen(function*() {
        // A bulk job runs each row uninterruptibly (a row in flight finishes on Ctrl-C); the client's
        // own timeout must still cut a request that never gets an answer.
        const server = yield* ScriptedServer.start(() => {})
        const exit = yield* Persons.get(7).pipe(
          Effect.provide(clientLayer(server.url, "200 millis")),
          Effect.uninterruptible,
          Effect.exit
        )
        expect(failure(exit)).toMatchObject({ _tag: "Transport", reason: "Timeout" })
      }).pipe(TestServices.provideLive))

    it.scoped("the timeout follows the clock in context (a TestClock here), not the wall clock", () =>
      Effect.gen(function*() {
        const arrived = yield* Deferred.make<void>()
        const server = yield* ScriptedServer.start(() => Deferred.unsafeDone(arrived, Exit.void))
        const request = yield* Persons.get(7).pipe(Effect.provide(clientLayer(server.url, "1 hour")), Effect.fork)
        yield* Deferred.await(arrived)
        yield* TestClock.adjust("1 hour")
        expect(failure(yield* Fiber.await(request))).toMatchObject({ _tag: "Transport", reason: "Timeout" })
      }))

    it.scoped("an interrupted request closes its connection, and the interruption waits for that", () =>
      Effect.gen(function*() {
        const arrived = yield* Deferred.make<void>()
        const closed = yield* Deferred.make<void>()
        const server = yield* ScriptedServer.start((_, res) => {
          res.on("close", () => Deferred.unsafeDone(closed, Exit.void))
          Deferred.unsafeDone(arrived, Exit.void)
        })
        // The client outlives the request, as in a program: its pools stay open.
        const client = yield* Layer.build(clientLayer(server.url))
        const request = yield* Persons.get(7).pipe(Effect.provide(client), Effect.fork)
        yield* Deferred.await(arrived)
        yield* Fiber.interrupt(request)
        const seen = yield* Deferred.await(closed).pipe(Effect.timeout("10 seconds"), Effect.option)
        expect(Option.isSome(seen)).toBe(true)
      }).pipe(TestServices.provideLive))

    it.scoped("an uninterruptible caller's request runs to its answer when the caller is interrupted", () =>
      Effect.gen(function*() {
        const arrived = yield* Deferred.make<void>()
        let answered = false
        const server = yield* ScriptedServer.start((_, res) => {
          Deferred.unsafeDone(arrived, Exit.void)
          setTimeout(() => {
            answered = true
            ScriptedServer.reply(res, 200, JSON.stringify({ success: true, data: personJson }))
          }, 300)
        })
        let got: string | null | undefined
        const request = yield* Persons.get(7).pipe(
          Effect.tap((person) => Effect.sync(() => (got = person.name))),
          Effect.provide(clientLayer(server.url)),
          Effect.uninterruptible,
          Effect.fork
        )
        yield* Deferred.await(arrived)
        yield* Fiber.interrupt(request)
        expect(answered).toBe(true)
        expect(got).toBe("Ada Lovelace")
      }).pipe(TestServices.provideLive))

    it.scoped("maps a refused connection to Transport Unreachable (nothing was sent)", () =>
      Effect.gen(function*() {
        const port = yield* ScriptedServer.closedPort
        const exit = yield* PersonsV1.get(1).pipe(Effect.provide(clientLayer(`http://127.0.0.1:${port}`)), Effect.exit)
        expect(failure(exit)).toMatchObject({ _tag: "Transport", reason: "Unreachable", operation: "getPerson" })
      }))

    it.scoped("maps a dropped connection to Transport", () =>
      Effect.gen(function*() {
        const { exit } = yield* getWith((_, res) => res.socket?.destroy())
        expect(failure(exit)).toMatchObject({ _tag: "Transport", reason: "Network" })
      }))

    it.scoped("refuses an invalid body before sending anything, naming the field", () =>
      Effect.gen(function*() {
        const server = yield* ScriptedServer.start((_, res) => ScriptedServer.reply(res, 200, "{}"))
        const error = yield* Persons.create({ name: "  ", owner_id: 1.5 }).pipe(
          Effect.provide(clientLayer(server.url)),
          Effect.flip
        )
        expect(error._tag).toBe("InvalidRequest")
        expect(error.message).toContain("name: must not be empty")
        expect(error.message).toContain("owner_id: ")
        expect(server.requests).toHaveLength(0)
      }))

    it.scoped("never puts the token in errors, logs or spans", () =>
      Effect.gen(function*() {
        const capture = yield* Capture.make
        const server = yield* ScriptedServer.start((req, res) =>
          req.url.includes("/1")
            ? ScriptedServer.reply(res, 401, JSON.stringify({ success: false, error: "unauthorized access" }))
            : ScriptedServer.reply(res, 500, "<html>oops</html>", { "content-type": "text/html" })
        )
        const errors = yield* Effect.all([Persons.get(1), Persons.get(2), Persons.create({ name: "" })], {
          mode: "either"
        }).pipe(
          Effect.tap((results) => Effect.logError("results", results)),
          Effect.provide(clientLayer(server.url)),
          capture.observe
        )
        const everything = capture.render({ errors, messages: errors.map((e) => String(e)) })
        const spans = capture.spans
        expect(spans.some((s) => s.name === "Pipedrive.getPerson")).toBe(true)
        const span = spans.find((s) => s.name === "Pipedrive.getPerson")
        expect(span?.attributes.get("http.response.status_code")).toBe(401)
        expect(span?.attributes.get("url.path")).toBe("/api/v2/persons/1")
        expect(everything).not.toContain(token)
        expect(server.requests.every((r) => r.headers["x-api-token"] === token)).toBe(true)
      }))
  })

  describe("the request's span", () => {
    // A span ended with the decoded body keeps it, and with it a page of persons, alive past the
    // request (bench/PROFILE-notes.md, "Pages promoted"): it ends with void. Inside it, a
    // `transformClient` sees the span as the current one and the secret headers as redacted, and
    // the platform's own HTTP span (FetchHttpClient's) is not made.
    it.scoped("one span a request, current inside the transport, ended with void; secrets redacted; no platform span", () =>
      Effect.gen(function*() {
        const capture = yield* Capture.make
        const server = yield* ScriptedServer.start((_, res) =>
          ScriptedServer.reply(res, 200, JSON.stringify({ success: true, data: personJson }))
        )
        const inside: Array<{ span: string | undefined; redacted: boolean }> = []
        const transformClient = HttpClient.tapRequest(() =>
          Effect.flatMap(Effect.zip(Effect.option(Effect.currentSpan), FiberRef.get(Headers.currentRedactedNames)), ([span, names]) =>
            Effect.sync(() => inside.push({ span: Option.getOrUndefined(Option.map(span, (s) => s.name)), redacted: names.includes("x-api-token") })))
        )
        const layerOf = (withTransform: boolean) =>
          PipedriveClient.layer({ apiToken: Redacted.make(token), baseUrl: server.url, ...(withTransform ? { transformClient } : {}) })
            .pipe(Layer.provide([transport, Retry.disabled]))
        const plain = yield* Persons.get(7).pipe(Effect.provide(layerOf(false)), capture.observe)
        const transformed = yield* Persons.get(7).pipe(Effect.provide(layerOf(true)), capture.observe)
        expect([plain.name, transformed.name]).toEqual(["Ada Lovelace", "Ada Lovelace"])
        expect(capture.spans.map((s) => s.name)).toEqual(["Pipedrive.getPerson", "Pipedrive.getPerson"])
        for (const span of capture.spans) {
          expect(span.status._tag).toBe("Ended")
          const exit = span.status._tag === "Ended" ? span.status.exit : undefined
          expect(exit !== undefined && Exit.isSuccess(exit) && exit.value === undefined).toBe(true)
        }
        expect(inside).toEqual([{ span: "Pipedrive.getPerson", redacted: true }])
        // Restored after the request.
        expect(yield* Effect.option(Effect.currentSpan)).toEqual(Option.none())
        expect((yield* FiberRef.get(Headers.currentRedactedNames)).includes("x-api-token")).toBe(false)
      }))
  })
})
