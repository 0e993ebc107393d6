/**
 * The one way in to Pipedrive: a service that owns the whole HTTP pipeline (base URL, auth header,
 * envelope decoding, error mapping, timeout, rate limit, retry, spans). Endpoint modules (`Persons`, `PersonsV1`…)
 * describe a request and a response `Schema` and hand both to `request`; they never touch `fetch`.
 *
 * @example
 * ```ts
 * import { HttpTransport, Persons, PipedriveClient } from "@pipedrive-effect/core"
 * import { Effect, Layer, Redacted } from "effect"
 *
 * const Pipedrive = PipedriveClient.layer({
 *   apiToken: Redacted.make(process.env.PIPEDRIVE_API_TOKEN ?? ""),
 *   companyDomain: "acme"
 * }).pipe(Layer.provide(HttpTransport.layer))
 *
 * Effect.runPromise(Persons.get(1).pipe(Effect.provide(Pipedrive))).then(console.log)
 * ```
 *
 * @module
 */
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import type * as HttpBody from "@effect/platform/HttpBody"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import type * as HttpMethod from "@effect/platform/HttpMethod"
import * as Cause from "effect/Cause"
import * as Clock from "effect/Clock"
import type * as Config from "effect/Config"
import type * as ConfigError from "effect/ConfigError"
import * as Context from "effect/Context"
import * as DefaultServices from "effect/DefaultServices"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Exit from "effect/Exit"
import * as Fiber from "effect/Fiber"
import type * as FiberId from "effect/FiberId"
import * as FiberRef from "effect/FiberRef"
import * as FiberRefs from "effect/FiberRefs"
import { identity } from "effect/Function"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Redacted from "effect/Redacted"
import * as Schema from "effect/Schema"
import * as Tracer from "effect/Tracer"
import * as PipedriveConfig from "./PipedriveConfig.ts"
import * as RateLimit from "./RateLimit.ts"
import * as Deadline from "./internal/Deadline.ts"
import * as ResponseBody from "./internal/ResponseBody.ts"
import * as Retry from "./Retry.ts"
import * as Tolerance from "./internal/Tolerance.ts"
import type { Decoded, Skipped } from "./internal/Tolerance.ts"
import {
  ConfigurationError,
  DailyBudgetExhausted,
  Decode,
  Forbidden,
  formatParseError,
  isPipedriveError,
  NotFound,
  type PipedriveError,
  RateLimited,
  RequestRejected,
  ServerError,
  Transport,
  Unauthorized,
  ValidationFailed
} from "./PipedriveError.ts"

/** A query parameter value; `undefined` leaves the parameter out. */
export type UrlParam = string | number | boolean | undefined

/** One Pipedrive request, as an endpoint module describes it. */
export interface RequestOptions<A, I> {
  /** Pipedrive's operationId (`getPersons`, `addPerson`…): names the span and the errors. */
  readonly operation: string
  readonly method: HttpMethod.HttpMethod
  /** The path below the base URL, e.g. `/api/v2/persons/12`. */
  readonly path: string
  readonly urlParams?: Readonly<Record<string, UrlParam>> | undefined
  /** A JSON body, already validated by the endpoint's request schema. */
  readonly json?: unknown
  /** Any other body (`HttpBody.urlParams` for forms, `HttpBody.formData` for multipart); not with `json`. */
  readonly body?: HttpBody.HttpBody | undefined
  /** The schema of the whole response body (the `{ success, data, additional_data }` envelope). */
  readonly response: Schema.Schema<A, I>
}

export type { Decoded, Skipped } from "./internal/Tolerance.ts"
// The types of the envelope schemas, for `request`'s `response` (the endpoints' `…Response` schemas).
export type { CursorList, OffsetList, OffsetPagination, Part, Single } from "./internal/Envelope.ts"

/** The service: the configured `HttpClient` and the `request` every endpoint goes through. */
export interface Service {
  /**
   * The configured origin, e.g. `https://acme.pipedrive.com`. With OAuth, requests go to the
   * `api_domain` of the latest token instead (unless a base URL was set explicitly).
   */
  readonly baseUrl: string
  /**
   * The underlying client with base URL and auth applied (an OAuth token is refreshed as `request`
   * does); for requests this library does not model. An auth failure arrives as a `RequestError`
   * whose `cause` is the `PipedriveError`.
   */
  readonly httpClient: HttpClient.HttpClient
  /**
   * Send a request (when the rate limiter has room, retried as the retry policy says) and decode
   * its 2xx body with `response`; any failure becomes a `PipedriveError`.
   */
  readonly request: <A, I>(options: RequestOptions<A, I>) => Effect.Effect<A, PipedriveError>
  /**
   * `request`, with the auxiliary pieces of the body that did not decode and were left out
   * (`skipped`): what pages hand on to the user. Primary parts (`data`, pagination) never are.
   */
  readonly requestDecoded: <A, I>(options: RequestOptions<A, I>) => Effect.Effect<Decoded<A>, PipedriveError>
  /** The limiter the requests go through (`RateLimit`): its `state` and `changes` show where the token stands. */
  readonly rateLimiter: RateLimit.Service
}

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const PipedriveClientBase: Context.TagClass<PipedriveClient, "@pipedrive-effect/core/PipedriveClient", Service> =
  Context.Tag("@pipedrive-effect/core/PipedriveClient")<PipedriveClient, Service>()
