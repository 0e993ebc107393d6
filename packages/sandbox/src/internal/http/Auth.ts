/**
 * Who may call the sandbox: the requests Pipedrive would accept with the company's API token.
 *
 * The token is read where Pipedrive reads it: the `x-api-token` header, else the legacy `api_token`
 * query parameter. An `Authorization: Bearer` header carries an OAuth access token, checked by
 * `Options.bearer` (the tokens `OAuth.ts` issued).
 */
import type { Headers } from "@effect/platform"
import { Context, Effect } from "effect"
import { Forbidden, Unauthorized } from "./ApiError.ts"

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

/**
 * The tokens the sandbox accepts. `apiToken` is a global admin's; `regularTokens` belong to users
 * with regular permissions, who may do everything but what Pipedrive keeps for global admins (the
 * collection endpoints answer them 403).
 */
export interface Options {
  readonly apiToken: string
  readonly regularTokens?: ReadonlyArray<string> | undefined
  /** Whether an OAuth access token is good now (`OAuth.Service.acceptsAccessToken`); its holder is an admin. */
  readonly bearer?: ((token: string) => Effect.Effect<boolean>) | undefined
}

/** Who is calling, as far as permissions go. */
export interface Caller {
  /** A global admin (Pipedrive's "global permissions"). */
  readonly admin: boolean
}

/** The caller of the request being handled; the app provides it to every route after `verify`. */
export class CurrentCaller extends Context.Tag("@pipedrive-effect/sandbox/Auth/CurrentCaller")<CurrentCaller, Caller>() {}

/** The caller a credential identifies, or `undefined` when the sandbox does not accept it. */
export const callerOf = (credential: Credential, options: Options): Caller | undefined => {
  switch (credential._tag) {
    case "ApiToken":
      if (credential.token === options.apiToken) return { admin: true }
      return options.regularTokens?.includes(credential.token) === true ? { admin: false } : undefined
    case "Bearer":
      return undefined
  }
}

/** Whether the sandbox accepts a credential. */
export const accepts = (credential: Credential, options: Options): boolean => callerOf(credential, options) !== undefined

/** Fails with `Forbidden` unless the caller is a global admin. */
export const requireAdmin: Effect.Effect<void, Forbidden, CurrentCaller> = Effect.flatMap(
  CurrentCaller,
  (caller) => (caller.admin ? Effect.void : Effect.fail(new Forbidden()))
)

/** The caller, or `Unauthorized` unless the request carries an accepted credential. */
export const verify = (
  headers: Headers.Headers,
  params: URLSearchParams,
  options: Options
): Effect.Effect<Caller, Unauthorized> => {
  const credential = credentialOf(headers, params)
  if (credential?._tag === "Bearer" && options.bearer !== undefined) {
    return Effect.flatMap(options.bearer(credential.token), (ok) => ok ? Effect.succeed({ admin: true }) : Effect.fail(new Unauthorized()))
  }
  const caller = credential === undefined ? undefined : callerOf(credential, options)
  return caller === undefined ? Effect.fail(new Unauthorized()) : Effect.succeed(caller)
}
