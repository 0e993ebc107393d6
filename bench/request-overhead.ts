/**
 * Where a single request's time goes: the same `GET /api/v2/persons/{id}` against the static server,
 * adding one layer of this library's stack per rung, from raw `fetch` to `Persons.get`. The
 * difference between two rungs is what that layer costs; it is the profile behind the single-request
 * figures (a CPU profile spreads the Effect runtime's cost over its fiber loop, which says little).
 * Each rung runs in its own child process each round, rounds rotating the order.
 *
 *   node bench/dist/request-overhead.js [--requests 2000] [--warmup 300] [--rounds 5]
 *
 * Prints one JSON object (what `run.mjs` writes into BENCHMARKS.md).
 */
import { parseArgs } from "node:util"
import { type Batch, batch } from "./latency.ts"
import { benchScript, runJson, startSandbox, startServer, token } from "./processes.ts"
import { rotation, spread } from "./stats.ts"

const { values } = parseArgs({
  options: {
    requests: { type: "string", default: "2000" },
    warmup: { type: "string", default: "300" },
    rounds: { type: "string", default: "5" },
    concurrency: { type: "string", default: "16" },
    child: { type: "string" },
    url: { type: "string" }
  }
})
const requests = Number(values.requests)
const concurrency = Number(values.concurrency)

/** The rungs, each adding one layer to the one before. */
const rungs = [
  { name: "raw-fetch", adds: "`fetch` + `JSON.parse` (the floor of the other benchmarks)" },
  { name: "raw-http", adds: "`node:http` with a keep-alive agent + `JSON.parse` instead of `fetch` (Node's own floor)" },
  { name: "effect-runtime", adds: "`fetch` inside `Effect.tryPromise`, run by a `ManagedRuntime`" },
  { name: "platform-http", adds: "`@effect/platform`'s `FetchHttpClient` (`HttpClient.get` + `response.json`) instead of `fetch`" },
  { name: "transport", adds: "core's `HttpTransport` on Node (`node:http`) instead of `FetchHttpClient`" },
  { name: "client-bare", adds: "`PipedriveClient.request` over `HttpTransport` (auth, span, timeout, status mapping) with `Schema.Unknown`, `RateLimit.disabled`, `Retry.disabled`" },
  { name: "client-default", adds: "the default rate limiter and retry policy" },
  { name: "persons-get", adds: "`Persons.get`: the person's full Schema decode" }
] as const
type Rung = (typeof rungs)[number]["name"]

const getterOf = async (rung: Rung, origin: string): Promise<{ get: (id: number) => Promise<number>; dispose: () => Promise<void> }> => {
  const headers = { "x-api-token": token }
  if (rung === "raw-fetch") {
    return {
      get: async (id) => {
        const response = await fetch(`${origin}/api/v2/persons/${id}`, { headers })
        const body: { data: { id: number } } = JSON.parse(await response.text())
        return body.data.id
      },
      dispose: async () => {}
    }
  }
  if (rung === "raw-http") {
    const http = await import("node:http")
    const agent = new http.Agent({ keepAlive: true })
    return {
      get: (id) =>
        new Promise((resolve, reject) => {
          http.get(`${origin}/api/v2/persons/${id}`, { agent, headers }, (response) => {
            const parts: Array<Buffer> = []
            response.on("data", (part: Buffer) => parts.push(part))
            response.on("end", () => {
              const body: { data: { id: number } } = JSON.parse(Buffer.concat(parts).toString("utf8"))
              resolve(body.data.id)
            })
            response.on("error", reject)
          }).on("error", reject)
        }),
      dispose: async () => agent.destroy()
    }
  }
  const { FetchHttpClient, HttpClient, HttpClientRequest } = await import("@effect/platform")
  const { HttpTransport, Persons, PipedriveClient, RateLimit, Retry } = await import("@pipedrive-effect/core")
  const { Effect, Layer, ManagedRuntime, Redacted, Schema } = await import("effect")
  const client = (limits: boolean) =>
    PipedriveClient.layer({ apiToken: Redacted.make(token), baseUrl: origin }).pipe(
      Layer.provide(HttpTransport.layer),
      Layer.provide(limits ? Layer.empty : Layer.merge(RateLimit.disabled, Retry.disabled))
    )
  const IdOnly = Schema.Struct({ data: Schema.Struct({ id: Schema.Number }) })
  switch (rung) {
    case "effect-runtime": {
      const runtime = ManagedRuntime.make(Layer.empty)
      return {
        get: (id) =>
          runtime.runPromise(Effect.tryPromise(async () => {
            const response = await fetch(`${origin}/api/v2/persons/${id}`, { headers })
            const body: { data: { id: number } } = JSON.parse(await response.text())
            return body.data.id
          })),
        dispose: () => runtime.dispose()
      }
    }
    case "platform-http":
    case "transport": {
      const runtime = ManagedRuntime.make(rung === "transport" ? HttpTransport.layer : FetchHttpClient.layer)
      return {
        get: (id) =>
          runtime.runPromise(
            HttpClient.execute(HttpClientRequest.get(`${origin}/api/v2/persons/${id}`, { headers })).pipe(
              Effect.flatMap((response) => response.json),
              Effect.flatMap(Schema.decodeUnknown(IdOnly)),
              Effect.map((body) => body.data.id)
            )
          ),
        dispose: () => runtime.dispose()
      }
    }
    case "client-bare":
    case "client-default": {
      const runtime = ManagedRuntime.make(client(rung === "client-default"))
      return {
        get: (id) =>
          runtime.runPromise(
            PipedriveClient.request({
              operation: "getPerson",
              method: "GET",
              path: `/api/v2/persons/${id}`,
              urlParams: {},
              response: IdOnly
            }).pipe(Effect.map((body) => body.data.id))
          ),
        dispose: () => runtime.dispose()
      }
    }
    case "persons-get": {
      const runtime = ManagedRuntime.make(client(true))
      return {
        get: (id) => runtime.runPromise(Effect.map(Persons.get(id), (person) => person.id)),
        dispose: () => runtime.dispose()
      }
    }
  }
}