/** The `PipedriveClient` service tag. */
export class PipedriveClient extends PipedriveClientBase {}

/**
 * What one request is sent with: the headers that authenticate it and, when the credentials decide
 * it (OAuth's `api_domain`), the origin. Values are `Redacted` until the moment they are sent.
 */
export interface Credentials {
  /** The origin for this request; absent: the client's configured base URL. */
  readonly baseUrl?: string | undefined
  readonly headers: Readonly<Record<string, Redacted.Redacted<string>>>
}

/**
 * How the client authenticates, asked once per request: so a token that is refreshed, or an origin
 * that changes, applies to the next request without rebuilding the client. `apiTokenAuth` is the
 * default; `OAuth.make` builds the OAuth one.
 *
 * @example
 * ```ts
 * import { PipedriveClient } from "@pipedrive-effect/core"
 * import { Effect, Redacted } from "effect"
 *
 * // A fixed bearer token that cannot be renewed:
 * const bearer = (token: Redacted.Redacted<string>): PipedriveClient.Auth => ({
 *   credentials: Effect.succeed({ headers: { authorization: Redacted.make(`Bearer ${Redacted.value(token)}`) } }),
 *   renew: () => Effect.succeed(false)
 * })
 * PipedriveClient.layer({ auth: bearer(Redacted.make(process.env.PIPEDRIVE_BEARER_TOKEN ?? "")) })
 * ```
 */
export interface Auth {
  /** The credentials for the next request; may refresh a token first (and fail if it cannot). */
  readonly credentials: Effect.Effect<Credentials, PipedriveError>
  /**
   * A request sent with `rejected` got a 401. Succeeds with `true` when newer credentials are ready
   * and the request is worth sending once more; the client never asks twice for one request.
   */
  readonly renew: (rejected: Credentials) => Effect.Effect<boolean, PipedriveError>
}

/** The API token as the `x-api-token` header (none: no header, and Pipedrive answers 401). */
export const apiTokenAuth = (token: Redacted.Redacted<string> | undefined): Auth => {
  const credentials: Credentials = { headers: token === undefined ? {} : { "x-api-token": token } }
  return { credentials: Effect.succeed(credentials), renew: () => Effect.succeed(false) }
}

/** Options of `make` / `layer`: the settings of `PipedriveConfig` plus a hook on the `HttpClient`. */
export interface Options extends PipedriveConfig.Options {
  /** Applied last to the configured `HttpClient`, e.g. to add a header or a proxy's auth. */
  readonly transformClient?: ((client: HttpClient.HttpClient) => HttpClient.HttpClient) | undefined
  /** How requests are authenticated; default `apiTokenAuth(apiToken)`. `OAuth.layer` sets it. */
  readonly auth?: Auth | undefined
  /**
   * The longest response body read, in bytes (default 64 MiB); a longer one fails with `Decode`
   * without being buffered whole.
   */
  readonly maxResponseBytes?: number | undefined
}

/** Header names whose values must never reach a span, a log or an error. */
const secretHeaders = ["x-api-token", "authorization", "cookie"] as const

/** Runs `effect` with the secret header names (`x-api-token`, `authorization`, `cookie`) redacted in its logs and spans. */
export const withRedactedHeaders = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Effect.locallyWith(effect, Headers.currentRedactedNames, (names) => [...names, ...secretHeaders])

const maxDetail = 2_000
const truncate = (text: string): string => text.length > maxDetail ? `${text.slice(0, maxDetail)}…` : text

interface ErrorBody {
  readonly error?: string
  readonly errorInfo?: string
  readonly code?: string
}

/** Reads Pipedrive's error envelope when the body is JSON; an HTML page (403 blocks) or text is summarised. */
const parseErrorBody = (text: string, contentType: string | undefined): ErrorBody => {
  try {
    const json: unknown = JSON.parse(text)
    if (typeof json === "object" && json !== null) {
      const field = (key: string) => {
        const value: unknown = Reflect.get(json, key)
        return typeof value === "string" && value !== "" ? value : typeof value === "number" ? String(value) : undefined
      }
      const error = field("error") ?? field("message")
      const errorInfo = field("error_info")
      const code = field("code") ?? field("errorCode")
      return {
        ...(error === undefined ? {} : { error }),
        ...(errorInfo === undefined ? {} : { errorInfo }),
        ...(code === undefined ? {} : { code })
      }
    }
  } catch {
    // not JSON: fall through
  }
  if (contentType?.includes("html") === true || /^\s*</.test(text)) return { error: "HTML error page" }
  const trimmed = text.trim()
  return trimmed === "" ? {} : { error: truncate(trimmed) }
}

