/**
 * The `fields` workflows: list the account's person fields, and generate a TypeScript module with a
 * `Schema` of the account's custom person fields, keyed by name, so a program gets the names and
 * value types at compile time.
 *
 * The generated schema describes the values `CustomFields.decode` reads (and `CustomFields.encode`
 * accepts), see core's README, "Custom fields by name".
 *
 * @example
 * ```ts
 * import { Connection, Fields } from "@pipedrive-effect/scripts"
 * import { NodeContext } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 *
 * // What `pipedrive-effect fields codegen --out src/PersonCustomFields.ts` does.
 * Fields.codegenWorkflow.run({ out: "src/PersonCustomFields.ts", command: "…" }).pipe(
 *   Effect.provide(Layer.mergeAll(Connection.clientLayer({}), NodeContext.layer)),
 *   Effect.runPromise
 * )
 * ```
 *
 * @module
 */
import { FileSystem, Path } from "@effect/platform"
import { CustomFields, PersonFields, type PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import { Chunk, Clock, Effect, Stream } from "effect"
import * as AtomicFile from "../files/AtomicFile.ts"
import * as Progress from "./Progress.ts"
import type * as Workflow from "./Workflow.ts"


/** Every person field of the account (API v2), standard and custom. */
export const load: Effect.Effect<ReadonlyArray<PersonFields.PersonField>, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient> =
  Effect.map(Stream.runCollect(PersonFields.stream({ limit: 500 })), Chunk.toReadonlyArray)

const optionsText = (field: PersonFields.PersonField) =>
  (field.options ?? []).map((option) => `${option.label ?? ""} (${option.id ?? ""})`).join(", ")

/** The fields as an aligned text table: name, code, type, custom or not, options. */
export const table = (fields: ReadonlyArray<PersonFields.PersonField>): ReadonlyArray<string> => {
  const rows = [
    ["NAME", "CODE", "TYPE", "CUSTOM", "OPTIONS"],
    ...fields.map((field) => [field.field_name, field.field_code, field.field_type, field.is_custom_field ? "yes" : "no", optionsText(field)])
  ]
  const widths = [0, 1, 2, 3].map((column) => Math.max(...rows.map((row) => row[column]!.length)))
  return rows.map((row) => row.map((cell, column) => (column < 4 ? cell.padEnd(widths[column]!) : cell)).join("  ").trimEnd())
}

/** The fields as JSON (one array, as the API returned them). */
export const json = (fields: ReadonlyArray<PersonFields.PersonField>): string => JSON.stringify(fields, null, 2)

const literal = (value: string | number) => JSON.stringify(value)

const optionSchema = (field: CustomFields.Field): string => {
  const ids = field.options.map((option) => literal(option.id))
  const labels = [...new Set(field.options.map((option) => literal(option.label)))]
  // Ids stay numbers: an option deleted after a value was set still reads (with a null label).
  return `Schema.Struct({ id: Schema.Number, label: ${labels.length === 0 ? "Schema.Null" : `Schema.NullOr(Schema.Literal(${labels.join(", ")}))`} })${
    ids.length === 0 ? "" : ` /* ids ${ids.join(", ")} */`
  }`
}

/** The `Schema` source of one field's read value (see `CustomFields`' table). */
export const valueSchema = (field: CustomFields.Field): string => {
  if (CustomFields.textTypes.has(field.type)) return "Schema.String"
  switch (field.type) {
    case "date":
    case "time":
      return "Schema.String"
    case "double":
      return "Schema.Number"
    case "int":
      return "Schema.Int"
    case "monetary":
      return "Schema.Struct({ value: Schema.Number, currency: Schema.NullOr(Schema.String) })"
    case "daterange":
    case "timerange":
      return "Schema.Struct({ start: Schema.String, end: Schema.String })"
    case "enum":
      return optionSchema(field)
    case "set":
      return `Schema.Array(${optionSchema(field)})`
    case "user":
    case "org":
    case "people":
      return "Schema.Number"
    case "address":
      return "Schema.Struct({ value: Schema.String }, Schema.Record({ key: Schema.String, value: Schema.String }))"
    default:
      return "Schema.Unknown"
  }
}

/** What goes into the generated module's header. */
export interface CodegenOptions {
  /** The command that regenerates the file, as the header shows it. */
  readonly command: string
  /** When it was generated (ISO 8601). */
  readonly generatedAt: string
}

/**
 * The source of a TypeScript module describing the account's custom person fields: `PersonCustomFields`
 * (a `Schema.Struct` keyed by field name; a name shared by several fields is keyed by hash, as
 * `CustomFields.decode` does), `fieldKeys` (name → hash) and `fieldTypes` (name → Pipedrive type).
 */
export const codegen = (fields: ReadonlyArray<PersonFields.PersonField>, options: CodegenOptions): string => {
  const cat = CustomFields.catalog(fields)
  const entries = cat.fields.map((field) => ({ name: CustomFields.readName(cat, field), field }))
  const lines = [
    "/**",
    " * The custom person fields of a Pipedrive account, by name, with the value types",
    " * `CustomFields.decode` reads and `CustomFields.encode` accepts.",
    " *",
    ` * @generated by pipedrive-effect on ${options.generatedAt}. Do not edit: regenerate with`,
    ` *   ${options.command.replace(/\*\//g, "*\\/")}`,
    " */",
    `import { Schema } from "effect"`,
    "",
    "/** Each field's 40-character key (hash), by name. */",
    "export const fieldKeys = {",
    ...entries.map(({ field, name }) => `  ${literal(name)}: ${literal(field.key)},`),
    "} as const",
    "",
    "/** Each field's Pipedrive type, by name. */",
    "export const fieldTypes = {",
    ...entries.map(({ field, name }) => `  ${literal(name)}: ${literal(field.type)},`),
    "} as const",
    "",
    "/** The custom fields' values by name; an absent or `null` value is an empty field. */",
    "export const PersonCustomFields = Schema.Struct({",
    ...entries.map(({ field, name }) => `  ${literal(name)}: Schema.optional(Schema.NullOr(${valueSchema(field)})),`),
    "})",
    "",
    "/** The custom fields' values by name. */",
    "export type PersonCustomFields = typeof PersonCustomFields.Type",
    ""
  ]
  return lines.join("\n")
}

/** What `fields list` is asked: the output's format. */
export interface ListOptions extends Workflow.Options {
  /** `table` (default): aligned text; `json`: the fields as the API returned them. */
  readonly format?: "table" | "json" | undefined
}

/** What `fields list` read. */
export interface ListSummary extends Workflow.Summary {
  readonly fields: ReadonlyArray<PersonFields.PersonField>
  readonly format: "table" | "json"
}

/** `fields list` as a `Workflow`: its summary is the list itself. */
export const listWorkflow: Workflow.Workflow<ListOptions, ListSummary, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient> = {
  name: "fields list",
  run: (options) =>
    Effect.gen(function*() {
      const meter = yield* Progress.meter
      const fields = yield* load
      return { fields, format: options.format ?? "table", ...(yield* meter.cost) }
    }),
  formatSummary: (summary) => (summary.format === "json" ? [json(summary.fields)] : table(summary.fields)),
  shortfall: () => undefined
}

/** What `fields codegen` is asked. */
export interface CodegenRunOptions extends Workflow.Options {
  /** The TypeScript file to write (its directory is created when missing). */
  readonly out: string
  /** The command that regenerates the file, as its header shows it. */
  readonly command: string
}

/** What `fields codegen` wrote. */
export interface CodegenSummary extends Workflow.Summary {
  readonly out: string
  /** Custom person fields in the module. */
  readonly customFields: number
}

/** Loads the fields and writes the generated module to `out` atomically (temporary file, fsync, rename). */
export const codegenToFile = (
  options: CodegenRunOptions
): Effect.Effect<CodegenSummary, PipedriveError.PipedriveError | AtomicFile.FileError, PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const meter = yield* Progress.meter
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    const fields = yield* load
    const generatedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
    const directory = paths.dirname(paths.resolve(options.out))
    yield* fs.makeDirectory(directory, { recursive: true }).pipe(Effect.mapError(AtomicFile.fromPlatform(directory)))
    const lines = codegen(fields, { command: options.command, generatedAt }).split("\n")
    // `codegen` ends with a newline, which `writeLines` adds after every line.
    yield* AtomicFile.writeLines(options.out, Stream.fromIterable(lines.slice(0, -1)))
    return { out: options.out, customFields: fields.filter((field) => field.is_custom_field).length, ...(yield* meter.cost) }
  })

/** `fields codegen` as a `Workflow`. */
export const codegenWorkflow: Workflow.Workflow<
  CodegenRunOptions,
  CodegenSummary,
  PipedriveError.PipedriveError | AtomicFile.FileError,
  PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path
> = {
  name: "fields codegen",
  run: codegenToFile,
  formatSummary: (summary) => [`wrote ${summary.out}: ${summary.customFields} custom person fields`],
  shortfall: () => undefined
}
