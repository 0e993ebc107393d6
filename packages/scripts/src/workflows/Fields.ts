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
 * import { FetchHttpClient } from "@effect/platform"
 * import { Effect, Layer } from "effect"
 *
 * // What `pipedrive-effect fields codegen --out src/PersonCustomFields.ts` does.
 * Fields.codegenToFile({ out: "src/PersonCustomFields.ts", command: "…" }).pipe(
 *   Effect.provide(Layer.mergeAll(Connection.clientLayer({}), NodeContext.layer)),
 *   Effect.runPromise
 * )
 * ```
 */
import { Command, Options } from "@effect/cli"
import { FileSystem, Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { CustomFields, PersonFields, type PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import * as Connection from "./Connection.ts"
import { Chunk, Clock, Console, Effect, Stream } from "effect"


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

/** Writes `text` to `path` atomically: a temporary file in the same directory, then a rename. */
export const writeAtomically = (
  path: string,
  text: string
): Effect.Effect<void, PlatformError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    const directory = paths.dirname(paths.resolve(path))
    yield* fs.makeDirectory(directory, { recursive: true })
    const temp = paths.join(directory, `.${paths.basename(path)}.${Date.now()}-${Math.random().toString(36).slice(2)}.tmp`)
    yield* fs.writeFileString(temp, text).pipe(
      Effect.zipRight(fs.rename(temp, path)),
      Effect.onError(() => Effect.ignore(fs.remove(temp)))
    )
  })

/** Loads the fields and writes the generated module to `out`; returns how many custom fields it holds. */
export const codegenToFile = (
  options: { readonly out: string; readonly command: string }
): Effect.Effect<
  number,
  PipedriveError.PipedriveError | PlatformError,
  PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path
> =>
  Effect.gen(function*() {
    const fields = yield* load
    const generatedAt = new Date(yield* Clock.currentTimeMillis).toISOString()
    yield* writeAtomically(options.out, codegen(fields, { command: options.command, generatedAt }))
    return fields.filter((field) => field.is_custom_field).length
  })

// ---- the CLI commands --------------------------------------------------------------------------


const fieldsList = Command.make(
  "list",
  { ...Connection.options, format: Options.choice("format", ["table", "json"]).pipe(Options.withDefault("table" as const)) },
  (options) =>
    load.pipe(
      Effect.flatMap((fields) => Console.log(options.format === "json" ? json(fields) : table(fields).join("\n"))),
      Effect.provide(Connection.layerOfOptions(options))
    )
).pipe(Command.withDescription("List the account's person fields (standard and custom)"))

const fieldsCodegen = Command.make(
  "codegen",
  { ...Connection.options, out: Options.file("out").pipe(Options.withDescription("The TypeScript file to write")) },
  (options) =>
    codegenToFile({ out: options.out, command: `pipedrive-effect fields codegen --out ${options.out}` }).pipe(
      Effect.flatMap((count) => Console.log(`wrote ${options.out}: ${count} custom person fields`)),
      Effect.provide(Connection.layerOfOptions(options))
    )
).pipe(Command.withDescription("Generate a TypeScript module with a Schema of the account's custom person fields"))

/** The `fields` command group of the CLI: `fields list`, `fields codegen`. */
export const command = Command.make("fields").pipe(
  Command.withDescription("Person fields: list them, or generate typed custom field names"),
  Command.withSubcommands([fieldsList, fieldsCodegen])
)
