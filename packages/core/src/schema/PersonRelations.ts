/**
 * What hangs off a person in Pipedrive: its activities, deals, files, mail messages, products,
 * updates (the "flow"), changelog, followers and picture, as the January 2026 v1 spec and the v2 spec
 * describe them. The spec marks nothing required and real responses send `null` for unset values, so
 * every field but the envelope's is `optionalNullable`. Deals and products keep unknown keys: that is
 * where Pipedrive puts their custom fields (40-character hash keys).
 */
import * as Schema from "effect/Schema"
import { ContactEntry, Id, optionalNullable } from "./Common.ts"
import { OrganizationRef, OwnerRef, PictureUrls, RelatedOrganization } from "./PersonV1.ts"

const Unknowns = Schema.Record({ key: Schema.String, value: Schema.Unknown })

/** A v1 activity (`GET /v1/persons/{id}/activities`). */
export const Activity: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  company_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  done: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  type: Schema.optional<Schema.NullOr<typeof Schema.String>>
  reference_type: Schema.optional<Schema.NullOr<typeof Schema.String>>
  reference_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  conference_meeting_client: Schema.optional<Schema.NullOr<typeof Schema.String>>
  conference_meeting_url: Schema.optional<Schema.NullOr<typeof Schema.String>>
  conference_meeting_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  due_date: Schema.optional<Schema.NullOr<typeof Schema.String>>
  due_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  duration: Schema.optional<Schema.NullOr<typeof Schema.String>>
  busy_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  marked_as_done_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_notification_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_notification_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  notification_language_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  subject: Schema.optional<Schema.NullOr<typeof Schema.String>>
  public_description: Schema.optional<Schema.NullOr<typeof Schema.String>>
  calendar_sync_include_context: Schema.optional<Schema.NullOr<typeof Schema.String>>
  location: Schema.optional<Schema.NullOr<typeof Schema.String>>
  org_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  person_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  deal_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  lead_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  project_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  gcal_event_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  google_calendar_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  google_calendar_etag: Schema.optional<Schema.NullOr<typeof Schema.String>>
  source_timezone: Schema.optional<Schema.NullOr<typeof Schema.String>>
  rec_rule: Schema.optional<Schema.NullOr<typeof Schema.String>>
  rec_rule_extension: Schema.optional<Schema.NullOr<typeof Schema.String>>
  rec_master_activity_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  series: Schema.optional<Schema.NullOr<Schema.Array$<typeof Schema.Unknown>>>
  note: Schema.optional<Schema.NullOr<typeof Schema.String>>
  created_by_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  location_subpremise: Schema.optional<Schema.NullOr<typeof Schema.String>>
  location_street_number: Schema.optional<Schema.NullOr<typeof Schema.String>>
  location_route: Schema.optional<Schema.NullOr<typeof Schema.String>>
  location_sublocality: Schema.optional<Schema.NullOr<typeof Schema.String>>
  location_locality: Schema.optional<Schema.NullOr<typeof Schema.String>>
  location_admin_area_level_1: Schema.optional<Schema.NullOr<typeof Schema.String>>
  location_admin_area_level_2: Schema.optional<Schema.NullOr<typeof Schema.String>>
  location_country: Schema.optional<Schema.NullOr<typeof Schema.String>>
  location_postal_code: Schema.optional<Schema.NullOr<typeof Schema.String>>
  location_formatted_address: Schema.optional<Schema.NullOr<typeof Schema.String>>
  attendees: Schema.optional<Schema.NullOr<Schema.Array$<Schema.Record$<typeof Schema.String, typeof Schema.Unknown>>>>
  participants: Schema.optional<Schema.NullOr<Schema.Array$<Schema.Record$<typeof Schema.String, typeof Schema.Unknown>>>>
  org_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  person_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  deal_title: Schema.optional<Schema.NullOr<typeof Schema.String>>
  owner_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  person_dropbox_bcc: Schema.optional<Schema.NullOr<typeof Schema.String>>
  deal_dropbox_bcc: Schema.optional<Schema.NullOr<typeof Schema.String>>
  assigned_to_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  file: Schema.optional<Schema.NullOr<Schema.Record$<typeof Schema.String, typeof Schema.Unknown>>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  company_id: optionalNullable(Schema.Number),
  user_id: optionalNullable(Schema.Number),
  done: optionalNullable(Schema.Boolean),
  type: optionalNullable(Schema.String),
  reference_type: optionalNullable(Schema.String),
  reference_id: optionalNullable(Schema.Number),
  conference_meeting_client: optionalNullable(Schema.String),
  conference_meeting_url: optionalNullable(Schema.String),
  conference_meeting_id: optionalNullable(Schema.String),
  due_date: optionalNullable(Schema.String),
  due_time: optionalNullable(Schema.String),
  duration: optionalNullable(Schema.String),
  busy_flag: optionalNullable(Schema.Boolean),
  add_time: optionalNullable(Schema.String),
  marked_as_done_time: optionalNullable(Schema.String),
  last_notification_time: optionalNullable(Schema.String),
  last_notification_user_id: optionalNullable(Schema.Number),
  notification_language_id: optionalNullable(Schema.Number),
  subject: optionalNullable(Schema.String),
  public_description: optionalNullable(Schema.String),
  calendar_sync_include_context: optionalNullable(Schema.String),
  location: optionalNullable(Schema.String),
  org_id: optionalNullable(Schema.Number),
  person_id: optionalNullable(Schema.Number),
  deal_id: optionalNullable(Schema.Number),
  lead_id: optionalNullable(Schema.String),
  project_id: optionalNullable(Schema.Number),
  active_flag: optionalNullable(Schema.Boolean),
  update_time: optionalNullable(Schema.String),
  update_user_id: optionalNullable(Schema.Number),
  gcal_event_id: optionalNullable(Schema.String),
  google_calendar_id: optionalNullable(Schema.String),
  google_calendar_etag: optionalNullable(Schema.String),
  source_timezone: optionalNullable(Schema.String),
  rec_rule: optionalNullable(Schema.String),
  rec_rule_extension: optionalNullable(Schema.String),
  rec_master_activity_id: optionalNullable(Schema.Number),
  series: optionalNullable(Schema.Array(Schema.Unknown)),
  note: optionalNullable(Schema.String),
  created_by_user_id: optionalNullable(Schema.Number),
  location_subpremise: optionalNullable(Schema.String),
  location_street_number: optionalNullable(Schema.String),
  location_route: optionalNullable(Schema.String),
  location_sublocality: optionalNullable(Schema.String),
  location_locality: optionalNullable(Schema.String),
  location_admin_area_level_1: optionalNullable(Schema.String),
  location_admin_area_level_2: optionalNullable(Schema.String),
  location_country: optionalNullable(Schema.String),
  location_postal_code: optionalNullable(Schema.String),
  location_formatted_address: optionalNullable(Schema.String),
  attendees: optionalNullable(Schema.Array(Unknowns)),
  participants: optionalNullable(Schema.Array(Unknowns)),
  org_name: optionalNullable(Schema.String),
  person_name: optionalNullable(Schema.String),
  deal_title: optionalNullable(Schema.String),
  owner_name: optionalNullable(Schema.String),
  person_dropbox_bcc: optionalNullable(Schema.String),
  deal_dropbox_bcc: optionalNullable(Schema.String),
  assigned_to_user_id: optionalNullable(Schema.Number),
  file: optionalNullable(Unknowns)
})
export type Activity = typeof Activity.Type