/** Maps a non-2xx response to its typed error; `now` (epoch milliseconds) dates a daily budget's reset. */
export const statusError = (
  where: RateLimit.RequestInfo,
  status: number,
  headers: Headers.Headers,
  text: string,
  now: number
): PipedriveError => {
  const body = parseErrorBody(text, headers["content-type"])
  const fields = {
    ...where,
    status,
    error: body.error ?? `HTTP ${status}`,
    ...(body.errorInfo === undefined ? {} : { errorInfo: body.errorInfo }),
    ...(body.code === undefined ? {} : { code: body.code })
  }
  switch (status) {
    case 400:
    case 422:
      return new ValidationFailed(fields)
    case 401:
      return new Unauthorized(fields)
    case 402:
    case 403:
      return new Forbidden(fields)
    case 404:
      return new NotFound(fields)
    case 429: {
      const limit = RateLimit.headerNumber(headers, "x-ratelimit-limit")
      const remaining = RateLimit.headerNumber(headers, "x-ratelimit-remaining")
      const reset = RateLimit.headerNumber(headers, "x-ratelimit-reset")
      const dailyRequestsLeft = RateLimit.headerNumber(headers, "x-daily-requests-left")
      if (dailyRequestsLeft !== undefined && dailyRequestsLeft <= 0) {
        return new DailyBudgetExhausted({ ...where, resetsAt: new Date(RateLimit.nextMidnightUtc(now)), dailyRequestsLeft: 0 })
      }
      return new RateLimited({
        ...fields,
        ...(limit === undefined ? {} : { limit }),
        ...(remaining === undefined ? {} : { remaining }),
        ...(reset === undefined ? {} : { reset }),
        ...(dailyRequestsLeft === undefined ? {} : { dailyRequestsLeft })
      })
    }
    default:
      return status >= 500 ? new ServerError(fields) : new RequestRejected(fields)
  }
}

/**
 * Builds the service from resolved options. Needs an `HttpClient` (`HttpTransport.layer`: `node:http`
 * on Node, `fetch` elsewhere). Fails with `ConfigurationError` for a bad base URL or domain.
 * Uses the `RateLimit.RateLimiter` and `Retry.RetryPolicy` in context, or defaults of its own
 * (`RateLimit.make()`, `Retry.make()`); provide `RateLimit.disabled` / `Retry.disabled` to turn them off.
 */
