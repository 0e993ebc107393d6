/**
 * Counts the Effect operations a listing runs (a debug aid of the benchmarks, never a timed test):
 * a `Supervisor` with `OpSupervision` on sees every operation every fiber evaluates. A warm-up walk
 * first, then the counted one; `--detail` adds the count a page of each operation, named by its
 * kind and the start of its continuation's source (bench/PROFILE-notes.md, "Fewer Effect operations").
 *
 *   node bench/dist/effect-ops.js --url http://127.0.0.1:PORT [--list] [--detail]
 *
 * Against the static server (`static-server.ts`), or any server of `/api/v2/persons`.
 */
import { HttpTransport, Persons, PipedriveClient } from "@pipedrive-effect/core"
import { Effect, type Fiber, Layer, ManagedRuntime, Redacted, RuntimeFlags, Stream, Supervisor } from "effect"
import { parseArgs } from "node:util"
import { token } from "./processes.ts"

const { values } = parseArgs({
  options: { url: { type: "string" }, list: { type: "boolean", default: false }, detail: { type: "boolean", default: false } }
})
if (values.url === undefined) throw new Error("--url URL (a server of /api/v2/persons) is required")

class Counter extends Supervisor.AbstractSupervisor<number> {
  count = 0
  counting = false
  readonly byKind = new Map<string, number>()
  get value(): Effect.Effect<number> {
    return Effect.sync(() => this.count)
  }
  override onEffect<A, E>(_fiber: Fiber.RuntimeFiber<A, E>, effect: Effect.Effect<unknown, unknown, unknown>): void {
    if (!this.counting) return
    this.count += 1
    if (!values.detail) return
    const continuation: unknown = Reflect.get(effect, "effect_instruction_i1") ?? Reflect.get(effect, "effect_instruction_i0")
    const source = typeof continuation === "function" ? ` ${String(continuation).replace(/\s+/g, " ").slice(0, 90)}` : ""
    const kind = `${String(Reflect.get(effect, "_op"))}${source}`
    this.byKind.set(kind, (this.byKind.get(kind) ?? 0) + 1)
  }
}

const counter = new Counter()
const runtime = ManagedRuntime.make(
  Layer.mergeAll(
    PipedriveClient.layer({ apiToken: Redacted.make(token), baseUrl: values.url }).pipe(Layer.provide(HttpTransport.layer)),
    Supervisor.addSupervisor(counter),
    RuntimeFlags.enableOpSupervision
  )
)
const what = values.list ? "Persons.list" : "Persons.stream"
const counted = values.list
  ? Effect.map(Persons.list({ limit: 500 }), (page) => ({ persons: page.items.length, pages: 1 }))
  : Effect.map(Stream.runCount(Persons.stream({ limit: 500 })), (persons) => ({ persons, pages: Math.ceil(persons / 500) }))

await runtime.runPromise(counted)
counter.counting = true
const { persons, pages } = await runtime.runPromise(counted)
counter.counting = false
await runtime.dispose()
console.log(`${what}: ${persons} persons, ${pages} pages, ${counter.count} operations, ${(counter.count / pages).toFixed(1)} a page`)
for (const [kind, count] of [...counter.byKind].sort((a, b) => b[1] - a[1])) {
  console.log(`${(count / pages).toFixed(2).padStart(8)} ${kind}`)
}
