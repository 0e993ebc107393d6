/**
 * Reading a request's JSON body within the size limit.
 *
 * The limit is the platform's `HttpIncomingMessage.MaxBodySize`, which the app sets. A body whose
 * `Content-Length` is over it is refused before a byte is read. A chunked body is read to its end
 * but kept only up to the limit, so that the 413 reaches a client that is still sending; past
 * `DRAIN_LIMIT` the server stops listening and the connection is cut.
 */
import { Buffer } from "node:buffer"
import { HttpIncomingMessage, HttpServerRequest } from "@effect/platform"
import { Effect, Option, Stream } from "effect"
import { InvalidJson, PayloadTooLarge, ValidationFailed } from "./ApiError.ts"

/** How much of an oversized chunked body is drained (and discarded) before giving up on it. */
export const DRAIN_LIMIT = 64 * 1024 * 1024

/** The body as a JSON object. */
export const jsonObject: Effect.Effect<
  Readonly<Record<string, unknown>>,
  InvalidJson | PayloadTooLarge | ValidationFailed,
  HttpServerRequest.HttpServerRequest
> = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const max = Option.match(yield* HttpIncomingMessage.MaxBodySize, {
    onNone: () => Number.POSITIVE_INFINITY,
    onSome: Number
  })
  const declared = Number(request.headers["content-length"] ?? Number.NaN)
  if (declared > max) return yield* new PayloadTooLarge({ limit: max })
  const body = yield* request.stream.pipe(
    Stream.runFoldWhile(
      { size: 0, chunks: [] as Array<Uint8Array> },
      (body) => body.size <= DRAIN_LIMIT,
      (body, chunk) => {
        body.size += chunk.byteLength
        if (body.size <= max) body.chunks.push(chunk)
        return body
      }
    ),
    Effect.mapError(() => new InvalidJson({ reason: "the body could not be read" }))
  )
  if (body.size > max) return yield* new PayloadTooLarge({ limit: max })
  const text = Buffer.concat(body.chunks).toString("utf8")
  if (text.trim() === "") return yield* new InvalidJson({ reason: "the body is empty" })
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (error) {
    return yield* new InvalidJson({ reason: error instanceof Error ? error.message : "unparseable" })
  }
  if (typeof value !== "object" || value === null || Array.isArray(value)) {
    return yield* new ValidationFailed({ field: "body", reason: "must be a JSON object" })
  }
  return value as Readonly<Record<string, unknown>>
})