export const make = (options: Options): Effect.Effect<Service, ConfigurationError, HttpClient.HttpClient> =>
  Effect.gen(function*() {
    const baseUrl = yield* PipedriveConfig.baseUrl(options)
    const timeout = Duration.decode(options.timeout ?? PipedriveConfig.defaultTimeout)
    const maxResponseBytes = options.maxResponseBytes ?? ResponseBody.defaultLimit
    if (!(Number.isSafeInteger(maxResponseBytes) && maxResponseBytes > 0)) {
      return yield* new ConfigurationError({
        setting: "maxResponseBytes",
        detail: `must be a positive integer, got ${String(maxResponseBytes)}`
      })
    }
    const auth = options.auth ?? apiTokenAuth(options.apiToken)
    const rateLimiter = yield* Option.match(yield* Effect.serviceOption(RateLimit.RateLimiter), {
      onNone: () => RateLimit.make(),
      onSome: Effect.succeed
    })
    const retryPolicy = Option.getOrElse(yield* Effect.serviceOption(Retry.RetryPolicy), () => Retry.make())
    // The platform's own span (an `HttpClient.make` transport's) ends with the raw response, whose
    // request still carries the token header; a tracer that records exit values would keep it. Our
    // span replaces it: it is switched off in `httpClient` and, for `request`, in `inRequestScope`.
    const transport = yield* HttpClient.HttpClient
    const authorize = (request: HttpClientRequest.HttpClientRequest, credentials: Credentials) => {
      let authorized = HttpClientRequest.acceptJson(HttpClientRequest.prependUrl(request, credentials.baseUrl ?? baseUrl))
      for (const [name, value] of Object.entries(credentials.headers)) {
        authorized = HttpClientRequest.setHeader(authorized, name, Redacted.value(value))
      }
      return authorized
    }
    // The attempt's timeout reaches a transport of core's as a deadline beside the request (see
    // `withTimeout`). Not through a `transformClient`, which may send on another client, and not
    // with an `auth` of the program's (OAuth's): its credentials may wait for a token refresh (and
    // its `onTokens`), which only a fiber can stop waiting for. The API token's never wait.
    const deadlines = options.transformClient === undefined && options.auth === undefined && Deadline.isHonouredBy(transport)
    const toTransport = (request: HttpClientRequest.HttpClientRequest, deadline: Deadline.Deadline | undefined) => {
      const sent = Deadline.attach(request, deadline)
      return Retry.isIdempotent(sent.method) ? transport.execute(sent) : onOwnConnection(transport.execute(sent))
    }
    // One 401 may mean a token that expired early: renew once and resend; a second 401 is final.
    const send = (
      request: HttpClientRequest.HttpClientRequest,
      deadline?: Deadline.Deadline
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError | PipedriveError> =>
      // A chain rather than a generator: this runs for every request.
      Effect.flatMap(auth.credentials, (credentials) =>
        Effect.flatMap(
          credentials.baseUrl === undefined
            ? toTransport(authorize(request, credentials), deadline)
            : Effect.zipRight(
              Effect.annotateCurrentSpan("server.address", credentials.baseUrl),
              toTransport(authorize(request, credentials), deadline)
            ),
          (response) =>
            response.status !== 401 ? Effect.succeed(response) : Effect.flatMap(auth.renew(credentials), (renewed) =>
              renewed
                ? Effect.zipRight(
                  Effect.ignore(ResponseBody.text(response, maxResponseBytes)),
                  Effect.flatMap(auth.credentials, (next) => toTransport(authorize(request, next), deadline))
                )
                : Effect.succeed(response))
        ))
    const base: HttpClient.HttpClient = HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
      (prepared) =>
        Effect.flatMap(prepared, (request) =>
          Effect.mapError(send(request), (error) =>
            HttpClientError.isHttpClientError(error)
              ? error
              : new HttpClientError.RequestError({ request, reason: "Transport", cause: error, description: error.message }))),
      Effect.succeed
    )
    const httpClient = HttpClient.withTracerDisabledWhen(
      options.transformClient === undefined ? base : options.transformClient(base),
      tracingOff
    )
    // What `request` sends through: without a `transformClient`, `send` itself (the tracing switch
    // and the other fiber refs are set once per request by `inRequestScope`).
    const execute = (
      where: RateLimit.RequestInfo,
      request: HttpClientRequest.HttpClientRequest,
      deadline: Deadline.Deadline | undefined
    ): Effect.Effect<HttpClientResponse.HttpClientResponse, PipedriveError> =>
      Effect.mapError(
        options.transformClient === undefined ? send(request, deadline) : httpClient.execute(request),
        (error) => isPipedriveError(error) ? error : authFailure(error) ?? transportError(where, error)
      )

    // `request` and `requestDecoded`: `pick` takes what the caller gets from the decoded body as it
    // is decoded, rather than in an `Effect.map` after (bench/PROFILE-notes.md, "Fewer Effect operations").
    const requestWith = <A, I, B>(req: RequestOptions<A, I>, pick: (decoded: Decoded<A>) => B): Effect.Effect<B, PipedriveError> => {
      const where: RateLimit.RequestInfo = { operation: req.operation, method: req.method, path: req.path }
      const decode = Tolerance.decoder(req.response)
      let httpRequest = HttpClientRequest.make(req.method)(req.path)
      if (req.urlParams !== undefined) {
        for (const [key, value] of Object.entries(req.urlParams)) {
          if (value !== undefined) httpRequest = HttpClientRequest.setUrlParam(httpRequest, key, String(value))
        }
      }
      if (req.json !== undefined) httpRequest = HttpClientRequest.bodyUnsafeJson(httpRequest, req.json)
      else if (req.body !== undefined) httpRequest = HttpClientRequest.setBody(httpRequest, req.body)

      const onResponse = (
        span: Tracer.Span,
        response: HttpClientResponse.HttpClientResponse
      ): Effect.Effect<B, PipedriveError> => {
        const status = response.status
        span.attribute("http.response.status_code", status)
        return status >= 200 && status < 300
          ? Effect.matchEffect(ResponseBody.text(response, maxResponseBytes), {
            onFailure: (error) =>
              Effect.fail(
                new Decode({
                  ...where,
                  status,
                  detail: error instanceof ResponseBody.TooLarge ? error.message : "the response body is not valid JSON"
                })
              ),
            onSuccess: (text) => decodeText(text, status)
          })
          : Effect.zip(ResponseBody.text(response, maxResponseBytes).pipe(Effect.orElseSucceed(() => "")), Clock.currentTimeMillis).pipe(
            Effect.flatMap(([text, now]) => Effect.fail(statusError(where, status, response.headers, text, now)))
          )
      }
      // One JSON.parse of the one string the body was read into, then the schema's decoder.
      const decodeText = (text: string, status: number): Effect.Effect<B, Decode> => {
        let json: unknown
        try {
          json = JSON.parse(text)
        } catch {
          return Effect.fail(new Decode({ ...where, status, detail: "the response body is not valid JSON" }))
        }
        return Effect.matchEffect(decode(json), {
          onFailure: (error) => Effect.fail(new Decode({ ...where, status, detail: truncate(formatParseError(error)) })),
          onSuccess: (decoded) =>
            decoded.skipped.length === 0
              ? Effect.succeed(pick(decoded))
              : Effect.as(reportSkipped(where, decoded.skipped), pick(decoded))
        })
      }

      const onTimeout = () =>
        new Transport({ ...where, reason: "Timeout", detail: `no complete response within ${Duration.format(timeout)}` })
      // The timeout bounds each attempt on the wire, not the wait for a rate-limit slot.
      // `classify` returns a read's failure as it is: a read's attempt goes without the `mapError`.
      const idempotent = Retry.isIdempotent(req.method)
      const attempt = (span: Tracer.Span) => {
        const limited = rateLimiter.run(where, (observe) =>
          withTimeout(
            (deadline) =>
              Effect.flatMap(execute(where, httpRequest, deadline), (response) =>
                Effect.flatMap(observe(response), () => onResponse(span, response))),
            timeout,
            onTimeout,
            deadlines
          ))
        return idempotent ? limited : Effect.mapError(limited, (error) => Retry.classify(where, error))
      }

      return inRequestScope(`Pipedrive.${req.operation}`, {
        kind: "client",
        // A stack trace per request costs more than the rest of the span; the name says where.
        captureStackTrace: false,
        attributes: {
          "pipedrive.operation": req.operation,
          "http.request.method": req.method,
          "url.path": req.path,
          "server.address": baseUrl
        }
      }, (span) => retryPolicy.retry(where, attempt(span)))
    }

    const requestDecoded = <A, I>(req: RequestOptions<A, I>): Effect.Effect<Decoded<A>, PipedriveError> =>
      requestWith(req, identity)
    const request = <A, I>(req: RequestOptions<A, I>): Effect.Effect<A, PipedriveError> => requestWith(req, bodyOf)

    return PipedriveClient.of({ baseUrl, httpClient, request, requestDecoded, rateLimiter })
  })

