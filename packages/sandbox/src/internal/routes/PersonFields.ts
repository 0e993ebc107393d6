/**
 * Person fields (`/api/v1/personFields`, `/api/v2/personFields`): the standard fields and the
 * company's custom fields, with field and option CRUD.
 *
 * The custom fields are `seed.customFields` (the store's own seed), changed in place, so that person
 * bodies are validated against, and persons rendered with, the fields as they are now. Standard
 * fields are fixed: they can be read but not changed or deleted. The values' checks by type are in
 * `CustomFieldValues`.
 */
import { Buffer } from "node:buffer"
import { createHash } from "node:crypto"
import { HttpRouter, HttpServerRequest } from "@effect/platform"
import { Clock, Effect, Schema } from "effect"
import { NotFound, ValidationFailed } from "../http/ApiError.ts"
import { success } from "../http/Envelope.ts"
import { SUBFIELDS } from "../store/CustomFieldValues.ts"
import * as PersonInput from "../http/PersonInput.ts"
import { PersonStore } from "../../PersonStore.ts"
import * as QueryParams from "../http/QueryParams.ts"
import { jsonObject as readBody } from "../http/RequestBody.ts"
import type { CustomField, CustomFieldType, Seed } from "../store/Seed.ts"
import { CUSTOM_FIELD_ID_BASE, EPOCH } from "../store/Seed.ts"
import * as Time from "../store/Time.ts"

/** A standard (built-in) person field. */
interface StandardField {
  readonly id: number
  readonly key: string
  readonly name: string
  readonly field_type: string
  readonly options?: ReadonlyArray<{ readonly id: number; readonly label: string }>
}

/** Pipedrive's standard person fields, as far as the sandbox models persons. */
export const STANDARD_FIELDS: ReadonlyArray<StandardField> = [
  { id: 1, key: "id", name: "ID", field_type: "int" },
  { id: 2, key: "name", name: "Name", field_type: "varchar" },
  { id: 3, key: "first_name", name: "First name", field_type: "varchar" },
  { id: 4, key: "last_name", name: "Last name", field_type: "varchar" },
  { id: 5, key: "org_id", name: "Organization", field_type: "org" },
  { id: 6, key: "owner_id", name: "Owner", field_type: "user" },
  { id: 7, key: "email", name: "Email", field_type: "varchar" },
  { id: 8, key: "phone", name: "Phone", field_type: "phone" },
  {
    id: 9,
    key: "label_ids",
    name: "Labels",
    field_type: "set",
    options: [{ id: 1, label: "Customer" }, { id: 2, label: "Hot lead" }, { id: 3, label: "Cold lead" }]
  },
  { id: 10, key: "visible_to", name: "Visible to", field_type: "visible_to" },
  { id: 11, key: "add_time", name: "Person created", field_type: "date" },
  { id: 12, key: "update_time", name: "Update time", field_type: "date" },
  { id: 13, key: "picture_id", name: "Profile picture", field_type: "picture" },
  { id: 14, key: "open_deals_count", name: "Open deals", field_type: "int" }
]

/** v2 spells some standard field codes differently from v1's keys. */
const V2_CODES: Readonly<Record<string, string>> = { email: "emails", phone: "phones" }

// ---- rendering fields -------------------------------------------------------------------------

const isCustom = (field: StandardField | CustomField): field is CustomField => "addTime" in field

const optionsOf = (field: StandardField | CustomField) =>
  field.field_type === "enum" || field.field_type === "set" ? field.options ?? [] : null

const allFields = (seed: Seed): ReadonlyArray<StandardField | CustomField> => [...STANDARD_FIELDS, ...seed.customFields]

