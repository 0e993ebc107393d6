/**
 * The API v1 person (`GET /api/v1/persons`…) as in the seeds and Pipedrive's January 2026 v1 spec:
 * `owner_id` and `org_id` are objects (or null), `email`/`phone` are arrays, `visible_to` is a string,
 * and custom fields are top-level keys (40-character hashes), which are all kept.
 *
 * Where the seeds and the spec disagree, both are accepted: `owner_id`, `org_id` and `picture_id` may
 * also be plain ids (as v1 write responses and older docs show), `visible_to` a number.
 */
import * as Schema from "effect/Schema"
import { activityCounts, ContactEntry, type CustomFieldValues, optionalNullable } from "./Common.ts"

/** A user in `related_objects.user`. */
export const RelatedUser: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  email: Schema.optional<Schema.NullOr<typeof Schema.String>>
  // 0/1 on persons' related users; a boolean in other v1 examples of the same object.
  has_pic: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  pic_hash: Schema.optional<Schema.NullOr<typeof Schema.String>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  name: optionalNullable(Schema.String),
  email: optionalNullable(Schema.String),
  // 0/1 on persons' related users; a boolean in other v1 examples of the same object.
  has_pic: optionalNullable(Schema.Union(Schema.Number, Schema.Boolean)),
  pic_hash: optionalNullable(Schema.String),
  active_flag: optionalNullable(Schema.Boolean)
})

/** An organization in `related_objects.organization`. */
export const RelatedOrganization: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  people_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  owner_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  address: Schema.optional<Schema.NullOr<typeof Schema.String>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  cc_email: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  name: optionalNullable(Schema.String),
  people_count: optionalNullable(Schema.Number),
  owner_id: optionalNullable(Schema.Number),
  address: optionalNullable(Schema.String),
  active_flag: optionalNullable(Schema.Boolean),
  cc_email: optionalNullable(Schema.String)
})

/** The owner as v1 embeds it; `value` (or `id`) is the user id. The spec marks both optional. */
export const OwnerRef: Schema.Struct<{
  value: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  email: Schema.optional<Schema.NullOr<typeof Schema.String>>
  has_pic: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  pic_hash: Schema.optional<Schema.NullOr<typeof Schema.String>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
}> = Schema.Struct({ ...RelatedUser.fields, value: optionalNullable(Schema.Number) })

/** The organization as v1 embeds it; `value` is the organization id (optional in the spec). */
export const OrganizationRef: Schema.Struct<{
  value: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  people_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  owner_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  address: Schema.optional<Schema.NullOr<typeof Schema.String>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  cc_email: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({ ...RelatedOrganization.fields, value: optionalNullable(Schema.Number) })

/** Picture sizes by pixel width. */
export const PictureUrls: Schema.Struct<{
  128: Schema.optional<Schema.NullOr<typeof Schema.String>>
  512: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  128: optionalNullable(Schema.String),
  512: optionalNullable(Schema.String)
})

/** The picture as v1 embeds it; `value` (or `id`) is the picture id. */
export const PictureRef: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  item_type: Schema.optional<Schema.NullOr<typeof Schema.String>>
  item_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  added_by_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  pictures: Schema.optional<Schema.NullOr<typeof PictureUrls>>
  value: Schema.optional<Schema.NullOr<typeof Schema.Number>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  item_type: optionalNullable(Schema.String),
  item_id: optionalNullable(Schema.Number),
  active_flag: optionalNullable(Schema.Boolean),
  add_time: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String),
  added_by_user_id: optionalNullable(Schema.Number),
  pictures: optionalNullable(PictureUrls),
  value: optionalNullable(Schema.Number)
})

