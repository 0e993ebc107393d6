/**
 * OAuth 2 for Pipedrive apps: the client sends `Authorization: Bearer <access token>` to the token's
 * `api_domain`, and refreshes the access token at Pipedrive's token URL (`grant_type=refresh_token`,
 * the app's client id and secret as HTTP Basic auth) shortly before it expires, and once when a
 * request gets a 401. Concurrent requests share one refresh. Pipedrive may rotate the refresh token
 * on every refresh: `onTokens` is where to save the new one, or the next run cannot refresh.
 *
 * A refresh token that Pipedrive refuses (`invalid_grant`: revoked, expired or already used) or
 * client credentials it refuses fail every later request at once with `Unauthorized`: only a new
 * authorisation of the app can fix that, and asking the token endpoint again would not.
 *
 * Every secret (client secret, refresh and access tokens) is `Redacted`; none reaches an error, a
 * log or a span.
 *
 * @example
 * ```ts
 * import { HttpTransport, OAuth, Persons } from "@pipedrive-effect/core"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * // Where your app keeps the refresh token (a rotated one replaces it).
 * declare const loadRefreshToken: () => string
 * declare const saveRefreshToken: (token: string) => void
 *
 * const Pipedrive = OAuth.layer({
 *   clientId: "my-app-client-id",
 *   clientSecret: Redacted.make(process.env.CLIENT_SECRET ?? ""),
 *   refreshToken: Redacted.make(loadRefreshToken()),
 *   onTokens: (tokens) => Effect.sync(() => saveRefreshToken(Redacted.value(tokens.refreshToken)))
 * }).pipe(Layer.provide(HttpTransport.layer))
 *
 * Effect.runPromise(Persons.list({ limit: 5 }).pipe(Effect.provide(Pipedrive)))
 * ```
 *
 * @module
 */
import * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as Data from "effect/Data"
import * as Deferred from "effect/Deferred"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Encoding from "effect/Encoding"
import * as Exit from "effect/Exit"
import * as FiberId from "effect/FiberId"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Redacted from "effect/Redacted"
import * as Ref from "effect/Ref"
import * as Schema from "effect/Schema"
import type * as Scope from "effect/Scope"
import * as PipedriveClient from "./PipedriveClient.ts"
import * as PipedriveConfig from "./PipedriveConfig.ts"
import { type ConfigurationError, Decode, type PipedriveError, Transport, Unauthorized } from "./PipedriveError.ts"

/** Pipedrive's token and refresh URL (openapi-v2.yaml, `securitySchemes.oauth2`). */
export const defaultTokenUrl = "https://oauth.pipedrive.com/oauth/token"

/** How long before its expiry an access token is replaced (unless it lives less than twice this). */
export const defaultRefreshMargin: Duration.Duration = Duration.seconds(60)

/** The operation name the token endpoint's errors and span carry. */
export const refreshOperation = "refreshOAuthToken"

/**
 * The token endpoint's answer: `{ access_token, token_type: "Bearer", refresh_token, scope,
 * expires_in, api_domain }`. Only `access_token` is required; a missing `refresh_token` keeps the
 * old one, a missing `api_domain` keeps the configured origin.
 */
export const TokenResponse: Schema.Struct<{
  access_token: Schema.Redacted<typeof Schema.NonEmptyTrimmedString>
  token_type: Schema.optionalWith<Schema.NullOr<typeof Schema.String>, {
    nullable: true
  }>
  refresh_token: Schema.optionalWith<Schema.NullOr<Schema.Redacted<typeof Schema.NonEmptyTrimmedString>>, {
    nullable: true
  }>
  scope: Schema.optionalWith<Schema.NullOr<typeof Schema.String>, {
    nullable: true
  }>
  /** Seconds the access token lives (Pipedrive: 3599). */
  expires_in: Schema.optionalWith<Schema.NullOr<typeof Schema.NonNegative>, {
    nullable: true
  }>
  api_domain: Schema.optionalWith<Schema.NullOr<typeof Schema.String>, {
    nullable: true
  }>
}> = Schema.Struct({
  access_token: Schema.Redacted(Schema.NonEmptyTrimmedString),
  token_type: Schema.optionalWith(Schema.NullOr(Schema.String), { nullable: true }),
  refresh_token: Schema.optionalWith(Schema.NullOr(Schema.Redacted(Schema.NonEmptyTrimmedString)), { nullable: true }),
  scope: Schema.optionalWith(Schema.NullOr(Schema.String), { nullable: true }),
  /** Seconds the access token lives (Pipedrive: 3599). */
  expires_in: Schema.optionalWith(Schema.NullOr(Schema.NonNegative), { nullable: true }),
  api_domain: Schema.optionalWith(Schema.NullOr(Schema.String), { nullable: true })
})

