/**
 * OAuth against the in-process sandbox's token endpoint: refresh ahead of expiry and on a 401, one
 * refresh for many concurrent requests, rotated refresh tokens handed to `onTokens`, a revoked
 * refresh token failing once and for all, `api_domain` as the origin, and no secret anywhere.
 * The sandbox runs in the test's fiber, so its `Clock` is the `TestClock` too.
 */
import { FetchHttpClient, type HttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { HttpTransport, OAuth, Persons, PipedriveClient as PipedriveClientModule, PipedriveError, Retry } from "@pipedrive-effect/core"
import type { PipedriveClient } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import {
  Cause,
  ConfigProvider,
  Effect,
  Exit,
  Layer,
  Option,
  Redacted,
  type Scope,
  TestClock
} from "effect"
import * as Capture from "./support/Capture.ts"
import * as ScriptedServer from "./support/ScriptedServer.ts"

const clientId = "oauth-test-client"
const clientSecret = "client-secret-3f9a7c1d-SECRET"
const refreshToken = "refresh-token-0b8e21aa-SECRET"

interface Setup {
  readonly sandbox: PipedriveSandbox.Service
  /** Every `onTokens` call, in order. */
  readonly saved: ReadonlyArray<OAuth.Tokens>
  readonly run: <A, E>(effect: Effect.Effect<A, E, PipedriveClient.PipedriveClient | OAuth.OAuth>) => Effect.Effect<A, E>
}

const setup = (
  client: Partial<OAuth.Options> = {},
  sandboxOAuth: PipedriveSandbox.Options["oauth"] = {}
): Effect.Effect<Setup, unknown, Scope.Scope> =>
  Effect.gen(function*() {
    const sandbox = yield* PipedriveSandbox.start({
      persons: 40,
      seed: "oauth-tests",
      oauth: { clientId, clientSecret, refreshToken, ...sandboxOAuth }
    })
    const saved: Array<OAuth.Tokens> = []
    const context = yield* Layer.build(
      OAuth.layer({
        clientId,
        clientSecret: Redacted.make(clientSecret),
        refreshToken: Redacted.make(refreshToken),
        tokenUrl: `${sandbox.url}/oauth/token`,
        onTokens: (tokens) => Effect.sync(() => saved.push(tokens)),
        ...client
      }).pipe(Layer.provide(FetchHttpClient.layer))
    )
    return { sandbox, saved, run: (effect) => Effect.provide(effect, context) }
  })

const listFive = Persons.list({ limit: 5 })

/** OAuth holding a stale access token, against a scripted server that is both the API and its token endpoint. */
const staleTokenLayer = (
  server: ScriptedServer.ScriptedServer,
  extra: Partial<OAuth.Options> = {},
  http: Layer.Layer<HttpClient.HttpClient> = FetchHttpClient.layer
) =>
  OAuth.layer({
    clientId,
    clientSecret: Redacted.make(clientSecret),
    refreshToken: Redacted.make(refreshToken),
    accessToken: Redacted.make("stale-access"),
    baseUrl: server.url,
    tokenUrl: `${server.url}/oauth/token`,
    ...extra
  }).pipe(Layer.provide(http))

const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.failureOption(exit.cause)
  if (Option.isNone(error)) throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return error.value
}