/** A user as a deal embeds it (`creator_user_id`, `user_id`): the same shape as a person's owner. */
export const DealUserRef = OwnerRef

/** A person as a deal embeds it (`person_id`) and as `related_objects.person` lists it. */
export const DealPersonRef: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  email: Schema.optional<Schema.NullOr<Schema.Array$<typeof ContactEntry>>>
  phone: Schema.optional<Schema.NullOr<Schema.Array$<typeof ContactEntry>>>
  owner_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  value: Schema.optional<Schema.NullOr<typeof Schema.Number>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  active_flag: optionalNullable(Schema.Boolean),
  name: optionalNullable(Schema.String),
  email: optionalNullable(Schema.Array(ContactEntry)),
  phone: optionalNullable(Schema.Array(ContactEntry)),
  owner_id: optionalNullable(Schema.Number),
  value: optionalNullable(Schema.Number)
})

/** An organization as a deal embeds it (`org_id`). */
export const DealOrganizationRef = OrganizationRef

const dealFields = {
  id: optionalNullable(Schema.Number),
  creator_user_id: optionalNullable(Schema.Union(DealUserRef, Schema.Number)),
  user_id: optionalNullable(Schema.Union(DealUserRef, Schema.Number)),
  person_id: optionalNullable(Schema.Union(DealPersonRef, Schema.Number)),
  org_id: optionalNullable(Schema.Union(DealOrganizationRef, Schema.Number)),
  company_id: optionalNullable(Schema.Number),
  stage_id: optionalNullable(Schema.Number),
  title: optionalNullable(Schema.String),
  value: optionalNullable(Schema.Number),
  currency: optionalNullable(Schema.String),
  add_time: optionalNullable(Schema.String),
  first_add_time: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String),
  stage_change_time: optionalNullable(Schema.String),
  active: optionalNullable(Schema.Boolean),
  deleted: optionalNullable(Schema.Boolean),
  is_archived: optionalNullable(Schema.Boolean),
  status: optionalNullable(Schema.String),
  probability: optionalNullable(Schema.Number),
  next_activity_date: optionalNullable(Schema.String),
  next_activity_time: optionalNullable(Schema.String),
  next_activity_id: optionalNullable(Schema.Number),
  last_activity_id: optionalNullable(Schema.Number),
  last_activity_date: optionalNullable(Schema.String),
  lost_reason: optionalNullable(Schema.String),
  visible_to: optionalNullable(Schema.Union(Schema.String, Schema.Number)),
  close_time: optionalNullable(Schema.String),
  pipeline_id: optionalNullable(Schema.Number),
  won_time: optionalNullable(Schema.String),
  first_won_time: optionalNullable(Schema.String),
  lost_time: optionalNullable(Schema.String),
  products_count: optionalNullable(Schema.Number),
  files_count: optionalNullable(Schema.Number),
  notes_count: optionalNullable(Schema.Number),
  followers_count: optionalNullable(Schema.Number),
  email_messages_count: optionalNullable(Schema.Number),
  activities_count: optionalNullable(Schema.Number),
  done_activities_count: optionalNullable(Schema.Number),
  undone_activities_count: optionalNullable(Schema.Number),
  participants_count: optionalNullable(Schema.Number),
  expected_close_date: optionalNullable(Schema.String),
  last_incoming_mail_time: optionalNullable(Schema.String),
  last_outgoing_mail_time: optionalNullable(Schema.String),
  label: optionalNullable(Schema.String),
  stage_order_nr: optionalNullable(Schema.Number),
  person_name: optionalNullable(Schema.String),
  org_name: optionalNullable(Schema.String),
  next_activity_subject: optionalNullable(Schema.String),
  next_activity_type: optionalNullable(Schema.String),
  next_activity_duration: optionalNullable(Schema.String),
  next_activity_note: optionalNullable(Schema.String),
  formatted_value: optionalNullable(Schema.String),
  weighted_value: optionalNullable(Schema.Number),
  formatted_weighted_value: optionalNullable(Schema.String),
  weighted_value_currency: optionalNullable(Schema.String),
  rotten_time: optionalNullable(Schema.String),
  owner_name: optionalNullable(Schema.String),
  cc_email: optionalNullable(Schema.String),
  org_hidden: optionalNullable(Schema.Boolean),
  person_hidden: optionalNullable(Schema.Boolean),
  origin: optionalNullable(Schema.String),
  origin_id: optionalNullable(Schema.String),
  channel: optionalNullable(Schema.Number),
  channel_id: optionalNullable(Schema.String),
  arr: optionalNullable(Schema.Number),
  mrr: optionalNullable(Schema.Number),
  acv: optionalNullable(Schema.Number),
  arr_currency: optionalNullable(Schema.String),
  mrr_currency: optionalNullable(Schema.String),
  acv_currency: optionalNullable(Schema.String)
}

