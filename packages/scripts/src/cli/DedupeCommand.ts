/** `persons dedupe [--by email|phone|name] [--apply] [--report FILE] [--journal FILE] [--concurrency N]`. */
import type { FileSystem, Path } from "@effect/platform"
import { Command, Options } from "@effect/cli"
import { Effect, Option } from "effect"
import * as Dedupe from "../workflows/Dedupe.ts"
import * as Progress from "../workflows/Progress.ts"
import * as Flags from "./Flags.ts"
import { type CommandError, runWorkflow } from "./RunWorkflow.ts"

/** The `persons dedupe` command. */
export const command = Command.make(
  "dedupe",
  {
    ...Flags.connection,
    by: Options.choice("by", ["email", "phone", "name"]).pipe(
      Options.withDefault("email" as const),
      Options.withDescription("The key duplicates share: primary email, primary phone, or name (normalised)")
    ),
    apply: Options.boolean("apply").pipe(Options.withDescription("Merge each group into its oldest person (otherwise only print the groups)")),
    report: Options.text("report").pipe(Options.optional, Options.withDescription("Write one NDJSON line per group (and its merges) here")),
    journal: Options.text("journal").pipe(
      Options.optional,
      Options.withDescription("Journal of the merges done, for resuming (default pipedrive-dedupe-BY-HOST.journal)")
    ),
    concurrency: Flags.concurrency
  },
  (options): Effect.Effect<void, CommandError, FileSystem.FileSystem | Path.Path> =>
    runWorkflow(Dedupe.workflow, {
      by: options.by,
      dryRun: !options.apply,
      report: Option.getOrUndefined(options.report),
      journal: Option.getOrUndefined(options.journal),
      concurrency: Option.getOrUndefined(options.concurrency),
      progress: Progress.make
    }).pipe(Effect.provide(Flags.clientOf(options)))
).pipe(Command.withDescription("Find persons sharing an email, phone or name; with --apply merge each group into its oldest person"))
