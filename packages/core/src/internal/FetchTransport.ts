/**
 * The `HttpClient` the client runs on outside Node (`HttpTransport.layer` in the main entry: Deno,
 * Bun, browsers): the runtime's `fetch`, with less around it than `@effect/platform`'s
 * `FetchHttpClient`. That one doubles the cost of a listing under Deno (a walk of 20,000 persons:
 * 42 ms of CPU for raw `fetch` and `JSON.parse`, 67 ms through `FetchHttpClient`): per request a
 * `URL`, a finalizer registration and a wrapper per response, and its headers rebuilt from the web
 * `Headers` at every read. Here a request is one `fetch` with an `AbortController` (aborted when the
 * request's fiber is interrupted: a timeout, Ctrl-C), and a response reads its headers once.
 *
 * As `FetchHttpClient` does, it takes `fetch` and the `RequestInit` from `FetchHttpClient.Fetch` and
 * `FetchHttpClient.RequestInit` in context (`PipedriveClient` sends Deno's writes on a connection of
 * their own that way). And `PipedriveClient` reads a body through it within `maxResponseBytes`
 * (`ResponseBody.readWithin`): a declared length over the limit is refused unread, and a chunked or
 * compressed body is counted as it arrives (decompressed, as `fetch` hands it over) and abandoned,
 * its connection aborted, past the limit.
 */
import * as Cookies from "@effect/platform/Cookies"
import * as FetchHttpClient from "@effect/platform/FetchHttpClient"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Stream from "effect/Stream"
import * as Bytes from "./Bytes.ts"
import * as Deadline from "./Deadline.ts"
import * as ResponseBody from "./ResponseBody.ts"
import * as TransportResponse from "./TransportResponse.ts"

const send = (request: HttpClientRequest.HttpClientRequest): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> =>
  Effect.flatMap(Effect.context<never>(), (context) => {
    const url = request.urlParams.length === 0 && Option.isNone(request.hash)
      ? Either.right(request.url)
      : Either.map(UrlParams.makeUrl(request.url, request.urlParams, request.hash), (made) => made.href)
    if (Either.isLeft(url)) {
      return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
    }
    const fetch = Option.getOrElse(Context.getOption(context, FetchHttpClient.Fetch), () => globalThis.fetch)
    const init = Option.getOrUndefined(Context.getOption(context, FetchHttpClient.RequestInit))
    // fetch sets the length of what it sends itself.
    const headers = request.headers["content-length"] === undefined ? request.headers : Headers.remove(request.headers, "content-length")
    const body = request.body
    switch (body._tag) {
      case "Empty":
        return exchange(fetch, request, url.right, { ...init, method: request.method, headers })
      case "Uint8Array":
        return exchange(fetch, request, url.right, { ...init, method: request.method, headers, body: ownBuffer(body.body) })
      case "Raw": {
        const raw = rawBody(body.body)
        return raw === undefined
          ? Effect.fail(new HttpClientError.RequestError({ request, reason: "Encode", description: "a raw body must be a string or bytes" }))
          : exchange(fetch, request, url.right, { ...init, method: request.method, headers, body: raw })
      }
      case "FormData":
        return exchange(fetch, request, url.right, { ...init, method: request.method, headers, body: body.formData })
      case "Stream":
        return Effect.flatMap(Stream.toReadableStreamEffect(body.stream), (stream) => {
          // A streamed request body needs `duplex`, which the DOM types do not know yet.
          const streamed: RequestInit & { readonly duplex: "half" } = { ...init, method: request.method, headers, body: stream, duplex: "half" }
          return exchange(fetch, request, url.right, streamed)
        })
    }
  })

const rawBody = (raw: unknown): BodyInit | undefined =>
  raw instanceof Uint8Array
    ? ownBuffer(raw)
    : typeof raw === "string" || raw instanceof ArrayBuffer || raw instanceof Blob || raw instanceof URLSearchParams ||
        raw instanceof FormData || raw instanceof ReadableStream
    ? raw
    : undefined

