/**
 * Exporting every person at a real account's pace: the sandbox bin answering each request after
 * 400-600 ms (a 500-person v2 page on a real account takes 300-700 ms) and enforcing a burst limit,
 * walked three ways side by side: `Persons.streamPartitioned` (windows at once, as many as the rate
 * limiter says), the plain one-cursor `Persons.stream`, and the official `pipedrive` client's
 * cursor loop. Each run gets a fresh sandbox (an empty rate window) and a fresh client.
 *
 *   node bench/dist/export-partitioned.js [--persons 30000] [--limits 20,120] [--latency 400-600] [--margin 300]
 *     [--large 300000] [--large-limit 120] [--rounds 3] [--contenders streamPartitioned,...] [--trace FILE]
 *
 * Then `Persons.streamPartitioned` alone once more on a `--large` account at `--large-limit`, where
 * the walk lasts many windows of the limit, so the limit, not the three round trips every walk
 * needs, is the bound (`--large 0` leaves it out).
 *
 * The partitioned walk runs in two configurations: with the limiter's defaults, and with
 * `RateLimit.layer({ margin })` (`--margin` ms, default 300), for requests that reach the sandbox
 * (which counts them on arrival) more than the default 100 ms after the limiter granted them: a
 * burst sent on a busy shared machine goes out over up to ~150 ms. It takes seconds, so it runs `--rounds` times (rotating which goes first)
 * and the median is kept; the one-cursor walks take half a minute and run once.
 *
 * `--trace FILE`: instead of measuring, walks each account once with `Persons.streamPartitioned` (the
 * limiter's defaults) recording every request (`request-trace.ts`: asked, sent, answered, decoded,
 * its window, the limiter's state), writes them to FILE as JSON and prints where each run's time
 * went (its critical path, ms per cause) to stderr. A debugging aid: nothing goes to BENCHMARKS.md.
 *
 * Target for the partitioned walk: at most 1.5 × (pages ÷ (limit / 2 s) + one latency), i.e. close
 * to what the limit allows at all. Prints one JSON object (what `run.mjs` writes into BENCHMARKS.md).
 */
import { FetchHttpClient, HttpClient } from "@effect/platform"
import { Persons, PipedriveClient, RateLimit } from "@pipedrive-effect/core"
import { Effect, Layer, ManagedRuntime, Redacted, Stream } from "effect"
import { parseArgs } from "node:util"
import { writeFileSync } from "node:fs"
import { startSandbox, token } from "./processes.ts"
import * as RequestTrace from "./request-trace.ts"
import { round } from "./stats.ts"

const { values } = parseArgs({
  options: {
    persons: { type: "string", default: "30000" },
    limits: { type: "string", default: "20,120" },
    latency: { type: "string", default: "400-600" },
    margin: { type: "string", default: "300" },
    contenders: { type: "string", default: "" },
    large: { type: "string", default: "300000" },
    "large-limit": { type: "string", default: "120" },
    rounds: { type: "string", default: "3" },
    trace: { type: "string" }
  }
})
const persons = Number(values.persons)
const rounds = Math.max(1, Number(values.rounds))
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

