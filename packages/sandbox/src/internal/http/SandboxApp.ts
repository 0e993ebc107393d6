/**
 * The sandbox's HTTP application: authentication, the resource routes, and Pipedrive's error
 * bodies for everything that goes wrong, so no request ever gets a non-Pipedrive answer.
 *
 * Routes live in one module per resource and API version; adding a resource means adding its
 * router to `routers`.
 */
import { HttpIncomingMessage, HttpRouter, HttpServerRequest, type HttpServerResponse } from "@effect/platform"
import { Cause, Console, Effect, Option, type Scope } from "effect"
import { internalError, NotFound, toResponse, versionOf } from "./ApiError.ts"
import * as Auth from "./Auth.ts"
import type * as SandboxOAuth from "./OAuth.ts"
import type { PersonStore } from "../../PersonStore.ts"
import * as PersonRelations from "../routes/PersonRelations.ts"
import * as PersonFields from "../routes/PersonFields.ts"
import * as PersonsV1 from "../routes/PersonsV1.ts"
import * as PersonsV1Collection from "../routes/PersonsV1Collection.ts"
import * as PersonsV1Writes from "../routes/PersonsV1Writes.ts"
import * as PersonsV2 from "../routes/PersonsV2.ts"
import * as QueryParams from "./QueryParams.ts"
import * as Recents from "../routes/Recents.ts"
import * as Search from "../routes/Search.ts"
import * as Traffic from "../traffic/Traffic.ts"

/** What the application needs to know. */
export interface Options {
  /** The API token requests must present. */
  readonly token: string
  /** Tokens of users without global admin permissions (refused by the collection endpoints). */
  readonly regularTokens?: ReadonlyArray<string> | undefined
  /** The OAuth token endpoint (`POST /oauth/token`) and the access tokens it issued. */
  readonly oauth?: SandboxOAuth.Service | undefined
  /** Bodies larger than this are refused with 413. */
  readonly maxBodyBytes: number
  /** Log one line per request to stderr. */
  readonly verbose: boolean
  /** How far behind the store search answers, in ms (`SearchIndex.ts`); 0 when absent. */
  readonly searchLagMs?: number | undefined
  /** Rate limits and injected faults (`Traffic.ts`); none when absent. */
  readonly traffic?: Traffic.Options | undefined
}

/** Builds the application for a store; it lives (with its pages built ahead) until the scope closes. */
export const make = (
  options: Options
): Effect.Effect<
  Effect.Effect<HttpServerResponse.HttpServerResponse, never, HttpServerRequest.HttpServerRequest | PersonStore>,
  never,
  PersonStore | Scope.Scope
> =>
  Effect.gen(function*() {
    const routers = [
      yield* PersonsV2.router,
      yield* PersonsV1.router,
      yield* PersonFields.router,
      yield* Search.router({ lagMillis: options.searchLagMs }),
      yield* Recents.router,
      yield* PersonsV1Writes.router,
      yield* PersonsV1Collection.router,
      yield* PersonRelations.router
    ]
    const routes = yield* HttpRouter.toHttpApp(HttpRouter.concatAll(...routers))

    const handle = Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      // The token endpoint authenticates the app (Basic auth), not a user: before the API token check.
      if (options.oauth !== undefined && request.method === "POST" && pathOf(request.url) === "/oauth/token") {
        return yield* options.oauth.handleToken
      }
      const caller = yield* Auth.verify(request.headers, QueryParams.fromUrl(request.url), {
        apiToken: options.token,
        regularTokens: options.regularTokens,
        bearer: options.oauth?.acceptsAccessToken
      })
      return yield* Effect.provideService(routes, Auth.CurrentCaller, caller)
    }).pipe(
      Effect.catchTag("RouteNotFound", (error) =>
        Effect.fail(new NotFound({ error: `Unknown route: ${error.request.method} ${pathOf(error.request.url)}` }))),
      HttpIncomingMessage.withMaxBodySize(Option.some(options.maxBodyBytes)),
      Effect.catchAll((error) =>
        Effect.map(HttpServerRequest.HttpServerRequest, (request) => toResponse(error, versionOf(request.url)))),
      Effect.catchAllCause((cause) =>
        Effect.gen(function*() {
          const request = yield* HttpServerRequest.HttpServerRequest
          // An interruption is a client that hung up: nobody is left to read the 500.
          if (!Cause.isInterruptedOnly(cause)) {
            yield* Effect.logError(`${request.method} ${redact(request.url)} failed`, cause)
          }
          return internalError(versionOf(request.url))
        }))
    )

    const guarded = Traffic.guard(handle, options.traffic ?? {}, {
      apiToken: options.token,
      regularTokens: options.regularTokens,
      bearer: options.oauth?.acceptsAccessToken
    })
    if (!options.verbose) return guarded
    return Effect.gen(function*() {
      const request = yield* HttpServerRequest.HttpServerRequest
      const started = Date.now()
      const response = yield* guarded
      yield* Console.error(`${request.method} ${redact(request.url)} ${response.status} ${Date.now() - started}ms`)
      return response
    })
  })

const pathOf = (url: string) => {
  const question = url.indexOf("?")
  return question === -1 ? url : url.slice(0, question)
}

/** The URL with the `api_token` query value hidden, for logs. */
export const redact = (url: string): string => url.replace(/([?&]api_token=)[^&]*/gi, "$1***")
