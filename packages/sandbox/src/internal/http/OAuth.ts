/**
 * Pipedrive's OAuth token endpoint, `POST /oauth/token`, and the access tokens it issues.
 *
 * Like `https://oauth.pipedrive.com/oauth/token`: a form body (`grant_type=refresh_token&refresh_token=…`
 * or `grant_type=authorization_code&code=…`), the app's client id and secret as HTTP Basic auth (or as
 * `client_id`/`client_secret` form fields, which OAuth 2 also allows). The answer is
 * `{ access_token, token_type: "Bearer", refresh_token, scope, expires_in, api_domain }`, with
 * `api_domain` the sandbox's own origin. Each refresh rotates the refresh token (the old one stops
 * working); access tokens expire on the sandbox's `Clock`, so a `TestClock` decides when.
 *
 * Errors follow OAuth 2 (RFC 6749 §5.2): 401 `invalid_client` for wrong client credentials, 400
 * `invalid_grant` for an unknown, used or revoked refresh token or code.
 */
import { HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Buffer } from "node:buffer"
import { Clock, Effect, Ref } from "effect"
import { json } from "./Envelope.ts"

/** The OAuth app the sandbox knows; every field has a default. */
export interface Options {
  /** Default `"sandbox-client-id"`. */
  readonly clientId?: string
  /** Default `"sandbox-client-secret"`. */
  readonly clientSecret?: string
  /** The refresh token valid at start. Default `"sandbox-refresh-token"`. */
  readonly refreshToken?: string
  /** An authorization code valid once at start. Default `"sandbox-authorization-code"`. */
  readonly authorizationCode?: string
  /** `expires_in` of issued access tokens. Default 3599, as Pipedrive sends. */
  readonly accessTokenTtlSeconds?: number
  /** Issue a new refresh token on every refresh (and revoke the old). Default true. */
  readonly rotateRefreshTokens?: boolean
  /** The `scope` issued tokens carry. Default `"base contacts:full"`. */
  readonly scope?: string
}

/** Defaults of `Options`. */
export const DEFAULTS = {
  clientId: "sandbox-client-id",
  clientSecret: "sandbox-client-secret",
  refreshToken: "sandbox-refresh-token",
  authorizationCode: "sandbox-authorization-code",
  accessTokenTtlSeconds: 3599,
  scope: "base contacts:full"
} as const

/** The token endpoint and the test hooks around it. */
export interface Service {
  readonly clientId: string
  readonly clientSecret: string
  /** `POST /oauth/token`. */
  readonly handleToken: Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest>
  /** Whether an access token was issued here, is not revoked, and has not expired on the `Clock`. */
  readonly acceptsAccessToken: (token: string) => Effect.Effect<boolean>
  /** How many refreshes (`grant_type=refresh_token`) succeeded. */
  readonly refreshCount: Effect.Effect<number>
  /** How many requests reached the token endpoint, whatever their outcome. */
  readonly tokenRequests: Effect.Effect<number>
  /** The refresh tokens that work now (after rotation, just the latest). */
  readonly refreshTokens: Effect.Effect<ReadonlyArray<string>>
  /** Revokes a refresh token: the next refresh with it gets 400 `invalid_grant`. */
  readonly revokeRefreshToken: (token: string) => Effect.Effect<void>
  /** Revokes every access token issued so far: the next API request with one gets 401. */
  readonly revokeAccessTokens: Effect.Effect<void>
}

interface State {
  readonly refreshTokens: ReadonlySet<string>
  readonly codes: ReadonlySet<string>
  /** Access token → expiry, epoch milliseconds. */
  readonly accessTokens: ReadonlyMap<string, number>
  readonly issued: number
  readonly refreshes: number
  readonly requests: number
}

const oauthError = (status: number, error: string, description: string) =>
  json(status, { error, error_description: description })

/** Client credentials from `Authorization: Basic …`, else from the form. */
const clientOf = (authorization: string | undefined, form: URLSearchParams) => {
  const basic = authorization === undefined ? null : /^Basic\s+(\S+)\s*$/i.exec(authorization)
  if (basic !== null && basic[1] !== undefined) {
    const decoded = Buffer.from(basic[1], "base64").toString("utf8")
    const colon = decoded.indexOf(":")
    if (colon !== -1) return { id: decoded.slice(0, colon), secret: decoded.slice(colon + 1) }
  }
  const id = form.get("client_id")
  const secret = form.get("client_secret")
  return id !== null && secret !== null ? { id, secret } : undefined
}

