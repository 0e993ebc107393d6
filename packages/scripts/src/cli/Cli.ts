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
import { version } from "./Version.ts"

const persons = Command.make("persons").pipe(
  Command.withDescription("Bulk jobs over persons: export, import, dedupe, delete"),
  Command.withSubcommands([ExportCommand.command, ImportCommand.command, DedupeCommand.command, DeleteCommand.command])
)

/** What the exit code says, as `--help` lists it. */
export const exitCodes = [
  [0, "the job did all it was asked"],
  [1, "the job failed, or did not do all it was asked (one line on stderr says what)"],
  [2, "a usage error: an unknown command or flag, or a flag's value is wrong"],
  [130, "stopped by Ctrl-C or SIGTERM (a rerun resumes from its state or journal)"]
] as const

const root = Command.make("pipedrive-effect").pipe(
  Command.withDescription(
    `Bulk jobs over the Pipedrive Persons API. Exit codes: ${exitCodes.map(([code, meaning]) => `${code} ${meaning}`).join("; ")}.`
  ),
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
  .run(root, { name: "pipedrive-effect", version })
