/**
 * Pipedrive's response envelopes: `{ success, data, additional_data, related_objects }`.
 * `data` is `null` in v1 lists with no items, so list envelopes accept both `null` and `[]`.
 * Use them with `PipedriveClient.request` for endpoints this library does not model.
 */
import * as Schema from "effect/Schema"
import { optionalNullable } from "../schema/Common.ts"
import * as Tolerance from "./Tolerance.ts"

export { optionalNullable } from "../schema/Common.ts"

/** An optional, nullable envelope part decoded as `S` decodes (`Tolerance` may drop bad entries). */
export type Part<S extends Schema.Schema.AnyNoContext> = Schema.optional<
  Schema.NullOr<Schema.Schema<Schema.Schema.Type<S>, Schema.Schema.Encoded<S>>>
>

/**
 * `related_objects`: what the items refer to, never what was asked for. Decoded entry by entry when
 * the whole fails (`Tolerance`): a bad entry is left out and reported, the page still returned.
 */
export const relatedObjects = <S extends Schema.Schema.AnyNoContext>(schema: S): Part<S> =>
  optionalNullable(Tolerance.auxiliary(schema, 2))

/**
 * An `additional_data` with nothing in it that decides the next page (v1 details'
 * `dropbox_email`), decoded part by part when the whole fails. Pagination fields stay strict:
 * dropping one would end a stream early without an error.
 */
export const additionalData = <S extends Schema.Schema.AnyNoContext>(schema: S): Part<S> =>
  optionalNullable(Tolerance.auxiliary(schema, 1))

/** The schema of a body with a single object in `data`: `S`. */
export type Single<S extends Schema.Schema.AnyNoContext> = Schema.Struct<{
    success: Schema.optional<typeof Schema.Boolean>
    data: S
  }>

/** A single object in `data` (get, create, update, delete). */
export const Single = <S extends Schema.Schema.AnyNoContext>(data: S): Single<S> =>
  Schema.Struct({
    success: Schema.optional(Schema.Boolean),
    data
  })

/** The schema of a cursor-paginated list body of `S` items. */
export type CursorList<S extends Schema.Schema.AnyNoContext> = Schema.Struct<{
    success: Schema.optional<typeof Schema.Boolean>
    data: Schema.optional<Schema.NullOr<Schema.Array$<S>>>
    additional_data: Schema.optional<Schema.NullOr<Schema.Struct<{ next_cursor: Schema.optional<Schema.NullOr<typeof Schema.String>> }>>>
  }>

/** Cursor-paginated list (API v2; v1 collection and changelog endpoints). */
export const CursorList = <S extends Schema.Schema.AnyNoContext>(item: S): CursorList<S> =>
  Schema.Struct({
    success: Schema.optional(Schema.Boolean),
    data: optionalNullable(Schema.Array(item)),
    additional_data: optionalNullable(
      Schema.Struct({
        next_cursor: optionalNullable(Schema.String)
      })
    )
  })

/** The schema of v1's offset fields. */
export type OffsetPagination = Schema.Struct<{
    start: Schema.optional<Schema.NullOr<typeof Schema.Number>>
    limit: Schema.optional<Schema.NullOr<typeof Schema.Number>>
    more_items_in_collection: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
    next_start: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  }>

/** The offset fields of v1 pagination. */
export const OffsetPagination: OffsetPagination = Schema.Struct({
  start: optionalNullable(Schema.Number),
  limit: optionalNullable(Schema.Number),
  more_items_in_collection: optionalNullable(Schema.Boolean),
  next_start: optionalNullable(Schema.Number)
})

/** The schema of an offset-paginated v1 list body of `S` items, with related objects `R`. */
export type OffsetList<S extends Schema.Schema.AnyNoContext, R extends Schema.Schema.AnyNoContext> = Schema.Struct<{
    success: Schema.optional<typeof Schema.Boolean>
    data: Schema.optional<Schema.NullOr<Schema.Array$<S>>>
    additional_data: Schema.optional<
      Schema.NullOr<Schema.extend<OffsetPagination, Schema.Struct<{ pagination: Schema.optional<Schema.NullOr<OffsetPagination>> }>>>
    >
    related_objects: Part<R>
  }>

/** Offset-paginated list (API v1); pagination under `additional_data.pagination` or `additional_data`. */
export const OffsetList = <S extends Schema.Schema.AnyNoContext, R extends Schema.Schema.AnyNoContext>(item: S, related: R): OffsetList<S, R> =>
  Schema.Struct({
    success: Schema.optional(Schema.Boolean),
    data: optionalNullable(Schema.Array(item)),
    additional_data: optionalNullable(
      Schema.extend(OffsetPagination, Schema.Struct({ pagination: optionalNullable(OffsetPagination) }))
    ),
    related_objects: relatedObjects(related)
  })
