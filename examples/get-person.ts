/**
 * Reads one person by id (default 1) through API v2 and prints it as JSON; a missing person is a
 * typed `NotFound`, handled here.
 *
 *   PIPEDRIVE_API_TOKEN=… PIPEDRIVE_COMPANY_DOMAIN=acme npx deno run -A examples/get-person.ts 42
 *   PIPEDRIVE_API_TOKEN=… PIPEDRIVE_COMPANY_DOMAIN=acme node examples/dist/get-person.js 42
 */
import { HttpTransport, Persons, PipedriveClient } from "@pipedrive-effect/core"
import { Console, Effect, Layer } from "effect"

const id = Number(process.argv[2] ?? "1")

const program = Persons.get(id).pipe(
  Effect.flatMap((person) => Console.log(JSON.stringify(person, null, 2))),
  Effect.catchTag("NotFound", () => Console.error(`No person with id ${id}`))
)

const Pipedrive = PipedriveClient.layerConfig().pipe(Layer.provide(HttpTransport.layer))

program.pipe(
  Effect.provide(Pipedrive),
  // Every failure is a typed error (Unauthorized, NotFound, ConfigurationError…): one line on stderr.
  Effect.catchAll((error) => Console.error(String(error)).pipe(Effect.andThen(() => (process.exitCode = 1)))),
  Effect.runPromise
)
