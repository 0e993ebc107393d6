/**
 * What `persons import` decides for each row, apart from sending it: the row's match key, the checks
 * a draft must pass before anything is sent, whether a person found by the key already holds the
 * row's values (then nothing is sent), and otherwise the update body of only the fields that differ.
 *
 * Comparison rules (a row's value against the person's):
 * - missing, `null`, `""` and `[]` are all "empty";
 * - emails, phones and IMs: the same primary value, and the same set of values (with the same labels
 *   where the row gives labels); upper and lower case differ (a fix of case is a change);
 * - `label_ids` as sets; `postal_address` and object custom values: every part the row gives equals
 *   the person's (the person may have more parts, e.g. an address Pipedrive split);
 * - custom values are compared as `CustomFields.readValue` reads them, so an option id equals
 *   `{ id, label }` of that option, and a set's options compare in any order.
 */
import type { CustomFields as CustomFieldsModule, Persons } from "@pipedrive-effect/core"
import { CustomFields } from "@pipedrive-effect/core"
import type * as PersonRecord from "../records/PersonRecord.ts"
import { emailKey, type Entry, primaryValue } from "../records/Keys.ts"

/** How a row finds the person it updates. */
export type Match = "email" | "id"

type Draft = PersonRecord.Draft
type Problem = PersonRecord.Problem

export { primaryValue } from "../records/Keys.ts"

/** The row's match key: its primary email (trimmed, lower-cased) or its id; `undefined` when it has none. */
export const keyOf = (match: Match, draft: Draft): string | undefined => {
  if (match === "id") return draft.id === undefined ? undefined : String(draft.id)
  const email = primaryValue(draft.body.emails)
  return email === undefined ? undefined : emailKey(email)
}

const realDate = (text: string) => {
  const date = new Date(`${text}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === text
}

/**
 * The checks an import adds to a draft's own: with `--match id` a positive id; with `--match email` a
 * name (a row not found by its email is created, and creating needs one); a birthday that is a real
 * calendar date.
 */
export const check = (match: Match, draft: Draft): ReadonlyArray<Problem> => {
  const problems: Array<Problem> = []
  const line = draft.line
  if (match === "id") {
    if (draft.id === undefined || !Number.isSafeInteger(draft.id) || draft.id < 1) {
      problems.push({ line, field: "id", reason: "is required with --match id (a positive integer)" })
    }
  } else if (draft.body.name === undefined) {
    problems.push({ line, field: "name", reason: "is required (a row whose email matches nobody creates a person)" })
  }
  const birthday = draft.body.birthday
  if (typeof birthday === "string" && /^\d{4}-\d{2}-\d{2}$/.test(birthday) && !realDate(birthday)) {
    problems.push({ line, field: "birthday", reason: `"${birthday}" is not a calendar date` })
  }
  return problems
}

// ---- comparing ----------------------------------------------------------------------------------

const isEmpty = (value: unknown): boolean =>
  value === null || value === undefined || value === "" || (Array.isArray(value) && value.length === 0) ||
  (typeof value === "object" && value !== null && !Array.isArray(value) && Object.values(value).every(isEmpty))

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

const canonicalJson = (value: unknown): string =>
  Array.isArray(value)
    ? `[${value.map(canonicalJson).join(",")}]`
    : isRecord(value)
    ? `{${Object.keys(value).sort().map((key) => `${JSON.stringify(key)}:${canonicalJson(value[key])}`).join(",")}}`
    : JSON.stringify(value) ?? "null"

/** Whether `have` holds what `want` says: empty equals empty, objects by the parts `want` gives, arrays as sets. */
export const covers = (want: unknown, have: unknown): boolean => {
  if (isEmpty(want)) return isEmpty(have)
  if (Array.isArray(want)) {
    if (!Array.isArray(have) || have.length !== want.length) return false
    const haves = have.map(canonicalJson).sort()
    return want.map(canonicalJson).sort().every((item, index) => item === haves[index])
  }
  if (isRecord(want)) {
    if (!isRecord(have)) return false
    return Object.entries(want).every(([key, value]) => value === null || value === undefined || covers(value, have[key]))
  }
  if (typeof want === "string" && typeof have === "string") return want.trim() === have.trim()
  return want === have
}

/** Whether the person's entries are the row's: same primary value, same values, same labels where given. */
export const sameEntries = (want: ReadonlyArray<Entry> | null | undefined, have: ReadonlyArray<Entry> | null | undefined): boolean => {
  const wanted = (want ?? []).filter((entry) => entry.value != null && entry.value.trim() !== "")
  const had = (have ?? []).filter((entry) => entry.value != null && entry.value.trim() !== "")
  if (wanted.length !== had.length) return false
  if (wanted.length === 0) return true
  if (primaryValue(wanted)?.trim() !== primaryValue(had)?.trim()) return false
  const labelled = wanted.every((entry) => entry.label != null)
  const key = (entry: Entry) => `${entry.value!.trim()}\u0000${labelled ? entry.label ?? "" : ""}`
  const haves = had.map(key).sort()
  return wanted.map(key).sort().every((item, index) => item === haves[index])
}

const sameCustom = (field: CustomFieldsModule.Field | undefined, want: unknown, have: unknown): boolean =>
  field === undefined
    ? covers(want, have)
    : covers(CustomFields.readValue(field, want), CustomFields.readValue(field, have))

/**
 * The update that makes `person` hold the row's values: only the fields (and custom fields) that
 * differ; an empty object when nothing does.
 */
export const changes = (
  catalog: CustomFieldsModule.Catalog,
  body: Persons.PersonUpdate,
  person: Persons.Person
): Persons.PersonUpdate => {
  const out: { -readonly [K in keyof Persons.PersonUpdate]: Persons.PersonUpdate[K] } = {}
  const copy = <K extends keyof Persons.PersonUpdate>(key: K) => {
    out[key] = body[key]
  }
  const have: Readonly<Record<string, unknown>> = person
  for (const key of Object.keys(body) as ReadonlyArray<keyof Persons.PersonUpdate>) {
    const want = body[key]
    if (want === undefined) continue
    if (key === "emails" || key === "phones" || key === "im") {
      if (!sameEntries(body[key], person[key])) copy(key)
    } else if (key === "custom_fields") {
      const custom: Record<string, unknown> = {}
      for (const [fieldKey, value] of Object.entries(body.custom_fields ?? {})) {
        if (!sameCustom(catalog.byKey.get(fieldKey), value, person.custom_fields?.[fieldKey])) custom[fieldKey] = value
      }
      if (Object.keys(custom).length > 0) out.custom_fields = custom
    } else if (!covers(want, have[key])) {
      copy(key)
    }
  }
  return out
}

/** The names of the fields an update changes (custom fields by name), for printing. */
export const changedFields = (catalog: CustomFieldsModule.Catalog, update: Persons.PersonUpdate): ReadonlyArray<string> =>
  Object.entries(update).flatMap(([key, value]) =>
    key === "custom_fields" && isRecord(value)
      ? Object.keys(value).map((fieldKey) => catalog.byKey.get(fieldKey)?.name ?? fieldKey)
      : [key]
  )

/**
 * Whether a person found by email search is the row's match: its primary email is the key. Search
 * with `exact_match` also finds a person whose other (not primary) email is the key, and compares
 * without regard to case; only the primary email counts.
 */
export const isEmailMatch = (key: string, person: Persons.Person): boolean => {
  const email = primaryValue(person.emails)
  return email !== undefined && emailKey(email) === key
}
