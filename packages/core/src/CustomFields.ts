/**
 * Custom person fields by name, with typed values.
 *
 * Pipedrive keys custom field values by a 40-character hash that differs per account
 * (`"a1b2…": 101`). This service loads the account's person fields once (cached until `refresh`),
 * maps hash ↔ name, and converts values by the field's type, both ways:
 *
 * | field_type                            | value read (and accepted on write)                                  |
 * | ------------------------------------- | ------------------------------------------------------------------- |
 * | varchar, varchar_auto, text, phone    | `string`                                                            |
 * | double                                | `number` (`int`: an integer)                                        |
 * | monetary                              | `{ value: number, currency: string \| null }`                       |
 * | date                                  | `"YYYY-MM-DD"`                                                      |
 * | time                                  | `"HH:MM:SS"` (write also takes `"HH:MM"`)                           |
 * | daterange / timerange                 | `{ start, end }`, each a date / a time as above                     |
 * | enum                                  | `{ id, label }` (write: the label, the id, or `{ id }`)             |
 * | set                                   | `Array<{ id, label }>` (write: an array of labels / ids / `{ id }`) |
 * | user, org, people                     | the referenced id, a `number`                                       |
 * | address                               | `{ value: string, …parts }` (write also takes a plain string)       |
 * | anything else                         | the JSON Pipedrive sent, unchanged                                  |
 *
 * An empty value is `null` (write `null` to clear a field). An option that no longer exists reads as
 * `{ id, label: null }`.
 *
 * Names: only custom fields are mapped. Pipedrive lets two custom fields share a name; such a name is
 * ambiguous, so writing by it fails with `AmbiguousFieldName` (listing the hashes), and reading keys
 * those fields by their hash instead. A hash is always accepted where a name is.
 *
 * @example
 * ```ts
 * import { CustomFields, Persons } from "@pipedrive-effect/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const fields = yield* CustomFields.CustomFields
 *   const custom_fields = yield* fields.encode({ "Lead source": "Referral", "Lifetime value": 1200 })
 *   const person = yield* Persons.create({ name: "Ada Lovelace", custom_fields })
 *   return yield* fields.decode(person) // { "Lead source": { id: 102, label: "Referral" }, … }
 * }).pipe(Effect.provide(CustomFields.layer))
 * ```
 */
import * as Context from "effect/Context"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Layer from "effect/Layer"
import * as Option from "effect/Option"
import * as Schema from "effect/Schema"
import * as Stream from "effect/Stream"
import * as SynchronizedRef from "effect/SynchronizedRef"
import * as PersonFields from "./PersonFields.ts"
import type * as PersonsV1 from "./PersonsV1.ts"
import * as PipedriveClient from "./PipedriveClient.ts"
import type { PipedriveError } from "./PipedriveError.ts"
import type { Person } from "./schema/PersonV2.ts"

/** An option of an `enum` or `set` field. */
export interface OptionValue {
  readonly id: number
  /** `null` when the option was deleted after the value was set. */
  readonly label: string | null
}

/** A monetary value. */
export interface Monetary {
  readonly value: number
  readonly currency: string | null
}

/** A date range (`YYYY-MM-DD`) or a time range (`HH:MM:SS`). */
export interface Range {
  readonly start: string
  readonly end: string
}

/** An address: the formatted `value` and whichever parts Pipedrive split it into (empty ones left out). */
export interface Address {
  readonly value: string
  readonly [part: string]: string
}

/** A typed custom field value, as read (see the module's table). */
export type Value =
  | string
  | number
  | Monetary
  | Range
  | OptionValue
  | ReadonlyArray<OptionValue>
  | Address
  | null
  | { readonly raw: unknown }

/** What may be written for one field: the read shapes, plus the shorthands of the module's table. */
export type Input =
  | string
  | number
  | null
  | { readonly value: number; readonly currency?: string | null | undefined }
  | { readonly start: string; readonly end: string }
  | { readonly id: number; readonly label?: string | null | undefined }
  | ReadonlyArray<string | number | { readonly id: number; readonly label?: string | null | undefined }>
  | Address

