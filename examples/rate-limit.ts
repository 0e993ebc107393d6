/**
 * Reads many persons at once (default 100) and lets the client's rate limiter pace them: no 429
 * reaches the program, whatever the concurrency (a server that counts requests late, when loaded,
 * may answer one on the wire: it is retried after its reset, and the limiter widens its margin). Prints the limiter's state once a second while the reads run (what a
 * progress display would show), then a summary. Keeps 1,000 tokens of the daily budget in reserve.
 *
 *   npx pipedrive-sandbox --port 8080 --persons 500 --rate-limit 20     # in another shell
 *   PIPEDRIVE_BASE_URL=http://127.0.0.1:8080 PIPEDRIVE_API_TOKEN=sandbox-token node examples/dist/rate-limit.js 100
 *   PIPEDRIVE_BASE_URL=http://127.0.0.1:8080 PIPEDRIVE_API_TOKEN=sandbox-token npx deno run -A examples/rate-limit.ts 100
 */
import { HttpTransport, Persons, PipedriveClient, RateLimit, Retry } from "@pipedrive-effect/core"
import { Console, Effect, Layer, Stream } from "effect"

const count = Number(process.argv[2] ?? "100")

const describe = (state: RateLimit.State) =>
  `sent ${state.sent}, waiting ${state.waiting}, window ${state.general.used}/${state.general.limit ?? "∞"}` +
  (state.dailyRequestsLeft === undefined ? "" : `, daily budget left ${state.dailyRequestsLeft}`) +
  (state.general.pausedUntil === undefined ? "" : `, paused until ${new Date(state.general.pausedUntil).toISOString()}`)

const program = Effect.gen(function*() {
  const client = yield* PipedriveClient.PipedriveClient
  // The state as a Stream, sampled once a second while the reads run.
  const monitor = client.rateLimiter.changes.pipe(
    Stream.throttle({ cost: () => 1, units: 1, duration: "1 second", strategy: "shape" }),
    Stream.runForEach((state) => Console.error(describe(state)))
  )
  const reads = Effect.forEach(Array.from({ length: count }, (_, i) => 1 + i), (id) => Persons.get(id), {
    concurrency: "unbounded"
  })
  yield* Effect.raceFirst(reads, Effect.zipRight(monitor, Effect.never))
  const state = yield* client.rateLimiter.state
  yield* Console.log(
    `${count} persons read; ${state.delayed} requests waited for a slot, ${state.rateLimited} got a 429, ${state.tokensSpent} tokens spent`
  )
})

const Pipedrive = PipedriveClient.layerConfig().pipe(
  Layer.provide([
    HttpTransport.layer,
    RateLimit.layer({ plan: "essential", dailyReserve: 1_000 }),
    Retry.layer({ maxRetries: 5 })
  ])
)

program.pipe(
  Effect.provide(Pipedrive),
  Effect.catchAll((error) => Console.error(String(error)).pipe(Effect.andThen(() => (process.exitCode = 1)))),
  Effect.runPromise
)
