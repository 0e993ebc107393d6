/**
 * Streams every person from a sandbox seeded with 1,000,000 (or `--persons N`) through
 * `Persons.stream` (v2 cursor) and `PersonsV1.stream` (v1 offset), 500 a page, sampling this
 * process's heap as it goes, to show that memory stays flat however many persons there are.
 * The sandbox runs in its own process so its memory does not count.
 *
 *   node bench/dist/stream-heap.js [--persons 1000000]
 *
 * Run with `--expose-gc` (run.mjs does): each sample is taken after a full GC, so it is the live
 * heap, not the garbage-collector's sawtooth. Prints one JSON object (the figures `run.mjs` writes
 * into BENCHMARKS.md).
 */
import { FetchHttpClient } from "@effect/platform"
import { Persons, PersonsV1, PipedriveClient } from "@pipedrive-effect/core"
import { Effect, Layer, Redacted, Stream } from "effect"
import { spawn } from "node:child_process"
import { once } from "node:events"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const { values } = parseArgs({ options: { persons: { type: "string", default: "1000000" } } })
const persons = Number(values.persons)
const sandboxBin = fileURLToPath(new URL("../../packages/sandbox/bin/pipedrive-sandbox.mjs", import.meta.url))

const startSandbox = async () => {
  const child = spawn("node", [sandboxBin, "--port", "0", "--persons", String(persons), "--seed", "bench"], {
    stdio: ["ignore", "pipe", "inherit"]
  })
  const [chunk] = (await once(child.stdout, "data")) as [Buffer]
  const url = /READY (\S+)/.exec(chunk.toString())?.[1]
  if (url === undefined) throw new Error(`sandbox did not start: ${chunk.toString()}`)
  return { url, child }
}

interface Sample {
  readonly persons: number
  readonly heapMiB: number
}

const mib = (bytes: number) => Math.round((bytes / 1024 / 1024) * 10) / 10

const measure = <E, R>(name: string, stream: Stream.Stream<{ readonly id: number }, E, R>) =>
  Effect.gen(function*() {
    globalThis.gc?.()
    const samples: Array<Sample> = []
    const started = performance.now()
    let count = 0
    yield* Stream.runForEach(stream, () =>
      Effect.sync(() => {
        count++
        // After a full GC, heapUsed is the live set: what a leak would grow.
        if (count % 50_000 === 0) {
          globalThis.gc?.()
          samples.push({ persons: count, heapMiB: mib(process.memoryUsage().heapUsed) })
        }
      }))
    const seconds = (performance.now() - started) / 1000
    const heaps = samples.map((s) => s.heapMiB)
    // The first samples include warm-up (JIT, connection pool); flatness is judged after them.
    const steady = heaps.slice(Math.min(2, heaps.length - 1))
    return {
      name,
      persons: count,
      seconds: Math.round(seconds * 10) / 10,
      personsPerSecond: Math.round(count / seconds),
      heapMiB: {
        min: Math.min(...heaps),
        max: Math.max(...heaps),
        steadyMin: Math.min(...steady),
        steadyMax: Math.max(...steady),
        last: heaps.at(-1) ?? 0
      },
      peakRssMiB: mib(process.memoryUsage().rss),
      samples
    }
  })

const main = async () => {
  const sandbox = await startSandbox()
  try {
    const client = PipedriveClient.layer({ apiToken: Redacted.make("sandbox-token"), baseUrl: sandbox.url }).pipe(
      Layer.provide(FetchHttpClient.layer)
    )
    const results = await Effect.runPromise(
      Effect.all([
        measure("Persons.stream (v2 cursor, limit 500)", Persons.stream({ limit: 500 })),
        measure("PersonsV1.stream (v1 offset, limit 500)", PersonsV1.stream({ limit: 500 })),
        // A second v2 pass in the same process: with the JIT and caches settled, a leak would be
        // the only thing left to grow the live heap.
        measure("Persons.stream again, after warm-up", Persons.stream({ limit: 500 }))
      ]).pipe(Effect.provide(client))
    )
    console.log(JSON.stringify({ benchmark: "stream-heap", seeded: persons, results }))
  } finally {
    sandbox.child.kill("SIGTERM")
  }
}

main().catch((error) => {
  console.error(error)
  process.exitCode = 1
})