/** One custom field as the catalog knows it. */
export interface Field {
  /** The 40-character hash values are keyed by (v1 `key`, v2 `field_code`). */
  readonly key: string
  readonly name: string
  readonly type: string
  readonly options: ReadonlyArray<{ readonly id: number; readonly label: string }>
}

/** The account's custom person fields, indexed both ways. */
export interface Catalog {
  readonly fields: ReadonlyArray<Field>
  readonly byKey: ReadonlyMap<string, Field>
  /** Every field of each name (more than one: the name is ambiguous). */
  readonly byName: ReadonlyMap<string, ReadonlyArray<Field>>
}

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const UnknownFieldBase: Schema.TaggedErrorClass<UnknownField, "UnknownField", {
  readonly _tag: Schema.tag<"UnknownField">
} & {
  name: typeof Schema.String
}> = Schema.TaggedError<UnknownField>()("UnknownField", {
  name: Schema.String
})
/** A name (or hash) that is no custom person field of this account. */
export class UnknownField extends UnknownFieldBase {
  override get message(): string {
    return `"${this.name}" is not a custom person field of this account`
  }
}

const AmbiguousFieldNameBase: Schema.TaggedErrorClass<AmbiguousFieldName, "AmbiguousFieldName", {
  readonly _tag: Schema.tag<"AmbiguousFieldName">
} & {
  name: typeof Schema.String
  keys: Schema.Array$<typeof Schema.String>
}> = Schema.TaggedError<AmbiguousFieldName>()("AmbiguousFieldName", {
  name: Schema.String,
  keys: Schema.Array(Schema.String)
})
/** A name shared by several custom fields: write by one of their hashes instead. */
export class AmbiguousFieldName extends AmbiguousFieldNameBase {
  override get message(): string {
    return `"${this.name}" names ${this.keys.length} custom person fields (${this.keys.join(", ")}); use one of these keys instead`
  }
}

const InvalidValueBase: Schema.TaggedErrorClass<InvalidValue, "InvalidValue", {
  readonly _tag: Schema.tag<"InvalidValue">
} & {
  name: typeof Schema.String
  type: typeof Schema.String
  expected: typeof Schema.String
}> = Schema.TaggedError<InvalidValue>()("InvalidValue", {
  name: Schema.String,
  type: Schema.String,
  expected: Schema.String
})
/** A value that does not suit its field's type. */
export class InvalidValue extends InvalidValueBase {
  override get message(): string {
    return `custom field "${this.name}" (${this.type}) expects ${this.expected}`
  }
}

/** Every way mapping by name can fail. */
export type CustomFieldError = UnknownField | AmbiguousFieldName | InvalidValue

const HASH = /^[0-9a-f]{40}$/

/** Builds the catalog from v2 fields (custom ones only). */
export const catalog = (fields: ReadonlyArray<PersonFields.PersonField>): Catalog =>
  fromFields(fields.filter((field) => field.is_custom_field).map((field) => ({
    key: field.field_code,
    name: field.field_name,
    type: field.field_type,
    options: normalizeOptions(field.options)
  })))

/** Builds the catalog from v1 fields (those whose `key` is a 40-character hash). */
export const catalogV1 = (fields: ReadonlyArray<PersonFields.PersonFieldV1>): Catalog =>
  fromFields(fields.flatMap((field) =>
    field.key != null && HASH.test(field.key) && field.is_subfield !== true
      ? [{ key: field.key, name: field.name ?? field.key, type: field.field_type ?? "varchar", options: normalizeOptions(field.options) }]
      : []
  ))