const renderV1 = (field: StandardField | CustomField, order: number): Record<string, unknown> => {
  const custom = isCustom(field)
  const subfields = custom ? SUBFIELDS[field.field_type] : undefined
  return {
    id: field.id,
    key: field.key,
    name: field.name,
    order_nr: order,
    field_type: field.field_type,
    add_time: Time.formatV1Time(custom ? field.addTime : EPOCH),
    update_time: Time.formatV1Time(custom ? field.updateTime : EPOCH),
    last_updated_by_user_id: null,
    created_by_user_id: custom ? 900001 : null,
    active_flag: true,
    edit_flag: custom,
    index_visible_flag: true,
    details_visible_flag: true,
    add_visible_flag: true,
    important_flag: false,
    bulk_edit_allowed: true,
    searchable_flag: false,
    filtering_allowed: true,
    sortable_flag: true,
    mandatory_flag: field.key === "name",
    options: optionsOf(field),
    ...(subfields === undefined
      ? {}
      : {
        subfields: subfields.map(([suffix, name, type]) => ({ key: `${field.key}_${suffix}`, name, field_type: type }))
      })
  }
}

const renderV2 = (field: StandardField | CustomField, include: ReadonlyArray<string>): Record<string, unknown> => {
  const custom = isCustom(field)
  const subfields = custom ? SUBFIELDS[field.field_type] : undefined
  const options = optionsOf(field)
  const time = Time.formatRfc3339(custom ? field.addTime : EPOCH)
  return {
    field_name: field.name,
    field_code: custom ? field.key : V2_CODES[field.key] ?? field.key,
    field_type: field.field_type,
    options: options === null ? null : options.map((o) => ({ id: o.id, label: o.label, color: null, add_time: time, update_time: time })),
    subfields: subfields === undefined
      ? null
      : subfields.map(([suffix, name, type]) => ({ field_code: `${field.key}_${suffix}`, field_name: name, field_type: type })),
    is_custom_field: custom,
    is_optional_response_field: false,
    ...(include.includes("ui_visibility")
      ? { ui_visibility: { add_visible_flag: true, details_visible_flag: true } }
      : {}),
    ...(include.includes("important_fields") ? { important_fields: { enabled: false, stage_ids: [] } } : {}),
    ...(include.includes("required_fields") ? { required_fields: { enabled: field.key === "name" } } : {})
  }
}

// ---- changing fields --------------------------------------------------------------------------

const CREATABLE_V2: ReadonlyArray<CustomFieldType> = [
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
]
const CREATABLE_V1: ReadonlyArray<CustomFieldType> = [...CREATABLE_V2, "visible_to"]

const Label = PersonInput.Name
const OptionsInput = Schema.Array(Schema.Struct({ label: Label }))

const nextOptionId = (seed: Seed) =>
  Math.max(1000, ...seed.customFields.flatMap((field) => (field.options ?? []).map((option) => option.id))) + 1

/** Adds a custom field; options are numbered after every option id in use. */
const addField = (
  seed: Seed,
  input: { readonly name: string; readonly type: CustomFieldType; readonly options: ReadonlyArray<{ readonly label: string }> | undefined }
) =>
  Effect.gen(function*() {
    const now = Time.toSeconds(yield* Clock.currentTimeMillis)
    const hasOptions = input.type === "enum" || input.type === "set"
    let optionId = nextOptionId(seed)
    const id = Math.max(CUSTOM_FIELD_ID_BASE - 1, ...seed.customFields.map((field) => field.id)) + 1
    const field: CustomField = {
      id,
      key: createHash("sha1").update(`${seed.seed}\u0000person-field\u0000${id}\u0000${input.name}`).digest("hex"),
      name: input.name.trim(),
      field_type: input.type,
      options: hasOptions ? (input.options ?? []).map((option) => ({ id: optionId++, label: option.label.trim() })) : null,
      addTime: now,
      updateTime: now
    }
    seed.customFields.push(field)
    return field
  })

const replaceField = (seed: Seed, field: CustomField) =>
  Effect.map(Clock.currentTimeMillis, (now) => {
    const updated: CustomField = { ...field, updateTime: Time.toSeconds(now) }
    const index = seed.customFields.findIndex((candidate) => candidate.key === field.key)
    if (index !== -1) seed.customFields[index] = updated
    return updated
  })