/** The bytes over an `ArrayBuffer` of their own kind (fetch takes no view of a `SharedArrayBuffer`). */
const ownBuffer = (bytes: Uint8Array): Uint8Array<ArrayBuffer> =>
  bytes.buffer instanceof ArrayBuffer ? new Uint8Array(bytes.buffer, bytes.byteOffset, bytes.byteLength) : Uint8Array.from(bytes)

/** Sends the request; succeeds when the response's head has arrived (its body is read on demand). */
const exchange = (
  fetch: typeof globalThis.fetch,
  request: HttpClientRequest.HttpClientRequest,
  url: string,
  init: RequestInit
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async((resume) => {
    const controller = new AbortController()
    // Dropped once called: nothing of a finished request may lead back to its fiber (see
    // NodeTransport's `exchange`).
    let pending: ((effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>) => void) | undefined =
      resume
    let unwatch: (() => void) | undefined
    const settle = (effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>) => {
      const resumeNow = pending
      pending = undefined
      unwatch?.()
      resumeNow?.(effect)
    }
    // The attempt's time is up (see `Deadline`): stopped as an interruption stops it.
    unwatch = Deadline.watch(request, () => {
      settle(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: new Deadline.Exceeded() })))
      controller.abort()
    })
    if (unwatch === undefined) return
    fetch(url, { ...init, signal: controller.signal }).then(
      (response) => settle(Effect.succeed(new FetchResponse(request, response, controller))),
      (cause: unknown) => settle(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
    )
    return Effect.sync(() => {
      if (pending === undefined) return
      pending = undefined
      unwatch?.()
      controller.abort()
    })
  })

const decoder = new TextDecoder()

// The buffer the last body of a declared length was read into, for the next one (see `readDeclared`).
let spare: ArrayBuffer | undefined
const spareLimit = 8 * 1024 * 1024

/**
 * A body of a declared length as text, read into one buffer that the next such body reuses. `text()`
 * gives each page a fresh buffer whose memory is freed only when the collector gets to it: a
 * listing under Deno had ~40 of them (26 MB) waiting at a time, and its process touched 90,000 new
 * pages of memory in a walk of 100,000 persons against 20,000 for a raw `fetch` loop
 * (bench/PROFILE-notes.md, "Deno's fresh buffers"). Where the body is not a byte stream (no BYOB
 * reader), `fallback`.
 */
const readDeclared = async (body: ReadableStream<Uint8Array>, declared: number, fallback: () => Promise<string>): Promise<string> => {
  let reader: ReadableStreamBYOBReader
  try {
    reader = body.getReader({ mode: "byob" })
  } catch {
    return fallback()
  }
  let buffer = spare !== undefined && spare.byteLength > declared ? spare : new ArrayBuffer(Math.max(declared + 1, 16 * 1024))
  spare = undefined
  let filled = 0
  for (;;) {
    // One byte more than declared, so that the end is seen in the buffer as it is.
    if (filled === buffer.byteLength) {
      const bigger = new ArrayBuffer(buffer.byteLength * 2)
      new Uint8Array(bigger).set(new Uint8Array(buffer))
      buffer = bigger
    }
    const chunk = await reader.read(new Uint8Array(buffer, filled, buffer.byteLength - filled))
    if (chunk.value !== undefined) {
      // A BYOB read hands the buffer back (transferred) in the view it filled.
      buffer = chunk.value.buffer
      filled += chunk.value.byteLength
    }
    if (chunk.done) break
  }
  const text = decoder.decode(new Uint8Array(buffer, 0, filled))
  if (buffer.byteLength <= spareLimit) spare = buffer
  return text
}

class FetchResponse extends TransportResponse.TransportResponse {
  private cachedHeaders: Headers.Headers | undefined
  private cachedText: string | undefined

  constructor(
    request: HttpClientRequest.HttpClientRequest,
    private readonly source: Response,
    private readonly controller: AbortController
  ) {
    super(request)
  }

