/** `persons import FILE [--match email|id] [--lookup auto|walk|search] [--dry-run] [--journal FILE] [--report FILE] [--format csv|ndjson] [--concurrency N] [--settle-ms N] [--search-lag-bound-ms N]`. */
import type { FileSystem, Path } from "@effect/platform"
import { Args, Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import * as PersonRecord from "../records/PersonRecord.ts"
import * as Import from "../workflows/Import.ts"
import * as Progress from "../workflows/Progress.ts"
import * as Flags from "./Flags.ts"
import { type CommandError, runWorkflow } from "./RunWorkflow.ts"

/** The import, with every bad row on stderr before the one line that says nothing was sent. */
const showingBadRows: typeof Import.workflow = {
  ...Import.workflow,
  run: (options) =>
    Import.run(options).pipe(
      Effect.tapErrorTag("InvalidRows", (error) =>
        Effect.forEach(error.problems, (problem) => Console.error(`${error.path}: ${PersonRecord.formatProblem(problem)}`), {
          discard: true
        }))
    )
}

/** The `persons import` command. */
export const command = Command.make(
  "import",
  {
    ...Flags.connection,
    file: Args.text({ name: "FILE" }).pipe(Args.withDescription("CSV or NDJSON file in the format `persons export` writes")),
    match: Options.choice("match", ["email", "id"]).pipe(
      Options.withDefault("email" as const),
      Options.withDescription("Find the person to update by primary email (else create), or by the row's id")
    ),
    dryRun: Options.boolean("dry-run").pipe(Options.withDescription("Check and look up every row, print what would be done, send no write")),
    journal: Options.text("journal").pipe(
      Options.optional,
      Options.withDescription("Journal of the rows done, for resuming (default FILE.journal)")
    ),
    report: Options.text("report").pipe(Options.optional, Options.withDescription("Write one NDJSON line per failed row here")),
    format: Options.choice("format", ["csv", "ndjson"]).pipe(
      Options.optional,
      Options.withDescription("The file's format (default: from its extension; .csv is CSV, anything else NDJSON)")
    ),
    concurrency: Flags.concurrency,
    lookup: Options.choice("lookup", ["auto", "walk", "search"]).pipe(
      Options.withDefault("auto" as const),
      Options.withDescription("--match email: walk the account's persons, search per row, or whichever costs fewer tokens (auto: a search that would cost more than the walk walks the rest)")
    ),
    settleMs: Options.integer("settle-ms").pipe(
      Options.withDescription("Wait this long after a lost create before the list that looks for it (default 3000)"),
      Options.filterMap((n) => (n >= 0 ? Option.some(n) : Option.none()), "--settle-ms must be 0 or more"),
      Options.optional
    ),
    searchLagBoundMs: Options.integer("search-lag-bound-ms").pipe(
      Options.withDescription("How far the search index may lag writes: with search, persons changed this long before the start are listed too (default 600000)"),
      Options.filterMap((n) => (n >= 0 ? Option.some(n) : Option.none()), "--search-lag-bound-ms must be 0 or more"),
      Options.optional
    )
  },
  (options): Effect.Effect<void, CommandError, FileSystem.FileSystem | Path.Path> =>
    runWorkflow(showingBadRows, {
      file: options.file,
      format: Option.getOrUndefined(options.format),
      match: options.match,
      dryRun: options.dryRun,
      journal: Option.getOrUndefined(options.journal),
      report: Option.getOrUndefined(options.report),
      concurrency: Option.getOrUndefined(options.concurrency),
      lookup: options.lookup,
      settleMillis: Option.getOrUndefined(options.settleMs),
      searchLagBoundMillis: Option.getOrUndefined(options.searchLagBoundMs),
      progress: Progress.make
    }).pipe(Effect.provide(Flags.clientOf(options)))
).pipe(Command.withDescription("Create or update persons from a CSV or NDJSON file (upsert by email or id), resumably"))

