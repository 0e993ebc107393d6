/**
 * One listing under Deno, for `list-everything.ts`: every person of `/api/v2/persons` (pages of
 * 500) by this library's `Persons.stream` (under Deno `HttpTransport` is `fetch`) or by raw `fetch`
 * + `JSON.parse`. Run by the deno binary from the TypeScript source (the workspace's deno.json
 * resolves `@pipedrive-effect/core` to packages/core/src); prints one JSON object like a Node child.
 *
 *   deno run -A bench/deno-list.ts --child pipedrive-effect|raw-fetch --url URL --persons N
 */
import process from "node:process"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  args: process.argv.slice(2),
  options: { child: { type: "string" }, url: { type: "string" }, persons: { type: "string", default: "100000" } }
})
const url = values.url ?? ""
const token = "sandbox-token"

const listAll = async (contender: string): Promise<{ count: number; dispose: () => Promise<void> } | (() => Promise<number>)> => {
  if (contender === "raw-fetch") {
    return async () => {
      let count = 0
      let cursor: string | null = null
      do {
        const query: string = cursor === null ? "limit=500" : `limit=500&cursor=${encodeURIComponent(cursor)}`
        const response = await fetch(`${url}/api/v2/persons?${query}`, { headers: { "x-api-token": token } })
        if (response.status !== 200) throw new Error(`${response.status}`)
        const body: { data: Array<unknown> | null; additional_data: { next_cursor: string | null } } = JSON.parse(await response.text())
        count += body.data?.length ?? 0
        cursor = body.additional_data.next_cursor
      } while (cursor !== null)
      return count
    }
  }
  const { HttpTransport, Persons, PipedriveClient } = await import("@pipedrive-effect/core")
  const { Layer, ManagedRuntime, Redacted, Stream } = await import("effect")
  const runtime = ManagedRuntime.make(
    PipedriveClient.layer({ apiToken: Redacted.make(token), baseUrl: url }).pipe(Layer.provide(HttpTransport.layer))
  )
  return () => runtime.runPromise(Stream.runCount(Persons.stream({ limit: 500 })))
}

const contender = values.child ?? ""
const walk = await listAll(contender)
if (typeof walk !== "function") throw new Error("unreachable")
const started = performance.now()
const cpuStarted = process.cpuUsage()
const count = await walk()
const seconds = (performance.now() - started) / 1000
const cpu = process.cpuUsage(cpuStarted)
if (count !== Number(values.persons)) throw new Error(`${contender} listed ${count} persons, expected ${values.persons}`)
console.log(JSON.stringify({
  contender,
  persons: count,
  seconds: Math.round(seconds * 1000) / 1000,
  personsPerSecond: Math.round(count / seconds),
  cpuSeconds: Math.round((cpu.user + cpu.system) / 1000) / 1000,
  peakRssMiB: Math.round(process.resourceUsage().maxRSS / 102.4) / 10
}))
process.exit(0)