/** A v1 deal (`GET /v1/persons/{id}/deals`); custom fields are kept as extra keys. */
export const Deal: Schema.TypeLiteral<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  creator_user_id: Schema.optional<Schema.NullOr<Schema.Union<[typeof OwnerRef, typeof Schema.Number]>>>
  user_id: Schema.optional<Schema.NullOr<Schema.Union<[typeof OwnerRef, typeof Schema.Number]>>>
  person_id: Schema.optional<Schema.NullOr<Schema.Union<[typeof DealPersonRef, typeof Schema.Number]>>>
  org_id: Schema.optional<Schema.NullOr<Schema.Union<[typeof OrganizationRef, typeof Schema.Number]>>>
  company_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  stage_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  title: Schema.optional<Schema.NullOr<typeof Schema.String>>
  value: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  currency: Schema.optional<Schema.NullOr<typeof Schema.String>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  first_add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  stage_change_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  active: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  deleted: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  is_archived: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  status: Schema.optional<Schema.NullOr<typeof Schema.String>>
  probability: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  next_activity_date: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  last_activity_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  last_activity_date: Schema.optional<Schema.NullOr<typeof Schema.String>>
  lost_reason: Schema.optional<Schema.NullOr<typeof Schema.String>>
  visible_to: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.String, typeof Schema.Number]>>>
  close_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  pipeline_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  won_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  first_won_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  lost_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  products_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  files_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  notes_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  followers_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  email_messages_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  activities_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  done_activities_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  undone_activities_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  participants_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  expected_close_date: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_incoming_mail_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_outgoing_mail_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  label: Schema.optional<Schema.NullOr<typeof Schema.String>>
  stage_order_nr: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  person_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  org_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_subject: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_type: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_duration: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_note: Schema.optional<Schema.NullOr<typeof Schema.String>>
  formatted_value: Schema.optional<Schema.NullOr<typeof Schema.String>>
  weighted_value: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  formatted_weighted_value: Schema.optional<Schema.NullOr<typeof Schema.String>>
  weighted_value_currency: Schema.optional<Schema.NullOr<typeof Schema.String>>
  rotten_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  owner_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  cc_email: Schema.optional<Schema.NullOr<typeof Schema.String>>
  org_hidden: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  person_hidden: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  origin: Schema.optional<Schema.NullOr<typeof Schema.String>>
  origin_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  channel: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  channel_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  arr: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  mrr: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  acv: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  arr_currency: Schema.optional<Schema.NullOr<typeof Schema.String>>
  mrr_currency: Schema.optional<Schema.NullOr<typeof Schema.String>>
  acv_currency: Schema.optional<Schema.NullOr<typeof Schema.String>>
}, readonly [Schema.Record$<typeof Schema.String, typeof Schema.Unknown>]> = Schema.Struct(dealFields, Unknowns)
export type Deal = typeof Deal.Type

