/**
 * Person fields (`/personFields`): the standard and custom fields of a company's persons, as API v1
 * (`key`, numeric `id`) and API v2 (`field_code`) describe them, and the bodies that create and
 * change them.
 *
 * `field_type` is decoded as a plain string: Pipedrive adds types over time (its own spec lists
 * more in responses than it accepts in requests), and one unknown type must not make the whole list
 * undecodable. `FieldType` names the types the specs know; request bodies accept only the ones
 * Pipedrive lets a client create.
 */
import * as Schema from "effect/Schema"
import { Id, NonBlankString, optionalNullable } from "./Common.ts"

/** Every field type the v1 and v2 specs list in responses. */
export const FieldType: Schema.Literal<[
  "int",
  "double",
  "boolean",
  "varchar",
  "text",
  "phone",
  "varchar_options",
  "varchar_auto",
  "date",
  "daterange",
  "time",
  "timerange",
  "enum",
  "set",
  "address",
  "monetary",
  "deal",
  "deals",
  "lead",
  "org",
  "people",
  "pipeline",
  "product",
  "project",
  "stage",
  "user",
  "activity",
  "json",
  "picture",
  "status",
  "visible_to",
  "price_list",
  "billing_frequency",
  "projects_board",
  "projects_phase"
]> = Schema.Literal(
  "int",
  "double",
  "boolean",
  "varchar",
  "text",
  "phone",
  "varchar_options",
  "varchar_auto",
  "date",
  "daterange",
  "time",
  "timerange",
  "enum",
  "set",
  "address",
  "monetary",
  "deal",
  "deals",
  "lead",
  "org",
  "people",
  "pipeline",
  "product",
  "project",
  "stage",
  "user",
  "activity",
  "json",
  "picture",
  "status",
  "visible_to",
  "price_list",
  "billing_frequency",
  "projects_board",
  "projects_phase"
)
export type FieldType = typeof FieldType.Type

/** The types a client may create through API v2 (`addPersonField`). */
export const CreatableFieldType: Schema.Literal<[
  "varchar",
  "text",
  "double",
  "phone",
  "date",
  "daterange",
  "time",
  "timerange",
  "set",
  "enum",
  "varchar_auto",
  "address",
  "monetary",
  "org",
  "people",
  "user"
]> = Schema.Literal(
  "varchar",
  "text",
  "double",
  "phone",
  "date",
  "daterange",
  "time",
  "timerange",
  "set",
  "enum",
  "varchar_auto",
  "address",
  "monetary",
  "org",
  "people",
  "user"
)
export type CreatableFieldType = typeof CreatableFieldType.Type

/** The types a client may create through API v1: the v2 ones plus `visible_to`. */
export const CreatableFieldTypeV1: Schema.Union<[typeof CreatableFieldType, Schema.Literal<["visible_to"]>]> =
  Schema.Union(CreatableFieldType, Schema.Literal("visible_to"))
export type CreatableFieldTypeV1 = typeof CreatableFieldTypeV1.Type

/** An option of an `enum` or `set` field, as v1 sends it (the spec leaves its shape open). */
export const FieldOptionV1: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.String]>>>
  label: Schema.optional<Schema.NullOr<typeof Schema.String>>
  color: Schema.optional<Schema.NullOr<typeof Schema.String>>
  alt_id: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Union(Schema.Number, Schema.String)),
  label: optionalNullable(Schema.String),
  color: optionalNullable(Schema.String),
  alt_id: optionalNullable(Schema.String)
})
export type FieldOptionV1 = typeof FieldOptionV1.Type

/** A subfield of a composite field (monetary currency, address parts, range ends), v1 spelling. */
export const SubfieldV1: Schema.Struct<{
  key: Schema.optional<Schema.NullOr<typeof Schema.String>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  field_type: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  key: optionalNullable(Schema.String),
  name: optionalNullable(Schema.String),
  field_type: optionalNullable(Schema.String)
})
export type SubfieldV1 = typeof SubfieldV1.Type