const removeField = (seed: Seed, field: CustomField) => {
  const index = seed.customFields.findIndex((candidate) => candidate.key === field.key)
  if (index !== -1) seed.customFields.splice(index, 1)
}

const notFound = () => new NotFound({ error: "Field not found" })
const standardRefused = (field: string) => new ValidationFailed({ field, reason: "standard fields cannot be changed or deleted" })

// ---- v1 routes --------------------------------------------------------------------------------

const v1Id = QueryParams.pathInteger("id")

const findV1 = (seed: Seed, id: number) => allFields(seed).find((field) => field.id === id)

const listV1 = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const request = yield* HttpServerRequest.HttpServerRequest
  const params = QueryParams.fromUrl(request.url)
  const start = (yield* QueryParams.integer(params, "start", { min: 0 })) ?? 0
  const limit = (yield* QueryParams.integer(params, "limit", { min: 1, max: 500 })) ?? 100
  const fields = allFields(seed)
  const page = fields.slice(start, start + limit)
  const more = start + limit < fields.length
  return success(page.map((field, index) => renderV1(field, start + index + 1)), {
    additional_data: { pagination: { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) } }
  })
})

const getV1 = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const id = yield* v1Id
  const field = findV1(seed, id)
  if (field === undefined) return yield* notFound()
  return success(renderV1(field, allFields(seed).indexOf(field) + 1))
})

const AddBodyV1 = Schema.Struct({
  name: Label,
  field_type: Schema.Literal(...CREATABLE_V1),
  options: Schema.optional(OptionsInput),
  add_visible_flag: Schema.optional(Schema.Boolean)
})

const addV1 = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const body = yield* PersonInput.decode(AddBodyV1, yield* readBody)
  const field = yield* addField(seed, { name: body.name, type: body.field_type, options: body.options })
  return success(renderV1(field, allFields(seed).length))
})

const UpdateBodyV1 = Schema.Struct({
  name: Schema.optional(Label),
  options: Schema.optional(Schema.Array(Schema.Struct({ id: Schema.optional(PersonInput.Id), label: Label }))),
  add_visible_flag: Schema.optional(Schema.Boolean)
})

const updateV1 = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const id = yield* v1Id
  const body = yield* PersonInput.decode(UpdateBodyV1, yield* readBody)
  const field = findV1(seed, id)
  if (field === undefined) return yield* notFound()
  if (!isCustom(field)) return yield* standardRefused("id")
  let options = field.options
  if (body.options !== undefined) {
    if (options === null) return yield* new ValidationFailed({ field: "options", reason: `a ${field.field_type} field has no options` })
    let next = nextOptionId(seed)
    const kept: Array<{ id: number; label: string }> = []
    for (const [index, option] of body.options.entries()) {
      if (option.id !== undefined && !options.some((existing) => existing.id === option.id)) {
        return yield* new ValidationFailed({ field: `options[${index}].id`, reason: `option ${option.id} does not exist` })
      }
      kept.push({ id: option.id ?? next++, label: option.label.trim() })
    }
    options = kept
  }
  const updated = yield* replaceField(seed, { ...field, name: body.name?.trim() ?? field.name, options })
  return success(renderV1(updated, allFields(seed).indexOf(updated) + 1))
})

const removeV1 = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const id = yield* v1Id
  const field = findV1(seed, id)
  if (field === undefined) return yield* notFound()
  if (!isCustom(field)) return yield* standardRefused("id")
  removeField(seed, field)
  return success({ id })
})

const removeManyV1 = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const request = yield* HttpServerRequest.HttpServerRequest
  const ids = yield* QueryParams.integerList(QueryParams.fromUrl(request.url), "ids", 100)
  if (ids === undefined || ids.length === 0) return yield* new ValidationFailed({ field: "ids", reason: "is required" })
  const fields: Array<CustomField> = []
  for (const id of ids) {
    const field = findV1(seed, id)
    if (field === undefined) return yield* new NotFound({ error: `Field ${id} not found` })
    if (!isCustom(field)) return yield* standardRefused("ids")
    fields.push(field)
  }
  for (const field of fields) removeField(seed, field)
  return success({ id: ids })
})

