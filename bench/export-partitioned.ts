/**
 * Exporting every person at a real account's pace: the sandbox bin answering each request after
 * 400-600 ms (a 500-person v2 page on a real account takes 300-700 ms) and enforcing a burst limit,
 * walked three ways side by side: `Persons.streamPartitioned` (windows at once, as many as the rate
 * limiter says), the plain one-cursor `Persons.stream`, and the official `pipedrive` client's
 * cursor loop. Each run gets a fresh sandbox (an empty rate window) and a fresh client.
 *
 *   node bench/dist/export-partitioned.js [--persons 30000] [--limits 20,120] [--latency 400-600] [--margin 300]
 *     [--large 300000] [--large-limit 120] [--contenders streamPartitioned,...]
 *
 * Then `Persons.streamPartitioned` alone once more on a `--large` account at `--large-limit`, where
 * the walk lasts many windows of the limit, so the limit, not the three round trips every walk
 * needs, is the bound (`--large 0` leaves it out).
 *
 * The partitioned walk runs twice: with the limiter's defaults, and with `RateLimit.layer({ margin })`
 * (`--margin` ms, default 300), for a sandbox whose own CPU (rendering 500-person pages for many
 * walkers, on a shared machine) delays when it counts a request by more than the default 100 ms.
 *
 * Target for the partitioned walk: at most 1.5 × (pages ÷ (limit / 2 s) + one latency), i.e. close
 * to what the limit allows at all. Prints one JSON object (what `run.mjs` writes into BENCHMARKS.md).
 */
import { FetchHttpClient, HttpClient } from "@effect/platform"
import { Persons, PipedriveClient, RateLimit } from "@pipedrive-effect/core"
import { Effect, Layer, ManagedRuntime, Redacted, Stream } from "effect"
import { parseArgs } from "node:util"
import { startSandbox, token } from "./processes.ts"
import { round } from "./stats.ts"

const { values } = parseArgs({
  options: {
    persons: { type: "string", default: "30000" },
    limits: { type: "string", default: "20,120" },
    latency: { type: "string", default: "400-600" },
    margin: { type: "string", default: "300" },
    contenders: { type: "string", default: "" },
    large: { type: "string", default: "300000" },
    "large-limit": { type: "string", default: "120" }
  }
})
const persons = Number(values.persons)
const limits = values.limits.split(",").map(Number)
const [low, high] = values.latency.split("-").map(Number)
const meanLatency = ((low ?? 0) + (high ?? low ?? 0)) / 2 / 1000
const pageSize = 500

const margin = Number(values.margin)
type Contender = "streamPartitioned" | "streamPartitioned, margin" | "Persons.stream" | "official loop"
const allContenders: ReadonlyArray<Contender> = ["streamPartitioned", "streamPartitioned, margin", "Persons.stream", "official loop"]
const contenders = values.contenders === ""
  ? allContenders
  : allContenders.filter((contender) => values.contenders.split(",").includes(contender))

interface Walk {
  /** Distinct persons read (the main phase, for the partitioned walk). */
  readonly persons: number
  readonly requests: number
  readonly wire429: number
  /** The limiter's margin at the end (ms): the default 100, doubled by each 429 of a new margin. */
  readonly marginMillis: number | undefined
}

const library = async (origin: string, contender: Contender): Promise<Walk> => {
  let requests = 0
  let wire429 = 0
  const runtime = ManagedRuntime.make(
    PipedriveClient.layer({
      apiToken: Redacted.make(token),
      baseUrl: origin,
      transformClient: HttpClient.tap((response) =>
        Effect.sync(() => {
          requests += 1
          if (response.status === 429) wire429 += 1
        })
      )
    }).pipe(
      Layer.provide(FetchHttpClient.layer),
      Layer.provide(contender === "streamPartitioned, margin" ? RateLimit.layer({ margin: `${margin} millis` }) : Layer.empty)
    )
  )
  const ids = new Set<number>()
  const walk = contender !== "Persons.stream"
    ? Stream.runForEach(Persons.streamPartitioned({ limit: pageSize }), (page) =>
      Effect.sync(() => {
        if (page.phase === "main") for (const person of page.items) ids.add(person.id)
      }))
    : Stream.runForEach(Persons.stream({ limit: pageSize }), (person) => Effect.sync(() => ids.add(person.id)))
  await runtime.runPromise(walk)
  const state = await runtime.runPromise(Effect.flatMap(PipedriveClient.PipedriveClient, (client) => client.rateLimiter.state))
  await runtime.dispose()
  return { persons: ids.size, requests, wire429, marginMillis: state.general.marginMillis }
}

const official = async (origin: string): Promise<Walk> => {
  const { v2 } = await import("pipedrive")
  const api = new v2.PersonsApi(new v2.Configuration({ apiKey: token, basePath: `${origin}/api/v2` }))
  const ids = new Set<number>()
  let requests = 0
  let cursor: string | undefined
  do {
    const page = await api.getPersons({ limit: pageSize, ...(cursor === undefined ? {} : { cursor }) })
    requests += 1
    for (const person of page.data ?? []) if (person.id !== undefined) ids.add(person.id)
    cursor = page.additional_data?.next_cursor ?? undefined
  } while (cursor !== undefined)
  return { persons: ids.size, requests, wire429: 0, marginMillis: undefined }
}

interface Result {
  readonly persons: number
  readonly limit: number
  readonly contender: string
  readonly seconds: number
  readonly requests: number
  readonly requestsPer500: number
  readonly requestsPerSecond: number
  readonly utilisation: number
  readonly wire429: number
  readonly marginMillis: number | undefined
  readonly allowed: number
  readonly target: number
  readonly met: boolean
}
const results: Array<Result> = []
const measure = async (accountSize: number, limit: number, contender: Contender) => {
  const sandbox = await startSandbox(accountSize, ["--latency-ms", values.latency, "--rate-limit", String(limit)])
  const started = performance.now()
  const walk = contender === "official loop" ? await official(sandbox.url) : await library(sandbox.url, contender)
  const seconds = (performance.now() - started) / 1000
  sandbox.stop()
  if (walk.persons !== accountSize) throw new Error(`${contender} read ${walk.persons} of ${accountSize} persons`)
  const pages = Math.ceil(accountSize / pageSize)
  const target = 1.5 * (pages / (limit / 2) + meanLatency)
  const requestsPerSecond = walk.requests / seconds
  results.push({
    persons: accountSize,
    limit,
    contender: contender === "streamPartitioned, margin" ? `streamPartitioned, margin ${margin} ms` : contender,
    seconds: round(seconds, 2),
    requests: walk.requests,
    // Requests a page of persons cost: 1 is a plain walk's; discovery, partial pages and the catch-up add to it.
    requestsPer500: round(walk.requests / (accountSize / pageSize), 3),
    requestsPerSecond: round(requestsPerSecond, 2),
    utilisation: round((100 * requestsPerSecond) / (limit / 2), 1),
    wire429: walk.wire429,
    marginMillis: walk.marginMillis,
    // What the limit allows at all: every page at the limit's rate, plus one round trip.
    allowed: round(pages / (limit / 2) + meanLatency, 2),
    target: round(target, 2),
    met: seconds <= target
  })
  console.error(JSON.stringify(results.at(-1)))
}
for (const limit of limits) {
  for (const contender of contenders) await measure(persons, limit, contender)
}
const large = Number(values.large)
if (large > 0 && contenders.includes("streamPartitioned")) await measure(large, Number(values["large-limit"]), "streamPartitioned")
console.log(JSON.stringify({ benchmark: "export-partitioned", persons, large, latency: values.latency, pageSize, results }))
