/**
 * Pipedrive's response envelopes: `{ success, data, additional_data, related_objects }`.
 * `data` is `null` in v1 lists with no items, so list envelopes accept both `null` and `[]`.
 * Use them with `PipedriveClient.request` for endpoints this library does not model.
 */
import * as Schema from "effect/Schema"
import { optionalNullable } from "../schema/Common.ts"
import * as Tolerance from "./Tolerance.ts"

export { optionalNullable } from "../schema/Common.ts"

/**
 * `related_objects`: what the items refer to, never what was asked for. Decoded entry by entry when
 * the whole fails (`Tolerance`): a bad entry is left out and reported, the page still returned.
 */
export const relatedObjects = <R, RI>(schema: Schema.Schema<R, RI>) => optionalNullable(Tolerance.auxiliary(schema, 2))

/**
 * An `additional_data` with nothing in it that decides the next page (v1 details'
 * `dropbox_email`), decoded part by part when the whole fails. Pagination fields stay strict:
 * dropping one would end a stream early without an error.
 */
export const additionalData = <A, I>(schema: Schema.Schema<A, I>) => optionalNullable(Tolerance.auxiliary(schema, 1))

/** A single object in `data` (get, create, update, delete). */
export const Single = <A, I>(data: Schema.Schema<A, I>) =>
  Schema.Struct({
    success: Schema.optional(Schema.Boolean),
    data
  })

/** Cursor-paginated list (API v2; v1 collection and changelog endpoints). */
export const CursorList = <A, I>(item: Schema.Schema<A, I>) =>
  Schema.Struct({
    success: Schema.optional(Schema.Boolean),
    data: optionalNullable(Schema.Array(item)),
    additional_data: optionalNullable(
      Schema.Struct({
        next_cursor: optionalNullable(Schema.String)
      })
    )
  })

/** The offset fields of v1 pagination. */
export const OffsetPagination = Schema.Struct({
  start: optionalNullable(Schema.Number),
  limit: optionalNullable(Schema.Number),
  more_items_in_collection: optionalNullable(Schema.Boolean),
  next_start: optionalNullable(Schema.Number)
})

/** Offset-paginated list (API v1); pagination under `additional_data.pagination` or `additional_data`. */
export const OffsetList = <A, I, R, RI>(item: Schema.Schema<A, I>, related: Schema.Schema<R, RI>) =>
  Schema.Struct({
    success: Schema.optional(Schema.Boolean),
    data: optionalNullable(Schema.Array(item)),
    additional_data: optionalNullable(
      Schema.extend(OffsetPagination, Schema.Struct({ pagination: optionalNullable(OffsetPagination) }))
    ),
    related_objects: relatedObjects(related)
  })
