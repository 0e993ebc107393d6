/**
 * Pipedrive's response envelopes: `{ success, data, additional_data, related_objects }`.
 * `data` is `null` in v1 lists with no items, so list envelopes accept both `null` and `[]`.
 * Use them with `PipedriveClient.request` for endpoints this library does not model.
 */
import { Schema } from "effect"
import { optionalNullable } from "../schema/Common.ts"

export { optionalNullable } from "../schema/Common.ts"

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
export const OffsetList = <A, I, R, RI>(item: Schema.Schema<A, I>, relatedObjects: Schema.Schema<R, RI>) =>
  Schema.Struct({
    success: Schema.optional(Schema.Boolean),
    data: optionalNullable(Schema.Array(item)),
    additional_data: optionalNullable(
      Schema.extend(OffsetPagination, Schema.Struct({ pagination: optionalNullable(OffsetPagination) }))
    ),
    related_objects: optionalNullable(relatedObjects)
  })
