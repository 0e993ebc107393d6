/**
 * The `pipedrive-effect` command line: the command tree. Each command is a module of its own
 * (`ExportCommand`, `ImportCommand`…), a thin layer that parses flags and runs its workflow through
 * `runWorkflow`; how a failure is reported is `Exit`'s.
 */
import { type CliApp, Command, type ValidationError } from "@effect/cli"
import type { PlatformError } from "@effect/platform/Error"
import type { ServeError } from "@effect/platform/HttpServerError"
import type { PipedriveError } from "@pipedrive-effect/core"
import type { ConfigError, Effect } from "effect"
import * as DedupeCommand from "./DedupeCommand.ts"
import * as DeleteCommand from "./DeleteCommand.ts"
import * as DemoCommand from "./DemoCommand.ts"
import type { JobFailed } from "./Exit.ts"
import * as ExportCommand from "./ExportCommand.ts"
import * as FieldsCommand from "./FieldsCommand.ts"
import * as ImportCommand from "./ImportCommand.ts"

const persons = Command.make("persons").pipe(
  Command.withDescription("Bulk jobs over persons: export, import, dedupe, delete"),
  Command.withSubcommands([ExportCommand.command, ImportCommand.command, DedupeCommand.command, DeleteCommand.command])
)

const root = Command.make("pipedrive-effect").pipe(
  Command.withDescription("Bulk jobs over the Pipedrive Persons API"),
  Command.withSubcommands([DemoCommand.command, FieldsCommand.command, persons])
)

/** Anything a command can fail with. */
export type CliError =
  | JobFailed
  | PipedriveError.PipedriveError
  | PipedriveError.ConfigurationError
  | ServeError
  | ConfigError.ConfigError
  | PlatformError
  | ValidationError.ValidationError

/** Runs the CLI on `argv` (as `process.argv`). */
export const run: (argv: ReadonlyArray<string>) => Effect.Effect<void, CliError, CliApp.CliApp.Environment> = Command
  .run(root, { name: "pipedrive-effect", version: "0.1.0" })
