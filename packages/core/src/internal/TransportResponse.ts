/**
 * What the two transports' responses (`NodeTransport`'s over `node:http`, `FetchTransport`'s over
 * `fetch`) have in common: the platform's type ids, the `Decode` error of a body that cannot be read,
 * the body as JSON or URL parameters from its text, and the redacted form they print as. Each
 * transport says where status, headers and the body come from.
 */
import type * as Cookies from "@effect/platform/Cookies"
import * as Headers from "@effect/platform/Headers"
import * as HttpClientError from "@effect/platform/HttpClientError"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"
import * as HttpClientResponse from "@effect/platform/HttpClientResponse"
import * as HttpIncomingMessage from "@effect/platform/HttpIncomingMessage"
import * as UrlParams from "@effect/platform/UrlParams"
import * as Effect from "effect/Effect"
import * as Inspectable from "effect/Inspectable"
import type * as Option from "effect/Option"
import type * as Stream from "effect/Stream"

/** A response of one of core's transports; subclasses give its source. */
export abstract class TransportResponse extends Inspectable.Class implements HttpClientResponse.HttpClientResponse {
  readonly [HttpIncomingMessage.TypeId]: HttpIncomingMessage.TypeId = HttpIncomingMessage.TypeId
  readonly [HttpClientResponse.TypeId]: HttpClientResponse.TypeId = HttpClientResponse.TypeId

  constructor(readonly request: HttpClientRequest.HttpClientRequest) {
    super()
  }

  abstract get status(): number
  abstract get headers(): Headers.Headers
  abstract get cookies(): Cookies.Cookies
  abstract get remoteAddress(): Option.Option<string>
  abstract get text(): Effect.Effect<string, HttpClientError.ResponseError>
  abstract get arrayBuffer(): Effect.Effect<ArrayBuffer, HttpClientError.ResponseError>
  abstract get formData(): Effect.Effect<FormData, HttpClientError.ResponseError>
  abstract get stream(): Stream.Stream<Uint8Array, HttpClientError.ResponseError>

  /** The body could not be read (or parsed) as asked. */
  protected decodeError(cause: unknown): HttpClientError.ResponseError {
    return new HttpClientError.ResponseError({ request: this.request, response: this, reason: "Decode", cause })
  }

  get json(): Effect.Effect<unknown, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({ try: (): unknown => text === "" ? null : JSON.parse(text), catch: (cause) => this.decodeError(cause) }))
  }

  get urlParamsBody(): Effect.Effect<UrlParams.UrlParams, HttpClientError.ResponseError> {
    return Effect.flatMap(this.text, (text) =>
      Effect.try({ try: () => UrlParams.fromInput(new URLSearchParams(text)), catch: (cause) => this.decodeError(cause) }))
  }

  toJSON(): unknown {
    return {
      _id: "@effect/platform/HttpClientResponse",
      request: this.request.toJSON(),
      status: this.status,
      headers: Inspectable.redact(this.headers),
      remoteAddress: this.remoteAddress.toJSON()
    }
  }
}
