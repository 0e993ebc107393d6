/**
 * Runs many concurrent requests for a minute against the sandbox bin enforcing Pipedrive's burst
 * limit (20 requests per 2 s), through the client with its default `RateLimit` and `Retry`, and
 * measures how much of the limit was used and whether anything tripped it. Then again with 5% of
 * the requests answered 503 by the sandbox's fault injection.
 *
 *   node bench/dist/rate-limit.js [--seconds 60] [--concurrency 50] [--limit 20]
 *
 * The mix: 90% `Persons.get` of a random seeded person, 10% `Persons.create` with a unique name.
 * Every answer on the wire is counted by status (a `transformClient` tap), every call's outcome by
 * its result. After each run all persons are listed to check each created name exists exactly once.
 * Prints one JSON object (what `run.mjs` writes into BENCHMARKS.md).
 */
import { FetchHttpClient, HttpClient } from "@effect/platform"
import { Persons, PipedriveClient } from "@pipedrive-effect/core"
import { Chunk, Clock, Effect, Layer, Redacted, Stream } from "effect"
import { spawn } from "node:child_process"
import { once } from "node:events"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: {
    seconds: { type: "string", default: "60" },
    concurrency: { type: "string", default: "50" },
    limit: { type: "string", default: "20" }
  }
})
const seconds = Number(values.seconds)
const concurrency = Number(values.concurrency)
const limit = Number(values.limit)
const seeded = 1_000
const sandboxBin = fileURLToPath(new URL("../../packages/sandbox/bin/pipedrive-sandbox.mjs", import.meta.url))

const startSandbox = async (extra: ReadonlyArray<string>) => {
  const child = spawn(
    "node",
    [sandboxBin, "--port", "0", "--persons", String(seeded), "--seed", "bench", "--rate-limit", String(limit), ...extra],
    { stdio: ["ignore", "pipe", "inherit"] }
  )
  const [chunk] = (await once(child.stdout, "data")) as [Buffer]
  const url = /READY (\S+)/.exec(chunk.toString())?.[1]
  if (url === undefined) throw new Error(`sandbox did not start: ${chunk.toString()}`)
  return { url, child }
}

interface Outcome {
  readonly name: string
  readonly seconds: number
  readonly limit: number
  readonly concurrency: number
  /** Requests the sandbox admitted (every answer on the wire but 429 and 403). */
  readonly admitted: number
  /**
   * Requests admitted in the run's whole 2-second windows (from the first request) as a share of
   * what the limit allows in them: a finite run's last, partial window would otherwise distort it.
   */
  readonly utilisation: number
  /** Calls that succeeded, and as a share of the limit. */
  readonly completed: number
  readonly completedShare: number
  readonly wire: Readonly<Record<string, number>>
  /** Failed calls by error tag (what the caller saw). */
  readonly surfaced: Readonly<Record<string, number>>
  readonly creates: { readonly succeeded: number; readonly found: number; readonly duplicated: number; readonly missing: number }
  readonly readsFailed: number
}

const run = (name: string, faults: ReadonlyArray<string>) =>
  Effect.gen(function*() {
    const sandbox = yield* Effect.promise(() => startSandbox(faults))
    yield* Effect.addFinalizer(() => Effect.sync(() => sandbox.child.kill()))
    const wire: Record<string, number> = {}
    const admittedAt: Array<number> = []
    const surfaced: Record<string, number> = {}
    const created = new Set<string>()
    let completed = 0
    let readsFailed = 0
    let creates = 0
    const count = (table: Record<string, number>, key: string) => {
      table[key] = (table[key] ?? 0) + 1
    }
    const Client = PipedriveClient.layer({
      apiToken: Redacted.make("sandbox-token"),
      baseUrl: sandbox.url,
      transformClient: HttpClient.tap((response) =>
        Effect.sync(() => {
          count(wire, String(response.status))
          if (response.status !== 429 && response.status !== 403) admittedAt.push(Date.now())
        })
      )
    }).pipe(Layer.provide(FetchHttpClient.layer))

    const started = yield* Clock.currentTimeMillis
    const deadline = started + seconds * 1000
    const call = (i: number) => {
      if (i % 10 === 0) {
        const personName = `bench ${name} ${creates++}`
        return Persons.create({ name: personName }).pipe(
          Effect.tap(() => Effect.sync(() => created.add(personName))),
          Effect.asVoid
        )
      }
      return Effect.asVoid(Persons.get(1 + Math.floor(Math.random() * seeded))).pipe(
        Effect.tapError(() => Effect.sync(() => readsFailed++))
      )
    }
    const worker = (w: number) =>
      Effect.gen(function*() {
        for (let i = w; (yield* Clock.currentTimeMillis) < deadline; i += concurrency) {
          yield* call(i).pipe(
            Effect.match({
              onSuccess: () => completed++,
              onFailure: (error) => count(surfaced, error._tag)
            })
          )
        }
      })
    const everyone = yield* Effect.gen(function*() {
      yield* Effect.forEach(Array.from({ length: concurrency }, (_, w) => w), worker, { concurrency: "unbounded" })
      const elapsed = ((yield* Clock.currentTimeMillis) - started) / 1000
      const atEnd = { ...wire }
      const persons = yield* Stream.runCollect(Persons.stream({ limit: 500 }))
      return { elapsed, persons, wire: atEnd }
    }).pipe(Effect.provide(Client))

    const names = new Map<string, number>()
    for (const person of Chunk.toReadonlyArray(everyone.persons)) {
      if (person.name?.startsWith(`bench ${name} `) === true) names.set(person.name, (names.get(person.name) ?? 0) + 1)
    }
    const allowed = limit * (everyone.elapsed / 2)
    const windows = Math.floor(everyone.elapsed / 2)
    const inWindows = admittedAt.filter((at) => at < started + windows * 2_000).length
    const admitted = Object.entries(everyone.wire).reduce((sum, [status, n]) => status === "429" || status === "403" ? sum : sum + n, 0)
    const outcome: Outcome = {
      name,
      seconds: Math.round(everyone.elapsed * 10) / 10,
      limit,
      concurrency,
      admitted,
      utilisation: Math.round((inWindows / (windows * limit)) * 1000) / 10,
      completed,
      completedShare: Math.round((completed / allowed) * 1000) / 10,
      wire: everyone.wire,
      surfaced,
      creates: {
        succeeded: created.size,
        found: names.size,
        duplicated: [...names.values()].filter((n) => n > 1).length,
        missing: [...created].filter((personName) => !names.has(personName)).length
      },
      readsFailed
    }
    return outcome
  }).pipe(Effect.scoped)

const program = Effect.gen(function*() {
  const clean = yield* run("steady", [])
  const faulty = yield* run("5pct-503", ["--fail-rate", "0.05"])
  return { benchmark: "rate-limit", results: [clean, faulty] }
})

Effect.runPromise(program).then(
  (out) => console.log(JSON.stringify(out)),
  (error) => {
    console.error(error)
    process.exit(1)
  }
)
