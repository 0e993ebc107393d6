/**
 * The one definition of the person file format that `persons export` writes, `persons import`
 * reads and `persons delete` backs up into. Both directions live here, so they cannot drift.
 *
 * **NDJSON**: one API v2 person a line, exactly as `Persons.stream` decodes it, encoded back with
 * `Persons.Person` (custom fields under `custom_fields`, keyed by the field's 40-character key, in
 * Pipedrive's v2 shapes).
 *
 * **CSV**: a header row, then one row per person. The columns are `standardColumns` in that order,
 * then one column per custom field, named by the field's name (`csvColumns`). A custom field whose
 * name is shared by another custom field, or equals a standard column's name, is named by its key
 * instead (so a column always means one field; the key is also accepted for any field on reading).
 * Cells:
 *
 * | column | cell |
 * | --- | --- |
 * | `emails`, `phones`, `im` | `value [label]` entries joined by `"; "`, the primary one first (see `CellText`); reading makes the first entry primary |
 * | `label_ids` | ids joined by `"; "` |
 * | ids, `visible_to` | the number |
 * | `postal_address` | the formatted address (`value`); its parts are kept in NDJSON only |
 * | text and times | as Pipedrive sent them |
 * | custom text, date, time | as is |
 * | custom number (`double`, `int`), `user`, `org`, `people` | the number |
 * | custom `monetary` | `1200.5 EUR` (the amount, a space, the currency; the currency may be left out) |
 * | custom `daterange`, `timerange` | `start/end`, e.g. `2025-01-01/2025-03-31` |
 * | custom `enum` | the option's label (its id as `#101` when the label is missing or shared) |
 * | custom `set` | the options, as for `enum`, joined by `"; "` |
 * | custom `address` | the formatted address (`value`) |
 * | custom of another type | the JSON value |
 *
 * An empty cell is an empty field: `null`, or `[]` for the lists. A CSV row therefore reads back as
 * the person it was written from, with absent fields as `null` (`canonical`), lists as `[]`, contact
 * entries without a value left out, and addresses reduced to their `value`.
 *
 * Reading gives a `Row` (a person whose fields may all be missing: a hand-written file has only the
 * columns it needs) and `toDraft` turns a row into the body of a create or update. Every problem is a
 * value (`Problem`: line, field, reason), never an exception, so an import can list all of them.
 */
import { CustomFields, Persons, type PersonsV1 } from "@pipedrive-effect/core"
import { Array as Arr, Either, Option, ParseResult, Schema } from "effect"
import * as CellText from "./CellText.ts"

// ---- problems -----------------------------------------------------------------------------------

/** Something wrong with one field of one line of a file. */
export interface Problem {
  /** The line of the file (1-based; a CSV record's last line). */
  readonly line: number
  /** The column or field, e.g. `emails[1].value`, `custom_fields.Lead source`, `header`. */
  readonly field: string
  readonly reason: string
}

/** A problem as one line of text: `line 12: emails: "x" is not an email address`. */
export const formatProblem = (problem: Problem): string => `line ${problem.line}: ${problem.field}: ${problem.reason}`

/** The two file formats. */
export type Format = "ndjson" | "csv"

/** The format a file name says: `.csv` is CSV; `.ndjson`, `.jsonl`, `.json` are NDJSON. */
export const formatOf = (path: string): Format | undefined => {
  const lower = path.toLowerCase()
  if (lower.endsWith(".csv")) return "csv"
  if (lower.endsWith(".ndjson") || lower.endsWith(".jsonl") || lower.endsWith(".json")) return "ndjson"
  return undefined
}

// ---- rows ---------------------------------------------------------------------------------------

/** A person as a file holds it: the v2 person's fields, every one of them possibly missing (also `id`). */
export const Row = Schema.Struct({ ...Persons.Person.fields, id: Schema.optional(Schema.NullOr(Schema.Number)) })
export type Row = typeof Row.Type

/** The standard CSV columns, in the order they are written. */
export const standardColumns = [
  "id",
  "name",
  "first_name",
  "last_name",
  "emails",
  "phones",
  "im",
  "owner_id",
  "org_id",
  "visible_to",
  "label_ids",
  "picture_id",
  "add_time",
  "update_time",
  "job_title",
  "birthday",
  "notes",
  "postal_address"
] as const
/** A standard CSV column. */
export type StandardColumn = (typeof standardColumns)[number]