const normalizeOptions = (
  options: ReadonlyArray<{ readonly id?: number | string | null | undefined; readonly label?: string | null | undefined }> | null | undefined
) =>
  (options ?? []).flatMap((option) => {
    const id = Number(option.id)
    return Number.isInteger(id) && option.label != null ? [{ id, label: option.label }] : []
  })

const fromFields = (fields: ReadonlyArray<Field>): Catalog => {
  const byName = new Map<string, Array<Field>>()
  for (const field of fields) byName.set(field.name, [...(byName.get(field.name) ?? []), field])
  return { fields, byKey: new Map(fields.map((field) => [field.key, field])), byName }
}

/** The field a name (or hash) refers to. */
export const resolve = (cat: Catalog, name: string): Either.Either<Field, UnknownField | AmbiguousFieldName> => {
  const byKey = cat.byKey.get(name)
  if (byKey !== undefined) return Either.right(byKey)
  const named = cat.byName.get(name) ?? []
  if (named.length === 1) return Either.right(named[0]!)
  if (named.length === 0) return Either.left(new UnknownField({ name }))
  return Either.left(new AmbiguousFieldName({ name, keys: named.map((field) => field.key) }))
}

/** The name a field is read under: its name, or its hash when the name is ambiguous. */
export const readName = (cat: Catalog, field: Field): string =>
  (cat.byName.get(field.name)?.length ?? 0) > 1 ? field.key : field.name

// ---- reading ----------------------------------------------------------------------------------

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const numberOf = (value: unknown): number | undefined => {
  const n = typeof value === "string" && value.trim() !== "" ? Number(value) : value
  return typeof n === "number" && Number.isFinite(n) ? n : undefined
}

const optionOf = (field: Field, raw: unknown): OptionValue | undefined => {
  const id = numberOf(isRecord(raw) ? raw["id"] : raw)
  if (id === undefined) return undefined
  return { id, label: field.options.find((option) => option.id === id)?.label ?? null }
}

const textOf = (value: unknown): string | undefined =>
  typeof value === "string" ? value : isRecord(value) && typeof value["value"] === "string" ? value["value"] : undefined

/** The field types whose value is plain text, read and written as a string. */
export const textTypes: ReadonlySet<string> = new Set([
  "varchar",
  "varchar_auto",
  "varchar_options",
  "text",
  "phone",
  "autocomplete"
])

/**
 * Reads one value as Pipedrive sent it (v2 shapes, or v1 ones with `extra` holding the v1 subfield
 * values such as `currency` and `until`).
 */
export const readValue = (
  field: Field,
  raw: unknown,
  extra: Readonly<Record<string, unknown>> = {}
): Value => {
  if (raw === null || raw === undefined || raw === "") return null
  if (textTypes.has(field.type)) return typeof raw === "string" ? raw : textOf(raw) ?? { raw }
  switch (field.type) {
    case "double":
    case "int":
      return numberOf(raw) ?? { raw }
    case "monetary": {
      const value = numberOf(isRecord(raw) ? raw["value"] : raw)
      const currency = isRecord(raw) ? raw["currency"] : extra["currency"]
      return value === undefined ? { raw } : { value, currency: typeof currency === "string" ? currency : null }
    }
    case "date":
    case "time":
      return textOf(raw) ?? { raw }
    case "daterange":
    case "timerange": {
      const start = isRecord(raw) ? raw["start"] ?? raw["value"] : raw
      const end = isRecord(raw) ? raw["end"] ?? raw["until"] : extra["until"]
      return typeof start === "string" && typeof end === "string" ? { start, end } : { raw }
    }
    case "enum":
      return optionOf(field, raw) ?? { raw }
    case "set": {
      const items = typeof raw === "string" ? raw.split(",").filter((s) => s.trim() !== "") : Array.isArray(raw) ? raw : [raw]
      const options = items.map((item) => optionOf(field, item))
      return options.every((option) => option !== undefined) ? options.filter((o) => o !== undefined) : { raw }
    }
    case "user":
    case "org":
    case "people":
      return numberOf(isRecord(raw) ? raw["value"] ?? raw["id"] : raw) ?? { raw }
    case "address": {
      if (typeof raw === "string") {
        const parts: { value: string; [part: string]: string } = { value: raw }
        for (const [part, value] of Object.entries(extra)) if (typeof value === "string") parts[part] = value
        return parts
      }
      if (isRecord(raw) && typeof raw["value"] === "string") {
        const parts: { value: string; [part: string]: string } = { value: raw["value"] }
        for (const [part, value] of Object.entries(raw)) if (typeof value === "string") parts[part] = value
        return parts
      }
      return { raw }
    }
    default:
      return { raw }
  }
}