/** A pipeline stage in `related_objects.stage`. */
export const RelatedStage: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  order_nr: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  deal_probability: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  pipeline_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  rotten_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  rotten_days: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  order_nr: optionalNullable(Schema.Number),
  name: optionalNullable(Schema.String),
  active_flag: optionalNullable(Schema.Boolean),
  deal_probability: optionalNullable(Schema.Number),
  pipeline_id: optionalNullable(Schema.Number),
  rotten_flag: optionalNullable(Schema.Boolean),
  rotten_days: optionalNullable(Schema.Number),
  add_time: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String)
})

/** A pipeline in `related_objects.pipeline`. */
export const RelatedPipeline: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  url_title: Schema.optional<Schema.NullOr<typeof Schema.String>>
  order_nr: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  active: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  deal_probability: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  name: optionalNullable(Schema.String),
  url_title: optionalNullable(Schema.String),
  order_nr: optionalNullable(Schema.Number),
  active: optionalNullable(Schema.Boolean),
  deal_probability: optionalNullable(Schema.Boolean),
  add_time: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String)
})

/** A deal in the flow's `related_objects.deal`. */
export const RelatedDeal: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  title: Schema.optional<Schema.NullOr<typeof Schema.String>>
  status: Schema.optional<Schema.NullOr<typeof Schema.String>>
  value: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  currency: Schema.optional<Schema.NullOr<typeof Schema.String>>
  stage_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  pipeline_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  title: optionalNullable(Schema.String),
  status: optionalNullable(Schema.String),
  value: optionalNullable(Schema.Number),
  currency: optionalNullable(Schema.String),
  stage_id: optionalNullable(Schema.Number),
  pipeline_id: optionalNullable(Schema.Number)
})

/** The schema of objects of `S` keyed by id, as `related_objects` sends them. */
export type ById<S extends Schema.Schema.AnyNoContext> = Schema.Record$<typeof Schema.String, S>

const byId = <S extends Schema.Schema.AnyNoContext>(schema: S): ById<S> => Schema.Record({ key: Schema.String, value: schema })

/**
 * Pipedrive keys related objects by id; the spec writes `stage` and `pipeline` as one object.
 * The keyed form is tried first: an object of objects cannot be a stage, whose fields are scalars.
 */
