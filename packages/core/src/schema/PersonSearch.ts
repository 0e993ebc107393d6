/**
 * Search results (`GET /v1/persons/search`, `GET /api/v2/persons/search`), the same item shape in
 * both APIs, and the results of the deprecated `GET /v1/persons/find`.
 */
import * as Schema from "effect/Schema"
import { type CustomFieldValues, optionalNullable } from "./Common.ts"

/** A person as search returns it: a summary, with emails and phones as plain strings. */
export const SearchItem: Schema.Struct<{
  id: typeof Schema.Number
  type: Schema.optional<Schema.NullOr<typeof Schema.String>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  phones: Schema.optional<Schema.NullOr<Schema.Array$<typeof Schema.String>>>
  emails: Schema.optional<Schema.NullOr<Schema.Array$<typeof Schema.String>>>
  visible_to: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.String]>>>
  owner: Schema.optional<Schema.NullOr<Schema.Struct<{ id: Schema.optional<Schema.NullOr<typeof Schema.Number>> }>>>
  organization: Schema.optional<Schema.NullOr<Schema.Struct<{
    id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
    name: Schema.optional<Schema.NullOr<typeof Schema.String>>
    address: Schema.optional<Schema.NullOr<typeof Schema.String>>
  }>>>
  /** The custom field values that matched, as text. */
  custom_fields: Schema.optional<Schema.NullOr<Schema.Array$<typeof Schema.String>>>
  notes: Schema.optional<Schema.NullOr<Schema.Array$<typeof Schema.String>>>
  /** Only with `include_fields: ["person.picture"]`. */
  picture: Schema.optional<Schema.NullOr<typeof Schema.Unknown>>
}> = Schema.Struct({
  id: Schema.Number,
  type: optionalNullable(Schema.String),
  name: optionalNullable(Schema.String),
  phones: optionalNullable(Schema.Array(Schema.String)),
  emails: optionalNullable(Schema.Array(Schema.String)),
  visible_to: optionalNullable(Schema.Union(Schema.Number, Schema.String)),
  owner: optionalNullable(Schema.Struct({ id: optionalNullable(Schema.Number) })),
  organization: optionalNullable(Schema.Struct({
    id: optionalNullable(Schema.Number),
    name: optionalNullable(Schema.String),
    address: optionalNullable(Schema.String)
  })),
  /** The custom field values that matched, as text. */
  custom_fields: optionalNullable(Schema.Array(Schema.String)),
  notes: optionalNullable(Schema.Array(Schema.String)),
  /** Only with `include_fields: ["person.picture"]`. */
  picture: optionalNullable(Schema.Unknown)
})
export type SearchItem = typeof SearchItem.Type

/** One hit: the person and how well it matched (higher is better). */
export const SearchResult: Schema.Struct<{
  result_score: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  item: typeof SearchItem
}> = Schema.Struct({
  result_score: optionalNullable(Schema.Number),
  item: SearchItem
})
export type SearchResult = typeof SearchResult.Type

/** `data` of a search response. */
export const SearchData: Schema.Struct<{
  items: Schema.optional<Schema.NullOr<Schema.Array$<typeof SearchResult>>>
}> = Schema.Struct({ items: optionalNullable(Schema.Array(SearchResult)) })

/**
 * A person as `GET /v1/persons/find` returns it. The endpoint is gone from Pipedrive's specs; this is
 * the shape it was documented with (flat `email`/`phone` strings, `org_id` an id). Other keys are kept.
 */
export const FoundPerson: Schema.TypeLiteral<{
  id: typeof Schema.Number
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  email: Schema.optional<Schema.NullOr<typeof Schema.String>>
  phone: Schema.optional<Schema.NullOr<typeof Schema.String>>
  org_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  org_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  owner_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  visible_to: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.String, typeof Schema.Number]>>>
}, readonly [typeof CustomFieldValues]> = Schema.Struct({
  id: Schema.Number,
  name: optionalNullable(Schema.String),
  email: optionalNullable(Schema.String),
  phone: optionalNullable(Schema.String),
  org_id: optionalNullable(Schema.Number),
  org_name: optionalNullable(Schema.String),
  owner_id: optionalNullable(Schema.Number),
  visible_to: optionalNullable(Schema.Union(Schema.String, Schema.Number))
}, Schema.Record({ key: Schema.String, value: Schema.Unknown }))
export type FoundPerson = typeof FoundPerson.Type