/** A person field as API v1 returns it. Custom fields have a 40-character hash as `key`. */
export const PersonFieldV1: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  key: Schema.optional<Schema.NullOr<typeof Schema.String>>
  name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  order_nr: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  field_type: Schema.optional<Schema.NullOr<typeof Schema.String>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  last_updated_by_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  created_by_user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  active_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  edit_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  index_visible_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  details_visible_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  add_visible_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  important_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  bulk_edit_allowed: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  searchable_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  filtering_allowed: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  sortable_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  mandatory_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  options: Schema.optional<Schema.NullOr<Schema.Array$<typeof FieldOptionV1>>>
  options_deleted: Schema.optional<Schema.NullOr<Schema.Array$<typeof FieldOptionV1>>>
  is_subfield: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  subfields: Schema.optional<Schema.NullOr<Schema.Array$<typeof SubfieldV1>>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Number),
  key: optionalNullable(Schema.String),
  name: optionalNullable(Schema.String),
  order_nr: optionalNullable(Schema.Number),
  field_type: optionalNullable(Schema.String),
  add_time: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String),
  last_updated_by_user_id: optionalNullable(Schema.Number),
  created_by_user_id: optionalNullable(Schema.Number),
  active_flag: optionalNullable(Schema.Boolean),
  edit_flag: optionalNullable(Schema.Boolean),
  index_visible_flag: optionalNullable(Schema.Boolean),
  details_visible_flag: optionalNullable(Schema.Boolean),
  add_visible_flag: optionalNullable(Schema.Boolean),
  important_flag: optionalNullable(Schema.Boolean),
  bulk_edit_allowed: optionalNullable(Schema.Boolean),
  searchable_flag: optionalNullable(Schema.Boolean),
  filtering_allowed: optionalNullable(Schema.Boolean),
  sortable_flag: optionalNullable(Schema.Boolean),
  mandatory_flag: optionalNullable(Schema.Boolean),
  options: optionalNullable(Schema.Array(FieldOptionV1)),
  options_deleted: optionalNullable(Schema.Array(FieldOptionV1)),
  is_subfield: optionalNullable(Schema.Boolean),
  subfields: optionalNullable(Schema.Array(SubfieldV1))
})
export type PersonFieldV1 = typeof PersonFieldV1.Type

/** What v1 `DELETE /personFields/{id}` returns. */
export const DeletedFieldV1: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
}> = Schema.Struct({ id: optionalNullable(Schema.Number) })
export type DeletedFieldV1 = typeof DeletedFieldV1.Type

/** What v1 `DELETE /personFields?ids=` returns. */
export const DeletedFieldsV1: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<Schema.Array$<typeof Schema.Number>>>
}> = Schema.Struct({ id: optionalNullable(Schema.Array(Schema.Number)) })
export type DeletedFieldsV1 = typeof DeletedFieldsV1.Type

/** An option as v2 sends it in a field. */
export const FieldOption: Schema.Struct<{
  id: Schema.optional<Schema.NullOr<Schema.Union<[typeof Schema.Number, typeof Schema.String]>>>
  label: Schema.optional<Schema.NullOr<typeof Schema.String>>
  color: Schema.optional<Schema.NullOr<typeof Schema.String>>
  add_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
  update_time: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  id: optionalNullable(Schema.Union(Schema.Number, Schema.String)),
  label: optionalNullable(Schema.String),
  color: optionalNullable(Schema.String),
  add_time: optionalNullable(Schema.String),
  update_time: optionalNullable(Schema.String)
})
export type FieldOption = typeof FieldOption.Type

/** A subfield as v2 sends it (e.g. `{ field_code: "<hash>_currency", field_type: "varchar" }`). */
export const Subfield: Schema.Struct<{
  field_code: Schema.optional<Schema.NullOr<typeof Schema.String>>
  field_name: Schema.optional<Schema.NullOr<typeof Schema.String>>
  field_type: Schema.optional<Schema.NullOr<typeof Schema.String>>
}> = Schema.Struct({
  field_code: optionalNullable(Schema.String),
  field_name: optionalNullable(Schema.String),
  field_type: optionalNullable(Schema.String)
})
export type Subfield = typeof Subfield.Type

/** Where a field shows in Pipedrive's UI (v2, with `include_fields=ui_visibility`). */
export const UiVisibility: Schema.Struct<{
  add_visible_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  details_visible_flag: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  show_in_add_deal_dialog: Schema.optional<Schema.NullOr<Schema.Struct<{
    show: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
    order: Schema.optional<Schema.NullOr<typeof Schema.Number>>
  }>>>
}> = Schema.Struct({
  add_visible_flag: optionalNullable(Schema.Boolean),
  details_visible_flag: optionalNullable(Schema.Boolean),
  show_in_add_deal_dialog: optionalNullable(Schema.Struct({
    show: optionalNullable(Schema.Boolean),
    order: optionalNullable(Schema.Number)
  }))
})