const knownFields = {
  id: Schema.Number,
  company_id: optionalNullable(Schema.Number),
  owner_id: optionalNullable(Schema.Union(OwnerRef, Schema.Number)),
  org_id: optionalNullable(Schema.Union(OrganizationRef, Schema.Number)),
  name: optionalNullable(Schema.String),
  first_name: optionalNullable(Schema.String),
  last_name: optionalNullable(Schema.String),
  ...activityCounts,
  active_flag: optionalNullable(Schema.Boolean),
  phone: optionalNullable(Schema.Array(ContactEntry)),
  email: optionalNullable(Schema.Array(ContactEntry)),
  primary_email: optionalNullable(Schema.String),
  first_char: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String),
  add_time: optionalNullable(Schema.String),
  visible_to: optionalNullable(Schema.Union(Schema.String, Schema.Number)),
  marketing_status: optionalNullable(Schema.String),
  picture_id: optionalNullable(Schema.Union(PictureRef, Schema.Number)),
  next_activity_date: optionalNullable(Schema.String),
  next_activity_time: optionalNullable(Schema.String),
  next_activity_id: optionalNullable(Schema.Number),
  last_activity_id: optionalNullable(Schema.Number),
  last_activity_date: optionalNullable(Schema.String),
  last_incoming_mail_time: optionalNullable(Schema.String),
  last_outgoing_mail_time: optionalNullable(Schema.String),
  label: optionalNullable(Schema.Number),
  label_ids: optionalNullable(Schema.Array(Schema.Number)),
  org_name: optionalNullable(Schema.String),
  owner_name: optionalNullable(Schema.String),
  cc_email: optionalNullable(Schema.String)
}

/**
 * A v1 person. Keys beyond the documented ones (custom field hashes, fields Pipedrive adds later)
 * are kept as `unknown` values, so nothing Pipedrive sent is dropped.
 */
export const Person: Schema.TypeLiteral<{
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  phone: Schema.optional<Schema.NullOr<Schema.Array$<typeof ContactEntry>>>
  email: Schema.optional<Schema.NullOr<Schema.Array$<typeof ContactEntry>>>
  primary_email: Schema.optional<Schema.NullOr<typeof Schema.String>>
  first_char: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  visible_to: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.String, typeof Schema.Number]>>>
  marketing_status: Schema.optional<Schema.NullOr<typeof Schema.String>>
  picture_id: Schema.optional<Schema.NullOr<Schema.Union<[typeof PictureRef, typeof Schema.Number]>>>
  next_activity_date: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  last_activity_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  last_activity_date: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_incoming_mail_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_outgoing_mail_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  label: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  label_ids: Schema.optional<Schema.NullOr<Schema.Array$<typeof Schema.Number>>>
  org_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  owner_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  cc_email: Schema.optional<Schema.NullOr<typeof Schema.String>>
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
  company_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  owner_id: Schema.optional<Schema.NullOr<Schema.Union<[typeof OwnerRef, typeof Schema.Number]>>>
  org_id: Schema.optional<Schema.NullOr<Schema.Union<[typeof OrganizationRef, typeof Schema.Number]>>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  first_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
}, readonly [typeof CustomFieldValues]> = Schema.Struct(knownFields, Schema.Record({ key: Schema.String, value: Schema.Unknown }))
export type Person = typeof Person.Type

/** The custom field values of a v1 person: its keys that are 40-character hashes. */
export const customFieldValues = (person: Person): Record<string, unknown> => {
  const values: Record<string, unknown> = {}
  for (const key of Object.keys(person)) {
    if (/^[0-9a-f]{40}$/.test(key)) values[key] = person[key]
  }
  return values
}

/** The owner's user id, whether v1 sent an object (`value` or `id`) or a plain id. */
export const ownerId = (person: Person): number | undefined => refId(person.owner_id)

/** The organization's id, whether v1 sent an object or a plain id; `undefined` when none. */
export const orgId = (person: Person): number | undefined => refId(person.org_id)

const refId = (
  ref: number | { readonly value?: number | null | undefined; readonly id?: number | null | undefined } | null | undefined
): number | undefined => (typeof ref === "number" ? ref : ref?.value ?? ref?.id) ?? undefined

/** `related_objects`: the users, organizations and pictures the persons refer to, keyed by id. */
export const RelatedObjects: Schema.Struct<{
  user: Schema.optional<Schema.NullOr<Schema.Record$<typeof Schema.String, typeof RelatedUser>>>
  organization: Schema.optional<Schema.NullOr<Schema.Record$<typeof Schema.String, typeof RelatedOrganization>>>
  picture: Schema.optional<Schema.NullOr<Schema.Record$<typeof Schema.String, typeof PictureRef>>>
}> = Schema.Struct({
  user: optionalNullable(Schema.Record({ key: Schema.String, value: RelatedUser })),
  organization: optionalNullable(Schema.Record({ key: Schema.String, value: RelatedOrganization })),
  picture: optionalNullable(Schema.Record({ key: Schema.String, value: PictureRef }))
})
export type RelatedObjects = typeof RelatedObjects.Type
