/**
 * The API v2 person (`GET /api/v2/persons`…), and the bodies of create and update.
 *
 * Pipedrive's OpenAPI file marks every field optional and none nullable, while real responses send
 * `null` for unset values (`org_id`, `picture_id`, `birthday`…). Both are accepted: every field but
 * `id` is `T | null | undefined`. `id` is required because every stored person has one and nothing
 * useful can be done with a person without it.
 */
import * as Schema from "effect/Schema"
import {
  activityCounts,
  ContactEntry,
  ContactEntryInput,
  CustomFieldValues,
  Id,
  NonBlankString,
  optionalNullable,
  PostalAddress
} from "./Common.ts"

/** Pipedrive's visibility levels: 1 owner only, 3 owner's group, 5 group and sub-groups, 7 company. */
export const VisibleTo: Schema.Literal<[1, 3, 5, 7]> = Schema.Literal(1, 3, 5, 7)

/** Marketing consent, on accounts with the Campaigns product. */
export const MarketingStatus: Schema.Literal<["no_consent", "unsubscribed", "subscribed", "archived"]> =
  Schema.Literal("no_consent", "unsubscribed", "subscribed", "archived")

/** A person as API v2 returns it. Fields of `include_fields` appear only when asked for. */
export const Person: Schema.Struct<{
  last_incoming_mail_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_outgoing_mail_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  marketing_status: Schema.optional<Schema.NullOr<typeof Schema.String>>
  doi_status: Schema.optional<Schema.NullOr<typeof Schema.String>>
  smart_bcc_email: Schema.optional<Schema.NullOr<typeof Schema.String>>
  open_deals_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  related_open_deals_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  closed_deals_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  related_closed_deals_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  participant_open_deals_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  participant_closed_deals_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  email_messages_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  activities_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  done_activities_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  undone_activities_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  files_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  notes_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  followers_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  won_deals_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  related_won_deals_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  lost_deals_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  related_lost_deals_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  id: typeof Schema.Number
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  first_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  owner_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  org_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  emails: Schema.optional<Schema.NullOr<Schema.Array$<typeof ContactEntry>>>
  phones: Schema.optional<Schema.NullOr<Schema.Array$<typeof ContactEntry>>>
  is_deleted: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  visible_to: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  label_ids: Schema.optional<Schema.NullOr<Schema.Array$<typeof Schema.Number>>>
  picture_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  postal_address: Schema.optional<Schema.NullOr<typeof PostalAddress>>
  notes: Schema.optional<Schema.NullOr<typeof Schema.String>>
  im: Schema.optional<Schema.NullOr<Schema.Array$<typeof ContactEntry>>>
  birthday: Schema.optional<Schema.NullOr<typeof Schema.String>>
  job_title: Schema.optional<Schema.NullOr<typeof Schema.String>>
  custom_fields: Schema.optional<Schema.NullOr<typeof CustomFieldValues>>
  // include_fields
  next_activity_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  last_activity_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
}> = Schema.Struct({
  id: Schema.Number,
  name: optionalNullable(Schema.String),
  first_name: optionalNullable(Schema.String),
  last_name: optionalNullable(Schema.String),
  owner_id: optionalNullable(Schema.Number),
  org_id: optionalNullable(Schema.Number),
  add_time: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String),
  emails: optionalNullable(Schema.Array(ContactEntry)),
  phones: optionalNullable(Schema.Array(ContactEntry)),
  is_deleted: optionalNullable(Schema.Boolean),
  visible_to: optionalNullable(Schema.Number),
  label_ids: optionalNullable(Schema.Array(Schema.Number)),
  picture_id: optionalNullable(Schema.Number),
  postal_address: optionalNullable(PostalAddress),
  notes: optionalNullable(Schema.String),
  im: optionalNullable(Schema.Array(ContactEntry)),
  birthday: optionalNullable(Schema.String),
  job_title: optionalNullable(Schema.String),
  custom_fields: optionalNullable(CustomFieldValues),
  // include_fields
  next_activity_id: optionalNullable(Schema.Number),
  last_activity_id: optionalNullable(Schema.Number),
  ...activityCounts,
  last_incoming_mail_time: optionalNullable(Schema.String),
  last_outgoing_mail_time: optionalNullable(Schema.String),
  marketing_status: optionalNullable(Schema.String),
  doi_status: optionalNullable(Schema.String),
  smart_bcc_email: optionalNullable(Schema.String)
})
export type Person = typeof Person.Type