/** The decoded `TokenResponse`. */
export type TokenResponse = typeof TokenResponse.Type

/** The tokens the client holds after a refresh: what `onTokens` receives, to save the refresh token. */
export interface Tokens {
  readonly accessToken: Redacted.Redacted<string>
  /** The refresh token to use next time: Pipedrive may have rotated it. */
  readonly refreshToken: Redacted.Redacted<string>
  /** When the access token expires, in epoch milliseconds of the `Clock`; `undefined` when not known. */
  readonly expiresAt: number | undefined
  /** The origin Pipedrive said to send requests to, e.g. `https://acme.pipedrive.com`. */
  readonly apiDomain: string | undefined
  readonly scope: string | undefined
}

/** Settings of `make` / `layer`: the app's credentials, the tokens to start from, and the client's settings. */
export interface Options extends Omit<PipedriveClient.Options, "apiToken" | "auth"> {
  /** The app's client id (Developer Hub → the app → OAuth & access scopes). */
  readonly clientId: string
  readonly clientSecret: Redacted.Redacted<string>
  /** The refresh token from the app's authorisation (or from the last `onTokens`). */
  readonly refreshToken: Redacted.Redacted<string>
  /** An access token to start with; without it the first request refreshes first. */
  readonly accessToken?: Redacted.Redacted<string> | undefined
  /** When `accessToken` expires (epoch milliseconds); unknown: it is used until a 401. */
  readonly accessTokenExpiresAt?: number | undefined
  /** Default `defaultTokenUrl`; `https:` only, except to a loopback host (the sandbox). */
  readonly tokenUrl?: string | undefined
  /** Refresh this long before expiry (default 60 seconds). */
  readonly refreshMargin?: Duration.DurationInput | undefined
  /**
   * Runs after every refresh, before any request uses the new tokens: save `refreshToken` here.
   * Handle your own failures; a defect is logged (without the tokens) and the refresh still counts.
   */
  readonly onTokens?: ((tokens: Tokens) => Effect.Effect<void>) | undefined
}

/** The OAuth state of a running client. */
export interface Service {
  /** What `PipedriveClient` authenticates with. */
  readonly auth: PipedriveClient.Auth
  /** The tokens held now; `None` before the first refresh when no access token was given. */
  readonly tokens: Effect.Effect<Option.Option<Tokens>>
  /** Refreshes now (or joins the refresh under way) and returns the new tokens. */
  readonly refresh: Effect.Effect<Tokens, PipedriveError>
}

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const OAuthBase: Context.TagClass<OAuth, "@pipedrive-effect/core/OAuth", Service> =
  Context.Tag("@pipedrive-effect/core/OAuth")<OAuth, Service>()
/** The `OAuth` service tag, provided by `layer` next to the `PipedriveClient`. */
export class OAuth extends OAuthBase {}

/** A refusal no later refresh can fix; kept apart from the errors worth asking again for. */
class Terminal extends Data.TaggedError("Terminal")<{ readonly error: Unauthorized }> {}

