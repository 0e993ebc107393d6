/**
 * Who may call the sandbox: the requests Pipedrive would accept with the company's API token.
 *
 * The token is read where Pipedrive reads it: the `x-api-token` header, else the legacy `api_token`
 * query parameter. An `Authorization: Bearer` header (OAuth) is recognised but has no valid token
 * yet; accepting OAuth access tokens means adding a case to `accepts`.
 */
import type { Headers } from "@effect/platform"
import { Effect } from "effect"
import { Unauthorized } from "./ApiError.ts"

/** A credential presented by a request. */
export type Credential =
  | { readonly _tag: "ApiToken"; readonly token: string }
  | { readonly _tag: "Bearer"; readonly token: string }

/** The credential a request presents, if any; the header wins over the query parameter. */
export const credentialOf = (headers: Headers.Headers, params: URLSearchParams): Credential | undefined => {
  const header = headers["x-api-token"]
  if (header !== undefined && header !== "") return { _tag: "ApiToken", token: header }
  const query = params.get("api_token")
  if (query !== null && query !== "") return { _tag: "ApiToken", token: query }
  const authorization = headers["authorization"]
  const bearer = authorization === undefined ? null : /^Bearer\s+(\S+)\s*$/i.exec(authorization)
  if (bearer !== null && bearer[1] !== undefined) return { _tag: "Bearer", token: bearer[1] }
  return undefined
}

/** Whether the sandbox accepts a credential. */
export const accepts = (credential: Credential, options: { readonly apiToken: string }): boolean => {
  switch (credential._tag) {
    case "ApiToken":
      return credential.token === options.apiToken
    case "Bearer":
      return false
  }
}

/** Fails with `Unauthorized` unless the request carries an accepted credential. */
export const verify = (
  headers: Headers.Headers,
  params: URLSearchParams,
  options: { readonly apiToken: string }
): Effect.Effect<void, Unauthorized> => {
  const credential = credentialOf(headers, params)
  return credential !== undefined && accepts(credential, options) ? Effect.void : Effect.fail(new Unauthorized())
}
