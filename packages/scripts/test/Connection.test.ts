/**
 * The client every CLI command runs with: the environment contract and the bulk jobs' retries.
 */
import { describe, expect, it } from "@effect/vitest"
import { Persons } from "@pipedrive-effect/core"
import { Chunk, ConfigProvider, Effect, Fiber, Layer, TestClock } from "effect"
import { createServer } from "node:http"
import type { AddressInfo } from "node:net"
import { Connection } from "@pipedrive-effect/scripts"

/** A loopback server that answers every request 503, counting them. */
const alwaysUnavailable = Effect.acquireRelease(
  Effect.async<{ readonly url: string; readonly count: () => number; readonly close: () => void }>((resume) => {
    let count = 0
    const server = createServer((_, res) => {
      count++
      res.writeHead(503, { "content-type": "application/json" })
      res.end(JSON.stringify({ success: false, error: "Service temporarily unavailable" }))
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resume(Effect.succeed({
        url: `http://127.0.0.1:${port}`,
        count: () => count,
        close: () => {
          server.closeAllConnections()
          server.close()
        }
      }))
    })
  }),
  (server) => Effect.sync(server.close)
)

/** Yields to the event loop (sockets progress; no time passes) until the fiber sleeps on the test clock or ends. */
const untilAsleepOrDone = (fiber: Fiber.RuntimeFiber<unknown, unknown>) =>
  Effect.gen(function*() {
    for (let turn = 0; turn < 100_000; turn++) {
      if (fiber.unsafePoll() !== null || Chunk.size(yield* TestClock.sleeps()) > 0) return
      yield* Effect.promise(() => new Promise<void>((resolve) => setImmediate(resolve)))
    }
    return yield* Effect.dieMessage("the client neither slept for a backoff nor finished")
  })

describe("Connection.clientLayer", () => {
  it.scoped("retries a read up to 8 times (core's default is 4) before the error reaches the job", () =>
    Effect.gen(function*() {
      const server = yield* alwaysUnavailable
      const client = Connection.clientLayer({ baseUrl: server.url }).pipe(
        Layer.provide(Layer.setConfigProvider(ConfigProvider.fromMap(new Map([["PIPEDRIVE_API_TOKEN", "test-token"]]))))
      )
      const fiber = yield* Effect.fork(Persons.get(1).pipe(Effect.provide(client), Effect.flip))
      // The backoff sleeps on the test clock; the requests go over a real socket in between. Each
      // time the client is asleep (its backoff is a pending test-clock sleep), move the clock on.
      for (let i = 0; i < 60 && fiber.unsafePoll() === null; i++) {
        yield* untilAsleepOrDone(fiber)
        yield* TestClock.adjust("10 seconds")
      }
      const error = yield* Fiber.join(fiber)
      expect(error).toMatchObject({ _tag: "ServerError", status: 503 })
      expect(server.count()).toBe(1 + (Connection.retry.maxRetries ?? 0))
      expect(Connection.retry.maxRetries).toBe(8)
    }))
})
