/**
 * The `persons` command group of the CLI: `persons export`, `persons delete` (and the subcommands
 * other modules add). Each subcommand is a thin layer over a workflow module (`Export`, `Delete`…):
 * it parses flags, shows progress on stderr and prints the summary on stdout; a failure is one line
 * on stderr and a non-zero exit (see `Cli`).
 */
import { Command, Options } from "@effect/cli"
import type { PipedriveClient, PipedriveError } from "@pipedrive-effect/core"
import type { ConfigError, Layer } from "effect"
import { Console, Effect, Option } from "effect"
import { JobFailed } from "./Cli.ts"
import * as AtomicFile from "../files/AtomicFile.ts"
import * as Connection from "../workflows/Connection.ts"
import * as Delete from "../workflows/Delete.ts"
import * as Export from "../workflows/Export.ts"
import * as ExportState from "../files/ExportState.ts"
import * as FileLock from "../files/FileLock.ts"
import * as PersonFile from "../records/PersonFile.ts"
import { dedupeCommand, importCommand } from "./ImportCommand.ts"
import * as Progress from "../workflows/Progress.ts"

// Named with its types: the commands' inferred types refer to them (declaration emit).
const clientOf: (
  parsed: Connection.ParsedOptions
) => Layer.Layer<PipedriveClient.PipedriveClient, PipedriveError.ConfigurationError | ConfigError.ConfigError> =
  Connection.layerOfOptions

/** The failures of the workflows themselves (bad input, files, state), as opposed to Pipedrive's. */
type WorkflowError =
  | AtomicFile.FileError
  | ExportState.StateMismatch
  | Export.InvalidOption
  | PersonFile.InvalidHeader
  | Delete.InvalidIds
  | Delete.MissingPersons
  | Delete.Refused
  | FileLock.LockHeld

const isWorkflowError = (error: unknown): error is WorkflowError =>
  error instanceof AtomicFile.FileError || error instanceof ExportState.StateMismatch ||
  error instanceof Export.InvalidOption || error instanceof PersonFile.InvalidHeader || error instanceof Delete.InvalidIds ||
  error instanceof Delete.MissingPersons || error instanceof Delete.Refused || error instanceof FileLock.LockHeld

/** A workflow's own failures as the CLI's one-line `JobFailed`; Pipedrive's errors pass unchanged. */
export const asJobFailed = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, Extract<E, WorkflowError>> | JobFailed, R> =>
  Effect.catchIf(
    effect,
    (error): error is Extract<E, WorkflowError> => isWorkflowError(error),
    (error) => Effect.fail(new JobFailed(error.message))
  )

const exportCommand = Command.make(
  "export",
  {
    ...Connection.options,
    out: Options.file("out").pipe(Options.withDescription("The file to write (NDJSON, or CSV when it ends in .csv)")),
    format: Options.choice("format", ["ndjson", "csv"]).pipe(
      Options.optional,
      Options.withDescription("ndjson (one v2 person a line) or csv (default: from --out's extension)")
    ),
    since: Options.text("since").pipe(
      Options.optional,
      Options.withDescription("Only persons updated at or after this RFC 3339 time (API v2)")
    ),
    state: Options.file("state").pipe(
      Options.optional,
      Options.withDescription("Checkpoint after every page in this file; a rerun resumes from it")
    ),
    api: Options.choice("api", ["v1", "v2"]).pipe(Options.withDefault("v2" as const), Options.withDescription("API to list with")),
    pageSize: Options.integer("page-size").pipe(Options.withDefault(500), Options.withDescription("Persons per request, 1 to 500"))
  },
  (options) =>
    Effect.scoped(Effect.gen(function*() {
      const progress = yield* Progress.make({ label: "export", unit: "persons" })
      return yield* Export.run({
        out: options.out,
        format: Option.getOrUndefined(options.format),
        since: Option.getOrUndefined(options.since),
        state: Option.getOrUndefined(options.state),
        api: options.api,
        pageSize: options.pageSize,
        progress
      }).pipe(
        Effect.onInterrupt(() =>
          Console.error(
            Option.isSome(options.state)
              ? "pipedrive-effect: export interrupted; run the same command again to resume from the state file"
              : "pipedrive-effect: export interrupted; nothing was written (use --state FILE to make it resumable)"
          )
        )
      )
    })).pipe(
      asJobFailed,
      Effect.flatMap((summary) => Effect.forEach(Export.format(summary), (line) => Effect.sync(() => console.log(line)))),
      Effect.provide(clientOf(options))
    )
).pipe(Command.withDescription("Export every person (or those updated since a time) to NDJSON or CSV, resumably"))

const deleteCommand = Command.make(
  "delete",
  {
    ...Connection.options,
    ids: Options.file("ids").pipe(Options.optional, Options.withDescription("A file of person ids, one a line")),
    filterId: Options.integer("filter-id").pipe(Options.optional, Options.withDescription("A Pipedrive filter whose persons to delete")),
    backup: Options.file("backup").pipe(
      Options.withDescription("NDJSON file to write the persons to before deleting (must not exist); import it to restore them")
    ),
    yes: Options.boolean("yes").pipe(Options.withDescription("Do not ask for confirmation"))
  },
  (options) =>
    Effect.scoped(Effect.gen(function*() {
      const source = Option.isSome(options.ids)
        ? (Option.isSome(options.filterId) ? undefined : { ids: options.ids.value })
        : Option.isSome(options.filterId)
        ? { filterId: options.filterId.value }
        : undefined
      if (source === undefined) return yield* Effect.fail(new JobFailed("give exactly one of --ids FILE and --filter-id N"))
      const progress = yield* Progress.make({ label: "delete", unit: "persons" })
      return yield* Delete.run({
        ...source,
        backup: options.backup,
        confirm: options.yes ? Delete.confirmed : Delete.askOnTerminal,
        progress
      })
    })).pipe(
      asJobFailed,
      Effect.flatMap((summary) =>
        Effect.zipRight(
          Effect.forEach(Delete.format(summary), (line) => Effect.sync(() => console.log(line))),
          summary.deleted < summary.requested
            ? Effect.fail(new JobFailed(`${summary.requested - summary.deleted} persons were not deleted (gone meanwhile?)`))
            : Effect.void
        )
      ),
      Effect.provide(clientOf(options))
    )
).pipe(Command.withDescription("Delete persons (by ids or a filter) after writing their full records to a backup"))

/** The `persons` command group. */
export const command = Command.make("persons").pipe(
  Command.withDescription("Bulk jobs over persons: export, import, dedupe, delete"),
  Command.withSubcommands([exportCommand, importCommand, dedupeCommand, deleteCommand])
)