/** A v2 person's custom fields, keyed by name, typed. Values of fields this catalog lacks are left out. */
export const decode = (cat: Catalog, values: Readonly<Record<string, unknown>> | null | undefined): Record<string, Value> => {
  const out: Record<string, Value> = {}
  for (const field of cat.fields) {
    if (values == null || !(field.key in values)) continue
    out[readName(cat, field)] = readValue(field, values[field.key])
  }
  return out
}

/** A v1 person's custom fields (top-level hash keys and their `<hash>_<subfield>` siblings), by name. */
export const decodeV1 = (cat: Catalog, person: Readonly<Record<string, unknown>>): Record<string, Value> => {
  // One pass over the person's keys collects every field's `<key>_<subfield>` siblings (as in
  // `<hash>_currency`), rather than one pass over all keys per field.
  const extras = new Map<string, Record<string, unknown>>()
  for (const key in person) {
    for (let cut = key.indexOf("_"); cut > 0; cut = key.indexOf("_", cut + 1)) {
      const fieldKey = key.slice(0, cut)
      if (!cat.byKey.has(fieldKey)) continue
      let extra = extras.get(fieldKey)
      if (extra === undefined) extras.set(fieldKey, extra = {})
      extra[key.slice(cut + 1)] = person[key]
    }
  }
  const out: Record<string, Value> = {}
  for (const field of cat.fields) {
    if (!(field.key in person)) continue
    out[readName(cat, field)] = readValue(field, person[field.key], extras.get(field.key) ?? {})
  }
  return out
}

// ---- writing ----------------------------------------------------------------------------------

const TIME = /^(\d{2}):(\d{2})(?::(\d{2}))?$/
/** A real calendar date as YYYY-MM-DD (so not 2025-02-30; an invalid month must not throw). */
const validDate = (value: unknown): value is string => {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}
const normalTime = (value: unknown): string | undefined => {
  if (typeof value !== "string") return undefined
  const match = TIME.exec(value)
  if (match === null) return undefined
  const [h, m, s] = [Number(match[1]), Number(match[2]), Number(match[3] ?? "0")]
  return h < 24 && m < 60 && s < 60 ? `${match[1]}:${match[2]}:${match[3] ?? "00"}` : undefined
}

const optionId = (field: Field, input: unknown): number | undefined => {
  if (typeof input === "string") {
    const matches = field.options.filter((option) => option.label === input)
    return matches.length === 1 ? matches[0]!.id : undefined
  }
  const id = isRecord(input) ? input["id"] : input
  return typeof id === "number" && field.options.some((option) => option.id === id) ? id : undefined
}

const labels = (field: Field) =>
  field.options.length === 0 ? "(the field has no options)" : field.options.map((o) => `"${o.label}" (${o.id})`).join(", ")