const standardSet: ReadonlySet<string> = new Set(standardColumns)
const isStandard = (name: string): name is StandardColumn => standardSet.has(name)

const entryColumns = new Set<StandardColumn>(["emails", "phones", "im"])
const idColumns = new Set<StandardColumn>(["id", "owner_id", "org_id", "visible_to", "picture_id"])

// ---- NDJSON -------------------------------------------------------------------------------------

const encodePerson = Schema.encodeSync(Persons.Person)

/** A person as one NDJSON line (no newline). */
export const toNdjsonLine = (person: Persons.Person): string => JSON.stringify(encodePerson(person))

const parseProblems = (line: number, error: ParseResult.ParseError): ReadonlyArray<Problem> => {
  const all = ParseResult.ArrayFormatter.formatErrorSync(error)
  // `optionalNullable(X)` reports "Expected null" and "Expected undefined" beside X's real problem.
  const meaningful = all.filter((issue) => !/^Expected (null|undefined), actual/.test(issue.message))
  return (meaningful.length > 0 ? meaningful : all).map((issue) => ({
    line,
    field: issue.path.length === 0 ? "(line)" : issue.path.map(String).join("."),
    reason: issue.message
  }))
}

const decodeRow = Schema.decodeUnknownEither(Row, { errors: "all", onExcessProperty: "error" })

