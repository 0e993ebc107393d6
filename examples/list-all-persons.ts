/**
 * Lists every person of the account, 500 a page through the API v2 cursor stream, and prints a
 * count and the first few names.
 *
 *   PIPEDRIVE_API_TOKEN=… PIPEDRIVE_COMPANY_DOMAIN=acme npx deno run -A examples/list-all-persons.ts
 *   PIPEDRIVE_API_TOKEN=… PIPEDRIVE_COMPANY_DOMAIN=acme node examples/dist/list-all-persons.js
 *
 * Against the sandbox: `npx pipedrive-sandbox --port 8080 --persons 5000` in another shell, then
 * PIPEDRIVE_BASE_URL=http://127.0.0.1:8080 PIPEDRIVE_API_TOKEN=sandbox-token.
 */
import { HttpTransport, Persons, PipedriveClient } from "@pipedrive-effect/core"
import { Chunk, Console, Effect, Layer, Stream } from "effect"

const program = Effect.gen(function*() {
  const { count, first } = yield* Persons.stream({ limit: 500 }).pipe(
    Stream.runFold({ count: 0, first: Chunk.empty<string>() }, (acc, person) => ({
      count: acc.count + 1,
      first: acc.count < 5 ? Chunk.append(acc.first, person.name ?? `#${person.id}`) : acc.first
    }))
  )
  yield* Console.log(`${count} persons; first: ${Chunk.join(first, ", ")}`)
})

const Pipedrive = PipedriveClient.layerConfig().pipe(Layer.provide(HttpTransport.layer))

program.pipe(
  Effect.provide(Pipedrive),
  // Every failure is a typed error (Unauthorized, NotFound, ConfigurationError…): one line on stderr.
  Effect.catchAll((error) => Console.error(String(error)).pipe(Effect.andThen(() => (process.exitCode = 1)))),
  Effect.runPromise
)