// ---- v2 routes --------------------------------------------------------------------------------

const INCLUDE = ["ui_visibility", "important_fields", "required_fields"] as const

const includeOf = (params: URLSearchParams) =>
  Effect.gen(function*() {
    const include = (yield* QueryParams.list(params, "include_fields", INCLUDE.length)) ?? []
    const unknown = include.find((name) => !INCLUDE.some((known) => known === name))
    if (unknown !== undefined) {
      return yield* new ValidationFailed({ field: "include_fields", reason: `${JSON.stringify(unknown)} is not one of ${INCLUDE.join(", ")}` })
    }
    return include
  })

const fieldCode = Effect.map(HttpRouter.params, (params) => params["field_code"] ?? "")

const findV2 = (seed: Seed, code: string) =>
  allFields(seed).find((field) => (isCustom(field) ? field.key : V2_CODES[field.key] ?? field.key) === code)

/** Cursors are plain offsets here: the field list is short and ordered by position. */
const listV2 = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const request = yield* HttpServerRequest.HttpServerRequest
  const params = QueryParams.fromUrl(request.url)
  const include = yield* includeOf(params)
  const limit = (yield* QueryParams.integer(params, "limit", { min: 1, max: 500 })) ?? 100
  const cursor = params.get("cursor")
  let start = 0
  if (cursor !== null) {
    const decoded = /^f(\d+)$/.exec(Buffer.from(cursor, "base64url").toString("utf8"))
    if (decoded === null) return yield* new ValidationFailed({ field: "cursor", reason: "is not a cursor this server issued" })
    start = Number(decoded[1])
  }
  const fields = allFields(seed)
  const page = fields.slice(start, start + limit)
  const next = start + limit < fields.length ? Buffer.from(`f${start + limit}`).toString("base64url") : null
  return success(page.map((field) => renderV2(field, include)), { additional_data: { next_cursor: next } })
})

const getV2 = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const request = yield* HttpServerRequest.HttpServerRequest
  const include = yield* includeOf(QueryParams.fromUrl(request.url))
  const field = findV2(seed, yield* fieldCode)
  if (field === undefined) return yield* notFound()
  return success(renderV2(field, include))
})

const Visibility = {
  ui_visibility: Schema.optional(Schema.Struct({
    add_visible_flag: Schema.optional(Schema.Boolean),
    details_visible_flag: Schema.optional(Schema.Boolean),
    show_in_add_deal_dialog: Schema.optional(Schema.Struct({
      show: Schema.optional(Schema.Boolean),
      order: Schema.optional(Schema.NullOr(Schema.Int))
    }))
  })),
  important_fields: Schema.optional(Schema.Struct({
    enabled: Schema.optional(Schema.Boolean),
    stage_ids: Schema.optional(Schema.Array(PersonInput.Id))
  })),
  required_fields: Schema.optional(Schema.Struct({ enabled: Schema.optional(Schema.Boolean) }))
}

const AddBodyV2 = Schema.Struct({
  field_name: Label,
  field_type: Schema.Literal(...CREATABLE_V2),
  options: Schema.optional(OptionsInput),
  ...Visibility
})

const addV2 = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const body = yield* PersonInput.decode(AddBodyV2, yield* readBody)
  const field = yield* addField(seed, { name: body.field_name, type: body.field_type, options: body.options })
  return success(renderV2(field, []))
})

const UpdateBodyV2 = Schema.Struct({ field_name: Schema.optional(Label), ...Visibility })

/** The custom field named by the path, or the error Pipedrive gives. */
const customByCode = (seed: Seed) =>
  Effect.gen(function*() {
    const field = findV2(seed, yield* fieldCode)
    if (field === undefined) return yield* notFound()
    if (!isCustom(field)) return yield* standardRefused("field_code")
    return field
  })

