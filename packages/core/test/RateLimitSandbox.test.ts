/**
 * The whole client (default limiter and retry policy) against the sandbox enforcing Pipedrive's
 * limits and injecting 503s, on the real clock: everything passes, no 429 is ever received, and no
 * write is applied twice. Kept small (a few seconds); `bench/rate-limit.ts` runs the long version.
 *
 * The limiter frees a slot a window and a margin after SENDING, the margin covering how much later
 * one request may reach the server than another. Here client and server share one event loop (on a
 * shared machine): the first burst opens 19 connections at once and reaches the server up to a few
 * hundred ms after the limiter let it go, so the margin is set for that, as it would be for a slow
 * or uneven network: 1 s, since at 600 ms a full `npm test` on a machine at load 6-10 once
 * saw two 429s (the burst reached the server later still).
 */
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { Persons, PipedriveClient, RateLimit } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Chunk, Effect, Redacted, Stream } from "effect"

describe("the client under the sandbox's rate limits and faults", () => {
  it.live("40 reads, 10 searches and 10 creates at once: all pass, no 429, each create applied once", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({
        persons: 50,
        rateLimit: 20,
        faults: { failRate: 0.1, seed: "rate-limit-sandbox" }
      })
      const client = yield* PipedriveClient.make({ apiToken: Redacted.make(sandbox.token), baseUrl: sandbox.url }).pipe(
        Effect.provide(FetchHttpClient.layer),
        Effect.provide(RateLimit.layer({ margin: "1 second" }))
      )
      const names = Array.from({ length: 10 }, (_, i) => `Paced Person ${i}`)
      const work = [
        ...Array.from({ length: 40 }, (_, i) => Effect.asVoid(Persons.get(1 + (i % 50)))),
        ...Array.from({ length: 10 }, () => Effect.asVoid(Persons.search({ term: "Paced" }))),
        ...names.map((name) => Effect.asVoid(Persons.create({ name })))
      ]
      yield* Effect.all(work, { concurrency: "unbounded" }).pipe(
        Effect.provideService(PipedriveClient.PipedriveClient, client)
      )
      const state = yield* client.rateLimiter.state
      expect(state.rateLimited).toBe(0)
      expect(state.general).toMatchObject({ limit: 20, learned: true })
      expect(state.search).toMatchObject({ limit: 10, learned: true })
      const everyone = yield* Stream.runCollect(Persons.stream({ limit: 500 })).pipe(
        Effect.provideService(PipedriveClient.PipedriveClient, client)
      )
      const paced = Chunk.toReadonlyArray(everyone).flatMap((person) => person.name?.startsWith("Paced Person") ? [person.name] : [])
      expect([...paced].sort()).toEqual(names)
    }).pipe(Effect.scoped), 30_000)
})