interface State {
  readonly accessToken: Redacted.Redacted<string> | undefined
  readonly refreshToken: Redacted.Redacted<string>
  readonly expiresAt: number | undefined
  /** When to refresh ahead of expiry. */
  readonly refreshAt: number | undefined
  readonly apiDomain: string | undefined
  readonly scope: string | undefined
  /** Built once per access token: `renew` tells by identity whether a 401 was for the current one. */
  readonly credentials: PipedriveClient.Credentials | undefined
  readonly refreshing: Deferred.Deferred<State, PipedriveError> | undefined
  /** A failure no refresh can fix: every later request fails with it, without asking again. */
  readonly failed: PipedriveError | undefined
}

const tokensOf = (state: State): Option.Option<Tokens> =>
  state.accessToken === undefined ? Option.none() : Option.some({
    accessToken: state.accessToken,
    refreshToken: state.refreshToken,
    expiresAt: state.expiresAt,
    apiDomain: state.apiDomain,
    scope: state.scope
  })

const bearer = (accessToken: Redacted.Redacted<string>, baseUrl: string | undefined): PipedriveClient.Credentials => ({
  ...(baseUrl === undefined ? {} : { baseUrl }),
  headers: { authorization: Redacted.make(`Bearer ${Redacted.value(accessToken)}`) }
})

/** Which parts of the token response are wrong, without their values (they may be tokens). */
const describeDecodeError = (error: ParseResult.ParseError): string => {
  const paths = ParseResult.ArrayFormatter.formatErrorSync(error).map((issue) =>
    issue.path.length === 0 ? "(body)" : issue.path.map(String).join(".")
  )
  return `the token response is malformed at: ${[...new Set(paths)].join(", ")}`
}

const errorCode = (text: string): string | undefined => {
  try {
    const json: unknown = JSON.parse(text)
    if (typeof json === "object" && json !== null && "error" in json && typeof json.error === "string") return json.error
  } catch {
    // not JSON
  }
  return undefined
}

/**
 * Builds the OAuth state and its `Auth`. Refreshes run in fibers of the scope, so a caller that is
 * interrupted does not leave the others waiting on a refresh nobody finishes.
 */
