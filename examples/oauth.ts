/**
 * Lists 5 persons as an OAuth app: refreshes the access token with the app's refresh token, then
 * sends requests to the `api_domain` Pipedrive returns. Pipedrive may rotate the refresh token on
 * every refresh; give a file as the first argument to have the new one written there (mode 600),
 * or the next run may have to start from a new authorisation.
 *
 *   PIPEDRIVE_OAUTH_CLIENT_ID=… PIPEDRIVE_OAUTH_CLIENT_SECRET=… PIPEDRIVE_OAUTH_REFRESH_TOKEN=… \
 *     node examples/dist/oauth.js .refresh-token
 *   (same variables) npx deno run -A examples/oauth.ts .refresh-token
 *
 * Against the sandbox (`npx pipedrive-sandbox --port 8080`, whose OAuth app has the defaults below):
 *   PIPEDRIVE_OAUTH_CLIENT_ID=sandbox-client-id PIPEDRIVE_OAUTH_CLIENT_SECRET=sandbox-client-secret
 *   PIPEDRIVE_OAUTH_REFRESH_TOKEN=sandbox-refresh-token PIPEDRIVE_OAUTH_TOKEN_URL=http://127.0.0.1:8080/oauth/token
 */
import { HttpTransport, OAuth, Persons } from "@pipedrive-effect/core"
import { Console, Effect, Layer, Redacted } from "effect"
import { writeFileSync } from "node:fs"

const saveTo = process.argv[2]

const program = Effect.gen(function*() {
  const page = yield* Persons.list({ limit: 5 })
  for (const person of page.items) yield* Console.log(`${person.id}\t${person.name ?? ""}`)
})

const Pipedrive = OAuth.layerConfig(OAuth.config, {
  onTokens: (tokens) =>
    saveTo === undefined
      ? Console.error("The refresh token may have rotated; pass a file to save it")
      : Effect.sync(() => writeFileSync(saveTo, Redacted.value(tokens.refreshToken), { mode: 0o600 }))
}).pipe(Layer.provide(HttpTransport.layer))

program.pipe(
  Effect.provide(Pipedrive),
  // Every failure is a typed error (Unauthorized, NotFound, ConfigurationError…): one line on stderr.
  Effect.catchAll((error) => Console.error(String(error)).pipe(Effect.andThen(() => (process.exitCode = 1)))),
  Effect.runPromise
)