describe("OAuth", () => {
  it.scoped("refreshes before the first request and sends every request to api_domain with the bearer token", () =>
    Effect.gen(function*() {
      // No base URL is configured: without api_domain the requests would go to api.pipedrive.com.
      const { run, sandbox } = yield* setup()
      const page = yield* run(listFive)
      expect(page.items).toHaveLength(5)
      expect(yield* sandbox.oauth.refreshCount).toBe(1)
      const tokens = yield* run(Effect.flatMap(OAuth.OAuth, (oauth) => oauth.tokens))
      expect(Option.getOrThrow(tokens).apiDomain).toBe(sandbox.url)
      yield* run(listFive)
      expect(yield* sandbox.oauth.refreshCount).toBe(1)
    }))

  it.scoped("hands the rotated refresh token to onTokens, and refreshes with it next time", () =>
    Effect.gen(function*() {
      const { run, sandbox, saved } = yield* setup()
      yield* run(listFive)
      const current = yield* sandbox.oauth.refreshTokens
      expect(current).not.toContain(refreshToken)
      expect(saved.map((tokens) => Redacted.value(tokens.refreshToken))).toEqual(current)
      yield* sandbox.oauth.revokeAccessTokens
      yield* run(listFive)
      expect(saved).toHaveLength(2)
      expect(Redacted.value(saved[1]!.refreshToken)).toBe((yield* sandbox.oauth.refreshTokens)[0])
      expect(Redacted.value(saved[1]!.refreshToken)).not.toBe(Redacted.value(saved[0]!.refreshToken))
    }))

  it.scoped("refreshes once the clock passes expiry minus the margin, not before", () =>
    Effect.gen(function*() {
      const { run, sandbox } = yield* setup({ refreshMargin: "60 seconds" }, { accessTokenTtlSeconds: 3600 })
      yield* run(listFive)
      expect(yield* sandbox.oauth.refreshCount).toBe(1)
      yield* TestClock.adjust("3539 seconds")
      yield* run(listFive)
      expect(yield* sandbox.oauth.refreshCount).toBe(1)
      // 3541 s: inside the margin; the old token would still work, so only a proactive refresh counts.
      yield* TestClock.adjust("2 seconds")
      yield* run(listFive)
      expect(yield* sandbox.oauth.refreshCount).toBe(2)
      yield* run(listFive)
      expect(yield* sandbox.oauth.refreshCount).toBe(2)
    }))

  it.scoped("refreshes once on a 401 and resends the request", () =>
    Effect.gen(function*() {
      const { run, sandbox } = yield* setup()
      yield* run(listFive)
      yield* sandbox.oauth.revokeAccessTokens
      const page = yield* run(listFive)
      expect(page.items).toHaveLength(5)
      expect(yield* sandbox.oauth.refreshCount).toBe(2)
    }))

  it.scoped("shares one refresh among 20 concurrent requests, at start and at expiry", () =>
    Effect.gen(function*() {
      const { run, sandbox } = yield* setup({}, { accessTokenTtlSeconds: 3600 })
      const twenty = Effect.all(Array.from({ length: 20 }, () => listFive), { concurrency: "unbounded" })
      expect(yield* run(twenty)).toHaveLength(20)
      expect(yield* sandbox.oauth.refreshCount).toBe(1)
      yield* TestClock.adjust("1 hour")
      expect(yield* run(twenty)).toHaveLength(20)
      expect(yield* sandbox.oauth.refreshCount).toBe(2)
      yield* sandbox.oauth.revokeAccessTokens
      expect(yield* run(twenty)).toHaveLength(20)
      expect(yield* sandbox.oauth.refreshCount).toBe(3)
    }))

  it.scoped("fails with Unauthorized asking for re-authorisation when the refresh token is revoked, and never asks again", () =>
    Effect.gen(function*() {
      const { run, sandbox, saved } = yield* setup()
      yield* sandbox.oauth.revokeRefreshToken(refreshToken)
      const error = failure(yield* Effect.exit(run(listFive)))
      expect(error._tag).toBe("Unauthorized")
      expect(error).toMatchObject({ status: 400, code: "invalid_grant", operation: OAuth.refreshOperation })
      expect(error.message).toContain("re-authorise")
      const again = yield* Effect.exit(run(Effect.all(Array.from({ length: 5 }, () => listFive), { concurrency: 5 })))
      expect(failure(again)._tag).toBe("Unauthorized")
      expect(yield* sandbox.oauth.tokenRequests).toBe(1)
      expect(saved).toHaveLength(0)
    }))

  it.scoped("fails with Unauthorized when the client secret is wrong", () =>
    Effect.gen(function*() {
      const { run, sandbox } = yield* setup({ clientSecret: Redacted.make("wrong-secret") })
      const error = failure(yield* Effect.exit(run(listFive)))
      expect(error).toMatchObject({ _tag: "Unauthorized", status: 401, code: "invalid_client" })
      yield* Effect.exit(run(listFive))
      expect(yield* sandbox.oauth.tokenRequests).toBe(1)
    }))

  it.scoped("gives up with Unauthorized when the request is refused again after a refresh", () =>
    Effect.gen(function*() {
      const server = yield* ScriptedServer.start((request, response) =>
        request.url === "/oauth/token"
          ? ScriptedServer.reply(response, 200, JSON.stringify({
            access_token: "fresh-access",
            token_type: "Bearer",
            refresh_token: "fresh-refresh",
            expires_in: 3599,
            api_domain: server.url
          }))
          : ScriptedServer.reply(response, 401, JSON.stringify({ success: false, error: "unauthorized access" }))
      )
      const exit = yield* listFive.pipe(Effect.provide(staleTokenLayer(server)), Effect.exit)
      expect(failure(exit)).toMatchObject({ _tag: "Unauthorized", status: 401, operation: "getPersons" })
      const urls = server.requests.map((r) => r.url.split("?")[0])
      expect(urls).toEqual(["/api/v2/persons", "/oauth/token", "/api/v2/persons"])
      expect(server.requests.map((r) => r.headers["authorization"])).toEqual([
        "Bearer stale-access",
        `Basic ${Buffer.from(`${clientId}:${clientSecret}`).toString("base64")}`,
        "Bearer fresh-access"
      ])
      expect(server.requests[1]?.body).toBe(`grant_type=refresh_token&refresh_token=${refreshToken}`)
      expect(server.requests[1]?.headers["content-type"]).toContain("application/x-www-form-urlencoded")
    }))

  it.scopedLive("a request waiting for a refresh whose onTokens never returns still times out", () =>
    Effect.gen(function*() {
      // A 401 sends the request to refresh; the token endpoint answers, saving the tokens hangs. The
      // request waiting for them must end at its timeout, whatever transport it runs on.
      const server = yield* ScriptedServer.start((request, response) =>
        request.url === "/oauth/token"
          ? ScriptedServer.reply(response, 200, JSON.stringify({ access_token: "a", refresh_token: "r", expires_in: 3599 }))
          : ScriptedServer.reply(response, 401, JSON.stringify({ success: false, error: "unauthorized access" }))
      )
      const exit = yield* listFive.pipe(
        Effect.provide(
          staleTokenLayer(
            server,
            { timeout: "300 millis", onTokens: () => Effect.never },
            Layer.merge(HttpTransport.layer, Retry.disabled)
          )
        ),
        Effect.timeoutFail({ duration: "5 seconds", onTimeout: () => "the request's timeout did not end it" }),
        Effect.exit
      )
      expect(failure(exit)).toMatchObject({ _tag: "Transport", reason: "Timeout", operation: "getPersons" })
      expect(server.requests.map((r) => r.url.split("?")[0])).toEqual(["/api/v2/persons", "/oauth/token"])
    }))

  it.scoped("refuses an api_domain or a token URL that is plain http to a non-loopback host", () =>
    Effect.gen(function*() {
      const server = yield* ScriptedServer.start((_, response) =>
        ScriptedServer.reply(response, 200, JSON.stringify({ access_token: "a", refresh_token: "r", expires_in: 60, api_domain: "http://evil.example.com" }))
      )
      const layerFor = (tokenUrl: string) =>
        OAuth.layer({
          clientId,
          clientSecret: Redacted.make(clientSecret),
          refreshToken: Redacted.make(refreshToken),
          tokenUrl
        }).pipe(Layer.provide(FetchHttpClient.layer))
      const error = failure(yield* Effect.exit(listFive.pipe(Effect.provide(layerFor(`${server.url}/oauth/token`)))))
      expect(error._tag).toBe("Decode")
      expect(error.message).toContain("refusing plain http:// to evil.example.com")
      expect(server.requests).toHaveLength(1)
      const config = failure(yield* Effect.exit(listFive.pipe(Effect.provide(layerFor("http://oauth.example.com/oauth/token")))))
      expect(config).toMatchObject({ _tag: "ConfigurationError", setting: "PIPEDRIVE_OAUTH_TOKEN_URL" })
    }))

  it.scoped("layerConfig reads the PIPEDRIVE_OAUTH_* environment", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 10, oauth: { clientId, clientSecret, refreshToken } })
      const provider = ConfigProvider.fromMap(
        new Map([
          ["PIPEDRIVE_OAUTH_CLIENT_ID", clientId],
          ["PIPEDRIVE_OAUTH_CLIENT_SECRET", clientSecret],
          ["PIPEDRIVE_OAUTH_REFRESH_TOKEN", refreshToken],
          ["PIPEDRIVE_OAUTH_TOKEN_URL", `${sandbox.url}/oauth/token`]
        ])
      )
      const options = yield* OAuth.config.pipe(Effect.withConfigProvider(provider))
      expect(String(options.clientSecret)).not.toContain(clientSecret)
      expect(options.accessToken).toBeUndefined()
      const page = yield* listFive.pipe(
        Effect.provide(OAuth.layerConfig().pipe(Layer.provide(FetchHttpClient.layer))),
        Effect.withConfigProvider(provider)
      )
      expect(page.items).toHaveLength(5)
    }))

  it.scoped("never puts the client secret, a refresh token or an access token in errors, logs or spans", () =>
    Effect.gen(function*() {
      const capture = yield* Capture.make
      const { spans, logs } = capture
      const { run, sandbox, saved } = yield* setup({}, { accessTokenTtlSeconds: 600 })
      const observed = <A, E>(effect: Effect.Effect<A, E, PipedriveClient.PipedriveClient | OAuth.OAuth>) =>
        run(Effect.asVoid(effect)).pipe(
          Effect.either,
          Effect.tap((result) => Effect.logError("result", result)),
          capture.observe
        )
      const results = [yield* observed(listFive)]
      yield* sandbox.oauth.revokeAccessTokens
      results.push(yield* observed(listFive))
      yield* TestClock.adjust("10 minutes")
      results.push(yield* observed(Persons.get(999_999)))
      for (const token of yield* sandbox.oauth.refreshTokens) yield* sandbox.oauth.revokeRefreshToken(token)
      yield* TestClock.adjust("10 minutes")
      results.push(yield* observed(listFive))
      expect(results.map((r) => r._tag)).toEqual(["Right", "Right", "Left", "Left"])
      expect(spans.some((s) => s.name === `Pipedrive.${OAuth.refreshOperation}`)).toBe(true)
      expect(logs.some((line) => line.includes("access token refreshed"))).toBe(true)

      const secrets = [
        clientSecret,
        refreshToken,
        Buffer.from(`${clientId}:${clientSecret}`).toString("base64"),
        ...saved.flatMap((tokens) => [Redacted.value(tokens.accessToken), Redacted.value(tokens.refreshToken)])
      ]
      expect(saved.length).toBe(3)
      const everything = capture.render({
        results,
        messages: results.map((r) => r._tag === "Left" ? String(r.left) : ""),
        tokens: saved.map((t) => String(t.accessToken) + String(t.refreshToken))
      })
      for (const secret of secrets) expect(everything).not.toContain(secret)
    }))
})