export const make = (
  options: Options
): Effect.Effect<Service, ConfigurationError, HttpClient.HttpClient | Scope.Scope> =>
  Effect.gen(function*() {
    const tokenUrl = yield* Either.match(
      PipedriveConfig.checkUrl(options.tokenUrl ?? defaultTokenUrl, "PIPEDRIVE_OAUTH_TOKEN_URL"),
      { onLeft: Effect.fail, onRight: Effect.succeed }
    )
    // Validated here so a bad setting fails when the layer is built, not at the first refresh.
    yield* PipedriveConfig.baseUrl(options)
    const explicitBaseUrl = options.baseUrl !== undefined && options.baseUrl.trim() !== ""
    const margin = Duration.toMillis(Duration.decode(options.refreshMargin ?? defaultRefreshMargin))
    const timeout = Duration.decode(options.timeout ?? PipedriveConfig.defaultTimeout)
    const where = { operation: refreshOperation, method: "POST", path: new URL(tokenUrl).pathname }
    const basic = Redacted.make(
      `Basic ${Encoding.encodeBase64(`${options.clientId}:${Redacted.value(options.clientSecret)}`)}`
    )
    const http = (yield* HttpClient.HttpClient).pipe(HttpClient.withTracerDisabledWhen(() => true))
    const scope = yield* Effect.scope

    const initial = options.accessToken
    const ref = yield* Ref.make<State>({
      accessToken: initial,
      refreshToken: options.refreshToken,
      expiresAt: options.accessTokenExpiresAt,
      refreshAt: options.accessTokenExpiresAt === undefined ? undefined : options.accessTokenExpiresAt - margin,
      apiDomain: undefined,
      scope: undefined,
      credentials: initial === undefined ? undefined : bearer(initial, undefined),
      refreshing: undefined,
      failed: undefined
    })

    const rejected = (status: number, code: string | undefined): Unauthorized =>
      new Unauthorized({
        ...where,
        status,
        error: code === "invalid_grant"
          ? "the refresh token is invalid, expired or revoked (invalid_grant): re-authorise the app to get a new refresh token"
          : `the token endpoint refused the app's client id or secret (${code ?? `HTTP ${status}`}): check them, or re-authorise the app`,
        ...(code === undefined ? {} : { code })
      })

    const onResponse = (
      response: HttpClientResponse.HttpClientResponse
    ): Effect.Effect<TokenResponse, PipedriveError | Terminal> =>
      response.status === 200
        ? response.json.pipe(
          Effect.mapError(() => new Decode({ ...where, status: response.status, detail: "the token response is not JSON" })),
          Effect.flatMap(Schema.decodeUnknown(TokenResponse)),
          Effect.mapError((error) =>
            ParseResult.isParseError(error)
              ? new Decode({ ...where, status: response.status, detail: describeDecodeError(error) })
              : error
          )
        )
        : Effect.flatMap(Effect.orElseSucceed(response.text, () => ""), (text): Effect.Effect<never, PipedriveError | Terminal> => {
          const code = errorCode(text)
          // OAuth 2 (RFC 6749 §5.2): these mean the grant or the client is no good; asking again cannot help.
          if (response.status === 401 || code === "invalid_grant" || code === "invalid_client" || code === "unauthorized_client") {
            return Effect.fail(new Terminal({ error: rejected(response.status, code) }))
          }
          return Effect.flatMap(Clock.currentTimeMillis, (now) =>
            Effect.fail(PipedriveClient.statusError(where, response.status, response.headers, text, now)))
        })

    const callTokenEndpoint = (refreshToken: Redacted.Redacted<string>) =>
      HttpClientRequest.post(tokenUrl).pipe(
        HttpClientRequest.acceptJson,
        HttpClientRequest.setHeader("authorization", Redacted.value(basic)),
        HttpClientRequest.bodyUrlParams({ grant_type: "refresh_token", refresh_token: Redacted.value(refreshToken) }),
        http.execute,
        Effect.mapError((error: HttpClientError.HttpClientError) => PipedriveClient.transportError(where, error)),
        Effect.flatMap(onResponse),
        Effect.timeoutFail({
          duration: timeout,
          onTimeout: () => new Transport({ ...where, reason: "Timeout", detail: `no token response within ${Duration.format(timeout)}` })
        }),
        Effect.withSpan(`Pipedrive.${refreshOperation}`, {
          kind: "client",
          attributes: { "pipedrive.operation": refreshOperation, "http.request.method": "POST", "url.path": where.path }
        }),
        PipedriveClient.withRedactedHeaders
      )

    /** One refresh: ask, save through `onTokens`, then publish the new state to every waiter. */
    const runRefresh = (from: State, deferred: Deferred.Deferred<State, PipedriveError>) =>
      Effect.gen(function*() {
        const requestedAt = yield* Clock.currentTimeMillis
        const exit = yield* Effect.exit(callTokenEndpoint(from.refreshToken))
        let next: State
        let result: Exit.Exit<State, PipedriveError>
        if (Exit.isSuccess(exit)) {
          const body = exit.value
          const ttl = body.expires_in == null ? undefined : body.expires_in * 1000
          const expiresAt = ttl === undefined ? undefined : requestedAt + ttl
          const apiDomain = body.api_domain == null || body.api_domain.trim() === "" ? undefined : body.api_domain
          const checked = apiDomain === undefined ? Either.right(undefined) : PipedriveConfig.checkUrl(apiDomain, "api_domain")
          const tokens: Tokens = {
            accessToken: body.access_token,
            refreshToken: body.refresh_token ?? from.refreshToken,
            expiresAt,
            apiDomain: Either.getOrUndefined(checked),
            scope: body.scope ?? undefined
          }
          // Saved even when api_domain is refused below: the old refresh token may be spent already.
          if (options.onTokens !== undefined) {
            yield* options.onTokens(tokens).pipe(
              Effect.catchAllCause(() => Effect.logWarning("Pipedrive OAuth: onTokens failed; the new refresh token may not be saved"))
            )
          }
          next = {
            ...tokens,
            refreshAt: expiresAt === undefined || ttl === undefined ? undefined : expiresAt - Math.min(margin, ttl / 2),
            credentials: bearer(tokens.accessToken, explicitBaseUrl ? undefined : tokens.apiDomain),
            refreshing: undefined,
            // A token endpoint that sends us to a plain-http host would have the token sent in the clear.
            failed: Either.isLeft(checked)
              ? new Decode({ ...where, status: 200, detail: `api_domain refused: ${checked.left.detail}` })
              : undefined
          }
          result = next.failed === undefined ? Exit.succeed(next) : Exit.fail(next.failed)
          yield* Effect.logDebug("Pipedrive OAuth: access token refreshed").pipe(
            Effect.annotateLogs({ expiresAt: expiresAt === undefined ? "unknown" : new Date(expiresAt).toISOString() })
          )
        } else {
          const failure = Cause.failureOption(exit.cause)
          const terminal = Option.isSome(failure) && failure.value._tag === "Terminal" ? failure.value.error : undefined
          next = { ...from, refreshing: undefined, failed: terminal }
          result = Exit.failCause(Cause.map(exit.cause, (error) => error._tag === "Terminal" ? error.error : error))
        }
        yield* Ref.set(ref, next)
        yield* Deferred.done(deferred, result)
      })

    /** Refreshes unless `stale` is no longer current (someone refreshed since); joins one under way. */
    const refreshFrom = (stale: PipedriveClient.Credentials | undefined): Effect.Effect<State, PipedriveError> =>
      Effect.flatten(Ref.modify(ref, (state): [Effect.Effect<State, PipedriveError>, State] => {
        if (state.failed !== undefined) return [Effect.fail(state.failed), state]
        if (state.refreshing !== undefined) return [Deferred.await(state.refreshing), state]
        if (state.credentials !== stale) return [Effect.succeed(state), state]
        const deferred = Deferred.unsafeMake<State, PipedriveError>(FiberId.none)
        return [
          Effect.zipRight(
            Effect.forkIn(Effect.onInterrupt(runRefresh(state, deferred), () => Deferred.interrupt(deferred)), scope),
            Deferred.await(deferred)
          ),
          { ...state, refreshing: deferred }
        ]
      }))

    const credentialsOf = (state: State): Effect.Effect<PipedriveClient.Credentials, PipedriveError> =>
      state.credentials === undefined
        ? Effect.fail(new Unauthorized({ ...where, status: 200, error: "the token endpoint returned no access token" }))
        : Effect.succeed(state.credentials)

    const credentials: Effect.Effect<PipedriveClient.Credentials, PipedriveError> = Effect.gen(function*() {
      const state = yield* Ref.get(ref)
      if (state.failed !== undefined) return yield* Effect.fail(state.failed)
      const now = yield* Clock.currentTimeMillis
      if (state.credentials !== undefined && (state.refreshAt === undefined || now < state.refreshAt)) {
        return state.credentials
      }
      return yield* credentialsOf(yield* refreshFrom(state.credentials))
    })

    const auth: PipedriveClient.Auth = {
      credentials,
      renew: (rejectedCredentials) => Effect.as(refreshFrom(rejectedCredentials), true)
    }

    const refresh = Effect.gen(function*() {
      const state = yield* refreshFrom((yield* Ref.get(ref)).credentials)
      return yield* Option.match(tokensOf(state), {
        onNone: () => Effect.fail(new Unauthorized({ ...where, status: 200, error: "the token endpoint returned no access token" })),
        onSome: Effect.succeed
      })
    })

    return OAuth.of({ auth, tokens: Effect.map(Ref.get(ref), tokensOf), refresh })
  })

