/**
 * The token endpoint over the wire: form bodies and Basic auth, rotation, OAuth 2's error bodies,
 * and access tokens that work as Bearer credentials until they expire on the sandbox's `Clock`.
 */
import { describe, expect, it } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Effect, TestClock } from "effect"

const app = { clientId: "app-id", clientSecret: "app-secret", refreshToken: "rt-0", accessTokenTtlSeconds: 100 }
const basic = (id: string, secret: string) => `Basic ${Buffer.from(`${id}:${secret}`).toString("base64")}`

interface TokenBody {
  readonly access_token: string
  readonly token_type: string
  readonly refresh_token: string
  readonly scope: string
  readonly expires_in: number
  readonly api_domain: string
  readonly error?: string
}

const token = (
  sandbox: PipedriveSandbox.Service,
  form: Record<string, string>,
  authorization: string | null = basic(app.clientId, app.clientSecret)
) =>
  Effect.promise(async () => {
    const response = await fetch(`${sandbox.url}/oauth/token`, {
      method: "POST",
      headers: {
        "content-type": "application/x-www-form-urlencoded",
        ...(authorization === null ? {} : { authorization })
      },
      body: new URLSearchParams(form).toString()
    })
    return { status: response.status, body: (await response.json()) as TokenBody }
  })

const persons = (sandbox: PipedriveSandbox.Service, accessToken: string) =>
  Effect.promise(async () =>
    (await fetch(`${sandbox.url}/api/v2/persons?limit=2`, { headers: { authorization: `Bearer ${accessToken}` } })).status
  )

describe("POST /oauth/token", () => {
  it.scoped("refreshes: Pipedrive's token response, api_domain the sandbox itself, the refresh token rotated", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, oauth: app })
      const first = yield* token(sandbox, { grant_type: "refresh_token", refresh_token: "rt-0" })
      expect(first.status).toBe(200)
      expect(first.body).toMatchObject({ token_type: "Bearer", expires_in: 100, api_domain: sandbox.url })
      expect(typeof first.body.scope).toBe("string")
      expect(first.body.refresh_token).not.toBe("rt-0")
      expect(yield* sandbox.oauth.refreshTokens).toEqual([first.body.refresh_token])
      expect(yield* persons(sandbox, first.body.access_token)).toBe(200)

      const reused = yield* token(sandbox, { grant_type: "refresh_token", refresh_token: "rt-0" })
      expect(reused).toMatchObject({ status: 400, body: { error: "invalid_grant" } })
      const second = yield* token(sandbox, { grant_type: "refresh_token", refresh_token: first.body.refresh_token })
      expect(second.status).toBe(200)
      expect(second.body.access_token).not.toBe(first.body.access_token)
      expect(yield* sandbox.oauth.refreshCount).toBe(2)
      expect(yield* sandbox.oauth.tokenRequests).toBe(3)
    }))

  it.scoped("refuses wrong client credentials with 401 invalid_client, and accepts them as form fields", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ oauth: app })
      expect(yield* token(sandbox, { grant_type: "refresh_token", refresh_token: "rt-0" }, basic(app.clientId, "nope")))
        .toMatchObject({ status: 401, body: { error: "invalid_client" } })
      expect(yield* token(sandbox, { grant_type: "refresh_token", refresh_token: "rt-0" }, null))
        .toMatchObject({ status: 401, body: { error: "invalid_client" } })
      const viaForm = yield* token(
        sandbox,
        { grant_type: "refresh_token", refresh_token: "rt-0", client_id: app.clientId, client_secret: app.clientSecret },
        null
      )
      expect(viaForm.status).toBe(200)
      expect(yield* sandbox.oauth.refreshCount).toBe(1)
    }))

  it.scoped("answers 400 invalid_grant for a revoked or unknown refresh token, and other grant errors", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ oauth: app })
      yield* sandbox.oauth.revokeRefreshToken("rt-0")
      expect(yield* token(sandbox, { grant_type: "refresh_token", refresh_token: "rt-0" }))
        .toMatchObject({ status: 400, body: { error: "invalid_grant" } })
      expect(yield* token(sandbox, { grant_type: "refresh_token", refresh_token: "made-up" }))
        .toMatchObject({ status: 400, body: { error: "invalid_grant" } })
      expect(yield* token(sandbox, { grant_type: "password" }))
        .toMatchObject({ status: 400, body: { error: "unsupported_grant_type" } })
      expect(yield* token(sandbox, {})).toMatchObject({ status: 400, body: { error: "invalid_request" } })
      expect(yield* sandbox.oauth.refreshCount).toBe(0)
    }))

  it.scoped("exchanges an authorization code once", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ oauth: { ...app, authorizationCode: "code-1" } })
      const exchanged = yield* token(sandbox, { grant_type: "authorization_code", code: "code-1", redirect_uri: "https://app.example.com/cb" })
      expect(exchanged.status).toBe(200)
      expect(yield* sandbox.oauth.refreshTokens).toContain(exchanged.body.refresh_token)
      expect(yield* token(sandbox, { grant_type: "authorization_code", code: "code-1" }))
        .toMatchObject({ status: 400, body: { error: "invalid_grant" } })
    }))
})

describe("Bearer access tokens", () => {
  it.scoped("work until they expire on the sandbox's Clock, or are revoked", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3, oauth: app })
      const issued = yield* token(sandbox, { grant_type: "refresh_token", refresh_token: "rt-0" })
      const access = issued.body.access_token
      expect(yield* persons(sandbox, access)).toBe(200)
      yield* TestClock.adjust("99 seconds")
      expect(yield* persons(sandbox, access)).toBe(200)
      yield* TestClock.adjust("1 second")
      expect(yield* persons(sandbox, access)).toBe(401)

      const renewed = yield* token(sandbox, { grant_type: "refresh_token", refresh_token: issued.body.refresh_token })
      expect(yield* persons(sandbox, renewed.body.access_token)).toBe(200)
      yield* sandbox.oauth.revokeAccessTokens
      expect(yield* persons(sandbox, renewed.body.access_token)).toBe(401)
      expect(yield* persons(sandbox, "never-issued")).toBe(401)
    }))

  it.scoped("the API token still works beside OAuth", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.start({ persons: 3 })
      const status = yield* Effect.promise(async () =>
        (await fetch(`${sandbox.url}/api/v2/persons`, { headers: { "x-api-token": sandbox.token } })).status
      )
      expect(status).toBe(200)
    }))
})