const tracingOff = () => true
const bodyOf = <A>(decoded: Decoded<A>): A => decoded.body

/**
 * `use(span)` inside a new span, with what a request needs of its fiber's refs for as long as it
 * runs, then restored: the span as the current one (for the logs, annotations and spans under it),
 * the secret header names redacted (as `withRedactedHeaders`) and the platform's HTTP tracing off
 * (as `HttpClient.withTracerDisabledWhen`). One change of the refs for the three: `Effect.withSpan`
 * and the two `locally`s made one each, about 50 of the 200 Effect operations a request ran
 * (bench/PROFILE-notes.md, "The request's operations").
 *
 * The span ends with `void` on success, not with the decoded body: an ended span keeps the exit it
 * ended with, and every fiber forked under the span (the timeout's) references it. Effect's
 * scheduler keeps each fiber it ran in a WeakMap whose entry leads back to the fiber, which V8's
 * young-generation collections do not see through, so a finished fiber, its span and a page of
 * persons held there lived until a full collection and were copied to the old generation on the
 * way: in 9 walks of 20,000 persons, 140 MB promoted and 300-500 ms of scavenges, against 32 MB and
 * 130 ms with the pages kept out of finished fibers and spans (bench/PROFILE-notes.md, "Pages
 * promoted").
 */
