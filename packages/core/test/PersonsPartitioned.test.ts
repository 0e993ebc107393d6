/**
 * `Persons.streamPartitioned` against the in-process sandbox, with latency and a rate limit on (real
 * time: the latency is the point). Small data, short delays, and no assertion on how long anything
 * took: what is checked is that every person comes exactly once, however the windows were split,
 * resumed or changed under the walk.
 *
 * Client and server share one event loop here, on a machine shared with other jobs: a request can
 * reach the server well over the limiter's default margin (100 ms) after it was let go, which a
 * real network's jitter does not do. So the limiter gets a margin of a second, which makes every
 * slot free a window after its answer (these answers take 20-300 ms); `RateLimit.test.ts` checks
 * the default margin against the server's rule on the `TestClock`.
 */
import { describe, expect, layer } from "@effect/vitest"
import { Persons, PipedriveClient, PipedriveError } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Chunk, Deferred, Effect, Schema, Stream } from "effect"
import * as Sandbox from "./support/Sandbox.ts"

const walk = (options: Persons.PartitionedOptions) =>
  Persons.streamPartitioned(options).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray))

const idsOf = (pages: ReadonlyArray<Persons.PartitionedPage>, phase: "main" | "catch-up") =>
  pages.filter((page) => page.phase === phase).flatMap((page) => page.items.map((person) => person.id))

const storeIds = Effect.flatMap(PipedriveSandbox.PipedriveSandbox, (sandbox) =>
  Effect.map(Stream.runCollect(sandbox.store.ids), Chunk.toReadonlyArray))

const rateLimited = Effect.flatMap(PipedriveClient.PipedriveClient, (client) =>
  Effect.map(client.rateLimiter.state, (state) => state.rateLimited))

/** The ids in ascending order, each once: fails on a duplicate. */
const once = (ids: ReadonlyArray<number>) => {
  const sorted = [...ids].sort((a, b) => a - b)
  expect(new Set(sorted).size).toBe(sorted.length)
  return sorted
}

const busy = { latencyMs: { min: 20, max: 40 }, rateLimit: 20 }
const limiter = { margin: "1 second" } as const

