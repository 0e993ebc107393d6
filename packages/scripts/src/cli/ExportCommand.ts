/** `persons export --out FILE [--format ndjson|csv] [--since RFC3339] [--state FILE] [--api v1|v2] [--page-size N]`. */
import type { FileSystem, Path } from "@effect/platform"
import { Command, Options } from "@effect/cli"
import { Console, Effect, Option } from "effect"
import * as Export from "../workflows/Export.ts"
import * as Progress from "../workflows/Progress.ts"
import * as Flags from "./Flags.ts"
import { type CommandError, runWorkflow } from "./RunWorkflow.ts"

/** The `persons export` command. */
export const command = Command.make(
  "export",
  {
    ...Flags.connection,
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
    pageSize: Options.integer("page-size").pipe(Options.withDefault(500), Options.withDescription("Persons per request, 1 to 500")),
    concurrency: Flags.concurrencyOf(
      "At most this many time windows walked at once, a request each (API v2; default: as many as the rate limit allows)"
    )
  },
  (options): Effect.Effect<void, CommandError, FileSystem.FileSystem | Path.Path> =>
    runWorkflow(Export.workflow, {
      out: options.out,
      format: Option.getOrUndefined(options.format),
      since: Option.getOrUndefined(options.since),
      state: Option.getOrUndefined(options.state),
      api: options.api,
      pageSize: options.pageSize,
      concurrency: Option.getOrUndefined(options.concurrency),
      progress: Progress.make
    }).pipe(
      Effect.onInterrupt(() =>
        Console.error(
          Option.isSome(options.state)
            ? "pipedrive-effect: export interrupted; run the same command again to resume from the state file"
            : "pipedrive-effect: export interrupted; nothing was written (use --state FILE to make it resumable)"
        )
      ),
      Effect.provide(Flags.clientOf(options))
    )
).pipe(Command.withDescription("Export every person (or those updated since a time) to NDJSON or CSV, resumably"))