const inRequestScope = <A, E>(
  name: string,
  options: Tracer.SpanOptions,
  use: (span: Tracer.Span) => Effect.Effect<A, E>
): Effect.Effect<A, E> =>
  Effect.flatMap(Effect.makeSpan(name, options), (span) =>
    Effect.uninterruptibleMask((restore) =>
      Effect.withFiberRuntime<A, E>((fiber) => {
        const context = fiber.getFiberRef(FiberRef.currentContext)
        const redacted = fiber.getFiberRef(Headers.currentRedactedNames)
        const tracing = fiber.getFiberRef(HttpClient.currentTracerDisabledWhen)
        const timing = fiber.getFiberRef(FiberRef.currentTracerTimingEnabled)
        const clock = Context.get(fiber.currentDefaultServices, Clock.Clock)
        const setRefs = (
          refs: FiberRefs.FiberRefs,
          fiberId: FiberId.Runtime,
          currentContext: Context.Context<never>,
          redactedNames: ReadonlyArray<string | RegExp>,
          tracerDisabledWhen: (request: HttpClientRequest.HttpClientRequest) => boolean
        ) =>
          FiberRefs.updateAs(
            FiberRefs.updateAs(
              FiberRefs.updateAs(refs, { fiberId, fiberRef: FiberRef.currentContext, value: currentContext }),
              { fiberId, fiberRef: Headers.currentRedactedNames, value: redactedNames }
            ),
            { fiberId, fiberRef: HttpClient.currentTracerDisabledWhen, value: tracerDisabledWhen }
          )
        // The refs restored and the span ended in one operation (the span after the refs, as before).
        const leave = (exit: Exit.Exit<unknown, unknown>) =>
          Effect.updateFiberRefs((fiberId, refs) => {
            const restored = setRefs(refs, fiberId, context, redacted, tracing)
            if (span.status._tag !== "Ended") span.end(timing ? clock.unsafeCurrentTimeNanos() : BigInt(0), exit)
            return restored
          })
        return Effect.zipRight(
          Effect.updateFiberRefs((fiberId, refs) =>
            setRefs(refs, fiberId, Context.add(context, Tracer.ParentSpan, span), [...redacted, ...secretHeaders], tracingOff)
          ),
          Effect.matchCauseEffect(restore(use(span)), {
            onFailure: (cause) => Effect.zipRight(leave(Exit.failCause(cause)), Effect.failCause(cause)),
            onSuccess: (value) => Effect.as(leave(Exit.void), value)
          })
        )
      })))

/** A warning in the request's span (a log line, an attribute) naming what was left out and why. */
const reportSkipped = (where: RateLimit.RequestInfo, skipped: ReadonlyArray<Skipped>): Effect.Effect<void> =>
  Effect.zipRight(
    Effect.annotateCurrentSpan("pipedrive.skipped", skipped.map((piece) => piece.path)),
    Effect.logWarning(
      `Pipedrive ${where.operation}: left out ${skipped.length} auxiliary part(s) of the response that did not decode`
    ).pipe(Effect.annotateLogs({ skipped: skipped.map((piece) => `${piece.path}: ${truncate(piece.reason)}`) }))
  )

/**
 * Deno's `fetch` sends a request again on its own when a reused keep-alive connection is reset
 * after the request went out (denoland/deno#35610), so a POST can be applied twice with no error
 * reaching the program. Under Deno, writes therefore go through an HTTP client of Deno's without an
 * idle pool (`Deno.createHttpClient({ poolMaxIdlePerHost: 0 })`): a fresh connection, which it does
 * not resend on. Elsewhere, and with an `HttpClient` that does not read `FetchHttpClient.RequestInit`
 * (the platform's `FetchHttpClient` and `HttpTransport`'s `fetch` do), nothing changes.
 */
let denoWriteClient: unknown = null
const ownConnectionClient = (): unknown => {
  if (denoWriteClient === null) {
    const deno: unknown = Reflect.get(globalThis, "Deno")
    const create: unknown = typeof deno === "object" && deno !== null ? Reflect.get(deno, "createHttpClient") : undefined
    denoWriteClient = typeof create === "function" ? Reflect.apply(create, deno, [{ poolMaxIdlePerHost: 0 }]) : undefined
  }
  return denoWriteClient
}

const onOwnConnection = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> => {
  const client = ownConnectionClient()
  if (client === undefined) return effect
  return Effect.flatMap(Effect.serviceOption(FetchHttpClient.RequestInit), (init) =>
    Effect.provideService(effect, FetchHttpClient.RequestInit, Object.assign({}, Option.getOrUndefined(init), { client })))
}

/** The `PipedriveError` an `Auth` failed with, carried through the `HttpClient` as a `RequestError`'s cause. */
const authFailure = (error: HttpClientError.HttpClientError): PipedriveError | undefined =>
  error._tag === "RequestError" && isPipedriveError(error.cause) ? error.cause : undefined

/**
 * `use(deadline)`, failing with `onTimeout()` when it has not finished within `timeout`. Unlike
 * `Effect.timeoutFail`, it holds in a caller that is uninterruptible, as a job is that lets requests
 * in flight finish, while an interruption of an interruptible caller still stops the request.
 *
 * On the live clock over a transport of core's (`deadlines`), a plain `setTimeout` stops what is on
 * the wire through the `deadline` handed to the transport with the request (`internal/Deadline`):
 * no fiber of its own. Otherwise (another `HttpClient`, a `transformClient`, an `auth` such as
 * OAuth's whose credentials may wait) the attempt runs in a fiber of its own that the timer
 * interrupts (`withLiveTimer`); any other clock (`TestClock`, one of the program's own) is asked
 * through a timer fiber (`withTimerFiber`).
 */
