/**
 * The ways a request can fail, and how Pipedrive spells each failure on the wire.
 *
 * Every error body has Pipedrive's envelope: `success: false`, `error`, `error_info`, `data: null`,
 * `additional_data: null`. API v2 adds a machine-readable `code`; 401s carry the numeric `errorCode`
 * of Pipedrive's `unauthorizedResponse` schema.
 */
import type { HttpServerResponse } from "@effect/platform"
import { Data } from "effect"
import { json } from "./Envelope.ts"

/** The token is missing or wrong. */
export class Unauthorized extends Data.TaggedError("Unauthorized")<{}> {}

/** The caller may not do this: the collection endpoints are for global admins only. */
export class Forbidden extends Data.TaggedError("Forbidden")<{}> {}

/** The person, or the route, does not exist. */
export class NotFound extends Data.TaggedError("NotFound")<{ readonly error: string }> {}

/** A query parameter or a body field is invalid; `field` names it. */
export class ValidationFailed extends Data.TaggedError("ValidationFailed")<{
  readonly field: string
  readonly reason: string
}> {}

/** The body is not JSON (or not a JSON object). */
export class InvalidJson extends Data.TaggedError("InvalidJson")<{ readonly reason: string }> {}

/** The body is larger than the server accepts. */
export class PayloadTooLarge extends Data.TaggedError("PayloadTooLarge")<{ readonly limit: number }> {}

/** Anything the API can answer with instead of data. */
export type ApiError = Unauthorized | Forbidden | NotFound | ValidationFailed | InvalidJson | PayloadTooLarge

/** Which API a request was for: their error bodies differ slightly. */
export type ApiVersion = "v1" | "v2"

/** `v2` for paths under `/api/v2`, `v1` for anything else. */
export const versionOf = (url: string): ApiVersion => (url.startsWith("/api/v2/") || url === "/api/v2" ? "v2" : "v1")

/** The `error_info` Pipedrive sends with every error. */
export const ERROR_INFO = "Please check developers.pipedrive.com for more information about Pipedrive API."

/** The HTTP response for an error. */
export const toResponse = (error: ApiError, version: ApiVersion): HttpServerResponse.HttpServerResponse => {
  switch (error._tag) {
    case "Unauthorized":
      return respond(401, "unauthorized access", "ERR_UNAUTHORIZED", version, { errorCode: 401 })
    case "Forbidden":
      // The words of the spec's 403 example for getPersonsCollection.
      return respond(403, "You do not have permissions to do this.", "ERR_FORBIDDEN", version)
    case "NotFound":
      return respond(404, error.error, "ERR_NOT_FOUND", version)
    case "ValidationFailed":
      return respond(400, `Validation failed: ${error.field}: ${error.reason}`, "ERR_SCHEMA_VALIDATION_FAILED", version)
    case "InvalidJson":
      return respond(400, `Invalid JSON body: ${error.reason}`, "ERR_INVALID_JSON", version)
    case "PayloadTooLarge":
      return respond(413, `Request body is larger than ${error.limit} bytes`, "ERR_PAYLOAD_TOO_LARGE", version)
  }
}

/** The 500 response for a defect: the body says nothing about the cause (it is logged instead). */
export const internalError = (version: ApiVersion): HttpServerResponse.HttpServerResponse =>
  respond(500, "An internal server error occurred", "ERR_INTERNAL", version)

const respond = (
  status: number,
  error: string,
  code: string,
  version: ApiVersion,
  extra: Record<string, unknown> = {}
) =>
  json(status, {
    success: false,
    error,
    ...extra,
    ...(version === "v2" ? { code } : {}),
    error_info: ERROR_INFO,
    data: null,
    additional_data: null
  })