/** The schema of objects of `S` keyed by id, or one `S` alone. */
export type ByIdOrOne<S extends Schema.Schema.AnyNoContext> = Schema.Union<[ById<S>, S]>

const byIdOrOne = <S extends Schema.Schema.AnyNoContext>(schema: S): ByIdOrOne<S> => Schema.Union(byId(schema), schema)

/**
 * `related_objects` of the deal and flow lists. Users are `DealUserRef`s: the spec's deal example
 * sends `has_pic` as a boolean there, where persons' related users have 0/1.
 */
export const RelatedObjects: Schema.Struct<{
  user: Schema.optional<Schema.NullOr<ById<typeof DealUserRef>>>
  organization: Schema.optional<Schema.NullOr<ById<typeof RelatedOrganization>>>
  person: Schema.optional<Schema.NullOr<ById<typeof DealPersonRef>>>
  deal: Schema.optional<Schema.NullOr<ById<typeof RelatedDeal>>>
  stage: Schema.optional<Schema.NullOr<ByIdOrOne<typeof RelatedStage>>>
  pipeline: Schema.optional<Schema.NullOr<ByIdOrOne<typeof RelatedPipeline>>>
}> = Schema.Struct({
  user: optionalNullable(byId(DealUserRef)),
  organization: optionalNullable(byId(RelatedOrganization)),
  person: optionalNullable(byId(DealPersonRef)),
  deal: optionalNullable(byId(RelatedDeal)),
  stage: optionalNullable(byIdOrOne(RelatedStage)),
  pipeline: optionalNullable(byIdOrOne(RelatedPipeline))
})
export type RelatedObjects = typeof RelatedObjects.Type

/** A v1 file attached to a person (`GET /v1/persons/{id}/files`). */
export const File: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  deal_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  person_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  org_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  product_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  activity_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  lead_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  file_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  file_size: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  inline_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  remote_location: Schema.optional<Schema.NullOr<typeof Schema.String>>
  remote_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  cid: Schema.optional<Schema.NullOr<typeof Schema.String>>
  s3_bucket: Schema.optional<Schema.NullOr<typeof Schema.String>>
  mail_message_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  mail_template_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  deal_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  person_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  org_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  product_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  lead_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  url: Schema.optional<Schema.NullOr<typeof Schema.String>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  description: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  user_id: optionalNullable(Schema.Number),
  deal_id: optionalNullable(Schema.Number),
  person_id: optionalNullable(Schema.Number),
  org_id: optionalNullable(Schema.Number),
  product_id: optionalNullable(Schema.Number),
  activity_id: optionalNullable(Schema.Number),
  lead_id: optionalNullable(Schema.String),
  add_time: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String),
  file_name: optionalNullable(Schema.String),
  file_size: optionalNullable(Schema.Number),
  active_flag: optionalNullable(Schema.Boolean),
  inline_flag: optionalNullable(Schema.Boolean),
  remote_location: optionalNullable(Schema.String),
  remote_id: optionalNullable(Schema.String),
  cid: optionalNullable(Schema.String),
  s3_bucket: optionalNullable(Schema.String),
  mail_message_id: optionalNullable(Schema.String),
  mail_template_id: optionalNullable(Schema.String),
  deal_name: optionalNullable(Schema.String),
  person_name: optionalNullable(Schema.String),
  org_name: optionalNullable(Schema.String),
  product_name: optionalNullable(Schema.String),
  lead_name: optionalNullable(Schema.String),
  url: optionalNullable(Schema.String),
  name: optionalNullable(Schema.String),
  description: optionalNullable(Schema.String)
})
export type File = typeof File.Type

/** A sender or recipient of a mail message. */
export const MailParty: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  email_address: Schema.optional<Schema.NullOr<typeof Schema.String>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  linked_person_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  linked_person_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  mail_message_party_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  email_address: optionalNullable(Schema.String),
  name: optionalNullable(Schema.String),
  linked_person_id: optionalNullable(Schema.Number),
  linked_person_name: optionalNullable(Schema.String),
  mail_message_party_id: optionalNullable(Schema.Number)
})

/** Pipedrive's flags are 0/1 in mail messages; some accounts send booleans. */
const Flag = Schema.Union(Schema.Number, Schema.Boolean)

