/**
 * Reads a response body as text, never more than a limit of bytes, so that a broken or hostile
 * server (or a proxy in between) cannot make the client buffer an unbounded body.
 *
 * A plain body whose `content-length` is within the limit is read whole, as the platform reads it; one
 * declared over the limit fails before anything is read. A body without a length (chunked) or
 * compressed (its length says nothing of the decompressed size) is counted as it arrives and
 * abandoned, its connection cancelled, once past the limit.
 */
import type * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as Data from "effect/Data"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Bytes from "./Bytes.ts"

/** The default limit of `PipedriveClient`'s `maxResponseBytes`: 64 MiB, about 25 times Pipedrive's largest page. */
export const defaultLimit = 64 * 1024 * 1024

/** The body is longer than the limit; `declared`: its `content-length` said so, nothing was read. */
export class TooLarge extends Data.TaggedError("TooLarge")<{
  readonly limit: number
  readonly bytes: number
  readonly declared: boolean
}> {
  override get message(): string {
    return this.declared
      ? `the response body is ${this.bytes} bytes, over the limit of ${this.limit} (maxResponseBytes)`
      : `the response body is over the limit of ${this.limit} bytes (maxResponseBytes); abandoned after ${this.bytes}`
  }
}

/**
 * A response whose transport reads its own body within a limit (`NodeTransport`'s): as Node buffers,
 * decompressed, with the connection closed past the limit, and no `Stream` in between.
 */
export const readWithin: unique symbol = Symbol.for("@pipedrive-effect/core/ResponseBody/readWithin")

/** What a response offers under `readWithin`: its body as text, or `TooLarge` past `limit` bytes. */
export interface ReadsWithin {
  readonly [readWithin]: (limit: number) => Effect.Effect<string, TooLarge | HttpClientError.ResponseError>
}

const readsWithin = (response: HttpClientResponse.HttpClientResponse): response is HttpClientResponse.HttpClientResponse & ReadsWithin =>
  readWithin in response

/** A `content-encoding` that leaves the body as sent (none, or `identity`): its `content-length` is its size. */
export const isIdentityEncoding = (encoding: string | undefined): boolean =>
  encoding === undefined || encoding === "" || encoding === "identity"

/** The body as text (UTF-8), or `TooLarge` past `limit` bytes. */
export const text = (
  response: HttpClientResponse.HttpClientResponse,
  limit: number
): Effect.Effect<string, TooLarge | HttpClientError.ResponseError> => {
  if (readsWithin(response)) return response[readWithin](limit)
  const length = response.headers["content-length"]
  const declared = length === undefined ? Number.NaN : Number(length)
  if (isIdentityEncoding(response.headers["content-encoding"]) && Number.isSafeInteger(declared)) {
    return declared <= limit
      ? response.text
      : Effect.zipRight(
        // Reads at most one chunk, then cancels the body: its connection is not held until collected.
        Effect.ignore(Stream.runDrain(Stream.take(response.stream, 1))),
        Effect.fail(new TooLarge({ limit, bytes: declared, declared: true }))
      )
  }
  return Effect.suspend(() => {
    const parts: Array<Uint8Array> = []
    let bytes = 0
    return Stream.runForEachChunk(response.stream, (chunk) => {
      for (const part of chunk) {
        bytes += part.byteLength
        if (bytes > limit) return Effect.fail(new TooLarge({ limit, bytes, declared: false }))
        parts.push(part)
      }
      return Effect.void
    }).pipe(Effect.map(() => decoder.decode(Bytes.concat(parts))))
  })
}

const decoder = new TextDecoder()
