/**
 * Decode: persons decoded per second by core's response schemas alone, on in-memory pages (no
 * network, no server running while measuring): v2 `Persons.ListResponse` and v1
 * `PersonsV1.ListResponse` on the parsed JSON of real sandbox pages (500 persons each, the seed's
 * full set of custom fields, one of every type), and the same with each person's custom fields then
 * mapped by name and typed (`CustomFields.decode` / `decodeV1`). `JSON.parse` of the same pages is
 * measured too, for scale, and `Persons.list` through the default `PipedriveClient` on an in-memory
 * `HttpClient` that answers with the pages' text: JSON parsing, the client and the decode the client
 * really uses (core may decode faster than `Schema.decodeUnknown`), without a network.
 * One process, one thread; rounds rotate the order of the workloads.
 *
 *   node bench/dist/decode.js [--persons 10000] [--rounds 5] [--seconds 1]
 *
 * Prints one JSON object (what `run.mjs` writes into BENCHMARKS.md).
 */
import { HttpClient, HttpClientResponse } from "@effect/platform"
import { CustomFields, PersonFields, PersonFieldsV1, Persons, PersonsV1, PipedriveClient } from "@pipedrive-effect/core"
import { Effect, Layer, ManagedRuntime, Redacted, Schema } from "effect"
import { parseArgs } from "node:util"
import { fetchText, startSandbox } from "./processes.ts"
import { rotation, spread } from "./stats.ts"

// The client's compiled decoder is internal to core; the benchmark measures it from the build, found
// from this file's place (bench/dist/) at run time: a static import would resolve from bench/.
const SchemaGuard: typeof import("../packages/core/dist/internal/SchemaGuard.js") = await import(
  new URL("../../packages/core/dist/internal/SchemaGuard.js", import.meta.url).href
)

const { values } = parseArgs({
  options: {
    persons: { type: "string", default: "10000" },
    rounds: { type: "string", default: "5" },
    seconds: { type: "string", default: "1" }
  }
})
const persons = Number(values.persons)
const limit = 500

// ---- pages, rendered once from the sandbox -----------------------------------------------------

const sandbox = await startSandbox(persons)
const v2Texts: Array<string> = []
const v1Texts: Array<string> = []
let fieldsV2: unknown
let fieldsV1: unknown
try {
  let cursor: string | null = null
  do {
    const text = await fetchText(`${sandbox.url}/api/v2/persons?limit=${limit}${cursor === null ? "" : `&cursor=${cursor}`}`)
    v2Texts.push(text)
    const page: { additional_data: { next_cursor: string | null } } = JSON.parse(text)
    cursor = page.additional_data.next_cursor
  } while (cursor !== null)
  for (let start = 0; start < persons; start += limit) {
    v1Texts.push(await fetchText(`${sandbox.url}/api/v1/persons?start=${start}&limit=${limit}`))
  }
  fieldsV2 = JSON.parse(await fetchText(`${sandbox.url}/api/v2/personFields?limit=500`))
  fieldsV1 = JSON.parse(await fetchText(`${sandbox.url}/api/v1/personFields?start=0&limit=500`))
} finally {
  sandbox.stop()
}
const v2Pages: ReadonlyArray<unknown> = v2Texts.map((text) => JSON.parse(text))
const v1Pages: ReadonlyArray<unknown> = v1Texts.map((text) => JSON.parse(text))
const catalog = CustomFields.catalog(Schema.decodeUnknownSync(PersonFields.ListResponse)(fieldsV2).data ?? [])
const catalogV1 = CustomFields.catalogV1(Schema.decodeUnknownSync(PersonFieldsV1.ListResponse)(fieldsV1).data ?? [])

// ---- the client on an in-memory HttpClient: answers with the pages' text in turn ---------------

let served = 0
const memoryHttp = HttpClient.make((request) =>
  Effect.sync(() =>
    HttpClientResponse.fromWeb(
      request,
      new Response(v2Texts[served++ % v2Texts.length], { status: 200, headers: { "content-type": "application/json" } })
    )
  )
)
const runtime = ManagedRuntime.make(
  PipedriveClient.layer({ apiToken: Redacted.make("sandbox-token"), baseUrl: "http://127.0.0.1:9" }).pipe(
    Layer.provide(Layer.succeed(HttpClient.HttpClient, memoryHttp))
  )
)
const listPages = Effect.gen(function*() {
  let count = 0
  for (let i = 0; i < v2Texts.length; i++) count += (yield* Persons.list({ limit })).items.length
  return count
})

// ---- workloads: each decodes every page once and returns the persons it decoded ----------------

