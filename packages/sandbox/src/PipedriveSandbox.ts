/**
 * A local Pipedrive-compatible HTTP server, as an Effect service.
 *
 * @example
 * ```ts
 * import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
 * import { layer } from "@effect/vitest"
 * import { Effect } from "effect"
 *
 * layer(PipedriveSandbox.layer({ persons: 1000 }))("my Pipedrive code", (it) => {
 *   it.effect("lists persons", () =>
 *     Effect.gen(function*() {
 *       const sandbox = yield* PipedriveSandbox.PipedriveSandbox
 *       const response = yield* Effect.promise(() =>
 *         fetch(`${sandbox.url}/api/v2/persons`, { headers: { "x-api-token": sandbox.token } })
 *       )
 *       // ...
 *     }))
 * })
 * ```
 *
 * @module
 */
import { createServer } from "node:http"
import { HttpServer } from "@effect/platform"
import type { ServeError } from "@effect/platform/HttpServerError"
import * as NodeHttpServer from "@effect/platform-node/NodeHttpServer"
import { Context, Effect, Layer, type Scope } from "effect"
import * as SandboxOAuth from "./internal/http/OAuth.ts"
import type * as Faults from "./internal/traffic/Faults.ts"
import type * as Latency from "./internal/traffic/Latency.ts"
import * as PersonStore from "./PersonStore.ts"
import * as SandboxApp from "./internal/http/SandboxApp.ts"
import * as Traffic from "./internal/traffic/Traffic.ts"

export type { Options as FaultOptions } from "./internal/traffic/Faults.ts"
export type { Latency } from "./internal/traffic/Latency.ts"
export type { Options as OAuthOptions, Service as OAuthService } from "./internal/http/OAuth.ts"

/** How to start a sandbox; every field has a default. */
export interface Options {
  /** How many persons to seed (ids `1 … persons`). Default 0: an empty company. */
  readonly persons?: number
  /** The seed persons are generated from. Default `"sandbox"`. */
  readonly seed?: string | number
  /** The API token requests must present. Default `"sandbox-token"`. */
  readonly token?: string
  /** More tokens, of users without global admin permissions: the collection endpoints answer them 403. */
  readonly regularTokens?: ReadonlyArray<string>
  /** The port on 127.0.0.1. Default 0: any free port. */
  readonly port?: number
  /** Bodies larger than this are refused with 413. Default 1 MiB. */
  readonly maxBodyBytes?: number
  /** Log one line per request to stderr. Default false. */
  readonly verbose?: boolean
  /** The OAuth app `POST /oauth/token` knows (client id and secret, the first refresh token, `expires_in`…). */
  readonly oauth?: SandboxOAuth.Options
  /**
   * Requests each token may make per rolling 2-second window, whatever they cost; over it, 429s (and
   * a 403 HTML page for a token that keeps sending). A positive integer. Default: no limit. See `RateLimit.ts`.
   */
  readonly rateLimit?: number
  /** Search requests each token may make per rolling 2 s (also counted in `rateLimit`). Default 10 with a `rateLimit`. */
  readonly searchRateLimit?: number
  /** Tokens of `x-token-cost` the company may spend per UTC day; then every request is 429 until midnight. Default: no limit. */
  readonly dailyBudget?: number
  /** Faults to inject, reproducibly from `faults.seed` (`Faults.ts`); rates 0–1 adding up to at most 1. Default: none. */
  readonly faults?: Faults.Options
  /**
   * How long every answer is held back, in ms: exactly `latencyMs`, or drawn uniformly from
   * `{ min, max }` (reproducibly from `seed`). Real Pipedrive takes 300–700 ms for a 500-person v2
   * list page and 100–400 ms for a write. Requests are still counted on arrival and processed right
   * after, in arrival order; only the answer waits (on Effect's `Clock`, without holding up other requests). Default: none.
   */
  readonly latencyMs?: Latency.Latency
  /**
   * How far behind the data search is, in ms: like Pipedrive's asynchronously updated index, the
   * search endpoints answer from the persons as they were `searchLagMs` ago (new ones missing,
   * changed ones with their old values, deleted ones still found). Lists and gets stay current.
   * Default 0: search is current.
   */
  readonly searchLagMs?: number
  /**
   * A share (0–1) of the seeded persons, one block of consecutive ids in the middle of the range,
   * that carry one and the same `update_time` second, as after a bulk update in Pipedrive.
   * Default 0: every seeded `update_time` differs.
   */
  readonly bulkUpdateShare?: number
}

/** The token used when none is given. */
export const DEFAULT_TOKEN = "sandbox-token"