  get status(): number {
    return this.source.status
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.source.headers)
  }

  get cookies(): Cookies.Cookies {
    const setCookie = this.source.headers.getSetCookie()
    return setCookie.length === 0 ? Cookies.empty : Cookies.fromSetCookie(setCookie)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.none()
  }

  /** A promise of the body, turned into an `Effect` whose interruption aborts the request. */
  private read<A, E>(
    start: () => Promise<A>,
    onError: (cause: unknown) => E
  ): Effect.Effect<A, E> {
    return Effect.async((resume) => {
      let pending: ((effect: Effect.Effect<A, E>) => void) | undefined = resume
      let unwatch: (() => void) | undefined
      const settle = (effect: Effect.Effect<A, E>) => {
        const resumeNow = pending
        pending = undefined
        unwatch?.()
        resumeNow?.(effect)
      }
      unwatch = Deadline.watch(this.request, () => {
        settle(Effect.fail(onError(new Deadline.Exceeded())))
        this.controller.abort()
      })
      if (unwatch === undefined) return
      start().then((value) => settle(Effect.succeed(value)), (cause: unknown) => settle(Effect.fail(onError(cause))))
      return Effect.sync(() => {
        if (pending === undefined) return
        pending = undefined
        unwatch?.()
        this.controller.abort()
      })
    })
  }

  /**
   * What `ResponseBody.text` reads through: the body as text within `limit` bytes. The text is not
   * kept on the response (as `text` keeps it): something still references a finished response until
   * the next full collection, and a page's text held there was copied to the old generation at each
   * scavenge under Deno (~25 MB promoted per scavenge in a listing; bench/PROFILE-notes.md,
   * "Responses that kept their body").
   */
  [ResponseBody.readWithin](limit: number): Effect.Effect<string, ResponseBody.TooLarge | HttpClientError.ResponseError> {
    if (this.cachedText !== undefined) return Effect.succeed(this.cachedText)
    const declared = Number(this.source.headers.get("content-length") ?? Number.NaN)
    if (ResponseBody.isIdentityEncoding(this.source.headers.get("content-encoding") ?? undefined) && Number.isSafeInteger(declared)) {
      if (declared > limit) {
        this.controller.abort()
        return Effect.fail(new ResponseBody.TooLarge({ limit, bytes: declared, declared: true }))
      }
      const declaredBody = this.source.body
      return this.read(
        () => declaredBody === null ? Promise.resolve("") : readDeclared(declaredBody, declared, () => this.source.text()),
        (cause) => this.decodeError(cause)
      )
    }
    const body = this.source.body
    if (body === null) return Effect.succeed("")
    return this.read(
      async () => {
        const reader = body.getReader()
        const parts: Array<Uint8Array> = []
        let bytes = 0
        for (;;) {
          const chunk = await reader.read()
          if (chunk.done) break
          bytes += chunk.value.byteLength
          if (bytes > limit) {
            this.controller.abort()
            throw new ResponseBody.TooLarge({ limit, bytes, declared: false })
          }
          parts.push(chunk.value)
        }
        return decoder.decode(Bytes.concat(parts))
      },
      (cause) => cause instanceof ResponseBody.TooLarge ? cause : this.decodeError(cause)
    )
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    if (this.cachedText !== undefined) return Effect.succeed(this.cachedText)
    return this.read(async () => this.cachedText = await this.source.text(), (cause) => this.decodeError(cause))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return this.read(() => this.source.arrayBuffer(), (cause) => this.decodeError(cause))
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return this.read(() => this.source.formData(), (cause) => this.decodeError(cause))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    const body = this.source.body
    if (body === null) return Stream.empty
    return Stream.fromReadableStream({ evaluate: () => body, onError: (cause) => this.decodeError(cause) }).pipe(
      // Abandoned before its end (a limit, an interruption): the connection is aborted, not left busy.
      Stream.ensuring(Effect.sync(() => this.controller.abort()))
    )
  }
}

/** The transport as the `HttpClient` layer. */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.succeed(
  HttpClient.HttpClient,
  Deadline.honour(HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
    (prepared) => Effect.flatMap(prepared, send),
    Effect.succeed
  ))
)