/**
 * The options of `PipedriveClient.make` among `options`: all but OAuth's own, passed on whole (a
 * rest, not a copy field by field), so an option added to the client cannot be dropped here.
 */
const clientOptions = (options: Options): Omit<PipedriveClient.Options, "apiToken" | "auth"> => {
  const {
    accessToken: _accessToken,
    accessTokenExpiresAt: _accessTokenExpiresAt,
    clientId: _clientId,
    clientSecret: _clientSecret,
    onTokens: _onTokens,
    refreshMargin: _refreshMargin,
    refreshToken: _refreshToken,
    tokenUrl: _tokenUrl,
    ...client
  } = options
  return client
}

/**
 * A `PipedriveClient` that authenticates with OAuth, and the `OAuth` service beside it. Requires an
 * `HttpClient`, used for both the API and the token endpoint.
 */
export const layer = (
  options: Options
): Layer.Layer<OAuth | PipedriveClient.PipedriveClient, ConfigurationError, HttpClient.HttpClient> =>
  Layer.scopedContext(
    Effect.gen(function*() {
      const oauth = yield* make(options)
      const client = yield* PipedriveClient.make({ ...clientOptions(options), auth: oauth.auth })
      return Context.make(OAuth, oauth).pipe(Context.add(PipedriveClient.PipedriveClient, client))
    })
  )

