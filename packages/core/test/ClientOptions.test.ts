/**
 * Every option of `PipedriveClient.make` must reach the client through every layer that builds one:
 * `PipedriveClient.layer`, `PipedriveClient.layerConfig`, `OAuth.layer`, `OAuth.layerConfig`.
 * (`OAuth.layer` once dropped `maxResponseBytes` on its way to the client.)
 *
 * `cases` is keyed by every option of `PipedriveClient.Options`: an option added there does not
 * compile here until it has a case, so it cannot go untested through the layers.
 */
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { OAuth, Persons, PipedriveClient, Retry } from "@pipedrive-effect/core"
import { Cause, ConfigProvider, Effect, Exit, Layer, Option, Redacted, type Scope } from "effect"
import * as ScriptedServer from "./support/ScriptedServer.ts"

/** The options as a test gives them: `PipedriveClient.Options`, with `timeout` as the environment writes it. */
type Given = Omit<PipedriveClient.Options, "timeout"> & { readonly timeout?: `${number} millis` | undefined }

type ClientLayer = Layer.Layer<PipedriveClient.PipedriveClient, unknown>

interface Way {
  readonly name: string
  readonly build: (given: Given) => ClientLayer
}

const defaultToken = "tok-default"

const env = (entries: Record<string, string | undefined>) =>
  Layer.setConfigProvider(
    ConfigProvider.fromMap(
      new Map(Object.entries(entries).flatMap(([key, value]) => (value === undefined ? [] : [[key, value] as const])))
    )
  )

const connectionEnv = (given: Given) => ({
  PIPEDRIVE_COMPANY_DOMAIN: given.companyDomain,
  PIPEDRIVE_BASE_URL: given.baseUrl,
  PIPEDRIVE_TIMEOUT: given.timeout
})

const oauthSettings = (given: Given) => ({
  clientId: "app",
  clientSecret: Redacted.make("app-secret"),
  refreshToken: Redacted.make("refresh"),
  // Given, with no expiry: requests go out with it and the token endpoint is never asked.
  accessToken: Redacted.make("access"),
  tokenUrl: `${given.baseUrl ?? "http://127.0.0.1:9"}/oauth/token`
})

const finish = <E>(layer: Layer.Layer<PipedriveClient.PipedriveClient, E, HttpClient.HttpClient>): ClientLayer =>
  layer.pipe(Layer.provide([FetchHttpClient.layer, Retry.disabled]))

const clientLayer: Way = {
  name: "PipedriveClient.layer",
  build: (given) => finish(PipedriveClient.layer({ apiToken: Redacted.make(defaultToken), ...given }))
}

const clientLayerConfig: Way = {
  name: "PipedriveClient.layerConfig",
  build: ({ apiToken, companyDomain, baseUrl, timeout, ...options }) =>
    finish(PipedriveClient.layerConfig(undefined, options)).pipe(
      Layer.provide(env({
        PIPEDRIVE_API_TOKEN: apiToken === undefined ? defaultToken : Redacted.value(apiToken),
        ...connectionEnv({ companyDomain, baseUrl, timeout })
      }))
    )
}

const oauthLayer: Way = {
  name: "OAuth.layer",
  build: ({ apiToken: _apiToken, auth: _auth, ...given }) => finish(OAuth.layer({ ...oauthSettings(given), ...given }))
}

const oauthLayerConfig: Way = {
  name: "OAuth.layerConfig",
  build: ({ apiToken: _apiToken, auth: _auth, companyDomain, baseUrl, timeout, ...options }) => {
    const settings = oauthSettings({ baseUrl })
    return finish(OAuth.layerConfig(undefined, options)).pipe(
      Layer.provide(env({
        PIPEDRIVE_OAUTH_CLIENT_ID: settings.clientId,
        PIPEDRIVE_OAUTH_CLIENT_SECRET: Redacted.value(settings.clientSecret),
        PIPEDRIVE_OAUTH_REFRESH_TOKEN: Redacted.value(settings.refreshToken),
        PIPEDRIVE_OAUTH_ACCESS_TOKEN: Redacted.value(settings.accessToken),
        PIPEDRIVE_OAUTH_TOKEN_URL: settings.tokenUrl,
        ...connectionEnv({ companyDomain, baseUrl, timeout })
      }))
    )
  }
}

const everyWay: ReadonlyArray<Way> = [clientLayer, clientLayerConfig, oauthLayer, oauthLayerConfig]
/** The OAuth layers authenticate with OAuth: they take neither an API token nor another `auth`. */
const apiTokenWays: ReadonlyArray<Way> = [clientLayer, clientLayerConfig]

const person = JSON.stringify({ success: true, data: { id: 7, name: "Ada Lovelace" } })