const updateV2 = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const body = yield* PersonInput.decode(UpdateBodyV2, yield* readBody)
  const field = yield* customByCode(seed)
  const updated = yield* replaceField(seed, { ...field, name: body.field_name?.trim() ?? field.name })
  return success(renderV2(updated, []))
})

const removeV2 = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const field = yield* customByCode(seed)
  removeField(seed, field)
  return success(renderV2(field, []))
})

const readArray = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const text = yield* Effect.orElseSucceed(request.text, () => "")
  try {
    const value: unknown = JSON.parse(text)
    if (Array.isArray(value) && value.length > 0) {
      const items: ReadonlyArray<unknown> = value
      return items
    }
  } catch {
    // reported below
  }
  return yield* new ValidationFailed({ field: "body", reason: "must be a non-empty JSON array" })
})

/** The enum or set field named by the path. */
const optionField = (seed: Seed) =>
  Effect.flatMap(customByCode(seed), (field) =>
    field.options === null
      ? Effect.fail(new ValidationFailed({ field: "field_code", reason: `a ${field.field_type} field has no options` }))
      : Effect.succeed({ field, options: field.options }))

const addOptions = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const body = yield* PersonInput.decode(Schema.Array(Schema.Struct({ label: Label })), yield* readArray)
  const { field, options } = yield* optionField(seed)
  let next = nextOptionId(seed)
  const added = body.map((option) => ({ id: next++, label: option.label.trim() }))
  yield* replaceField(seed, { ...field, options: [...options, ...added] })
  return success(added)
})

const updateOptions = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const body = yield* PersonInput.decode(Schema.Array(Schema.Struct({ id: PersonInput.Id, label: Label })), yield* readArray)
  const { field, options } = yield* optionField(seed)
  const missing = body.findIndex((change) => !options.some((option) => option.id === change.id))
  if (missing !== -1) {
    return yield* new ValidationFailed({ field: `[${missing}].id`, reason: `option ${body[missing]!.id} does not exist` })
  }
  const changed = body.map((change) => ({ id: change.id, label: change.label.trim() }))
  yield* replaceField(seed, {
    ...field,
    options: options.map((option) => changed.find((change) => change.id === option.id) ?? option)
  })
  return success(changed)
})

const removeOptions = Effect.gen(function*() {
  const { seed } = yield* PersonStore
  const body = yield* PersonInput.decode(Schema.Array(Schema.Struct({ id: PersonInput.Id })), yield* readArray)
  const { field, options } = yield* optionField(seed)
  const missing = body.findIndex((change) => !options.some((option) => option.id === change.id))
  if (missing !== -1) {
    return yield* new ValidationFailed({ field: `[${missing}].id`, reason: `option ${body[missing]!.id} does not exist` })
  }
  const removed = options.filter((option) => body.some((change) => change.id === option.id))
  yield* replaceField(seed, { ...field, options: options.filter((option) => !removed.includes(option)) })
  return success(removed)
})

/** The routes of both APIs' person fields. */
export const router = Effect.succeed(
  HttpRouter.empty.pipe(
    HttpRouter.get("/api/v1/personFields", listV1),
    HttpRouter.post("/api/v1/personFields", addV1),
    HttpRouter.del("/api/v1/personFields", removeManyV1),
    HttpRouter.get("/api/v1/personFields/:id", getV1),
    HttpRouter.put("/api/v1/personFields/:id", updateV1),
    HttpRouter.del("/api/v1/personFields/:id", removeV1),
    HttpRouter.get("/api/v2/personFields", listV2),
    HttpRouter.post("/api/v2/personFields", addV2),
    HttpRouter.get("/api/v2/personFields/:field_code", getV2),
    HttpRouter.patch("/api/v2/personFields/:field_code", updateV2),
    HttpRouter.del("/api/v2/personFields/:field_code", removeV2),
    HttpRouter.post("/api/v2/personFields/:field_code/options", addOptions),
    HttpRouter.patch("/api/v2/personFields/:field_code/options", updateOptions),
    HttpRouter.del("/api/v2/personFields/:field_code/options", removeOptions)
  )
)
