/**
 * The `HttpClient` the client runs on under Node (`HttpTransport.layer` there): requests over
 * `node:http` / `node:https` with connections kept alive, and bodies read as Node buffers. Node's
 * `fetch` (undici's WHATWG layer) and the platform's `FetchHttpClient` around it cost several times
 * more per request (web streams for every body, an `AbortController`, a `URL`, a finalizer
 * registration and a wrapper per response): one person by id took 0.10 ms through this against
 * 0.31 ms through `FetchHttpClient`, and a 500-person page about 40% less CPU
 * (bench/PROFILE-notes.md).
 *
 * What it does as `fetch` did: asks for and decompresses gzip, deflate and (over https) brotli
 * bodies; reports a failed connection with Node's error code as the `RequestError`'s cause (so a
 * refused connection is told from a dropped one); stops the request when its fiber is interrupted (a
 * timeout, Ctrl-C). And one thing more: `PipedriveClient` reads a body through it within
 * `maxResponseBytes` as it arrives, decompressed, with no `Stream` in between
 * (`ResponseBody.readWithin`), and closes the connection past the limit.
 *
 * One difference from `fetch`: a response whose body is never read keeps its connection until the
 * server closes it (Node's rule). Every request of `PipedriveClient` reads its body; a program using
 * `PipedriveClient.httpClient` directly should read (or `stream`) each response's body.
 */
import * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClient from "@effect/platform/HttpClient"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import type * as Scope from "effect/Scope"
import * as Stream from "effect/Stream"
import * as Http from "node:http"
import * as Https from "node:https"
import { pipeline, type Readable } from "node:stream"
import * as Zlib from "node:zlib"
import * as Deadline from "./Deadline.ts"
import * as ResponseBody from "./ResponseBody.ts"
import * as TransportResponse from "./TransportResponse.ts"

/**
 * Options of the connection pools (`http.Agent` / `https.Agent`); `keepAlive` is on unless set
 * off here. Node's defaults otherwise: no limit on sockets per host, idle sockets kept.
 */
export type Options = Https.AgentOptions

/**
 * An `HttpClient` over `node:http` and `node:https`, with pools of its own that are closed when
 * `scope` closes.
 */
export const make = (options: Options = {}): Effect.Effect<HttpClient.HttpClient, never, Scope.Scope> =>
  Effect.map(
    Effect.acquireRelease(
      Effect.sync(() => {
        const agentOptions = { keepAlive: true, ...options }
        return { http: new Http.Agent(agentOptions), https: new Https.Agent(agentOptions) }
      }),
      (agents) =>
        Effect.sync(() => {
          agents.http.destroy()
          agents.https.destroy()
        })
    ),
    fromAgents
  )

interface Agents {
  readonly http: Http.Agent
  readonly https: Https.Agent
}

const fromAgents = (agents: Agents): HttpClient.HttpClient =>
  Deadline.honour(
    HttpClient.makeWith<never, never, HttpClientError.HttpClientError, never>(
      (prepared) => Effect.flatMap(prepared, (request) => send(agents, request)),
      Effect.succeed
    )
  )

