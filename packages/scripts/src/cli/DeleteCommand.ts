/** `persons delete (--ids FILE | --filter-id N) --backup FILE [--yes]`. */
import type { FileSystem, Path, Terminal } from "@effect/platform"
import { Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import * as Delete from "../workflows/Delete.ts"
import * as Progress from "../workflows/Progress.ts"
import { JobFailed } from "./Exit.ts"
import * as Flags from "./Flags.ts"
import { type CommandError, runWorkflow } from "./RunWorkflow.ts"

/** The `persons delete` command. */
export const command = Command.make(
  "delete",
  {
    ...Flags.connection,
    ids: Options.file("ids").pipe(Options.optional, Options.withDescription("A file of person ids, one a line")),
    filterId: Options.integer("filter-id").pipe(Options.optional, Options.withDescription("A Pipedrive filter whose persons to delete")),
    backup: Options.file("backup").pipe(
      Options.withDescription("NDJSON file to write the persons to before deleting (must not exist); import it to restore them")
    ),
    yes: Options.boolean("yes").pipe(Options.withDescription("Do not ask for confirmation"))
  },
  (options): Effect.Effect<void, CommandError, FileSystem.FileSystem | Path.Path | Terminal.Terminal> =>
    Effect.gen(function*() {
      const source = Option.isSome(options.ids)
        ? (Option.isSome(options.filterId) ? undefined : { ids: options.ids.value })
        : Option.isSome(options.filterId)
        ? { filterId: options.filterId.value }
        : undefined
      if (source === undefined) return yield* Effect.fail(new JobFailed("give exactly one of --ids FILE and --filter-id N"))
      return yield* runWorkflow(Delete.workflow, {
        ...source,
        backup: options.backup,
        confirm: options.yes ? Delete.confirmed : Delete.askOnTerminal,
        progress: Progress.make
      })
    }).pipe(Effect.provide(Flags.clientOf(options)))
).pipe(Command.withDescription("Delete persons (by ids or a filter) after writing their full records to a backup"))