// What the client decodes bodies with: the schema compiled to a check (`SchemaGuard`), Effect's
// decoder only for a body that fails it. Effect's interpreter alone is measured too, for reference.
const fastV2 = SchemaGuard.decoder(Persons.ListResponse)
const fastV1 = SchemaGuard.decoder(PersonsV1.ListResponse)
const decodeV2 = (page: unknown) => Effect.runSync(fastV2(page))
const decodeV1 = (page: unknown) => Effect.runSync(fastV1(page))
const interpretV2 = Schema.decodeUnknownSync(Persons.ListResponse)
let sink = 0

const workloads: ReadonlyArray<{ readonly name: string; readonly pass: () => number | Promise<number> }> = [
  {
    name: "v2 Persons.ListResponse",
    pass: () => v2Pages.reduce<number>((n, page) => n + (decodeV2(page).data?.length ?? 0), 0)
  },
  {
    name: "v2 Persons.ListResponse through Effect's Schema interpreter alone (Schema.decodeUnknownSync)",
    pass: () => v2Pages.reduce<number>((n, page) => n + (interpretV2(page).data?.length ?? 0), 0)
  },
  {
    name: "v1 PersonsV1.ListResponse",
    pass: () => v1Pages.reduce<number>((n, page) => n + (decodeV1(page).data?.length ?? 0), 0)
  },
  {
    name: "v2 + custom fields by name (CustomFields.decode)",
    pass: () =>
      v2Pages.reduce<number>((n, page) => {
        const data = decodeV2(page).data ?? []
        for (const person of data) sink += Object.keys(CustomFields.decode(catalog, person.custom_fields)).length
        return n + data.length
      }, 0)
  },
  {
    name: "v1 + custom fields by name (CustomFields.decodeV1)",
    pass: () =>
      v1Pages.reduce<number>((n, page) => {
        const data = decodeV1(page).data ?? []
        for (const person of data) sink += Object.keys(CustomFields.decodeV1(catalogV1, person)).length
        return n + data.length
      }, 0)
  },
  {
    name: "v2 Persons.list via the client, in-memory HttpClient (JSON.parse + client + decode)",
    pass: () => runtime.runPromise(listPages)
  },
  {
    name: "JSON.parse of the v2 pages (for scale)",
    pass: () =>
      v2Texts.reduce((n, text) => {
        const page: { data: ReadonlyArray<unknown> } = JSON.parse(text)
        return n + page.data.length
      }, 0)
  }
]

/**
 * Runs whole passes for at least `seconds`; persons per second of wall time, and per second of this
 * process's CPU time (user + system): on a shared machine the wall clock also counts the time other
 * processes held the core, the CPU time does not.
 */
const measure = async (pass: () => number | Promise<number>, seconds: number): Promise<{ wall: number; cpu: number }> => {
  let decoded = 0
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  let elapsed = 0
  do {
    decoded += await pass()
    elapsed = (performance.now() - started) / 1000
  } while (elapsed < seconds)
  const cpu = process.cpuUsage(cpuStarted)
  return { wall: decoded / elapsed, cpu: decoded / ((cpu.user + cpu.system) / 1e6) }
}

for (const workload of workloads) {
  const decoded = await workload.pass()
  if (decoded !== persons) throw new Error(`${workload.name} decoded ${decoded} persons, expected ${persons}`)
  await measure(workload.pass, 0.3) // warm-up: JIT and inline caches
}
const perSecond = new Map<string, Array<number>>(workloads.map((w) => [w.name, []]))
const perCpuSecond = new Map<string, Array<number>>(workloads.map((w) => [w.name, []]))
const rounds = Number(values.rounds)
for (let r = 0; r < rounds; r++) {
  for (const workload of rotation(workloads, r)) {
    const rate = await measure(workload.pass, Number(values.seconds))
    perSecond.get(workload.name)?.push(rate.wall)
    perCpuSecond.get(workload.name)?.push(rate.cpu)
    console.error(`  round ${r + 1}: ${workload.name} ${Math.round(rate.wall)} persons/s, ${Math.round(rate.cpu)} per CPU-second`)
  }
}
await runtime.dispose()
console.log(JSON.stringify({
  benchmark: "decode",
  persons,
  pageSize: limit,
  customFields: catalog.fields.length,
  rounds,
  secondsPerRound: Number(values.seconds),
  results: workloads.map((w) => ({
    name: w.name,
    personsPerSecond: spread(perSecond.get(w.name) ?? []),
    personsPerCpuSecond: spread(perCpuSecond.get(w.name) ?? [])
  })),
  sink: sink > 0
}))