const send = (
  agents: Agents,
  request: HttpClientRequest.HttpClientRequest
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.HttpClientError> => {
  const url = UrlParams.makeUrl(request.url, request.urlParams, request.hash)
  if (Either.isLeft(url)) {
    return Effect.fail(new HttpClientError.RequestError({ request, reason: "InvalidUrl", cause: url.left }))
  }
  const body = request.body
  switch (body._tag) {
    case "Empty":
      return exchange(agents, request, url.right, undefined, undefined)
    case "Uint8Array":
      return exchange(agents, request, url.right, body.body, undefined)
    case "Raw": {
      const bytes = rawBytes(body.body)
      return bytes === undefined
        ? Effect.fail(
          new HttpClientError.RequestError({ request, reason: "Encode", description: "a raw body must be a string or bytes" })
        )
        : exchange(agents, request, url.right, bytes, undefined)
    }
    case "FormData":
      // Multipart as `fetch` encodes it (boundary and all), then sent with its length.
      return Effect.flatMap(
        Effect.tryPromise({
          try: async () => {
            const encoded = new Response(body.formData)
            return { bytes: new Uint8Array(await encoded.arrayBuffer()), contentType: encoded.headers.get("content-type") ?? undefined }
          },
          catch: (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause })
        }),
        ({ bytes, contentType }) => exchange(agents, request, url.right, bytes, contentType)
      )
    case "Stream":
      // Collected, then sent with its length: Pipedrive takes no streamed uploads.
      return Effect.flatMap(
        Stream.runCollect(Stream.mapError(body.stream, (cause) => new HttpClientError.RequestError({ request, reason: "Encode", cause }))),
        (chunks) => exchange(agents, request, url.right, Buffer.concat(Chunk.toReadonlyArray(chunks)), undefined)
      )
  }
}

const rawBytes = (raw: unknown): Uint8Array | undefined =>
  typeof raw === "string"
    ? Buffer.from(raw)
    : raw instanceof Uint8Array
    ? raw
    : raw instanceof ArrayBuffer
    ? new Uint8Array(raw)
    : raw instanceof URLSearchParams
    ? Buffer.from(raw.toString())
    : undefined

/** Sends the request; succeeds when the response's head has arrived (its body is read on demand). */
const exchange = (
  agents: Agents,
  request: HttpClientRequest.HttpClientRequest,
  url: URL,
  body: Uint8Array | undefined,
  contentType: string | undefined
): Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError> =>
  Effect.async((resume) => {
    const secure = url.protocol === "https:"
    const headers: Record<string, string> = { ...request.headers }
    // As undici's fetch asks: a compressed page of persons is a tenth of its size on the wire.
    if (headers["accept-encoding"] === undefined) headers["accept-encoding"] = secure ? "br, gzip, deflate" : "gzip, deflate"
    if (contentType !== undefined) headers["content-type"] = contentType
    if (body !== undefined) headers["content-length"] = String(body.byteLength)
    else delete headers["content-length"]
    const outgoing = (secure ? Https : Http).request(url, {
      method: request.method,
      headers,
      agent: secure ? agents.https : agents.http
    })
    // Nothing here may keep `resume` once it has been called: a pooled socket keeps its last request
    // (and these listeners) until it is used again, and `resume` leads to the fiber and so to the
    // page it decoded (a heap snapshot between two pages found the previous one held that way).
    let pending: ((effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>) => void) | undefined =
      resume
    let unwatch: (() => void) | undefined
    const settle = (effect: Effect.Effect<HttpClientResponse.HttpClientResponse, HttpClientError.RequestError>) => {
      const resumeNow = pending
      pending = undefined
      unwatch?.()
      outgoing.off("response", onResponse)
      resumeNow?.(effect)
    }
    const onResponse = (incoming: Http.IncomingMessage) => settle(Effect.succeed(new NodeResponse(request, incoming)))
    // Kept for the request's whole life: an error after the response (a reset mid-body) reaches the
    // body's reader through the response, and must not be an unhandled 'error' event here.
    outgoing.on("error", (cause) => {
      if (pending !== undefined) settle(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause })))
    })
    outgoing.on("response", onResponse)
    // The attempt's time is up (see `Deadline`): stopped as an interruption stops it.
    unwatch = Deadline.watch(request, () => {
      settle(Effect.fail(new HttpClientError.RequestError({ request, reason: "Transport", cause: new Deadline.Exceeded() })))
      outgoing.destroy()
    })
    if (unwatch === undefined) return
    outgoing.end(body)
    return Effect.sync(() => {
      if (pending === undefined) return
      pending = undefined
      unwatch?.()
      outgoing.destroy()
    })
  })