const okServer = ScriptedServer.start((_, res) => ScriptedServer.reply(res, 200, person))

const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.failureOption(exit.cause)
  if (Option.isNone(error)) throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return error.value
}

interface Case {
  readonly ways: ReadonlyArray<Way>
  readonly claim: string
  readonly run: (way: Way) => Effect.Effect<void, unknown, Scope.Scope>
}

const cases: { readonly [K in keyof PipedriveClient.Options]-?: Case } = {
  apiToken: {
    ways: apiTokenWays,
    claim: "is sent as x-api-token",
    run: (way) =>
      Effect.gen(function*() {
        const server = yield* okServer
        yield* Persons.get(7).pipe(Effect.provide(way.build({ baseUrl: server.url, apiToken: Redacted.make("tok-given") })))
        expect(server.requests.map((r) => r.headers["x-api-token"])).toEqual(["tok-given"])
      })
  },
  auth: {
    ways: apiTokenWays,
    claim: "replaces the API token",
    run: (way) =>
      Effect.gen(function*() {
        const server = yield* okServer
        const auth: PipedriveClient.Auth = {
          credentials: Effect.succeed({ headers: { "x-custom-auth": Redacted.make("custom") } }),
          renew: () => Effect.succeed(false)
        }
        yield* Persons.get(7).pipe(Effect.provide(way.build({ baseUrl: server.url, auth })))
        expect(server.requests.map((r) => [r.headers["x-custom-auth"], r.headers["x-api-token"]])).toEqual([["custom", undefined]])
      })
  },
  baseUrl: {
    ways: everyWay,
    claim: "is where requests go",
    run: (way) =>
      Effect.gen(function*() {
        const server = yield* okServer
        const client = yield* PipedriveClient.PipedriveClient.pipe(Effect.provide(way.build({ baseUrl: server.url })))
        expect(client.baseUrl).toBe(server.url)
        yield* client.request({ operation: "getPerson", method: "GET", path: "/api/v2/persons/7", response: Persons.PersonResponse })
        expect(server.requests.map((r) => r.url)).toEqual(["/api/v2/persons/7"])
      })
  },
  companyDomain: {
    ways: everyWay,
    claim: "gives the origin",
    run: (way) =>
      Effect.gen(function*() {
        const client = yield* PipedriveClient.PipedriveClient.pipe(Effect.provide(way.build({ companyDomain: "acme" })))
        expect(client.baseUrl).toBe("https://acme.pipedrive.com")
      })
  },
  timeout: {
    ways: everyWay,
    claim: "bounds a request",
    run: (way) =>
      Effect.gen(function*() {
        // Never answers: only the client's timeout (not the default 30 s) ends the request in time.
        const server = yield* ScriptedServer.start(() => {})
        const exit = yield* Persons.get(7).pipe(
          Effect.provide(way.build({ baseUrl: server.url, timeout: "300 millis" })),
          Effect.timeoutFail({ duration: "3 seconds", onTimeout: () => "the client's timeout was not applied" }),
          Effect.exit
        )
        expect(failure(exit)).toMatchObject({ _tag: "Transport", reason: "Timeout", detail: "no complete response within 300ms" })
      })
  },
  transformClient: {
    ways: everyWay,
    claim: "is applied to the HttpClient",
    run: (way) =>
      Effect.gen(function*() {
        const server = yield* okServer
        const transformClient = HttpClient.mapRequest(HttpClientRequest.setHeader("x-transformed", "yes"))
        yield* Persons.get(7).pipe(Effect.provide(way.build({ baseUrl: server.url, transformClient })))
        expect(server.requests.map((r) => r.headers["x-transformed"])).toEqual(["yes"])
      })
  },
  maxResponseBytes: {
    ways: everyWay,
    claim: "bounds the body read",
    run: (way) =>
      Effect.gen(function*() {
        const long = JSON.stringify({ success: true, data: { id: 7, name: "A".repeat(4096) } })
        const server = yield* ScriptedServer.start((_, res) => ScriptedServer.reply(res, 200, long))
        const exit = yield* Persons.get(7).pipe(Effect.provide(way.build({ baseUrl: server.url, maxResponseBytes: 1024 })), Effect.exit)
        expect(failure(exit)).toMatchObject({ _tag: "Decode", detail: expect.stringMatching(/over the limit of 1024 bytes \(maxResponseBytes\)/) })
      })
  }
}

// Live clock: the timeout case waits on real time for a real socket.
describe("every option of PipedriveClient.make reaches the client through every layer", () => {
  for (const [option, { claim, run, ways }] of Object.entries(cases)) {
    describe(`${option} ${claim}`, () => {
      for (const way of ways) it.scopedLive(way.name, () => run(way))
    })
  }
})