/** Whether a field is marked important, and in which deal stages (v2). */
export const ImportantFields: Schema.Struct<{
  enabled: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
  stage_ids: Schema.optional<Schema.NullOr<Schema.Array$<typeof Schema.Number>>>
}> = Schema.Struct({
  enabled: optionalNullable(Schema.Boolean),
  stage_ids: optionalNullable(Schema.Array(Schema.Number))
})

/** Whether a field is required (v2). */
export const RequiredFields: Schema.Struct<{
  enabled: Schema.optional<Schema.NullOr<typeof Schema.Boolean>>
}> = Schema.Struct({ enabled: optionalNullable(Schema.Boolean) })

/** A person field as API v2 returns it. Custom fields have a 40-character hash as `field_code`. */
export const PersonField: Schema.Struct<{
  field_name: typeof Schema.String
  field_code: typeof Schema.String
  field_type: typeof Schema.String
  options: Schema.optional<Schema.NullOr<Schema.Array$<typeof FieldOption>>>
  subfields: Schema.optional<Schema.NullOr<Schema.Array$<typeof Subfield>>>
  is_custom_field: typeof Schema.Boolean
  is_optional_response_field: typeof Schema.Boolean
  ui_visibility: Schema.optional<Schema.NullOr<typeof UiVisibility>>
  important_fields: Schema.optional<Schema.NullOr<typeof ImportantFields>>
  required_fields: Schema.optional<Schema.NullOr<typeof RequiredFields>>
}> = Schema.Struct({
  field_name: Schema.String,
  field_code: Schema.String,
  field_type: Schema.String,
  options: optionalNullable(Schema.Array(FieldOption)),
  subfields: optionalNullable(Schema.Array(Subfield)),
  is_custom_field: Schema.Boolean,
  is_optional_response_field: Schema.Boolean,
  ui_visibility: optionalNullable(UiVisibility),
  important_fields: optionalNullable(ImportantFields),
  required_fields: optionalNullable(RequiredFields)
})
export type PersonField = typeof PersonField.Type

/** An option as the v2 options endpoints return it. */
export const Option: Schema.Struct<{
  id: typeof Schema.Number
  label: typeof Schema.String
}> = Schema.Struct({ id: Schema.Number, label: Schema.String })
export type Option = typeof Option.Type

/** A new option: only its label. */
export const OptionInput: Schema.Struct<{
  label: Schema.filter<typeof Schema.String>
}> = Schema.Struct({ label: NonBlankString })

/** The body of v1 `addPersonField`. */
export const PersonFieldCreateV1: Schema.Struct<{
  name: Schema.filter<typeof Schema.String>
  field_type: typeof CreatableFieldTypeV1
  /** For `enum` and `set` fields. */
  options: Schema.optional<Schema.Array$<typeof OptionInput>>
  add_visible_flag: Schema.optional<typeof Schema.Boolean>
}> = Schema.Struct({
  name: NonBlankString,
  field_type: CreatableFieldTypeV1,
  /** For `enum` and `set` fields. */
  options: Schema.optional(Schema.Array(OptionInput)),
  add_visible_flag: Schema.optional(Schema.Boolean)
})
export type PersonFieldCreateV1 = typeof PersonFieldCreateV1.Type

/** The body of v1 `updatePersonField` (PUT): options given replace the field's options. */
export const PersonFieldUpdateV1: Schema.Struct<{
  name: Schema.optional<Schema.filter<typeof Schema.String>>
  /** Keep an option by sending its `id`; an entry without `id` adds one. */
  options: Schema.optional<Schema.Array$<Schema.Struct<{
    id: Schema.optional<Schema.filter<typeof Schema.Int>>
    label: Schema.filter<typeof Schema.String>
  }>>>
  add_visible_flag: Schema.optional<typeof Schema.Boolean>
}> = Schema.Struct({
  name: Schema.optional(NonBlankString),
  /** Keep an option by sending its `id`; an entry without `id` adds one. */
  options: Schema.optional(Schema.Array(Schema.Struct({ id: Schema.optional(Id), label: NonBlankString }))),
  add_visible_flag: Schema.optional(Schema.Boolean)
})
export type PersonFieldUpdateV1 = typeof PersonFieldUpdateV1.Type