/** The wire value (v2) of one input, or what was expected. */
export const writeValue = (field: Field, input: unknown): Either.Either<unknown, InvalidValue> => {
  const fail = (expected: string) => Either.left(new InvalidValue({ name: field.name, type: field.type, expected }))
  const ok = (value: unknown) => Either.right(value)
  if (input === null) return ok(null)
  if (textTypes.has(field.type)) return typeof input === "string" ? ok(input) : fail("a string")
  switch (field.type) {
    case "double":
      return typeof input === "number" && Number.isFinite(input) ? ok(input) : fail("a finite number")
    case "int":
      return Number.isInteger(input) ? ok(input) : fail("an integer")
    case "monetary":
      return isRecord(input) && typeof input["value"] === "number" && Number.isFinite(input["value"]) &&
          (input["currency"] === undefined || input["currency"] === null || typeof input["currency"] === "string")
        ? ok({ value: input["value"], currency: input["currency"] ?? null })
        : fail("{ value: number, currency: string }")
    case "date":
      return validDate(input) ? ok(input) : fail("a date as YYYY-MM-DD")
    case "time": {
      const time = normalTime(input)
      return time === undefined ? fail("a time as HH:MM:SS") : ok(time)
    }
    case "daterange":
      return isRecord(input) && validDate(input["start"]) && validDate(input["end"]) && input["start"] <= input["end"]
        ? ok({ value: input["start"], until: input["end"] })
        : fail("{ start, end } dates as YYYY-MM-DD, start not after end")
    case "timerange": {
      const start = isRecord(input) ? normalTime(input["start"]) : undefined
      const end = isRecord(input) ? normalTime(input["end"]) : undefined
      return start !== undefined && end !== undefined ? ok({ value: start, until: end }) : fail("{ start, end } times as HH:MM:SS")
    }
    case "enum": {
      const id = optionId(field, input)
      return id === undefined ? fail(`one option: ${labels(field)}`) : ok(id)
    }
    case "set": {
      if (!Array.isArray(input)) return fail(`an array of options: ${labels(field)}`)
      const ids = input.map((item) => optionId(field, item))
      return ids.every((id) => id !== undefined) ? ok([...new Set(ids)]) : fail(`an array of options: ${labels(field)}`)
    }
    case "user":
    case "org":
    case "people":
      return typeof input === "number" && Number.isInteger(input) && input > 0 ? ok(input) : fail(`a ${field.type} id`)
    case "address":
      return typeof input === "string"
        ? ok({ value: input })
        : isRecord(input) && typeof input["value"] === "string"
        ? ok(input)
        : fail("an address: a string or { value: string, …parts }")
    default:
      return ok(input)
  }
}

/**
 * Turns values keyed by name (or hash) into the hash-keyed `custom_fields` of a v2 create/update
 * body. Fails on the first unknown or ambiguous name or ill-typed value.
 */
export const encode = (
  cat: Catalog,
  values: Readonly<Record<string, unknown>>
): Effect.Effect<Record<string, unknown>, CustomFieldError> =>
  Effect.suspend((): Effect.Effect<Record<string, unknown>, CustomFieldError> => {
    const out: Record<string, unknown> = {}
    for (const [name, input] of Object.entries(values)) {
      if (input === undefined) continue
      const field = resolve(cat, name)
      if (Either.isLeft(field)) return Effect.fail(field.left)
      const value = writeValue(field.right, input)
      if (Either.isLeft(value)) return Effect.fail(value.left)
      out[field.right.key] = value.right
    }
    return Effect.succeed(out)
  })

/**
 * The same for a v1 body, where custom fields are top-level keys and composite values are split
 * into `<hash>_<subfield>` keys (`_currency`, `_until`, address parts); sets are sent as arrays.
 */
export const encodeV1 = (
  cat: Catalog,
  values: Readonly<Record<string, unknown>>
): Effect.Effect<Record<string, unknown>, CustomFieldError> =>
  Effect.map(encode(cat, values), (v2) => {
    const out: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(v2)) {
      const type = cat.byKey.get(key)?.type
      if (isRecord(value) && (type === "monetary" || type === "daterange" || type === "timerange" || type === "address")) {
        for (const [part, partValue] of Object.entries(value)) out[part === "value" ? key : `${key}_${part}`] = partValue
      } else {
        out[key] = value
      }
    }
    return out
  })