/** The decompressor of a `content-encoding` (as undici's fetch knows them); `undefined`: none, read as sent. */
const decompressor = (encoding: string): Zlib.Gunzip | Zlib.Inflate | Zlib.BrotliDecompress | undefined => {
  // Lenient at the end, as fetch is: a body cut short after its last full block still reads.
  const flush = { flush: Zlib.constants.Z_SYNC_FLUSH, finishFlush: Zlib.constants.Z_SYNC_FLUSH }
  switch (encoding.trim().toLowerCase()) {
    case "gzip":
    case "x-gzip":
      return Zlib.createGunzip(flush)
    case "deflate":
      return Zlib.createInflate(flush)
    case "br":
      return Zlib.createBrotliDecompress({
        flush: Zlib.constants.BROTLI_OPERATION_FLUSH,
        finishFlush: Zlib.constants.BROTLI_OPERATION_FLUSH
      })
    default:
      return undefined
  }
}

class NodeResponse extends TransportResponse.TransportResponse {
  private cachedHeaders: Headers.Headers | undefined
  /** The whole body once read; `reading` while a read is under way (a body is read once). */
  private body: Buffer | "reading" | "read" | undefined

  constructor(
    request: HttpClientRequest.HttpClientRequest,
    private readonly source: Http.IncomingMessage
  ) {
    super(request)
  }

  get status(): number {
    return this.source.statusCode ?? 0
  }

  get headers(): Headers.Headers {
    return this.cachedHeaders ??= Headers.fromInput(this.source.headers)
  }

  get cookies(): Cookies.Cookies {
    const setCookie = this.source.headers["set-cookie"]
    return setCookie === undefined ? Cookies.empty : Cookies.fromSetCookie(setCookie)
  }

  get remoteAddress(): Option.Option<string> {
    return Option.fromNullable(this.source.socket?.remoteAddress)
  }

  /**
   * The body (decompressed) as one buffer, failing with `TooLarge` past `limit` bytes; kept on the
   * response for another read when `keep`. Succeeds with `as(body)`, run in the reading fiber: here
   * rather than in an `Effect.map` after, two operations fewer a request.
   */
  private bytes<A>(
    limit: number,
    keep: boolean,
    as: (body: Buffer) => A
  ): Effect.Effect<A, ResponseBody.TooLarge | HttpClientError.ResponseError> {
    return Effect.async((resume) => {
      const read = this.body
      if (read instanceof Buffer) return resume(Effect.sync(() => as(read)))
      if (read === "reading") return resume(Effect.fail(this.decodeError(new Error("the body is already being read"))))
      if (read === "read") return resume(Effect.fail(this.decodeError(new Error("the body has already been read"))))
      const incoming = this.source
      const encoding = incoming.headers["content-encoding"]
      const plain = ResponseBody.isIdentityEncoding(encoding)
      const declared = Number(incoming.headers["content-length"] ?? Number.NaN)
      if (plain && Number.isSafeInteger(declared) && declared > limit) {
        incoming.destroy()
        return resume(Effect.fail(new ResponseBody.TooLarge({ limit, bytes: declared, declared: true })))
      }
      this.body = "reading"
      const source: Readable = plain ? incoming : withDecompression(incoming, encoding)
      const parts: Array<Buffer> = []
      let bytes = 0
      // Dropped once called, with every listener: see `exchange`.
      let pending: ((effect: Effect.Effect<A, ResponseBody.TooLarge | HttpClientError.ResponseError>) => void) | undefined =
        resume
      let unwatch: (() => void) | undefined
      const finish = (outcome: Effect.Effect<A, ResponseBody.TooLarge | HttpClientError.ResponseError>) => {
        const resumeNow = pending
        if (resumeNow === undefined) return
        pending = undefined
        unwatch?.()
        source.off("data", onData)
        source.off("end", onEnd)
        source.off("close", onClose)
        source.off("error", onError)
        // An error after the end (none is expected) must not be unhandled.
        source.on("error", ignore)
        resumeNow(outcome)
      }
      const onData = (chunk: Buffer) => {
        bytes += chunk.byteLength
        if (bytes > limit) {
          this.body = undefined
          incoming.destroy()
          return finish(Effect.fail(new ResponseBody.TooLarge({ limit, bytes, declared: false })))
        }
        parts.push(chunk)
      }
      const onEnd = () => {
        const [first] = parts
        const whole = parts.length === 1 && first !== undefined ? first : Buffer.concat(parts, bytes)
        parts.length = 0
        this.body = keep ? whole : "read"
        finish(Effect.sync(() => as(whole)))
      }
      const onError = (cause: unknown) => {
        this.body = undefined
        incoming.destroy()
        finish(Effect.fail(this.decodeError(cause)))
      }
      // Closed before its end: the connection dropped mid-body (Node 20 may not say it by an error).
      const onClose = () => onError(new Error("the connection closed before the body's end"))
      source.on("data", onData)
      source.on("end", onEnd)
      source.on("error", onError)
      source.on("close", onClose)
      unwatch = Deadline.watch(this.request, () => onError(new Deadline.Exceeded()))
      return Effect.sync(() => {
        if (pending === undefined) return
        pending = undefined
        unwatch?.()
        this.body = undefined
        incoming.destroy()
      })
    })
  }