/** Where a field shows in Pipedrive's forms (`ui_visibility` of create and update). */
export const UiVisibilityInput: Schema.Struct<{
  add_visible_flag: Schema.optional<typeof Schema.Boolean>
  details_visible_flag: Schema.optional<typeof Schema.Boolean>
  show_in_add_deal_dialog: Schema.optional<Schema.Struct<{
    show: Schema.optional<typeof Schema.Boolean>
    order: Schema.optional<Schema.NullOr<typeof Schema.Int>>
  }>>
}> = Schema.Struct({
  add_visible_flag: Schema.optional(Schema.Boolean),
  details_visible_flag: Schema.optional(Schema.Boolean),
  show_in_add_deal_dialog: Schema.optional(Schema.Struct({
    show: Schema.optional(Schema.Boolean),
    order: Schema.optional(Schema.NullOr(Schema.Int))
  }))
})
/** Whether a field is marked important, and in which deal stages (`important_fields`). */
export const ImportantFieldsInput: Schema.Struct<{
  enabled: Schema.optional<typeof Schema.Boolean>
  stage_ids: Schema.optional<Schema.Array$<Schema.filter<typeof Schema.Int>>>
}> = Schema.Struct({
  enabled: Schema.optional(Schema.Boolean),
  stage_ids: Schema.optional(Schema.Array(Id))
})
/** Whether a field must be filled (`required_fields`). */
export const RequiredFieldsInput: Schema.Struct<{ enabled: Schema.optional<typeof Schema.Boolean> }> = Schema.Struct({
  enabled: Schema.optional(Schema.Boolean)
})

/** The body of v2 `addPersonField`. */
export const PersonFieldCreate: Schema.Struct<{
  field_name: Schema.filter<typeof Schema.String>
  field_type: typeof CreatableFieldType
  /** For `enum` and `set` fields. */
  options: Schema.optional<Schema.Array$<typeof OptionInput>>
  ui_visibility: Schema.optional<typeof UiVisibilityInput>
  important_fields: Schema.optional<typeof ImportantFieldsInput>
  required_fields: Schema.optional<typeof RequiredFieldsInput>
}> = Schema.Struct({
  field_name: NonBlankString,
  field_type: CreatableFieldType,
  /** For `enum` and `set` fields. */
  options: Schema.optional(Schema.Array(OptionInput)),
  ui_visibility: Schema.optional(UiVisibilityInput),
  important_fields: Schema.optional(ImportantFieldsInput),
  required_fields: Schema.optional(RequiredFieldsInput)
})
export type PersonFieldCreate = typeof PersonFieldCreate.Type

/** The body of v2 `updatePersonField` (PATCH); options change through the options endpoints. */
export const PersonFieldUpdate: Schema.Struct<{
  field_name: Schema.optional<Schema.filter<typeof Schema.String>>
  ui_visibility: Schema.optional<typeof UiVisibilityInput>
  important_fields: Schema.optional<typeof ImportantFieldsInput>
  required_fields: Schema.optional<typeof RequiredFieldsInput>
}> = Schema.Struct({
  field_name: Schema.optional(NonBlankString),
  ui_visibility: Schema.optional(UiVisibilityInput),
  important_fields: Schema.optional(ImportantFieldsInput),
  required_fields: Schema.optional(RequiredFieldsInput)
})
export type PersonFieldUpdate = typeof PersonFieldUpdate.Type

/** The body of `addPersonFieldOptions`: the labels to add. */
export const OptionsAdd: Schema.NonEmptyArray<typeof OptionInput> = Schema.NonEmptyArray(OptionInput)
/** The body of `updatePersonFieldOptions`: new labels by option id. */
export const OptionsUpdate: Schema.NonEmptyArray<Schema.Struct<{
  id: Schema.filter<typeof Schema.Int>
  label: Schema.filter<typeof Schema.String>
}>> = Schema.NonEmptyArray(Schema.Struct({ id: Id, label: NonBlankString }))
/** The body of `deletePersonFieldOptions`: the ids to remove. */
export const OptionsRemove: Schema.NonEmptyArray<Schema.Struct<{
  id: Schema.filter<typeof Schema.Int>
}>> = Schema.NonEmptyArray(Schema.Struct({ id: Id }))