/** What `config` reads from the environment. */
export type ConfigOptions = Pick<
  Options,
  "clientId" | "clientSecret" | "refreshToken" | "accessToken" | "tokenUrl" | "companyDomain" | "baseUrl" | "timeout"
>

/**
 * What `layerConfig` takes beside its `Config`: every option of `layer` the environment does not
 * hold (`onTokens`, `refreshMargin`, `accessTokenExpiresAt`, `transformClient`, `maxResponseBytes`,
 * and any added later), derived from `Options` so none can be left out.
 */
export type LayerConfigOptions = Omit<Options, keyof ConfigOptions>

const optional = <A>(config: Config.Config<A>) => Config.option(config).pipe(Config.map(Option.getOrUndefined))

/**
 * The environment: `PIPEDRIVE_OAUTH_CLIENT_ID`, `PIPEDRIVE_OAUTH_CLIENT_SECRET`,
 * `PIPEDRIVE_OAUTH_REFRESH_TOKEN` (required; the secret and tokens redacted), optional
 * `PIPEDRIVE_OAUTH_ACCESS_TOKEN` and `PIPEDRIVE_OAUTH_TOKEN_URL`, and the shared
 * `PIPEDRIVE_COMPANY_DOMAIN`, `PIPEDRIVE_BASE_URL`, `PIPEDRIVE_TIMEOUT`.
 */
export const config: Config.Config<ConfigOptions> = Config.all({
  clientId: Config.nonEmptyString("PIPEDRIVE_OAUTH_CLIENT_ID"),
  clientSecret: Config.redacted(Config.nonEmptyString("PIPEDRIVE_OAUTH_CLIENT_SECRET")),
  refreshToken: Config.redacted(Config.nonEmptyString("PIPEDRIVE_OAUTH_REFRESH_TOKEN")),
  accessToken: optional(Config.redacted(Config.nonEmptyString("PIPEDRIVE_OAUTH_ACCESS_TOKEN"))),
  tokenUrl: optional(Config.nonEmptyString("PIPEDRIVE_OAUTH_TOKEN_URL")),
  connection: PipedriveConfig.connectionConfig
}).pipe(Config.map(({ connection, ...oauth }): ConfigOptions => ({ ...oauth, ...connection })))

/**
 * `layer` from `Config` (by default `config`, the environment), with the options given here.
 *
 * @example
 * ```ts
 * import { HttpTransport, OAuth } from "@pipedrive-effect/core"
 * import { Effect, Layer, Redacted } from "effect"
 * import { writeFileSync } from "node:fs"
 *
 * const Pipedrive = OAuth.layerConfig(OAuth.config, {
 *   onTokens: (tokens) => Effect.sync(() => writeFileSync(".refresh-token", Redacted.value(tokens.refreshToken)))
 * }).pipe(Layer.provide(HttpTransport.layer))
 * ```
 */
export const layerConfig = (
  settings: Config.Config<ConfigOptions> = config,
  options: LayerConfigOptions = {}
): Layer.Layer<
  OAuth | PipedriveClient.PipedriveClient,
  ConfigurationError | ConfigError.ConfigError,
  HttpClient.HttpClient
> => Layer.unwrapEffect(Effect.map(settings, (fromConfig) => layer({ ...fromConfig, ...options })))