/** One NDJSON line as a row: it must be a JSON object with the v2 person's fields (no others). */
export const fromNdjsonLine = (text: string, line: number): Either.Either<Row, ReadonlyArray<Problem>> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return Either.left([{ line, field: "(line)", reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` }])
  }
  return Either.mapLeft(decodeRow(json), (error) => parseProblems(line, error))
}

// ---- CSV: writing -------------------------------------------------------------------------------

/** The header of a CSV export: the standard columns, then the custom fields' column names. */
export const csvColumns = (catalog: CustomFields.Catalog): ReadonlyArray<string> => [
  ...standardColumns,
  ...catalog.fields.map((field) => customColumn(catalog, field))
]

/** The column a custom field is written under: its name, or its key when the name is ambiguous. */
export const customColumn = (catalog: CustomFields.Catalog, field: CustomFields.Field): string => {
  const name = CustomFields.readName(catalog, field)
  return isStandard(name) ? field.key : name
}

/** Contact entries in the order a cell holds them: those with a value, the first primary one first. */
const orderedEntries = (
  entries: ReadonlyArray<
    { readonly value?: string | null | undefined; readonly primary?: boolean | null | undefined; readonly label?: string | null | undefined }
  >
): ReadonlyArray<CellText.Entry> => {
  const withValue = entries.filter((entry) => entry.value != null && entry.value !== "")
  const primary = withValue.findIndex((entry) => entry.primary === true)
  const ordered = primary <= 0 ? withValue : [withValue[primary]!, ...withValue.filter((_, i) => i !== primary)]
  return ordered.map((entry) => ({ value: entry.value ?? "", label: entry.label ?? null }))
}

const optionText = (field: CustomFields.Field, option: CustomFields.OptionValue): string =>
  option.label !== null && field.options.filter((o) => o.label === option.label).length === 1
    ? option.label
    : `#${option.id}`

const isRaw = (value: CustomFields.Value): value is { readonly raw: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value) && "raw" in value

/** The cell of one custom field value (as Pipedrive v2 sends it). */
export const customCell = (field: CustomFields.Field, wire: unknown): string => {
  const value = CustomFields.readValue(field, wire)
  if (value === null) return ""
  if (isRaw(value)) return JSON.stringify(value.raw) ?? ""
  if (typeof value === "string") return value
  if (typeof value === "number") return String(value)
  if (Array.isArray(value)) return CellText.formatList(value.map((option) => optionText(field, option)))
  if ("start" in value && "end" in value) return `${value.start}/${value.end}`
  if ("currency" in value) return value.currency === null ? String(value.value) : `${value.value} ${value.currency}`
  if ("id" in value) return optionText(field, value as CustomFields.OptionValue)
  if ("value" in value && typeof value["value"] === "string") return value["value"]
  return JSON.stringify(value)
}

const idCell = (value: number | null | undefined) => value == null ? "" : String(value)

/** The CSV cells of a person, in `csvColumns(catalog)` order. Values of fields the catalog lacks are left out. */
export const toCsvCells = (catalog: CustomFields.Catalog, person: Persons.Person): ReadonlyArray<string> => {
  const standard = standardColumns.map((column): string => {
    switch (column) {
      case "emails":
      case "phones":
      case "im":
        return CellText.formatEntries(orderedEntries(person[column] ?? []))
      case "label_ids":
        return CellText.formatList((person.label_ids ?? []).map(String))
      case "postal_address":
        return person.postal_address?.value ?? ""
      case "id":
      case "owner_id":
      case "org_id":
      case "visible_to":
      case "picture_id":
        return idCell(person[column])
      default:
        return person[column] ?? ""
    }
  })
  const custom = catalog.fields.map((field) => customCell(field, person.custom_fields?.[field.key]))
  return [...standard, ...custom]
}

// ---- CSV: reading -------------------------------------------------------------------------------

/** A CSV header, resolved: what each column holds. */
export interface Columns {
  readonly cells: ReadonlyArray<
    | { readonly kind: "standard"; readonly column: StandardColumn }
    | { readonly kind: "custom"; readonly column: string; readonly field: CustomFields.Field }
  >
}

/**
 * Resolves a header row: each cell must be a standard column or name a custom field (by name or
 * key), each at most once. Columns may be left out (a file for import needs only what it sets).
 */
export const readHeader = (
  catalog: CustomFields.Catalog,
  header: ReadonlyArray<string>,
  line = 1
): Either.Either<Columns, ReadonlyArray<Problem>> => {
  const problems: Array<Problem> = []
  const cells: Array<Columns["cells"][number]> = []
  const seen = new Map<string, string>()
  header.forEach((raw, index) => {
    const name = index === 0 ? raw.replace(/^\uFEFF/, "").trim() : raw.trim()
    const fail = (reason: string) => problems.push({ line, field: `header column ${index + 1} "${raw}"`, reason })
    let cell: Columns["cells"][number]
    if (isStandard(name)) {
      cell = { kind: "standard", column: name }
    } else {
      const found = CustomFields.resolve(catalog, name)
      if (Either.isLeft(found)) {
        fail(
          found.left._tag === "AmbiguousFieldName"
            ? found.left.message
            : `not a standard column (${standardColumns.join(", ")}) nor a custom person field of this account`
        )
        return
      }
      cell = { kind: "custom", column: name, field: found.right }
    }
    const identity = cell.kind === "standard" ? cell.column : cell.field.key
    const earlier = seen.get(identity)
    if (earlier !== undefined) {
      fail(`the same field as column "${earlier}"`)
      return
    }
    seen.set(identity, name)
    cells.push(cell)
  })
  if (!cells.some((cell) => cell.kind === "standard" && cell.column === "name") && !cells.some((c) => c.kind === "standard" && c.column === "id")) {
    problems.push({ line, field: "header", reason: `needs a "name" column (or "id" to update by id)` })
  }
  return problems.length > 0 ? Either.left(problems) : Either.right({ cells })
}

const INTEGER = /^-?\d+$/
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/

const parseOption = (field: CustomFields.Field, text: string): Either.Either<number, string> => {
  const byLabel = field.options.filter((option) => option.label === text)
  if (byLabel.length === 1) return Either.right(byLabel[0]!.id)
  const id = /^#?(\d+)$/.exec(text)?.[1]
  if (id !== undefined && field.options.some((option) => option.id === Number(id))) return Either.right(Number(id))
  const labels = field.options.map((option) => `"${option.label}"`).join(", ")
  return Either.left(
    byLabel.length > 1
      ? `"${text}" labels ${byLabel.length} options; write one as #id (${byLabel.map((o) => `#${o.id}`).join(", ")})`
      : `"${text}" is not an option (${labels === "" ? "the field has none" : labels})`
  )
}

/** The input `CustomFields.writeValue` takes, from a custom field's cell (not empty). */
const customInput = (field: CustomFields.Field, cell: string): Either.Either<unknown, string> => {
  if (CustomFields.textTypes.has(field.type)) return Either.right(cell)
  switch (field.type) {
    case "double":
    case "int":
      return NUMBER.test(cell.trim()) ? Either.right(Number(cell)) : Either.left(`"${cell}" is not a number`)
    case "user":
    case "org":
    case "people":
      return INTEGER.test(cell.trim()) ? Either.right(Number(cell)) : Either.left(`"${cell}" is not a ${field.type} id`)
    case "monetary": {
      const match = /^\s*(\S+)(?:\s+(\S+))?\s*$/.exec(cell)
      return match !== null && NUMBER.test(match[1]!)
        ? Either.right({ value: Number(match[1]), currency: match[2] ?? null })
        : Either.left(`"${cell}" is not an amount with an optional currency, such as "1200.50 EUR"`)
    }
    case "daterange":
    case "timerange": {
      const parts = cell.split("/")
      return parts.length === 2
        ? Either.right({ start: parts[0]!.trim(), end: parts[1]!.trim() })
        : Either.left(`"${cell}" is not a range written start/end`)
    }
    case "date":
    case "time":
      return Either.right(cell.trim())
    case "enum":
      return parseOption(field, cell)
    case "set":
      return Either.flatMap(CellText.parseList(cell), (labels) =>
        Either.all(labels.map((label) => parseOption(field, label))))
    case "address":
      return Either.right({ value: cell })
    default:
      try {
        return Either.right(JSON.parse(cell))
      } catch {
        return Either.left(`"${cell}" is not JSON (a ${field.type} field is written as its JSON value)`)
      }
  }
}

/** A custom field's v2 value from its cell (`null` for an empty cell), or why it is not one. */
export const parseCustomCell = (field: CustomFields.Field, cell: string): Either.Either<unknown, string> => {
  if (cell === "") return Either.right(null)
  return Either.flatMap(customInput(field, cell), (input) =>
    Either.mapLeft(CustomFields.writeValue(field, input), (invalid) => `expects ${invalid.expected}`))
}

const parseEntriesCell = (cell: string) =>
  Either.map(
    CellText.parseEntries(cell),
    (entries) => entries.map((entry, index) => ({ value: entry.value, primary: index === 0, label: entry.label }))
  )

const parseStandard = (column: StandardColumn, cell: string): Either.Either<unknown, string> => {
  if (entryColumns.has(column)) return parseEntriesCell(cell)
  if (column === "label_ids") {
    return Either.flatMap(CellText.parseList(cell), (ids) => {
      const bad = ids.find((id) => !INTEGER.test(id))
      return bad === undefined ? Either.right(ids.map(Number)) : Either.left(`"${bad}" is not a label id`)
    })
  }
  if (cell === "") return Either.right(null)
  if (idColumns.has(column)) {
    return INTEGER.test(cell.trim()) ? Either.right(Number(cell)) : Either.left(`"${cell}" is not a whole number`)
  }
  if (column === "postal_address") return Either.right({ value: cell })
  return Either.right(cell)
}

/**
 * One CSV record (after the header) as a row. A record with fewer or more cells than the header is
 * one problem; each cell that does not read is one problem naming its column.
 */
export const fromCsvCells = (
  columns: Columns,
  cells: ReadonlyArray<string>,
  line: number
): Either.Either<Row, ReadonlyArray<Problem>> => {
  if (cells.length !== columns.cells.length) {
    return Either.left([{ line, field: "(row)", reason: `has ${cells.length} cells, the header ${columns.cells.length}` }])
  }
  const problems: Array<Problem> = []
  const row: Record<string, unknown> = {}
  const custom: Record<string, unknown> = {}
  columns.cells.forEach((column, index) => {
    const cell = cells[index]!
    if (column.kind === "standard") {
      const value = parseStandard(column.column, cell)
      if (Either.isLeft(value)) problems.push({ line, field: column.column, reason: value.left })
      else row[column.column] = value.right
    } else {
      const value = parseCustomCell(column.field, cell)
      if (Either.isLeft(value)) problems.push({ line, field: `custom_fields.${column.column}`, reason: value.left })
      else custom[column.field.key] = value.right
    }
  })
  if (columns.cells.some((column) => column.kind === "custom")) row["custom_fields"] = custom
  if (problems.length > 0) return Either.left(problems)
  return Either.mapLeft(decodeRow(row), (error) => parseProblems(line, error))
}

/**
 * A custom value as its CSV cell reads back: typed by `CustomFields.readValue`, written back by
 * `CustomFields.writeValue`, an address reduced to `{ value }`; a value that does not suit its field
 * is kept as sent (its cell will not read back).
 */
export const canonicalCustom = (field: CustomFields.Field, wire: unknown): unknown => {
  const typed = CustomFields.readValue(field, wire)
  if (typed === null) return null
  if (isRaw(typed)) return typed.raw
  if (field.type === "address" && typeof typed === "object" && "value" in typed && typeof typed.value === "string") {
    return { value: typed.value }
  }
  return Either.getOrElse(CustomFields.writeValue(field, typed), () => wire)
}

/**
 * A person as a CSV row reads back: the CSV columns' fields only, absent ones `null`, lists `[]`,
 * entries as `canonicalEntries`, addresses as `{ value }`, custom values in their written shape.
 * `fromCsvCells(columns, toCsvCells(catalog, p))` equals `canonical(catalog, p)`.
 */
export const canonical = (catalog: CustomFields.Catalog, person: Persons.Person): Row => {
  const custom: Record<string, unknown> = {}
  for (const field of catalog.fields) custom[field.key] = canonicalCustom(field, person.custom_fields?.[field.key])
  const entries = (list: Persons.Person["emails"]) =>
    orderedEntries(list ?? []).map((entry, index) => ({ value: entry.value, primary: index === 0, label: entry.label }))
  return {
    id: person.id,
    name: person.name || null,
    first_name: person.first_name || null,
    last_name: person.last_name || null,
    emails: entries(person.emails),
    phones: entries(person.phones),
    im: entries(person.im),
    owner_id: person.owner_id ?? null,
    org_id: person.org_id ?? null,
    visible_to: person.visible_to ?? null,
    label_ids: person.label_ids ?? [],
    picture_id: person.picture_id ?? null,
    add_time: person.add_time || null,
    update_time: person.update_time || null,
    job_title: person.job_title || null,
    birthday: person.birthday || null,
    notes: person.notes || null,
    postal_address: person.postal_address?.value ? { value: person.postal_address.value } : null,
    ...(catalog.fields.length > 0 ? { custom_fields: custom } : {})
  }
}

// ---- API v1 persons -----------------------------------------------------------------------------

/** v1 times (`2024-01-01 00:00:37`, UTC) as v2 writes them (`2024-01-01T00:00:37Z`). */
export const v1Time = (time: string | null | undefined): string | null | undefined =>
  time == null ? time : /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(time) ? `${time.replace(" ", "T")}Z` : time

const v1Entries = (entries: PersonsV1.Person["email"]) =>
  entries == null ? [] : entries.filter((entry) => entry.value != null && entry.value !== "")

const refId = (ref: unknown): number | null => {
  if (typeof ref === "number") return ref
  if (typeof ref === "object" && ref !== null) {
    const value = "value" in ref ? ref.value : "id" in ref ? ref.id : undefined
    return typeof value === "number" ? value : null
  }
  return null
}

/**
 * A v1 person in the v2 shape the files hold (`persons export --api v1`): `owner_id`/`org_id` as ids,
 * v2 times, no empty contact entries, `visible_to` a number, custom fields under `custom_fields` in
 * v2's shapes (for the catalog's fields).
 */
export const fromV1 = (catalog: CustomFields.Catalog, person: PersonsV1.Person): Persons.Person => {
  const custom: Record<string, unknown> = {}
  for (const field of catalog.fields) {
    if (!(field.key in person)) continue
    const raw = person[field.key]
    const extra: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(person)) {
      if (key.startsWith(`${field.key}_`)) extra[key.slice(field.key.length + 1)] = value
    }
    const typed = CustomFields.readValue(field, raw, extra)
    custom[field.key] = isRaw(typed) ? raw : Either.getOrElse(CustomFields.writeValue(field, typed), () => raw)
  }
  const visible = person.visible_to == null ? null : Number(person.visible_to)
  return {
    id: person.id,
    name: person.name ?? null,
    first_name: person.first_name ?? null,
    last_name: person.last_name ?? null,
    owner_id: refId(person.owner_id),
    org_id: refId(person.org_id),
    add_time: v1Time(person.add_time) ?? null,
    update_time: v1Time(person.update_time) ?? null,
    emails: v1Entries(person.email),
    phones: v1Entries(person.phone),
    is_deleted: person.active_flag == null ? null : !person.active_flag,
    visible_to: Number.isFinite(visible) ? visible : null,
    label_ids: person.label_ids ?? [],
    picture_id: refId(person.picture_id),
    custom_fields: custom
  }
}

// ---- drafts -------------------------------------------------------------------------------------

/** What a row asks to write: the fields of a create or update body, validated. */
export interface Draft {
  readonly line: number
  /** The row's `id` (used by `--match id`; otherwise ignored). */
  readonly id: number | undefined
  /** The row's fields as an update body (custom fields by key, in v2's write shapes). */
  readonly body: Persons.PersonUpdate
  /** `add_time` of the row, for a create (Pipedrive does not change it on update). */
  readonly addTime: string | undefined
  /** The primary email (the one flagged primary, else the first), for `--match email`. */
  readonly primaryEmail: string | undefined
}

const EMAIL = /^[^\s@]+@[^\s@]+\.[^\s@]+$/

const decodeUpdate = Schema.decodeUnknownEither(Persons.PersonUpdate, { errors: "all", onExcessProperty: "error" })

type EntryRow = NonNullable<Row["emails"]>

const entryInputs = (entries: EntryRow) =>
  entries.filter((entry) => entry.value != null && entry.value !== "").map((entry) => ({
    value: entry.value,
    ...(entry.primary == null ? {} : { primary: entry.primary }),
    ...(entry.label == null ? {} : { label: entry.label })
  }))

/**
 * The draft of a row: which fields to write, checked against `Persons.PersonUpdate` and the
 * account's custom fields (by the same rules as `CustomFields.encode`), emails checked for an
 * address shape. Read-only fields (`first_name`, `last_name`, `update_time`, `picture_id`, counts)
 * are ignored; `null` clears a field, an empty list empties it.
 */
export const toDraft = (
  catalog: CustomFields.Catalog,
  row: Row,
  line: number
): Either.Either<Draft, ReadonlyArray<Problem>> => {
  const problems: Array<Problem> = []
  const body: Record<string, unknown> = {}
  if (row.name != null) body["name"] = row.name
  if (row.owner_id != null) body["owner_id"] = row.owner_id
  if (row.org_id !== undefined) body["org_id"] = row.org_id
  if (row.visible_to != null) body["visible_to"] = row.visible_to
  if (row.label_ids !== undefined) body["label_ids"] = row.label_ids ?? []
  for (const key of ["emails", "phones", "im"] as const) {
    const entries = row[key]
    if (entries !== undefined) body[key] = entryInputs(entries ?? [])
  }
  for (const key of ["notes", "job_title", "birthday", "postal_address"] as const) {
    if (row[key] !== undefined) body[key] = row[key]
  }
  const emails = (body["emails"] ?? []) as ReadonlyArray<{ readonly value: string | null | undefined }>
  emails.forEach((entry, index) => {
    if (typeof entry.value === "string" && !EMAIL.test(entry.value)) {
      problems.push({ line, field: `emails[${index}].value`, reason: `"${entry.value}" is not an email address` })
    }
  })
  if (row.custom_fields != null) {
    const custom: Record<string, unknown> = {}
    for (const [key, raw] of Object.entries(row.custom_fields)) {
      const field = catalog.byKey.get(key)
      if (field === undefined) {
        problems.push({ line, field: `custom_fields.${key}`, reason: "not a custom person field of this account" })
        continue
      }
      const typed = CustomFields.readValue(field, raw)
      const wire = CustomFields.writeValue(field, isRaw(typed) && raw !== null ? raw : typed)
      if (Either.isLeft(wire)) {
        problems.push({ line, field: `custom_fields.${customColumn(catalog, field)}`, reason: `expects ${wire.left.expected}` })
      } else {
        custom[key] = wire.right
      }
    }
    body["custom_fields"] = custom
  }
  const decoded = decodeUpdate(body)
  if (Either.isLeft(decoded)) problems.push(...parseProblems(line, decoded.left))
  if (row.add_time != null && Number.isNaN(Date.parse(row.add_time))) {
    problems.push({ line, field: "add_time", reason: `"${row.add_time}" is not a date and time` })
  }
  if (problems.length > 0 || Either.isLeft(decoded)) return Either.left(problems)
  const emailList = decoded.right.emails ?? []
  const primary = Option.orElse(Arr.findFirst(emailList, (entry) => entry.primary === true), () => Arr.head(emailList))
  return Either.right({
    line,
    id: row.id ?? undefined,
    body: decoded.right,
    addTime: row.add_time ?? undefined,
    primaryEmail: primary._tag === "Some" ? primary.value.value : undefined
  })
}

/** The body of a create from a draft: `name` is required; `add_time` is kept. */
export const createBody = (draft: Draft): Either.Either<Persons.PersonCreate, Problem> => {
  const { name, ...rest } = draft.body
  if (name === undefined) return Either.left({ line: draft.line, field: "name", reason: "is required to create a person" })
  return Either.right({ name, ...rest, ...(draft.addTime === undefined ? {} : { add_time: draft.addTime }) })
}
