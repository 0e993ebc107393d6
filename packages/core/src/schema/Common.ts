/** Building blocks shared by the v1 and v2 schemas. */
import * as Schema from "effect/Schema"

/** A field Pipedrive may leave out or send as `null`. Decodes to `A | null | undefined`, keeping which. */
export const optionalNullable = <S extends Schema.Schema.Any>(schema: S): Schema.optional<Schema.NullOr<S>> =>
  Schema.optional(Schema.NullOr(schema))

/** One email, phone or IM entry: `{ value, primary, label }`. */
export const ContactEntry: Schema.Struct<{
  value: Schema.optional<Schema.NullOr<typeof Schema.String>>
  primary: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  label: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  value: optionalNullable(Schema.String),
  primary: optionalNullable(Schema.Boolean),
  label: optionalNullable(Schema.String)
})
export type ContactEntry = typeof ContactEntry.Type

/** A postal address as Pipedrive splits it. */
export const PostalAddress: Schema.Struct<{
  value: Schema.optional<Schema.NullOr<typeof Schema.String>>
  country: Schema.optional<Schema.NullOr<typeof Schema.String>>
  admin_area_level_1: Schema.optional<Schema.NullOr<typeof Schema.String>>
  admin_area_level_2: Schema.optional<Schema.NullOr<typeof Schema.String>>
  locality: Schema.optional<Schema.NullOr<typeof Schema.String>>
  sublocality: Schema.optional<Schema.NullOr<typeof Schema.String>>
  route: Schema.optional<Schema.NullOr<typeof Schema.String>>
  street_number: Schema.optional<Schema.NullOr<typeof Schema.String>>
  subpremise: Schema.optional<Schema.NullOr<typeof Schema.String>>
  postal_code: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  value: optionalNullable(Schema.String),
  country: optionalNullable(Schema.String),
  admin_area_level_1: optionalNullable(Schema.String),
  admin_area_level_2: optionalNullable(Schema.String),
  locality: optionalNullable(Schema.String),
  sublocality: optionalNullable(Schema.String),
  route: optionalNullable(Schema.String),
  street_number: optionalNullable(Schema.String),
  subpremise: optionalNullable(Schema.String),
  postal_code: optionalNullable(Schema.String)
})
export type PostalAddress = typeof PostalAddress.Type

/**
 * Custom field values keyed by the field's 40-character hash. Values keep whatever JSON Pipedrive
 * sent (text, number, `{ value, currency }`, option ids…); `CustomFields` types them by name.
 */
export const CustomFieldValues: Schema.Record$<typeof Schema.String, typeof Schema.Unknown> =
  Schema.Record({ key: Schema.String, value: Schema.Unknown })
export type CustomFieldValues = typeof CustomFieldValues.Type

/** A positive integer id. */
export const Id: Schema.filter<typeof Schema.Int> = Schema.Int.pipe(Schema.positive({ message: () => "must be a positive integer id" }))

/** A string with something other than white space in it. */
export const NonBlankString: Schema.filter<typeof Schema.String> = Schema.String.pipe(
  Schema.filter((s) => s.trim() !== "", { message: () => "must not be empty" })
)

/** An entry to send: a non-empty value, optionally primary and labelled. */
export const ContactEntryInput: Schema.Struct<{
  value: Schema.filter<typeof Schema.String>
  primary: Schema.optional<typeof Schema.Boolean>
  label: Schema.optional<typeof Schema.String>
}> = Schema.Struct({
  value: NonBlankString,
  primary: Schema.optional(Schema.Boolean),
  label: Schema.optional(Schema.String)
})

/** The deal, activity, mail and follower counts both API versions send (v2 only with `include_fields`). */
export const activityCounts = {
  open_deals_count: optionalNullable(Schema.Number),
  related_open_deals_count: optionalNullable(Schema.Number),
  closed_deals_count: optionalNullable(Schema.Number),
  related_closed_deals_count: optionalNullable(Schema.Number),
  participant_open_deals_count: optionalNullable(Schema.Number),
  participant_closed_deals_count: optionalNullable(Schema.Number),
  email_messages_count: optionalNullable(Schema.Number),
  activities_count: optionalNullable(Schema.Number),
  done_activities_count: optionalNullable(Schema.Number),
  undone_activities_count: optionalNullable(Schema.Number),
  files_count: optionalNullable(Schema.Number),
  notes_count: optionalNullable(Schema.Number),
  followers_count: optionalNullable(Schema.Number),
  won_deals_count: optionalNullable(Schema.Number),
  related_won_deals_count: optionalNullable(Schema.Number),
  lost_deals_count: optionalNullable(Schema.Number),
  related_lost_deals_count: optionalNullable(Schema.Number),
}
