/** `fields list [--format table|json]` and `fields codegen --out FILE`. */
import type { FileSystem, Path } from "@effect/platform"
import { Command, Options } from "@effect/cli"
import { Effect } from "effect"
import * as Fields from "../workflows/Fields.ts"
import * as Flags from "./Flags.ts"
import { type CommandError, runWorkflow } from "./RunWorkflow.ts"

const list = Command.make(
  "list",
  { ...Flags.connection, format: Options.choice("format", ["table", "json"]).pipe(Options.withDefault("table" as const)) },
  (options): Effect.Effect<void, CommandError> => runWorkflow(Fields.listWorkflow, { format: options.format }).pipe(Effect.provide(Flags.clientOf(options)))
).pipe(Command.withDescription("List the account's person fields (standard and custom)"))

const codegen = Command.make(
  "codegen",
  { ...Flags.connection, out: Options.file("out").pipe(Options.withDescription("The TypeScript file to write")) },
  (options): Effect.Effect<void, CommandError, FileSystem.FileSystem | Path.Path> =>
    runWorkflow(Fields.codegenWorkflow, { out: options.out, command: `pipedrive-effect fields codegen --out ${options.out}` }).pipe(
      Effect.provide(Flags.clientOf(options))
    )
).pipe(Command.withDescription("Generate a TypeScript module with a Schema of the account's custom person fields"))

/** The `fields` command group. */
export const command = Command.make("fields").pipe(
  Command.withDescription("Person fields: list them, or generate typed custom field names"),
  Command.withSubcommands([list, codegen])
)