/** A mail message (the `data` of a mail message list item). */
export const MailMessage: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  from: Schema.optional<Schema.NullOr<Schema.Array$<typeof MailParty>>>
  to: Schema.optional<Schema.NullOr<Schema.Array$<typeof MailParty>>>
  cc: Schema.optional<Schema.NullOr<Schema.Array$<typeof MailParty>>>
  bcc: Schema.optional<Schema.NullOr<Schema.Array$<typeof MailParty>>>
  body_url: Schema.optional<Schema.NullOr<typeof Schema.String>>
  account_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  mail_thread_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  subject: Schema.optional<Schema.NullOr<typeof Schema.String>>
  snippet: Schema.optional<Schema.NullOr<typeof Schema.String>>
  mail_tracking_status: Schema.optional<Schema.NullOr<typeof Schema.String>>
  mail_link_tracking_enabled_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  read_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  draft: Schema.optional<Schema.NullOr<typeof Schema.String>>
  draft_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  synced_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  deleted_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  has_body_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  sent_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  sent_from_pipedrive_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  smart_bcc_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  message_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  has_attachments_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  has_inline_attachments_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  has_real_attachments_flag: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.Boolean]>>>
  nylas_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  s3_bucket: Schema.optional<Schema.NullOr<typeof Schema.String>>
  s3_bucket_path: Schema.optional<Schema.NullOr<typeof Schema.String>>
  external_deleted_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  mua_message_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  template_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  timestamp: Schema.optional<Schema.NullOr<typeof Schema.String>>
  item_type: Schema.optional<Schema.NullOr<typeof Schema.String>>
  company_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  from: optionalNullable(Schema.Array(MailParty)),
  to: optionalNullable(Schema.Array(MailParty)),
  cc: optionalNullable(Schema.Array(MailParty)),
  bcc: optionalNullable(Schema.Array(MailParty)),
  body_url: optionalNullable(Schema.String),
  account_id: optionalNullable(Schema.String),
  user_id: optionalNullable(Schema.Number),
  mail_thread_id: optionalNullable(Schema.Number),
  subject: optionalNullable(Schema.String),
  snippet: optionalNullable(Schema.String),
  mail_tracking_status: optionalNullable(Schema.String),
  mail_link_tracking_enabled_flag: optionalNullable(Flag),
  read_flag: optionalNullable(Flag),
  draft: optionalNullable(Schema.String),
  draft_flag: optionalNullable(Flag),
  synced_flag: optionalNullable(Flag),
  deleted_flag: optionalNullable(Flag),
  has_body_flag: optionalNullable(Flag),
  sent_flag: optionalNullable(Flag),
  sent_from_pipedrive_flag: optionalNullable(Flag),
  smart_bcc_flag: optionalNullable(Flag),
  message_time: optionalNullable(Schema.String),
  add_time: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String),
  has_attachments_flag: optionalNullable(Flag),
  has_inline_attachments_flag: optionalNullable(Flag),
  has_real_attachments_flag: optionalNullable(Flag),
  nylas_id: optionalNullable(Schema.String),
  s3_bucket: optionalNullable(Schema.String),
  s3_bucket_path: optionalNullable(Schema.String),
  external_deleted_flag: optionalNullable(Schema.Boolean),
  mua_message_id: optionalNullable(Schema.String),
  template_id: optionalNullable(Schema.Number),
  timestamp: optionalNullable(Schema.String),
  item_type: optionalNullable(Schema.String),
  company_id: optionalNullable(Schema.Number)
})
export type MailMessage = typeof MailMessage.Type

/** One item of `GET /v1/persons/{id}/mailMessages`: `{ object: "mailMessage", timestamp, data }`. */
export const MailMessageItem: Schema.Struct<{
  object: Schema.optional<Schema.NullOr<typeof Schema.String>>
  timestamp: Schema.optional<Schema.NullOr<typeof Schema.String>>
  data: Schema.optional<Schema.NullOr<typeof MailMessage>>
}> = Schema.Struct({
  object: optionalNullable(Schema.String),
  timestamp: optionalNullable(Schema.String),
  data: optionalNullable(MailMessage)
})
export type MailMessageItem = typeof MailMessageItem.Type