/** The optional fields shared by create and update bodies. */
const writableFields = {
  owner_id: Schema.optional(Id),
  org_id: Schema.optional(Schema.NullOr(Id)),
  emails: Schema.optional(Schema.Array(ContactEntryInput)),
  phones: Schema.optional(Schema.Array(ContactEntryInput)),
  visible_to: Schema.optional(VisibleTo),
  label_ids: Schema.optional(Schema.Array(Id)),
  postal_address: Schema.optional(Schema.NullOr(PostalAddress)),
  notes: Schema.optional(Schema.NullOr(Schema.String)),
  im: Schema.optional(Schema.Array(ContactEntryInput)),
  birthday: Schema.optional(Schema.NullOr(Schema.String.pipe(Schema.pattern(/^\d{4}-\d{2}-\d{2}$/, {
    message: () => "must be a date as YYYY-MM-DD"
  })))),
  job_title: Schema.optional(Schema.NullOr(Schema.String)),
  marketing_status: Schema.optional(MarketingStatus),
  custom_fields: Schema.optional(CustomFieldValues)
}

/** The body of `Persons.create` (`POST /api/v2/persons`): `name` is required. */
export const PersonCreate: Schema.Struct<{
  owner_id: Schema.optional<Schema.filter<typeof Schema.Int>>
  org_id: Schema.optional<Schema.NullOr<Schema.filter<typeof Schema.Int>>>
  emails: Schema.optional<Schema.Array$<typeof ContactEntryInput>>
  phones: Schema.optional<Schema.Array$<typeof ContactEntryInput>>
  visible_to: Schema.optional<Schema.Literal<[1, 3, 5, 7]>>
  label_ids: Schema.optional<Schema.Array$<Schema.filter<typeof Schema.Int>>>
  postal_address: Schema.optional<Schema.NullOr<typeof PostalAddress>>
  notes: Schema.optional<Schema.NullOr<typeof Schema.String>>
  im: Schema.optional<Schema.Array$<typeof ContactEntryInput>>
  birthday: Schema.optional<Schema.NullOr<Schema.filter<typeof Schema.String>>>
  job_title: Schema.optional<Schema.NullOr<typeof Schema.String>>
  marketing_status: Schema.optional<typeof MarketingStatus>
  custom_fields: Schema.optional<typeof CustomFieldValues>
  name: Schema.filter<typeof Schema.String>
  add_time: Schema.optional<typeof Schema.String>
}> = Schema.Struct({
  name: NonBlankString,
  add_time: Schema.optional(Schema.String),
  ...writableFields
})
export type PersonCreate = typeof PersonCreate.Type

/** The body of `Persons.update` (`PATCH /api/v2/persons/{id}`): only the fields to change. */
export const PersonUpdate: Schema.Struct<{
  owner_id: Schema.optional<Schema.filter<typeof Schema.Int>>
  org_id: Schema.optional<Schema.NullOr<Schema.filter<typeof Schema.Int>>>
  emails: Schema.optional<Schema.Array$<typeof ContactEntryInput>>
  phones: Schema.optional<Schema.Array$<typeof ContactEntryInput>>
  visible_to: Schema.optional<Schema.Literal<[1, 3, 5, 7]>>
  label_ids: Schema.optional<Schema.Array$<Schema.filter<typeof Schema.Int>>>
  postal_address: Schema.optional<Schema.NullOr<typeof PostalAddress>>
  notes: Schema.optional<Schema.NullOr<typeof Schema.String>>
  im: Schema.optional<Schema.Array$<typeof ContactEntryInput>>
  birthday: Schema.optional<Schema.NullOr<Schema.filter<typeof Schema.String>>>
  job_title: Schema.optional<Schema.NullOr<typeof Schema.String>>
  marketing_status: Schema.optional<typeof MarketingStatus>
  custom_fields: Schema.optional<typeof CustomFieldValues>
  name: Schema.optional<Schema.filter<typeof Schema.String>>
}> = Schema.Struct({
  name: Schema.optional(NonBlankString),
  ...writableFields
})
export type PersonUpdate = typeof PersonUpdate.Type

/** What `DELETE /api/v2/persons/{id}` returns. */
export const DeletedPerson: Schema.Struct<{
  id: typeof Schema.Number
}> = Schema.Struct({ id: Schema.Number })
export type DeletedPerson = typeof DeletedPerson.Type
