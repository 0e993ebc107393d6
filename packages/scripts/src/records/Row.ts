/**
 * A person as a file holds it (`Row`: the v2 person's fields, each possibly missing), the two file
 * formats, the standard CSV columns, and `Problem`: what is wrong with one field of one line. The
 * other modules of `records/` read and write these.
 */
import type { CustomFields } from "@pipedrive-effect/core"
import { Persons } from "@pipedrive-effect/core"
import { ParseResult, Schema } from "effect"

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
export const Row: Schema.Struct<
  Omit<typeof Persons.Person.fields, "id"> & { id: Schema.optional<Schema.NullOr<typeof Schema.Number>> }
> = Schema.Struct({ ...Persons.Person.fields, id: Schema.optional(Schema.NullOr(Schema.Number)) })
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
export const isStandard = (name: string): name is StandardColumn => standardSet.has(name)

export const entryColumns = new Set<StandardColumn>(["emails", "phones", "im"])
export const idColumns = new Set<StandardColumn>(["id", "owner_id", "org_id", "visible_to", "picture_id"])

/** A parse error as problems of `line`, one per issue (the noise of optional fields left out). */
export const parseProblems = (line: number, error: ParseResult.ParseError): ReadonlyArray<Problem> => {
  const all = ParseResult.ArrayFormatter.formatErrorSync(error)
  // `optionalNullable(X)` reports "Expected null" and "Expected undefined" beside X's real problem.
  const meaningful = all.filter((issue) => !/^Expected (null|undefined), actual/.test(issue.message))
  return (meaningful.length > 0 ? meaningful : all).map((issue) => ({
    line,
    field: issue.path.length === 0 ? "(line)" : issue.path.map(String).join("."),
    reason: issue.message
  }))
}

/** Decodes a row strictly: every problem, and no field that is not a v2 person's. */
export const decodeRow = Schema.decodeUnknownEither(Row, { errors: "all", onExcessProperty: "error" })

/** Whether a custom value is one `CustomFields.readValue` could not type (kept as sent). */
export const isRaw = (value: CustomFields.Value): value is { readonly raw: unknown } =>
  typeof value === "object" && value !== null && !Array.isArray(value) && "raw" in value