/** The deal a product is attached to, as the person's product list embeds it (plain ids). */
export const ProductDeal: Schema.TypeLiteral<{
  creator_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  person_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  org_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  company_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  stage_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  title: Schema.optional<Schema.NullOr<typeof Schema.String>>
  value: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  currency: Schema.optional<Schema.NullOr<typeof Schema.String>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  first_add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  stage_change_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  active: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  deleted: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  is_archived: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  status: Schema.optional<Schema.NullOr<typeof Schema.String>>
  probability: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  next_activity_date: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  last_activity_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  last_activity_date: Schema.optional<Schema.NullOr<typeof Schema.String>>
  lost_reason: Schema.optional<Schema.NullOr<typeof Schema.String>>
  visible_to: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.String, typeof Schema.Number]>>>
  close_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  pipeline_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  won_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  first_won_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  lost_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  products_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  files_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  notes_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  followers_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  email_messages_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  activities_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  done_activities_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  undone_activities_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  participants_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  expected_close_date: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_incoming_mail_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_outgoing_mail_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  label: Schema.optional<Schema.NullOr<typeof Schema.String>>
  stage_order_nr: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  person_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  org_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_subject: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_type: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_duration: Schema.optional<Schema.NullOr<typeof Schema.String>>
  next_activity_note: Schema.optional<Schema.NullOr<typeof Schema.String>>
  formatted_value: Schema.optional<Schema.NullOr<typeof Schema.String>>
  weighted_value: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  formatted_weighted_value: Schema.optional<Schema.NullOr<typeof Schema.String>>
  weighted_value_currency: Schema.optional<Schema.NullOr<typeof Schema.String>>
  rotten_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  owner_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  cc_email: Schema.optional<Schema.NullOr<typeof Schema.String>>
  org_hidden: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  person_hidden: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  origin: Schema.optional<Schema.NullOr<typeof Schema.String>>
  origin_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  channel: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  channel_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
  arr: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  mrr: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  acv: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  arr_currency: Schema.optional<Schema.NullOr<typeof Schema.String>>
  mrr_currency: Schema.optional<Schema.NullOr<typeof Schema.String>>
  acv_currency: Schema.optional<Schema.NullOr<typeof Schema.String>>
}, readonly [Schema.Record$<typeof Schema.String, typeof Schema.Unknown>]> = Schema.Struct(
  {
    ...dealFields,
    creator_user_id: optionalNullable(Schema.Number),
    user_id: optionalNullable(Schema.Number),
    person_id: optionalNullable(Schema.Number),
    org_id: optionalNullable(Schema.Number)
  },
  Unknowns
)

/** A product; custom fields are kept as extra keys. */
export const Product: Schema.TypeLiteral<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  company_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  code: Schema.optional<Schema.NullOr<typeof Schema.String>>
  description: Schema.optional<Schema.NullOr<typeof Schema.String>>
  unit: Schema.optional<Schema.NullOr<typeof Schema.String>>
  tax: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  category: Schema.optional<Schema.NullOr<typeof Schema.String>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  selectable: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  first_char: Schema.optional<Schema.NullOr<typeof Schema.String>>
  visible_to: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.String, typeof Schema.Number]>>>
  owner_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  files_count: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  deal_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
}, readonly [Schema.Record$<typeof Schema.String, typeof Schema.Unknown>]> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  company_id: optionalNullable(Schema.Number),
  name: optionalNullable(Schema.String),
  code: optionalNullable(Schema.String),
  description: optionalNullable(Schema.String),
  unit: optionalNullable(Schema.String),
  tax: optionalNullable(Schema.Number),
  category: optionalNullable(Schema.String),
  active_flag: optionalNullable(Schema.Boolean),
  selectable: optionalNullable(Schema.Boolean),
  first_char: optionalNullable(Schema.String),
  visible_to: optionalNullable(Schema.Union(Schema.String, Schema.Number)),
  owner_id: optionalNullable(Schema.Number),
  files_count: optionalNullable(Schema.Number),
  add_time: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String),
  deal_id: optionalNullable(Schema.Number)
}, Unknowns)

/** A product and the deal it is attached to. */
export const DealProduct: Schema.Struct<{
  deal: Schema.optional<Schema.NullOr<typeof ProductDeal>>
  product: Schema.optional<Schema.NullOr<typeof Product>>
}> = Schema.Struct({
  deal: optionalNullable(ProductDeal),
  product: optionalNullable(Product)
})
export type DealProduct = typeof DealProduct.Type

