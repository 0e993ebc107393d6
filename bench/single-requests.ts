/**
 * Single requests: the latency of getting one person by id, `Persons.get` versus the official
 * client's `getPerson` versus raw `fetch` + `JSON.parse`, one at a time and 16 at a time, against
 * the static server (which answers every `GET /api/v2/persons/{id}` with one fixed, pre-rendered
 * person of the sandbox's seed). Each contender runs in its own child process each round, rounds
 * rotating the order; each child warms up, then times every request of a sequential and a
 * concurrent batch.
 *
 *   node bench/dist/single-requests.js [--requests 2000] [--warmup 300] [--rounds 5]
 *
 * Prints one JSON object (what `run.mjs` writes into BENCHMARKS.md).
 */
import { parseArgs } from "node:util"
import { type Contender, clientOf, contenderOf, contenders } from "./contenders.ts"
import { type Batch, batch } from "./latency.ts"
import { benchScript, runJson, startSandbox, startServer } from "./processes.ts"
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

interface Run {
  readonly contender: Contender
  readonly sequential: Batch
  readonly concurrent: Batch
}

const child = async (contender: Contender, url: string): Promise<Run> => {
  const client = await clientOf(contender, url)
  await batch(client.get, Number(values.warmup), 1)
  await batch(client.get, Number(values.warmup), concurrency)
  const sequential = await batch(client.get, requests, 1)
  const concurrent = await batch(client.get, requests, concurrency)
  await client.dispose()
  return { contender, sequential, concurrent }
}

const main = async () => {
  const rounds = Number(values.rounds)
  const sandbox = await startSandbox(1000)
  const server = await startServer(process.execPath, [benchScript("static-server.js"), "--from", sandbox.url])
  sandbox.stop()
  try {
    const runs: Array<Run> = []
    for (let r = 0; r < rounds; r++) {
      for (const contender of rotation(contenders, r)) {
        const run = await runJson<Run>(benchScript("single-requests.js"), [
          "--child",
          contender,
          "--url",
          server.url,
          "--requests",
          String(requests),
          "--warmup",
          String(values.warmup),
          "--concurrency",
          String(concurrency)
        ])
        console.error(
          `  round ${r + 1}: ${contender} sequential p50 ${run.sequential.p50} ms p99 ${run.sequential.p99} ms; ` +
            `×${concurrency} p50 ${run.concurrent.p50} ms p99 ${run.concurrent.p99} ms`
        )
        runs.push(run)
      }
    }
    const of = (contender: Contender) => runs.filter((run) => run.contender === contender)
    const figures = (pick: (run: Run) => Batch) =>
      contenders.map((contender) => ({
        contender,
        p50: spread(of(contender).map((run) => pick(run).p50), 3),
        p99: spread(of(contender).map((run) => pick(run).p99), 3),
        requestsPerSecond: spread(of(contender).map((run) => pick(run).requestsPerSecond)),
        cpuMsPerRequest: spread(of(contender).map((run) => pick(run).cpuMsPerRequest), 3)
      }))
    // p50 ratios within each round, then their median (see list-everything.ts).
    const ratio = (pick: (run: Run) => Batch, a: Contender, b: Contender) =>
      spread(of(a).map((run, i) => pick(run).p50 / (of(b)[i] === undefined ? Number.NaN : pick(of(b)[i]!).p50)), 2)
    const sequential = (run: Run) => run.sequential
    const concurrent = (run: Run) => run.concurrent
    console.log(JSON.stringify({
      benchmark: "single-requests",
      server: "static",
      requests,
      warmup: Number(values.warmup),
      concurrency,
      rounds,
      sequential: figures(sequential),
      concurrent: figures(concurrent),
      ratios: {
        sequential: {
          libraryVsRawFetch: ratio(sequential, "pipedrive-effect", "raw-fetch"),
          libraryVsOfficial: ratio(sequential, "pipedrive-effect", "official")
        },
        concurrent: {
          libraryVsRawFetch: ratio(concurrent, "pipedrive-effect", "raw-fetch"),
          libraryVsOfficial: ratio(concurrent, "pipedrive-effect", "official")
        }
      },
      runs
    }))
  } finally {
    server.stop()
  }
}

const done = values.child === undefined
  ? main()
  : child(contenderOf(values.child), values.url ?? "").then((run) => console.log(JSON.stringify(run)))
done.catch((error) => {
  console.error(error)
  process.exit(1)
})
