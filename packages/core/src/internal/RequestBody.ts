/**
 * Request bodies are checked against their `Schema` before anything is sent: a wrong body fails
 * with `InvalidRequest` naming the field, and unknown keys are refused, so a typo is never dropped
 * silently and never reaches Pipedrive.
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { formatParseError, InvalidRequest } from "../PipedriveError.ts"

/** Which request a body belongs to, for the error. */
export interface Where {
  readonly operation: string
  readonly method: string
  readonly path: string
}

/** Validates and encodes `body` with `schema` for the request `where`. */
export const encodeBody = <A, I>(schema: Schema.Schema<A, I>, where: Where) => {
  const encode = Schema.encodeUnknown(schema, { onExcessProperty: "error", errors: "all" })
  return (body: A): Effect.Effect<I, InvalidRequest> =>
    encode(body).pipe(
      Effect.mapError((error) => new InvalidRequest({ ...where, detail: formatParseError(error) }))
    )
}