/** One item of `GET /v1/persons/{id}/products`: `{ [dealId]: { deal, product } }`, as Pipedrive keys it. */
export const ProductItem: Schema.Record$<typeof Schema.String, typeof DealProduct> =
  Schema.Record({ key: Schema.String, value: DealProduct })
export type ProductItem = typeof ProductItem.Type

/**
 * One item of a person's updates (`GET /v1/persons/{id}/flow`): `object` names its kind
 * (`activity`, `note`, `file`, `mailMessage`, `personChange`, `follower`…), `data` its own shape,
 * which differs by kind and is kept as Pipedrive sent it.
 */
export const FlowItem: Schema.Struct<{
  object: Schema.optional<Schema.NullOr<typeof Schema.String>>
  timestamp: Schema.optional<Schema.NullOr<typeof Schema.String>>
  data: Schema.optional<Schema.NullOr<Schema.Record$<typeof Schema.String, typeof Schema.Unknown>>>
}> = Schema.Struct({
  object: optionalNullable(Schema.String),
  timestamp: optionalNullable(Schema.String),
  data: optionalNullable(Unknowns)
})
export type FlowItem = typeof FlowItem.Type

/** One change of a person field (`GET /v1/persons/{id}/changelog`); values are strings. */
export const ChangelogEntry: Schema.Struct<{
  field_key: Schema.optional<Schema.NullOr<typeof Schema.String>>
  old_value: Schema.optional<Schema.NullOr<typeof Schema.String>>
  new_value: Schema.optional<Schema.NullOr<typeof Schema.String>>
  actor_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  change_source: Schema.optional<Schema.NullOr<typeof Schema.String>>
  change_source_user_agent: Schema.optional<Schema.NullOr<typeof Schema.String>>
  is_bulk_update_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
}> = Schema.Struct({
  field_key: optionalNullable(Schema.String),
  old_value: optionalNullable(Schema.String),
  new_value: optionalNullable(Schema.String),
  actor_user_id: optionalNullable(Schema.Number),
  time: optionalNullable(Schema.String),
  change_source: optionalNullable(Schema.String),
  change_source_user_agent: optionalNullable(Schema.String),
  is_bulk_update_flag: optionalNullable(Schema.Boolean)
})
export type ChangelogEntry = typeof ChangelogEntry.Type

/** A v1 follower: `id` is the follower record, `user_id` the user who follows. */
export const FollowerV1: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  person_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  deal_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  user_id: optionalNullable(Schema.Number),
  person_id: optionalNullable(Schema.Number),
  deal_id: optionalNullable(Schema.Number),
  add_time: optionalNullable(Schema.String)
})
export type FollowerV1 = typeof FollowerV1.Type

/** A v2 follower: the user who follows and since when. */
export const Follower: Schema.Struct<{
  user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  user_id: optionalNullable(Schema.Number),
  add_time: optionalNullable(Schema.String)
})
export type Follower = typeof Follower.Type

/** One event of `GET /api/v2/persons/{id}/followers/changelog`. */
export const FollowerChange: Schema.Struct<{
  action: Schema.optional<Schema.NullOr<typeof Schema.String>>
  actor_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  follower_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  time: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  action: optionalNullable(Schema.String),
  actor_user_id: optionalNullable(Schema.Number),
  follower_user_id: optionalNullable(Schema.Number),
  time: optionalNullable(Schema.String)
})
export type FollowerChange = typeof FollowerChange.Type

/** A person's picture, in both APIs (v2 adds `file_size`). */
export const Picture: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  item_type: Schema.optional<Schema.NullOr<typeof Schema.String>>
  item_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  added_by_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  file_size: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  pictures: Schema.optional<Schema.NullOr<typeof PictureUrls>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  item_type: optionalNullable(Schema.String),
  item_id: optionalNullable(Schema.Number),
  active_flag: optionalNullable(Schema.Boolean),
  add_time: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String),
  added_by_user_id: optionalNullable(Schema.Number),
  file_size: optionalNullable(Schema.Number),
  pictures: optionalNullable(PictureUrls)
})
export type Picture = typeof Picture.Type

/**
 * The body `addPersonFollower` sends, in both versions. The v1 spec says JSON (the official JS
 * client sends a form, which Pipedrive also takes).
 */
export const FollowerInput: Schema.Struct<{
  user_id: Schema.filter<typeof Schema.Int>
}> = Schema.Struct({ user_id: Id })
