/**
 * The bodies of the API v1 person writes (`POST /v1/persons`, `PUT /v1/persons/{id}`), as in the
 * January 2026 v1 spec and the seeds' Postman example (004): `email`/`phone` as arrays of
 * `{ value, primary, label }`, `owner_id`/`org_id` as ids, `visible_to` as a string, and custom
 * fields as top-level 40-character hash keys.
 *
 * Where the seeds and the spec disagree both are accepted: `email`/`phone` may also be plain strings
 * (or arrays of them), as older v1 clients send, and `visible_to` a number.
 */
import * as Schema from "effect/Schema"
import { ContactEntryInput, Id, NonBlankString } from "./Common.ts"
import { MarketingStatus } from "./PersonV2.ts"

/**
 * A custom field key: 40 lower-case hex characters. Branded, so that a body's index signature
 * accepts custom fields while a typo'd standard key (`nmae`) is still refused, by the compiler and
 * at run time.
 *
 * @example
 * ```ts
 * import { PersonsV1 } from "@pipedrive-effect/core"
 *
 * const leadSource = PersonsV1.CustomFieldKey.make("a1b2c3d4e5f60718293a4b5c6d7e8f9012345678")
 * PersonsV1.create({ name: "Ada", [leadSource]: 101 })
 * ```
 */
export const CustomFieldKey: Schema.brand<Schema.filter<typeof Schema.String>, "CustomFieldKey"> = Schema.String.pipe(
  // A composite value (monetary, ranges, address) also sends `<hash>_currency`, `<hash>_until`…
  Schema.pattern(/^[0-9a-f]{40}(?:_[a-z0-9_]+)?$/, {
    message: () => "must be a 40-character custom field key (optionally with a _subfield suffix)"
  }),
  Schema.brand("CustomFieldKey")
)
export type CustomFieldKey = typeof CustomFieldKey.Type

/** One email or phone as v1 takes it: an entry, or just the value. */
export const ContactInputV1: Schema.Union<[Schema.filter<typeof Schema.String>, typeof ContactEntryInput]> =
  Schema.Union(NonBlankString, ContactEntryInput)

/** `email`/`phone`: an array of entries or values, or a single value. */
export const ContactListV1: Schema.Union<[Schema.filter<typeof Schema.String>, Schema.Array$<typeof ContactInputV1>]> =
  Schema.Union(NonBlankString, Schema.Array(ContactInputV1))

/** v1 visibility: `"1"`, `"3"`, `"5"`, `"7"` (the spec's strings) or the same numbers. */
export const VisibleToV1: Schema.Union<[Schema.Literal<["1", "3", "5", "7"]>, Schema.Literal<[1, 3, 5, 7]>]> =
  Schema.Union(Schema.Literal("1", "3", "5", "7"), Schema.Literal(1, 3, 5, 7))

/** `2024-01-31 13:45:00`, v1's time format (UTC). */
export const V1Time: Schema.filter<typeof Schema.String> = Schema.String.pipe(
  Schema.pattern(/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/, { message: () => "must be a time as YYYY-MM-DD HH:MM:SS" })
)

const writableFields = {
  owner_id: Schema.optional(Id),
  org_id: Schema.optional(Schema.NullOr(Id)),
  email: Schema.optional(ContactListV1),
  phone: Schema.optional(ContactListV1),
  /** A single label id (older accounts); `label_ids` wins when both are sent. */
  label: Schema.optional(Schema.NullOr(Id)),
  label_ids: Schema.optional(Schema.Array(Id)),
  visible_to: Schema.optional(VisibleToV1),
  marketing_status: Schema.optional(MarketingStatus),
  add_time: Schema.optional(V1Time)
}

/** Custom field values as top-level keys; any other unknown key is refused. */
const customFields = Schema.Record({ key: CustomFieldKey, value: Schema.Unknown })

/** The body of `PersonsV1.create` (`POST /v1/persons`): `name` is required. */
export const PersonCreateV1: Schema.TypeLiteral<{
  owner_id: Schema.optional<Schema.filter<typeof Schema.Int>>
  org_id: Schema.optional<Schema.NullOr<Schema.filter<typeof Schema.Int>>>
  email: Schema.optional<typeof ContactListV1>
  phone: Schema.optional<typeof ContactListV1>
  /** A single label id (older accounts); `label_ids` wins when both are sent. */
  label: Schema.optional<Schema.NullOr<Schema.filter<typeof Schema.Int>>>
  label_ids: Schema.optional<Schema.Array$<Schema.filter<typeof Schema.Int>>>
  visible_to: Schema.optional<typeof VisibleToV1>
  marketing_status: Schema.optional<typeof MarketingStatus>
  add_time: Schema.optional<Schema.filter<typeof Schema.String>>
  name: Schema.filter<typeof Schema.String>
}, readonly [Schema.Record$<typeof CustomFieldKey, typeof Schema.Unknown>]> = Schema.Struct({ name: NonBlankString, ...writableFields }, customFields)
export type PersonCreateV1 = typeof PersonCreateV1.Type

/** The body of `PersonsV1.update` (`PUT /v1/persons/{id}`): only the fields to change. */
export const PersonUpdateV1: Schema.TypeLiteral<{
  owner_id: Schema.optional<Schema.filter<typeof Schema.Int>>
  org_id: Schema.optional<Schema.NullOr<Schema.filter<typeof Schema.Int>>>
  email: Schema.optional<typeof ContactListV1>
  phone: Schema.optional<typeof ContactListV1>
  /** A single label id (older accounts); `label_ids` wins when both are sent. */
  label: Schema.optional<Schema.NullOr<Schema.filter<typeof Schema.Int>>>
  label_ids: Schema.optional<Schema.Array$<Schema.filter<typeof Schema.Int>>>
  visible_to: Schema.optional<typeof VisibleToV1>
  marketing_status: Schema.optional<typeof MarketingStatus>
  add_time: Schema.optional<Schema.filter<typeof Schema.String>>
  name: Schema.optional<Schema.filter<typeof Schema.String>>
}, readonly [Schema.Record$<typeof CustomFieldKey, typeof Schema.Unknown>]> = Schema.Struct({ name: Schema.optional(NonBlankString), ...writableFields }, customFields)
export type PersonUpdateV1 = typeof PersonUpdateV1.Type