/** A running sandbox. */
export interface Service {
  /** The origin to send requests to, e.g. `http://127.0.0.1:54321` (no trailing slash). */
  readonly url: string
  readonly port: number
  /** The API token it accepts (`x-api-token` header or `api_token` query parameter). */
  readonly token: string
  /** Its persons, to inspect or change directly from a test. */
  readonly store: PersonStore.Service
  /** The OAuth token endpoint: its client credentials, refresh count, and hooks to revoke tokens. */
  readonly oauth: SandboxOAuth.Service
}

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const PipedriveSandboxBase: Context.TagClass<PipedriveSandbox, "@pipedrive-effect/sandbox/PipedriveSandbox", Service> =
  Context.Tag("@pipedrive-effect/sandbox/PipedriveSandbox")<PipedriveSandbox, Service>()
/** The running sandbox as an Effect service. */
export class PipedriveSandbox extends PipedriveSandboxBase {}

/**
 * Starts a sandbox that serves until the scope closes.
 *
 * @example
 * ```ts
 * import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
 * import { Effect } from "effect"
 *
 * // Your code under test: anything that takes a base URL and a token.
 * declare const runMyExport: (baseUrl: string, token: string) => Effect.Effect<void>
 *
 * const program = Effect.scoped(
 *   Effect.gen(function*() {
 *     const sandbox = yield* PipedriveSandbox.start({ persons: 100 })
 *     yield* runMyExport(sandbox.url, sandbox.token)
 *   })
 * )
 * ```
 */
export const start = (options: Options = {}): Effect.Effect<Service, ServeError, Scope.Scope> =>
  Effect.gen(function*() {
    const traffic: Traffic.Options = {
      limits: { rateLimit: options.rateLimit, searchRateLimit: options.searchRateLimit, dailyBudget: options.dailyBudget },
      faults: options.faults,
      latency: options.latencyMs,
      seed: String(options.seed ?? "sandbox")
    }
    // Bad limits or fault rates die here, before anything listens, with a message naming the option.
    yield* Traffic.validate(traffic)
    const problem = optionProblem(options)
    if (problem !== undefined) return yield* Effect.dieMessage(`PipedriveSandbox: ${problem}`)
    const store = yield* PersonStore.make({
      persons: options.persons ?? 0,
      ...(options.seed === undefined ? {} : { seed: options.seed }),
      ...(options.bulkUpdateShare === undefined ? {} : { bulkUpdateShare: options.bulkUpdateShare })
    })
    const token = options.token ?? DEFAULT_TOKEN
    const nodeServer = createServer()
    const server = yield* NodeHttpServer.make(() => nodeServer, { host: "127.0.0.1", port: options.port ?? 0 })
    // Runs before the server's own close (finalizers run in reverse): a client's idle keep-alive
    // connection would otherwise hold `close()` open. Node closes idle connections itself; Deno's
    // node:http does not always, and the scope (the CLI demo, a test's layer) would never end.
    yield* Effect.addFinalizer(() => Effect.sync(() => nodeServer.closeAllConnections()))
    const port = server.address._tag === "TcpAddress" ? server.address.port : 0
    const url = `http://127.0.0.1:${port}`
    // The token endpoint names the sandbox itself as `api_domain`, so the port must be known first.
    const oauth = yield* SandboxOAuth.make(options.oauth ?? {}, url)
    const app = yield* SandboxApp.make({
      token,
      regularTokens: options.regularTokens,
      oauth,
      maxBodyBytes: options.maxBodyBytes ?? 1024 * 1024,
      verbose: options.verbose ?? false,
      searchLagMs: options.searchLagMs,
      traffic
    }).pipe(Effect.provideService(PersonStore.PersonStore, store))
    yield* HttpServer.serveEffect(app).pipe(
      Effect.provideService(HttpServer.HttpServer, server),
      Effect.provideService(PersonStore.PersonStore, store)
    )
    return { url, port, token, store, oauth }
  })

// The data options' checks; a sandbox that silently misread them would test the wrong thing.
const optionProblem = (options: Options): string | undefined => {
  const lag = options.searchLagMs
  if (lag !== undefined && !(Number.isSafeInteger(lag) && lag >= 0)) {
    return `searchLagMs must be a non-negative integer, got ${String(lag)}`
  }
  const share = options.bulkUpdateShare
  if (share !== undefined && !(typeof share === "number" && share >= 0 && share <= 1)) {
    return `bulkUpdateShare must be a number from 0 to 1, got ${String(share)}`
  }
  return undefined
}

/** A sandbox for the lifetime of the layer; also provides its `PersonStore`. */
export const layer = (
  options: Options = {}
): Layer.Layer<PipedriveSandbox | PersonStore.PersonStore, ServeError> =>
  Layer.scopedContext(
    Effect.map(start(options), (sandbox) =>
      Context.make(PipedriveSandbox, sandbox).pipe(Context.add(PersonStore.PersonStore, sandbox.store)))
  )
