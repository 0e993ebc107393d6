/**
 * The CLI commands `persons import` and `persons dedupe`: thin layers over `Import.run` and
 * `Dedupe.run` that parse flags, show progress on stderr, print results and the summary on stdout,
 * and turn the workflows' own failures into the CLI's one-line `JobFailed` (exit code 1).
 */
import { Args, Command, Options } from "@effect/cli"
import type { PipedriveClient, PipedriveError } from "@pipedrive-effect/core"
import type { ConfigError, Layer } from "effect"
import { Console, Effect, Option, Stream } from "effect"
import * as AtomicFile from "../files/AtomicFile.ts"
import { JobFailed } from "./Cli.ts"
import * as Connection from "../workflows/Connection.ts"
import * as Dedupe from "../workflows/Dedupe.ts"
import * as Import from "../workflows/Import.ts"
import * as PersonRecord from "../records/PersonRecord.ts"
import * as Progress from "../workflows/Progress.ts"

// Named with its types: the commands' inferred types refer to them (declaration emit).
const clientOf: (
  parsed: Connection.ParsedOptions
) => Layer.Layer<PipedriveClient.PipedriveClient, PipedriveError.ConfigurationError | ConfigError.ConfigError> =
  Connection.layerOfOptions

const concurrency = Options.integer("concurrency").pipe(
  Options.withDefault(4),
  Options.withDescription("Requests in flight at once (1 to 16)"),
  Options.filterMap((n) => (n >= 1 && n <= 16 ? Option.some(n) : Option.none()), "--concurrency must be from 1 to 16")
)

const print = (lines: ReadonlyArray<string>) => Effect.forEach(lines, (line) => Console.log(line), { discard: true })

/** The errors of a job that are the user's to fix (files, input, journal), as `JobFailed`. */
const jobFailures = [
  "InvalidRows",
  "InvalidHeader",
  "FileError",
  "JournalMismatch",
  "JournalCorrupt",
  "LockHeld",
  "BadArgument",
  "SystemError"
] as const

type JobFailure = { readonly _tag: (typeof jobFailures)[number]; readonly message: string }

const isJobFailure = (error: unknown): error is JobFailure =>
  typeof error === "object" && error !== null && "_tag" in error && typeof error._tag === "string" &&
  (jobFailures as ReadonlyArray<string>).includes(error._tag)

const asJobFailed = <A, E, R>(effect: Effect.Effect<A, E, R>) =>
  Effect.catchIf(
    effect,
    (error): error is Extract<E, JobFailure> => isJobFailure(error),
    (error) => Effect.fail(new JobFailed(error.message))
  )

/** `persons import FILE [--match email|id] [--dry-run] [--journal FILE] [--report FILE] [--concurrency N]`. */
export const importCommand = Command.make(
  "import",
  {
    ...Connection.options,
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
    concurrency
  },
  (options) =>
    Import.run({
      file: options.file,
      format: Option.getOrUndefined(options.format),
      match: options.match,
      dryRun: options.dryRun,
      journal: Option.getOrUndefined(options.journal),
      report: Option.getOrUndefined(options.report),
      concurrency: options.concurrency,
      progress: Progress.make
    }).pipe(
      Effect.tapErrorTag("InvalidRows", (error) =>
        Effect.forEach(error.problems, (problem) => Console.error(`${error.path}: ${PersonRecord.formatProblem(problem)}`), {
          discard: true
        })),
      asJobFailed,
      Effect.tap((summary) => (summary.dryRun ? print(summary.outcomes.map(Import.formatPlanned)) : Effect.void)),
      Effect.tap((summary) => print(Import.formatSummary(summary))),
      Effect.flatMap((summary) =>
        Import.succeeded(summary)
          ? Effect.void
          : Effect.fail(
            new JobFailed(
              `${summary.failed} of ${summary.rows} rows failed${
                summary.report === undefined ? " (--report FILE lists them)" : `, listed in ${summary.report}`
              }${summary.dryRun ? "" : "; a rerun retries them and skips the rows done"}`
            )
          )
      ),
      Effect.provide(clientOf(options))
    )
).pipe(Command.withDescription("Create or update persons from a CSV or NDJSON file (upsert by email or id), resumably"))

/** `persons dedupe [--by email|phone|name] [--apply] [--report FILE]`. */
export const dedupeCommand = Command.make(
  "dedupe",
  {
    ...Connection.options,
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
    concurrency
  },
  (options) =>
    Effect.gen(function*() {
      const report = Option.getOrUndefined(options.report)
      if (report !== undefined) yield* AtomicFile.checkDirectory(report)
      const result = yield* Dedupe.run({
        by: options.by,
        apply: options.apply,
        journal: Option.getOrUndefined(options.journal),
        concurrency: options.concurrency,
        progress: Progress.make
      })
      yield* print(result.groups.map(Dedupe.formatGroup))
      if (report !== undefined) yield* AtomicFile.writeLines(report, Stream.fromIterable(Dedupe.reportLines(result)))
      yield* print(Dedupe.formatSummary(result))
      if (!Dedupe.succeeded(result)) {
        const failed = result.merges.filter((merge) => merge.status === "failed")
        return yield* Effect.fail(
          new JobFailed(
            `${failed.length} merges failed (first: #${failed[0]?.id} into #${failed[0]?.into}: ${failed[0]?.reason}); a rerun retries them`
          )
        )
      }
    }).pipe(asJobFailed, Effect.provide(clientOf(options)))
).pipe(Command.withDescription("Find persons sharing an email, phone or name; with --apply merge each group into its oldest person"))
