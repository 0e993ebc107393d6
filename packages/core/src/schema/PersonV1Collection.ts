/**
 * The lighter v1 person shapes: `GET /v1/persons/collection` (ids instead of embedded objects, a
 * `delete_time`) and the entries of `GET /v1/recents?items=person`.
 */
import * as Schema from "effect/Schema"
import { ContactEntry, type CustomFieldValues, optionalNullable } from "./Common.ts"
import { Person } from "./PersonV1.ts"

/** A person of the v1 collection. Other keys (custom fields) are kept as `unknown`. */
export const CollectionPerson: Schema.TypeLiteral<{
  id: typeof Schema.Number
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  owner_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  org_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  email: Schema.optional<Schema.NullOr<Schema.Array$<typeof ContactEntry>>>
  phone: Schema.optional<Schema.NullOr<Schema.Array$<typeof ContactEntry>>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  /** Set when the person was deleted: the collection lists deleted persons too. */
  delete_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  visible_to: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.String, typeof Schema.Number]>>>
  picture_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  label: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  label_ids: Schema.optional<Schema.NullOr<Schema.Array$<typeof Schema.Number>>>
  cc_email: Schema.optional<Schema.NullOr<typeof Schema.String>>
}, readonly [typeof CustomFieldValues]> = Schema.Struct({
  id: Schema.Number,
  active_flag: optionalNullable(Schema.Boolean),
  owner_id: optionalNullable(Schema.Number),
  org_id: optionalNullable(Schema.Number),
  name: optionalNullable(Schema.String),
  email: optionalNullable(Schema.Array(ContactEntry)),
  phone: optionalNullable(Schema.Array(ContactEntry)),
  update_time: optionalNullable(Schema.String),
  /** Set when the person was deleted: the collection lists deleted persons too. */
  delete_time: optionalNullable(Schema.String),
  add_time: optionalNullable(Schema.String),
  visible_to: optionalNullable(Schema.Union(Schema.String, Schema.Number)),
  picture_id: optionalNullable(Schema.Number),
  label: optionalNullable(Schema.Number),
  label_ids: optionalNullable(Schema.Array(Schema.Number)),
  cc_email: optionalNullable(Schema.String)
}, Schema.Record({ key: Schema.String, value: Schema.Unknown }))
export type CollectionPerson = typeof CollectionPerson.Type

/** One entry of `GET /v1/recents?items=person`: the person as it is now (`owner_id`/`org_id` as ids). */
export const RecentPerson: Schema.Struct<{
  item: Schema.Literal<["person"]>
  id: typeof Schema.Number
  data: Schema.optional<Schema.NullOr<typeof Person>>
}> = Schema.Struct({
  item: Schema.Literal("person"),
  id: Schema.Number,
  data: optionalNullable(Person)
})
export type RecentPerson = typeof RecentPerson.Type

/** The pagination block of recents: offsets and the newest `update_time` on the page. */
export const RecentsAdditionalData: Schema.Struct<{
  since_timestamp: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_timestamp_on_page: Schema.optional<Schema.NullOr<typeof Schema.String>>
  pagination: Schema.optional<Schema.NullOr<Schema.Struct<{
    start: Schema.optional<Schema.NullOr<typeof Schema.Number>>
    limit: Schema.optional<Schema.NullOr<typeof Schema.Number>>
    more_items_in_collection: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
    next_start: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  }>>>
}> = Schema.Struct({
  since_timestamp: optionalNullable(Schema.String),
  last_timestamp_on_page: optionalNullable(Schema.String),
  pagination: optionalNullable(Schema.Struct({
    start: optionalNullable(Schema.Number),
    limit: optionalNullable(Schema.Number),
    more_items_in_collection: optionalNullable(Schema.Boolean),
    next_start: optionalNullable(Schema.Number)
  }))
})
