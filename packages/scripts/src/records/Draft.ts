/**
 * A row as the body of a create or an update (`toDraft`, `createBody`): which fields to write,
 * checked against `Persons.PersonUpdate` and the account's custom fields.
 */
import { CustomFields, Persons } from "@pipedrive-effect/core"
import { Array as Arr, Either, Option, Schema } from "effect"
import { customColumn } from "./CsvWrite.ts"
import { isRaw, parseProblems, type Problem, type Row } from "./Row.ts"

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