describe("PipedriveClient.Auth", () => {
  it.scoped("asks the strategy per request for headers and origin, and renews at most once per request", () =>
    Effect.gen(function*() {
      const server = yield* ScriptedServer.start((request, response) =>
        request.headers["authorization"] === "Bearer good"
          ? ScriptedServer.reply(response, 200, JSON.stringify({ success: true, data: [], additional_data: { next_cursor: null } }))
          : ScriptedServer.reply(response, 401, JSON.stringify({ success: false, error: "unauthorized access" }))
      )
      let token = "stale"
      let renewals = 0
      const auth: PipedriveClient.Auth = {
        credentials: Effect.sync(() => ({
          baseUrl: `${server.url}/proxy`,
          headers: { authorization: Redacted.make(`Bearer ${token}`) }
        })),
        renew: () =>
          Effect.sync(() => {
            renewals++
            if (renewals === 1) token = "good"
            return true
          })
      }
      const layer = PipedriveClientModule.layer({ auth, baseUrl: "https://unused.example.com" }).pipe(
        Layer.provide(FetchHttpClient.layer)
      )
      yield* listFive.pipe(Effect.provide(layer))
      expect(renewals).toBe(1)
      expect(server.requests.map((r) => [r.url.split("?")[0], r.headers["authorization"]])).toEqual([
        ["/proxy/api/v2/persons", "Bearer stale"],
        ["/proxy/api/v2/persons", "Bearer good"]
      ])
      token = "revoked-for-good"
      const error = failure(yield* Effect.exit(listFive.pipe(Effect.provide(layer))))
      expect(error).toMatchObject({ _tag: "Unauthorized", status: 401 })
      expect(renewals).toBe(2)
      expect(server.requests).toHaveLength(4)
    }))

  it.scoped("surfaces a strategy's failure as the request's error, and through httpClient as a RequestError cause", () =>
    Effect.gen(function*() {
      const refused = new PipedriveError.Unauthorized({
        operation: "custom",
        method: "POST",
        path: "/token",
        status: 400,
        error: "re-authorise"
      })
      const auth: PipedriveClient.Auth = { credentials: Effect.fail(refused), renew: () => Effect.succeed(false) }
      const layer = PipedriveClientModule.layer({ auth, baseUrl: "http://127.0.0.1:9" }).pipe(Layer.provide(FetchHttpClient.layer))
      // Effect wraps a failure in a span-carrying proxy, so compare fields, not identity.
      expect({ ...failure(yield* Effect.exit(listFive.pipe(Effect.provide(layer)))) }).toMatchObject({
        _tag: "Unauthorized",
        operation: "custom",
        error: "re-authorise"
      })
      const raw = yield* Effect.flatMap(PipedriveClientModule.PipedriveClient, (client) => client.httpClient.get("/api/v2/persons")).pipe(
        Effect.provide(layer),
        Effect.flip
      )
      expect(raw._tag).toBe("RequestError")
      expect(raw.cause instanceof PipedriveError.Unauthorized && raw.cause.error).toBe("re-authorise")
    }))
})