const withTimeout = <A, E>(
  use: (deadline: Deadline.Deadline | undefined) => Effect.Effect<A, E>,
  timeout: Duration.Duration,
  onTimeout: () => E,
  deadlines: boolean
): Effect.Effect<A, E> =>
  Effect.flatMap(Effect.clock, (clock) => {
    const millis = Duration.toMillis(timeout)
    return clock !== liveClock || millis > maxTimerMillis
      ? withTimerFiber(use(undefined), clock, timeout, onTimeout)
      : deadlines
      ? withDeadline(use, millis, onTimeout)
      : withLiveTimer(use(undefined), millis, onTimeout)
  })

const liveClock = Context.get(DefaultServices.liveServices, Clock.Clock)
// setTimeout's longest delay; the live clock's `sleep` treats a longer one as forever.
const maxTimerMillis = 2 ** 31 - 1

/**
 * The attempt on the caller's fiber, its transport stopped through `deadline` when `millis` pass.
 * A forked attempt cost a fiber a request: 7% of a single request's p50, 14% at 16 at once, and ~15
 * ms of a 100,000-person listing (bench/PROFILE-notes.md, "The timeout's fiber").
 */
const withDeadline = <A, E>(
  use: (deadline: Deadline.Deadline) => Effect.Effect<A, E>,
  millis: number,
  onTimeout: () => E
): Effect.Effect<A, E> =>
  // Uninterruptible around `use`, so that the timer is cleared however the attempt ends.
  Effect.uninterruptibleMask((restore) => {
    const deadline = Deadline.make()
    const timer = setTimeout(() => Deadline.expire(deadline), millis)
    return Effect.matchCauseEffect(restore(use(deadline)), {
      onFailure: (cause) => {
        clearTimeout(timer)
        // A read stopped by the deadline failed as the transport reports a broken one: a timeout.
        return deadline.stopped && !Cause.isInterruptedOnly(cause) ? Effect.fail(onTimeout()) : Effect.failCause(cause)
      },
      onSuccess: (value) => {
        clearTimeout(timer)
        return Effect.succeed(value)
      }
    })
  })

/**
 * The attempt in a fiber of its own that a plain `setTimeout` interrupts, for a transport that is
 * handed no deadline. The timer is owned by the waiting caller, as the live clock's own `sleep` is: a
 * timer fiber as well, and a third to stop it, cost more than the rest of a request's pipeline
 * together (about 45 µs of CPU a request; bench/PROFILE-notes.md).
 */
// Called as the effect runs (in `withTimeout`'s `flatMap`): its state is each run's own.
const withLiveTimer = <A, E>(effect: Effect.Effect<A, E>, millis: number, onTimeout: () => E): Effect.Effect<A, E> => {
  // The result is handed over beside the fiber, whose own exit is void: a finished fiber lives on
  // until a full collection (see `inRequestScope`), and a page of persons as its exit would be
  // copied to the old generation (bench/PROFILE-notes.md, "Pages promoted").
  let result: Exit.Exit<A, E> | undefined
  const handOver = Effect.matchCauseEffect(effect, {
    onFailure: (cause) => {
      result = Exit.failCause(cause)
      return Effect.void
    },
    onSuccess: (value) => {
      result = Exit.succeed(value)
      return Effect.void
    }
  })
  return Effect.flatMap(Effect.forkDaemon(Effect.interruptible(handOver)), (fiber) =>
    Effect.async<A, E>((resume) => {
      let timedOut = false
      const timer = setTimeout(() => {
        timedOut = true
        fiber.unsafeInterruptAsFork(fiber.id())
      }, millis)
      const observer = (exit: Exit.Exit<void>) => {
        clearTimeout(timer)
        const outcome = result
        result = undefined
        resume(
          outcome !== undefined
            ? outcome
            : timedOut && Exit.isInterrupted(exit)
            ? Effect.fail(onTimeout())
            : Effect.failCause(Exit.isFailure(exit) ? exit.cause : Cause.empty)
        )
      }
      fiber.addObserver(observer)
      // The caller interrupted (it can be only when interruptible): the request stops too, and the
      // caller's interruption ends once it has.
      return Effect.zipRight(
        Effect.sync(() => {
          clearTimeout(timer)
          fiber.removeObserver(observer)
        }),
        Fiber.interrupt(fiber)
      )
    }))
}

const withTimerFiber = <A, E>(
  effect: Effect.Effect<A, E>,
  clock: Clock.Clock,
  timeout: Duration.Duration,
  onTimeout: () => E
): Effect.Effect<A, E> =>
  Effect.flatMap(Effect.forkDaemon(Effect.interruptible(effect)), (fiber) => {
    let timedOut = false
    const timer = Effect.zipRight(
      clock.sleep(timeout),
      Effect.suspend(() => {
        timedOut = true
        return Fiber.interrupt(fiber)
      })
    )
    // Both fibers interruptible whatever the caller is; the timer is stopped without waiting for it.
    return Effect.flatMap(Effect.forkDaemon(Effect.interruptible(timer)), (timerFiber) =>
      Fiber.await(fiber).pipe(
        Effect.onInterrupt(() => Fiber.interrupt(fiber)),
        Effect.ensuring(Fiber.interruptFork(timerFiber)),
        Effect.flatMap((exit) => (timedOut && Exit.isInterrupted(exit) ? Effect.fail(onTimeout()) : exit))
      ))
  })