/** The endpoint for an app; `apiDomain` is what token responses name as `api_domain`. */
export const make = (options: Options, apiDomain: string): Effect.Effect<Service> =>
  Effect.gen(function*() {
    const clientId = options.clientId ?? DEFAULTS.clientId
    const clientSecret = options.clientSecret ?? DEFAULTS.clientSecret
    const ttl = options.accessTokenTtlSeconds ?? DEFAULTS.accessTokenTtlSeconds
    const rotate = options.rotateRefreshTokens ?? true
    const scope = options.scope ?? DEFAULTS.scope
    const state = yield* Ref.make<State>({
      refreshTokens: new Set([options.refreshToken ?? DEFAULTS.refreshToken]),
      codes: new Set([options.authorizationCode ?? DEFAULTS.authorizationCode]),
      accessTokens: new Map(),
      issued: 0,
      refreshes: 0,
      requests: 0
    })

    /** Issues an access token (and a new refresh token when `spent` is to be replaced). */
    const issue = (spent: { readonly refreshToken?: string; readonly code?: string }) =>
      Effect.flatMap(Clock.currentTimeMillis, (now) =>
        Ref.modify(state, (s) => {
          const n = s.issued + 1
          const accessToken = `sandbox-access-token-${n}`
          const keep = spent.refreshToken !== undefined && !rotate
          const refreshToken = keep ? spent.refreshToken! : `sandbox-refresh-token-${n}`
          const refreshTokens = new Set(s.refreshTokens)
          if (spent.refreshToken !== undefined) refreshTokens.delete(spent.refreshToken)
          refreshTokens.add(refreshToken)
          const codes = new Set(s.codes)
          if (spent.code !== undefined) codes.delete(spent.code)
          const next: State = {
            ...s,
            issued: n,
            refreshTokens,
            codes,
            accessTokens: new Map(s.accessTokens).set(accessToken, now + ttl * 1000),
            refreshes: s.refreshes + (spent.refreshToken === undefined ? 0 : 1)
          }
          return [
            json(200, { access_token: accessToken, token_type: "Bearer", refresh_token: refreshToken, scope, expires_in: ttl, api_domain: apiDomain }),
            next
          ]
        }))

    const handleToken = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      yield* Ref.update(state, (s) => ({ ...s, requests: s.requests + 1 }))
      const text = yield* Effect.orElseSucceed(request.text, () => "")
      const form = new URLSearchParams(text)
      const client = clientOf(request.headers["authorization"], form)
      if (client === undefined || client.id !== clientId || client.secret !== clientSecret) {
        return oauthError(401, "invalid_client", "Client authentication failed")
      }
      const current = yield* Ref.get(state)
      switch (form.get("grant_type")) {
        case "refresh_token": {
          const refreshToken = form.get("refresh_token")
          if (refreshToken === null || refreshToken === "") {
            return oauthError(400, "invalid_request", "Missing parameter: refresh_token")
          }
          if (!current.refreshTokens.has(refreshToken)) {
            return oauthError(400, "invalid_grant", "Invalid grant: refresh token is invalid")
          }
          return yield* issue({ refreshToken })
        }
        case "authorization_code": {
          const code = form.get("code")
          if (code === null || !current.codes.has(code)) {
            return oauthError(400, "invalid_grant", "Invalid grant: authorization code is invalid")
          }
          return yield* issue({ code })
        }
        case null:
          return oauthError(400, "invalid_request", "Missing parameter: grant_type")
        default:
          return oauthError(400, "unsupported_grant_type", "Unsupported grant type")
      }
    })

    return {
      clientId,
      clientSecret,
      handleToken,
      acceptsAccessToken: (token) =>
        Effect.flatMap(Clock.currentTimeMillis, (now) =>
          Effect.map(Ref.get(state), (s) => {
            const expiresAt = s.accessTokens.get(token)
            return expiresAt !== undefined && now < expiresAt
          })),
      refreshCount: Effect.map(Ref.get(state), (s) => s.refreshes),
      tokenRequests: Effect.map(Ref.get(state), (s) => s.requests),
      refreshTokens: Effect.map(Ref.get(state), (s) => [...s.refreshTokens]),
      revokeRefreshToken: (token) =>
        Ref.update(state, (s) => {
          const refreshTokens = new Set(s.refreshTokens)
          refreshTokens.delete(token)
          return { ...s, refreshTokens }
        }),
      revokeAccessTokens: Ref.update(state, (s) => ({ ...s, accessTokens: new Map() }))
    }
  })