// ---- the service ------------------------------------------------------------------------------

/** The service: the cached catalog and the conversions over it. */
export interface Service {
  /** The catalog, loaded on first use and kept until `refresh`. */
  readonly catalog: Effect.Effect<Catalog, PipedriveError>
  /** Loads the fields again (after fields were added, renamed or removed). */
  readonly refresh: Effect.Effect<Catalog, PipedriveError>
  /** The field a name (or hash) refers to. */
  readonly field: (name: string) => Effect.Effect<Field, PipedriveError | UnknownField | AmbiguousFieldName>
  /** A v2 person's custom fields by name, typed. */
  readonly decode: (person: Pick<Person, "custom_fields">) => Effect.Effect<Record<string, Value>, PipedriveError>
  /** A v1 person's custom fields by name, typed. */
  readonly decodeV1: (person: PersonsV1.Person) => Effect.Effect<Record<string, Value>, PipedriveError>
  /** The hash-keyed `custom_fields` of a v2 body (`Persons.create` / `Persons.update`). */
  readonly encode: (values: Readonly<Record<string, unknown>>) => Effect.Effect<Record<string, unknown>, PipedriveError | CustomFieldError>
  /** The hash-keyed top-level fields of a v1 body. */
  readonly encodeV1: (values: Readonly<Record<string, unknown>>) => Effect.Effect<Record<string, unknown>, PipedriveError | CustomFieldError>
}

const CustomFieldsBase: Context.TagClass<CustomFields, "@pipedrive-effect/core/CustomFields", Service> =
  Context.Tag("@pipedrive-effect/core/CustomFields")<CustomFields, Service>()
/** The `CustomFields` service tag. */
export class CustomFields extends CustomFieldsBase {}

/** Loads the catalog through API v2 `personFields`. */
export const load: Effect.Effect<Catalog, PipedriveError, PipedriveClient.PipedriveClient> = Effect.map(
  Stream.runCollect(PersonFields.stream({ limit: 500 })),
  (fields) => catalog(Array.from(fields))
)

/**
 * Builds the service over a catalog loader: `load` for API v2, or e.g.
 * `Effect.map(Stream.runCollect(PersonFieldsV1.stream()), (f) => catalogV1(Array.from(f)))` for v1.
 */
export const make = <R>(loader: Effect.Effect<Catalog, PipedriveError, R>): Effect.Effect<Service, never, R> =>
  Effect.gen(function*() {
    const context = yield* Effect.context<R>()
    const run = Effect.provide(loader, context)
    const state = yield* SynchronizedRef.make(Option.none<Catalog>())
    const current = SynchronizedRef.modifyEffect(state, (cached) =>
      Option.match(cached, {
        onSome: (cat) => Effect.succeed([cat, cached] as const),
        onNone: () => Effect.map(run, (cat) => [cat, Option.some(cat)] as const)
      }))
    const refresh = SynchronizedRef.modifyEffect(state, () => Effect.map(run, (cat) => [cat, Option.some(cat)] as const))
    return CustomFields.of({
      catalog: current,
      refresh,
      field: (name) =>
        Effect.flatMap(current, (cat) => {
          const found = resolve(cat, name)
          return Either.isRight(found) ? Effect.succeed(found.right) : Effect.fail(found.left)
        }),
      decode: (person) => Effect.map(current, (cat) => decode(cat, person.custom_fields)),
      decodeV1: (person) => Effect.map(current, (cat) => decodeV1(cat, person)),
      encode: (values) => Effect.flatMap(current, (cat) => encode(cat, values)),
      encodeV1: (values) => Effect.flatMap(current, (cat) => encodeV1(cat, values))
    })
  })

/** The service over the `PipedriveClient` in context, loading fields through API v2. */
export const layer: Layer.Layer<CustomFields, never, PipedriveClient.PipedriveClient> = Layer.effect(
  CustomFields,
  make(load)
)
