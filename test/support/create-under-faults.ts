/**
 * Creates N persons one by one against the base URL given (a sandbox dropping connections after
 * applying writes), then lists them: prints `{ ok, ambiguous, persons, unique }` as JSON. Run by
 * test/deno-writes.test.ts under Deno, whose fetch used to re-send such writes by itself.
 *
 *   deno run -A test/support/create-under-faults.ts http://127.0.0.1:PORT 40
 */
import { FetchHttpClient } from "@effect/platform"
import { Persons, PipedriveClient } from "@pipedrive-effect/core"
import { Chunk, Effect, Layer, Redacted, Stream } from "effect"

const [url = "", count = "40"] = process.argv.slice(2)
const Client = PipedriveClient.layer({ apiToken: Redacted.make("sandbox-token"), baseUrl: url }).pipe(
  Layer.provide(FetchHttpClient.layer)
)

const program = Effect.gen(function*() {
  let ok = 0
  let ambiguous = 0
  for (let i = 0; i < Number(count); i++) {
    const result = yield* Effect.either(Persons.create({ name: `fault-create-${i}` }))
    if (result._tag === "Right") ok++
    else if (result.left._tag === "AmbiguousWrite") ambiguous++
    else return yield* Effect.fail(result.left)
  }
  const everyone = yield* Stream.runCollect(Persons.stream({ limit: 500 }))
  const names = Chunk.toReadonlyArray(everyone).flatMap((person) =>
    person.name?.startsWith("fault-create-") === true ? [person.name] : []
  )
  console.log(JSON.stringify({ ok, ambiguous, persons: names.length, unique: new Set(names).size }))
})

Effect.runPromise(program.pipe(Effect.provide(Client)))