  /**
   * What `ResponseBody.text` reads through: the body as text within `limit` bytes. The bytes are not
   * kept on the response (as `text` keeps them): something still references a finished response
   * until the next full collection, and a page's buffer held there kept its 650 KB of external
   * memory, whose growth made V8 start a full collection every few pages of a listing (5 a walk of
   * 200 pages; bench/PROFILE-notes.md, "Responses that kept their body").
   */
  [ResponseBody.readWithin](limit: number): Effect.Effect<string, ResponseBody.TooLarge | HttpClientError.ResponseError> {
    return this.bytes(limit, false, utf8)
  }

  get text(): Effect.Effect<string, HttpClientError.ResponseError> {
    return Effect.catchTag(this.bytes(Number.POSITIVE_INFINITY, true, utf8), "TooLarge", (error) => Effect.fail(this.decodeError(error)))
  }

  get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError> {
    return Effect.map(this.text, (text) => {
      const bytes = Buffer.from(text)
      return bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + bytes.byteLength)
    })
  }

  get formData(): Effect.Effect<FormData, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.tryPromise({
        try: () => new Response(text, { headers: { "content-type": this.headers["content-type"] ?? "" } }).formData(),
        catch: (cause) => this.decodeError(cause)
      }))
  }

  get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError> {
    return Stream.suspend(() => {
      const incoming = this.source
      const encoding = incoming.headers["content-encoding"]
      const source: Readable = ResponseBody.isIdentityEncoding(encoding) ? incoming : withDecompression(incoming, encoding)
      return Stream.fromAsyncIterable<Uint8Array, HttpClientError.ResponseError>(source, (cause) => this.decodeError(cause)).pipe(
        // Abandoned before its end (a limit, an interruption): the connection is closed, not left busy.
        Stream.ensuring(Effect.sync(() => {
          if (!incoming.complete) incoming.destroy()
        }))
      )
    })
  }
}

const withDecompression = (incoming: Http.IncomingMessage, encoding: string | undefined): Readable => {
  const decoder = encoding === undefined ? undefined : decompressor(encoding)
  if (decoder === undefined) return incoming
  // Either end failing or closing early destroys both: a broken gzip closes the connection.
  return pipeline(incoming, decoder, () => {})
}

const ignore = () => {}

const utf8 = (bytes: Buffer): string =>
  // `fetch`'s `text()` drops a leading byte order mark; JSON.parse would refuse it.
  bytes.byteLength >= 3 && bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf
    ? bytes.toString("utf8", 3)
    : bytes.toString("utf8")

/** The transport as the `HttpClient` layer, its pools closed with the layer. */
export const layer: Layer.Layer<HttpClient.HttpClient> = Layer.scoped(HttpClient.HttpClient, make())