describe("Persons.streamPartitioned", () => {
  layer(Sandbox.layer({ persons: 3_000, seed: "partitioned", sandbox: busy, limiter }), { excludeTestServices: true })(
    "3,000 persons, 20-40 ms, 20 requests per 2 s",
    (it) => {
      it.effect("gives each person exactly once in the main phase, the store's whole set, in several windows", () =>
        Effect.gen(function*() {
          const pages = yield* walk({ limit: 100 })
          expect(once(idsOf(pages, "main"))).toEqual(yield* storeIds)
          // Walked in more than one window, and ends with the catch-up (the last second again).
          expect(Math.max(...pages.map((page) => page.state.windows.length))).toBeGreaterThan(1)
          expect(pages.at(-1)?.phase).toBe("catch-up")
          expect(pages.at(-1)?.state.phase).toBe("done")
          expect(idsOf(pages, "catch-up")).toContain(3_000)
          // Within a window, persons come by update_time.
          for (const page of pages) {
            const times = page.items.map((person) => person.update_time ?? "")
            expect(times).toEqual([...times].sort())
          }
          const lastMain = pages.filter((page) => page.phase === "main").at(-1)
          expect(lastMain?.progress.emitted).toBe(3_000)
          expect(lastMain?.progress.estimatedTotal).toBe(3_000)
          expect(yield* rateLimited).toBe(0)
        }), 60_000)

      it.effect("resumed from the state after any element, gives the rest: nothing lost, nothing twice", () =>
        Effect.gen(function*() {
          const full = yield* walk({ limit: 200 })
          const everyone = yield* storeIds
          const mains = full.filter((page) => page.phase === "main").length
          // After the first discovery page, after both, then in the middle windows.
          for (const k of [0, 1, 3, 9, mains - 1, mains]) {
            // Saved as JSON and decoded back, as a caller would.
            const saved = Schema.decodeUnknownSync(Persons.PartitionState)(JSON.parse(JSON.stringify(full[k]!.state)))
            const rest = yield* walk({ limit: 200, resume: saved })
            const before = full.slice(0, k + 1)
            expect(once([...idsOf(before, "main"), ...idsOf(rest, "main")])).toEqual(everyone)
            expect((rest.at(-1) ?? full[k]!).state.phase).toBe("done")
          }
          const done = yield* walk({ limit: 200, resume: full.at(-1)!.state })
          expect(done).toEqual([])
        }), 120_000)

      it.effect("resumes a state of the earlier layout (the span cut evenly, discovery pages not kept), as a format-2 state file holds", () =>
        Effect.gen(function*() {
          const end = (direction: "asc" | "desc") =>
            Effect.map(Persons.list({ sort_by: "update_time", sort_direction: direction, limit: 1 }), (page) =>
              Math.floor(Date.parse(page.items[0]!.update_time!) / 1000))
          const since = yield* end("asc")
          const newest = yield* end("desc")
          const until = newest + 1
          // What the earlier discovery wrote before its first element: six even windows, no page read.
          const cut = (j: number) => since + Math.floor(((until - since) * j) / 6)
          const earlier: Persons.PartitionState = {
            phase: "main",
            span: { since, until },
            windows: [0, 1, 2, 3, 4, 5].map((i) => ({ since: cut(i), until: cut(i + 1), queryUntil: cut(i + 1), cursor: null, position: null })),
            catchUp: { since: newest, cursor: null },
            emitted: 0,
            coveredSeconds: 0
          }
          const everyone = yield* storeIds
          const first = yield* walk({ limit: 200, resume: earlier })
          expect(once(idsOf(first, "main"))).toEqual(everyone)
          // And from its state after a few pages, as a kill would leave it.
          const saved = Schema.decodeUnknownSync(Persons.PartitionState)(JSON.parse(JSON.stringify(first[4]!.state)))
          const rest = yield* walk({ limit: 200, resume: saved })
          expect(once([...idsOf(first.slice(0, 5), "main"), ...idsOf(rest, "main")])).toEqual(everyone)
        }), 60_000)

      it.effect("asks for the catch-up once the last window's page is read, not once a slow consumer has taken every page", () =>
        Effect.gen(function*() {
          const client = yield* PipedriveClient.PipedriveClient
          let mainReadUntil = 0
          let catchUpSentAt: number | undefined
          const timed: PipedriveClient.Service = {
            ...client,
            request: (options) => {
              const params = options.urlParams ?? {}
              // The catch-up: from a time, unbounded, no cursor; the windows all have an upper bound.
              const catchUp = params["updated_since"] !== undefined && params["updated_until"] === undefined && params["cursor"] === undefined
              return catchUp
                ? Effect.zipRight(Effect.sync(() => void (catchUpSentAt ??= performance.now())), client.request(options))
                : Effect.tap(client.request(options), () => Effect.sync(() => void (mainReadUntil = performance.now())))
            }
          }
          let lastMainTaken = 0
          const pages = yield* Persons.streamPartitioned({ limit: 100 }).pipe(
            Stream.tap((page) =>
              page.phase === "main" ? Effect.zipRight(Effect.sleep("100 millis"), Effect.sync(() => void (lastMainTaken = performance.now()))) : Effect.void
            ),
            Stream.runCollect,
            Effect.map(Chunk.toReadonlyArray),
            Effect.provideService(PipedriveClient.PipedriveClient, timed)
          )
          expect(once(idsOf(pages, "main"))).toEqual(yield* storeIds)
          expect(catchUpSentAt).toBeDefined()
          // After every window's read (so nobody changed meanwhile is missed), before the consumer was done.
          expect(catchUpSentAt!).toBeGreaterThanOrEqual(mainReadUntil)
          expect(catchUpSentAt!).toBeLessThan(lastMainTaken)
        }), 60_000)

      it.effect("a failure of one walker's request fails the stream (after the pages before it); stopping early stops the walkers", () =>
        Effect.gen(function*() {
          const client = yield* PipedriveClient.PipedriveClient
          let calls = 0
          // The 2 discovery pages and 4 more pass; then every request fails as a 500 would, after retries.
          const failing: PipedriveClient.Service = {
            ...client,
            request: (options) =>
              calls++ < 6
                ? client.request(options)
                : Effect.fail(
                  new PipedriveError.ServerError({ operation: options.operation, method: options.method, path: options.path, status: 500, error: "boom" })
                )
          }
          const pages: Array<Persons.PartitionedPage> = []
          const failure = yield* Persons.streamPartitioned({ limit: 100 }).pipe(
            Stream.runForEach((page) => Effect.sync(() => pages.push(page))),
            Effect.provideService(PipedriveClient.PipedriveClient, failing),
            Effect.flip
          )
          expect(failure).toMatchObject({ _tag: "ServerError", status: 500 })
          expect(pages.length).toBeLessThanOrEqual(6)
          // The state of the last page given is good to resume from.
          const resumed = yield* walk({ limit: 100, ...(pages.length > 0 ? { resume: pages.at(-1)!.state } : {}) })
          expect(once([...idsOf(pages, "main"), ...idsOf(resumed, "main")])).toEqual(yield* storeIds)

          const two = yield* Persons.streamPartitioned({ limit: 100 }).pipe(Stream.take(2), Stream.runCollect)
          expect(Chunk.size(two)).toBe(2)
        }), 60_000)

      it.effect("a cap of one sends one request at a time (discovery too), and still gives everyone", () =>
        Effect.gen(function*() {
          const client = yield* PipedriveClient.PipedriveClient
          let inFlight = 0
          let most = 0
          const counting: PipedriveClient.Service = {
            ...client,
            request: (options) =>
              Effect.acquireUseRelease(
                Effect.sync(() => {
                  inFlight += 1
                  most = Math.max(most, inFlight)
                }),
                () => client.request(options),
                () => Effect.sync(() => void inFlight--)
              )
          }
          const pages = yield* walk({ limit: 500, concurrency: 1 }).pipe(Effect.provideService(PipedriveClient.PipedriveClient, counting))
          expect(most).toBe(1)
          // At most one window is being walked (has a cursor) at any time.
          expect(pages.every((page) => page.state.windows.filter((w) => w.cursor !== null).length <= 1)).toBe(true)
          expect(once(idsOf(pages, "main"))).toEqual(yield* storeIds)
        }), 60_000)
    }
  )

  layer(
    Sandbox.layer({ persons: 3_000, seed: "bulk", sandbox: { ...busy, bulkUpdateShare: 0.4 }, limiter }),
    { excludeTestServices: true }
  )("3,000 persons, 40% of them updated in one second", (it) => {
    it.effect("is exact: the one-second window is walked to its end by one walker", () =>
      Effect.gen(function*() {
        const pages = yield* walk({ limit: 100 })
        const persons = pages.filter((page) => page.phase === "main").flatMap((page) => page.items)
        expect(once(persons.map((person) => person.id))).toEqual(yield* storeIds)
        const perSecond = new Map<string, number>()
        for (const person of persons) perSecond.set(person.update_time ?? "", (perSecond.get(person.update_time ?? "") ?? 0) + 1)
        expect(Math.max(...perSecond.values())).toBe(1_200)
        expect(yield* rateLimited).toBe(0)
      }), 60_000)
  })

  layer(
    Sandbox.layer({ persons: 2_000, seed: "slow", sandbox: { latencyMs: { min: 200, max: 300 }, rateLimit: 40 }, limiter }),
    { excludeTestServices: true }
  )("2,000 persons, 200-300 ms, 40 requests per 2 s", (it) => {
    it.effect("walks as many windows at once as the limiter says (about 6 here)", () =>
      Effect.gen(function*() {
        const pages = yield* walk({ limit: 100 })
        expect(once(idsOf(pages, "main"))).toEqual(yield* storeIds)
        expect(Math.max(...pages.map((page) => page.state.windows.length))).toBeGreaterThanOrEqual(4)
        expect(yield* rateLimited).toBe(0)
      }), 60_000)
  })

  layer(Sandbox.layer({ persons: 2_000, seed: "changing", sandbox: busy, limiter }), { excludeTestServices: true })(
    "2,000 persons changed while they are walked",
    (it) => {
      it.effect("persons updated, created and deleted during the walk: keeping the last per id gives the store as it is now", () =>
        Effect.gen(function*() {
          const sandbox = yield* PipedriveSandbox.PipedriveSandbox
          const rename = (id: number, name: string) => Effect.asVoid(Effect.orDie(sandbox.store.update(id, { name })))
          const change = (index: number) =>
            index === 1
              ? Effect.all([
                ...[1, 500, 1_000, 1_500, 2_000].map((id) => rename(id, `Changed ${id}`)),
                ...[1, 2, 3].map((i) => Effect.asVoid(sandbox.store.create({ name: `Created ${i}` }))),
                Effect.orDie(sandbox.store.delete(1_700))
              ], { discard: true })
              : index === 4
              ? Effect.all([rename(1, "Changed 1 again"), rename(1_999, "Changed 1999")], { discard: true })
              : Effect.void
          const pages = yield* Persons.streamPartitioned({ limit: 100 }).pipe(
            Stream.zipWithIndex,
            Stream.tap(([, index]) => change(index)),
            Stream.map(([page]) => page),
            Stream.runCollect,
            Effect.map(Chunk.toReadonlyArray)
          )
          // The main phase still gives no one twice.
          once(idsOf(pages, "main"))
          const last = new Map<number, string>()
          for (const page of pages) for (const person of page.items) last.set(person.id, person.name ?? "")
          const now = new Map<number, string>()
          yield* Stream.runForEach(sandbox.store.persons, (person) => Effect.sync(() => now.set(person.id, person.name)))
          // A person deleted during the walk appears if its window came first; nobody else is extra.
          last.delete(1_700)
          expect(last).toEqual(now)
          expect(now.get(1)).toBe("Changed 1 again")
          expect([...now.values()].filter((name) => name.startsWith("Created"))).toHaveLength(3)
          expect(yield* rateLimited).toBe(0)
        }), 60_000)

      it.effect("a person of the ascending discovery page updated before the descending one is read: its latest version is in the catch-up", () =>
        Effect.gen(function*() {
          const sandbox = yield* PipedriveSandbox.PipedriveSandbox
          const client = yield* PipedriveClient.PipedriveClient
          const oldest = yield* Persons.list({ sort_by: "update_time", sort_direction: "asc", limit: 1 })
          const early = oldest.items[0]!.id
          const later = 1_500
          // The two discovery pages go at once; here the server reads the ascending one first, then
          // `early` (in it) is renamed, a second later another person, and only then the descending
          // one is read: its newest update time is after `early`'s new one.
          const ascendingRead = yield* Deferred.make<void>()
          let discovery = 2
          const interleaving: PipedriveClient.Service = {
            ...client,
            request: (options) => {
              if (discovery === 0) return client.request(options)
              discovery -= 1
              return options.urlParams?.["sort_direction"] === "desc"
                ? Effect.zipRight(Deferred.await(ascendingRead), client.request(options))
                : Effect.tap(client.request(options), () =>
                  Effect.gen(function*() {
                    yield* Effect.orDie(sandbox.store.update(early, { name: "Renamed during discovery" }))
                    yield* Effect.sleep("1100 millis")
                    yield* Effect.orDie(sandbox.store.update(later, { name: "Renamed a second later" }))
                    yield* Deferred.succeed(ascendingRead, undefined)
                  }))
            }
          }
          const pages = yield* walk({ limit: 100 }).pipe(Effect.provideService(PipedriveClient.PipedriveClient, interleaving))
          expect(idsOf(pages, "catch-up")).toContain(early)
          // As `persons export` writes: each id at its first main-phase version, superseded by the catch-up's.
          const written = new Map<number, string>()
          for (const page of pages) {
            for (const person of page.items) if (page.phase === "catch-up" || !written.has(person.id)) written.set(person.id, person.name ?? "")
          }
          expect(written.get(early)).toBe("Renamed during discovery")
          expect(written.get(later)).toBe("Renamed a second later")
          expect(written.size).toBe((yield* storeIds).length)
        }), 60_000)
    }
  )
})