const library = async (origin: string, contender: Contender, trace?: RequestTrace.Trace): Promise<Walk> => {
  let requests = 0
  let wire429 = 0
  const count = HttpClient.tap((response) =>
    Effect.sync(() => {
      requests += 1
      if (response.status === 429) wire429 += 1
    })
  )
  const runtime = ManagedRuntime.make(
    PipedriveClient.layer({
      apiToken: Redacted.make(token),
      baseUrl: origin,
      transformClient: trace === undefined ? count : (client) => count(trace.transformClient(client))
    }).pipe(
      Layer.provide(FetchHttpClient.layer),
      Layer.provide(
        trace !== undefined
          ? trace.limiter()
          : contender === "streamPartitioned, margin"
          ? RateLimit.layer({ margin: `${margin} millis` })
          : Layer.empty
      )
    )
  )
  const ids = new Set<number>()
  const walk = contender !== "Persons.stream"
    ? Stream.runForEach(Persons.streamPartitioned({ limit: pageSize }), (page) =>
      Effect.sync(() => {
        trace?.mark(`${page.phase} ${page.items.length}${page.window === undefined ? "" : ` ${page.window.since}..${page.window.until}`}`)
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
  /** The median run's time, and the fastest and slowest of the rounds. */
  readonly seconds: number
  readonly secondsMin: number
  readonly secondsMax: number
  readonly rounds: number
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

const once = async (accountSize: number, limit: number, contender: Contender) => {
  const sandbox = await startSandbox(accountSize, ["--latency-ms", values.latency, "--rate-limit", String(limit)])
  const started = performance.now()
  const walk = contender === "official loop" ? await official(sandbox.url) : await library(sandbox.url, contender)
  const seconds = (performance.now() - started) / 1000
  sandbox.stop()
  if (walk.persons !== accountSize) throw new Error(`${contender} read ${walk.persons} of ${accountSize} persons`)
  console.error(JSON.stringify({ persons: accountSize, limit, contender, seconds: round(seconds, 2), requests: walk.requests, wire429: walk.wire429 }))
  return { ...walk, seconds }
}

/** Each contender's runs of one account and limit, the rounds rotating which goes first. */
const measure = async (accountSize: number, limit: number, field: ReadonlyArray<Contender>, rounds: number) => {
  const runs = new Map<Contender, Array<Walk & { readonly seconds: number }>>()
  for (let r = 0; r < rounds; r++) {
    for (let i = 0; i < field.length; i++) {
      const contender = field[(i + r) % field.length]!
      runs.set(contender, [...(runs.get(contender) ?? []), await once(accountSize, limit, contender)])
    }
  }
  for (const contender of field) {
    const sorted = [...runs.get(contender)!].sort((a, b) => a.seconds - b.seconds)
    const median = sorted[Math.floor(sorted.length / 2)]!
    const pages = Math.ceil(accountSize / pageSize)
    const target = 1.5 * (pages / (limit / 2) + meanLatency)
    const requestsPerSecond = median.requests / median.seconds
    results.push({
      persons: accountSize,
      limit,
      contender: contender === "streamPartitioned, margin" ? `streamPartitioned, margin ${margin} ms` : contender,
      seconds: round(median.seconds, 2),
      secondsMin: round(sorted[0]!.seconds, 2),
      secondsMax: round(sorted.at(-1)!.seconds, 2),
      rounds: sorted.length,
      requests: median.requests,
      // Requests a page of persons cost: 1 is a plain walk's; discovery, partial pages and the catch-up add to it.
      requestsPer500: round(median.requests / (accountSize / pageSize), 3),
      requestsPerSecond: round(requestsPerSecond, 2),
      utilisation: round((100 * requestsPerSecond) / (limit / 2), 1),
      // Over all rounds: none may reach the program, and none should be on the wire.
      wire429: sorted.reduce((sum, run) => sum + run.wire429, 0),
      marginMillis: median.marginMillis,
      // What the limit allows at all: every page at the limit's rate, plus one round trip.
      allowed: round(pages / (limit / 2) + meanLatency, 2),
      target: round(target, 2),
      met: median.seconds <= target
    })
  }
}

/** `--trace`: each account walked once with a timeline, written to the file; where the time went, printed. */
const traced = async (file: string) => {
  const accounts = [...limits.map((limit) => [persons, limit] as const), ...(Number(values.large) > 0 ? [[Number(values.large), Number(values["large-limit"])] as const] : [])]
  const runs = []
  for (const [accountSize, limit] of accounts) {
    const sandbox = await startSandbox(accountSize, ["--latency-ms", values.latency, "--rate-limit", String(limit)])
    const trace = RequestTrace.make()
    const walk = await library(sandbox.url, "streamPartitioned", trace)
    trace.mark("end")
    sandbox.stop()
    if (walk.persons !== accountSize) throw new Error(`read ${walk.persons} of ${accountSize} persons`)
    const end = trace.marks.at(-1)!.at
    const summary = RequestTrace.summarise(trace, limit, end)
    const { steps, ...short } = summary
    console.error(JSON.stringify({ persons: accountSize, limit, seconds: round(end / 1000, 2), utilisation: round((100 * walk.requests * 2000) / (limit * end), 1), ...short }, null, 1))
    runs.push({ persons: accountSize, limit, summary, requests: trace.requests, marks: trace.marks })
  }
  writeFileSync(file, JSON.stringify({ latency: values.latency, runs }))
}
if (values.trace !== undefined) {
  await traced(values.trace)
  process.exit(0)
}

const partitionedField = contenders.filter((contender) => contender.startsWith("streamPartitioned"))
for (const limit of limits) {
  // The partitioned walks take seconds: several rounds, the median kept. The one-cursor walks take half a minute, and vary little.
  await measure(persons, limit, partitionedField, rounds)
  await measure(persons, limit, contenders.filter((contender) => !contender.startsWith("streamPartitioned")), 1)
}
const large = Number(values.large)
if (large > 0 && contenders.includes("streamPartitioned")) await measure(large, Number(values["large-limit"]), ["streamPartitioned"], 1)
console.log(JSON.stringify({ benchmark: "export-partitioned", persons, large, latency: values.latency, pageSize, rounds, results }))