/** A failure without a response; `Unreachable` when no connection could be made, so nothing was sent. */
export const transportError = (where: RateLimit.RequestInfo, error: HttpClientError.HttpClientError): Transport =>
  error.reason === "Transport"
    ? new Transport({ ...where, reason: unreachable(error.cause) ? "Unreachable" : "Network", detail: describeCause(error.cause) })
    : new Transport({ ...where, reason: "Network", detail: error.reason })

// Node's fetch reports a refused connection or a failed DNS lookup by `code` in the cause chain
// (sometimes inside an AggregateError); Deno's only in the message.
const unreachableCodes = new Set(["ECONNREFUSED", "ENOTFOUND", "EAI_AGAIN", "ENETUNREACH", "EHOSTUNREACH"])
const unreachableText = /connection refused|dns error|failed to lookup address|name or service not known/i
const unreachable = (cause: unknown, depth = 0): boolean => {
  if (depth > 4 || typeof cause !== "object" || cause === null) return false
  const code: unknown = Reflect.get(cause, "code")
  if (typeof code === "string" && unreachableCodes.has(code)) return true
  const message: unknown = Reflect.get(cause, "message")
  if (typeof message === "string" && unreachableText.test(message)) return true
  const errors: unknown = Reflect.get(cause, "errors")
  if (Array.isArray(errors) && errors.length > 0 && errors.every((inner) => unreachable(inner, depth + 1))) return true
  return unreachable(Reflect.get(cause, "cause"), depth + 1)
}

/** A short, token-free description of a transport failure's cause (never the request itself). */
const describeCause = (cause: unknown): string => {
  if (cause instanceof Error) {
    const inner = (cause as Error & { cause?: unknown }).cause
    const code = typeof inner === "object" && inner !== null && "code" in inner ? String(inner.code) : undefined
    return code === undefined ? cause.message : `${cause.message} (${code})`
  }
  return "request failed"
}

/** A layer from explicit options. Requires an `HttpClient`. */
export const layer = (options: Options): Layer.Layer<PipedriveClient, ConfigurationError, HttpClient.HttpClient> =>
  Layer.effect(PipedriveClient, make(options))

/**
 * What `layerConfig` takes beside its `Config`: every option of `make` that no environment variable
 * holds (`transformClient`, `auth`, `maxResponseBytes`, and any added later). Derived from `Options`,
 * so a new option reaches the client from `layerConfig` without anyone remembering to copy it.
 */
export type LayerConfigOptions = Omit<Options, keyof PipedriveConfig.Options>

/**
 * A layer from `Config` (by default the environment variables of `PipedriveConfig.config`:
 * `PIPEDRIVE_API_TOKEN`, `PIPEDRIVE_COMPANY_DOMAIN`, `PIPEDRIVE_BASE_URL`, `PIPEDRIVE_TIMEOUT`), plus
 * the options the environment cannot hold.
 *
 * @example
 * ```ts
 * import { PipedriveClient, PipedriveConfig } from "@pipedrive-effect/core"
 *
 * PipedriveClient.layerConfig(PipedriveConfig.config, { maxResponseBytes: 8 * 1024 * 1024 })
 * ```
 */
export const layerConfig = (
  config: Config.Config<PipedriveConfig.Options> = PipedriveConfig.config,
  options: LayerConfigOptions = {}
): Layer.Layer<PipedriveClient, ConfigurationError | ConfigError.ConfigError, HttpClient.HttpClient> =>
  Layer.effect(
    PipedriveClient,
    // The whole objects, not field by field: nothing the caller gave can be left behind.
    Effect.flatMap(config, (settings) => make({ ...settings, ...options }))
  )

/** Describes and sends one request through the `PipedriveClient` in context. */
export const request = <A, I>(options: RequestOptions<A, I>): Effect.Effect<A, PipedriveError, PipedriveClient> =>
  Effect.flatMap(PipedriveClient, (client) => client.request(options))

/** `request`, with what was left out of the body (`Service.requestDecoded`). */
export const requestDecoded = <A, I>(
  options: RequestOptions<A, I>
): Effect.Effect<Decoded<A>, PipedriveError, PipedriveClient> =>
  Effect.flatMap(PipedriveClient, (client) => client.requestDecoded(options))