interface Run {
  readonly rung: Rung
  readonly sequential: Batch
  readonly concurrent: Batch
}

const child = async (rung: Rung, url: string): Promise<Run> => {
  const { get, dispose } = await getterOf(rung, url)
  await batch(get, Number(values.warmup), 1)
  await batch(get, Number(values.warmup), concurrency)
  const sequential = await batch(get, requests, 1)
  const concurrent = await batch(get, requests, concurrency)
  await dispose()
  return { rung, sequential, concurrent }
}

const main = async () => {
  const rounds = Number(values.rounds)
  const sandbox = await startSandbox(1000)
  const server = await startServer(process.execPath, [benchScript("static-server.js"), "--from", sandbox.url])
  sandbox.stop()
  try {
    const runs: Array<Run> = []
    const names = rungs.map((r) => r.name)
    for (let r = 0; r < rounds; r++) {
      for (const rung of rotation(names, r)) {
        const run = await runJson<Run>(benchScript("request-overhead.js"), [
          "--child",
          rung,
          "--url",
          server.url,
          "--requests",
          String(requests),
          "--warmup",
          String(values.warmup),
          "--concurrency",
          String(concurrency)
        ])
        console.error(`  round ${r + 1}: ${rung} sequential p50 ${run.sequential.p50} ms; ×${concurrency} ${run.concurrent.requestsPerSecond} req/s`)
        runs.push(run)
      }
    }
    const of = (rung: Rung) => runs.filter((run) => run.rung === rung)
    const results = rungs.map(({ name, adds }) => ({
      rung: name,
      adds,
      sequentialP50: spread(of(name).map((run) => run.sequential.p50), 3),
      sequentialMean: spread(of(name).map((run) => run.sequential.mean), 3),
      concurrentRequestsPerSecond: spread(of(name).map((run) => run.concurrent.requestsPerSecond)),
      // The process's own CPU time per request: what a layer costs, whatever else the machine ran.
      sequentialCpuMs: spread(of(name).map((run) => run.sequential.cpuMsPerRequest), 3),
      concurrentCpuMs: spread(of(name).map((run) => run.concurrent.cpuMsPerRequest), 3)
    }))
    console.log(JSON.stringify({ benchmark: "request-overhead", server: "static", requests, concurrency, rounds, results, runs }))
  } finally {
    server.stop()
  }
}

const rungOf = (name: string | undefined): Rung => {
  const found = rungs.find((r) => r.name === name)
  if (found === undefined) throw new Error(`unknown rung ${name}`)
  return found.name
}

const done = values.child === undefined
  ? main()
  : child(rungOf(values.child), values.url ?? "").then((run) => console.log(JSON.stringify(run)))
done.catch((error) => {
  console.error(error)
  process.exit(1)
})
