/**
 * `persons export`: every person (or every person updated since a time) to an NDJSON or CSV file
 * (`PersonRecord`'s format), safe to stop and run again.
 *
 * - The file is written to a temporary file beside `out` (mode 0600) and renamed over `out` only
 *   when complete, so a file at `out` is always a whole export.
 * - With `state`, the position after every page is checkpointed (after the page is synced to disk);
 *   a rerun with the same state file resumes there, first cutting the temporary file back to the
 *   checkpointed length, so a page torn by a crash is never kept. The state records the account's
 *   base URL and the options, and a rerun with another account or other options is refused.
 * - `since` exports the persons updated at or after that time (v2 `updated_since`, walked with
 *   `sort_by=update_time`). A person updated during the walk moves to its end and is met again;
 *   it is written once (as first read). `nextSince` in the summary (when the export began) is the
 *   `since` of the next incremental export.
 * - While it runs, the state file is locked (`FileLock`, `STATE.lock`): a second run on it is refused.
 * - `api: "v1"` walks the v1 offset list instead (persons are converted to the v2 shape).
 *
 * @example
 * ```ts
 * import { Connection, Export } from "@pipedrive-effect/scripts"
 * import { NodeContext } from "@effect/platform-node"
 * import { Effect, Layer } from "effect"
 *
 * Export.run({ out: "persons.csv", state: "persons.export-state.json" }).pipe(
 *   Effect.provide(Layer.mergeAll(Connection.clientLayer({}), NodeContext.layer)),
 *   Effect.runPromise
 * )
 * ```
 */
import type { FileSystem, Path } from "@effect/platform"
import type { PipedriveClient, PipedriveError } from "@pipedrive-effect/core"
import { Effect, Option, Stream } from "effect"
import * as AtomicFile from "../files/AtomicFile.ts"
import * as Csv from "../files/Csv.ts"
import * as ExportState from "../files/ExportState.ts"
import type * as FileLock from "../files/FileLock.ts"
import type * as PersonFile from "../records/PersonFile.ts"
import type * as PersonRecord from "../records/PersonRecord.ts"
import { advance, fresh, mayRepeat, open, type Options, pageText, plan, walk, writtenIds } from "./ExportSteps.ts"
import * as IdSet from "./IdSet.ts"
import * as Progress from "./Progress.ts"
import type * as Workflow from "./Workflow.ts"
import type { InvalidOption } from "./WorkflowError.ts"

export { parseSince } from "./Since.ts"
export type { Page, Plan } from "./ExportSteps.ts"


export type { Options } from "./ExportSteps.ts"

/** What an export did. */
export interface Summary {
  readonly out: string
  readonly format: PersonRecord.Format
  /** Persons in the file. */
  readonly persons: number
  /** Pages fetched, over all runs. */
  readonly pages: number
  /** Persons met again during this run and left out (`since` walks). */
  readonly duplicates: number
  /** Whether this run resumed a state file. */
  readonly resumed: boolean
  readonly elapsedMillis: number
  /** API tokens this run spent (`TokenCost`), as the client's rate limiter counted them. */
  readonly tokensSpent: number
  /** When the export began (RFC 3339): pass it as `since` to export what changes from now on. */
  readonly nextSince: string
}

/** Anything an export can fail with. */
export type ExportError =
  | PipedriveError.PipedriveError
  | AtomicFile.FileError
  | ExportState.StateMismatch
  | InvalidOption
  | PersonFile.InvalidHeader
  | FileLock.LockHeld

/** Runs an export: plan, open, resume or start, walk and write with checkpoints, finish. See the module's description. */
export const run = (
  options: Options
): Effect.Effect<Summary, ExportError, PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const meter = yield* Progress.meter
    const planned = yield* plan(options)
    const opened = yield* open(planned)
    const progress = yield* (options.progress ?? Progress.none)({ label: "export", unit: "persons" })
    let state = Option.isSome(opened.saved) ? opened.saved.value : yield* fresh(planned, opened, meter.started)
    const statePath = planned.statePath
    const checkpoint = statePath === undefined ? Effect.void : Effect.suspend(() => ExportState.save(statePath, state))
    const repeats = mayRepeat(planned)
    let duplicates = 0

    const write = Effect.scoped(Effect.gen(function*() {
      const resumed = Option.isSome(opened.saved)
      const file = yield* AtomicFile.appender(state.temp, resumed ? { truncateTo: state.bytes } : {})
      if (!resumed) {
        const size = opened.columns === null ? 0 : yield* file.append(Csv.format([opened.columns]))
        yield* file.sync
        state = { ...state, bytes: size }
        yield* checkpoint
      } else {
        yield* progress.add(state.persons)
      }
      const seen = repeats && resumed && state.persons > 0
        ? yield* writtenIds(state.temp, opened.catalog, planned.format)
        : IdSet.make()
      if (state.complete) return
      yield* Stream.runForEach(walk(planned, opened.catalog, state), (page) =>
        // A page is written, synced and checkpointed as one step: an interrupt (Ctrl-C) waits for it.
        Effect.uninterruptible(Effect.gen(function*() {
          const persons = repeats
            ? page.persons.filter((person) => seen.add(person.id))
            : page.persons
          duplicates += page.persons.length - persons.length
          const size = yield* file.append(pageText(planned.format, opened.catalog, persons))
          yield* file.sync
          state = advance(state, page, persons.length, size)
          yield* checkpoint
          yield* progress.add(persons.length)
        })))
    }))

    yield* write.pipe(
      // Without a state file nothing can resume the partial file: remove it.
      Effect.onExit((exit) => exit._tag === "Failure" && statePath === undefined ? AtomicFile.removeQuietly(state.temp) : Effect.void)
    )
    // Step 7, finish: the whole file renamed into place, the state file removed.
    yield* AtomicFile.rename(state.temp, planned.out)
    if (statePath !== undefined) yield* ExportState.remove(statePath)
    return {
      out: planned.out,
      format: planned.format,
      persons: state.persons,
      pages: state.pages,
      duplicates,
      resumed: Option.isSome(opened.saved),
      ...(yield* meter.cost),
      nextSince: state.startedAt
    } satisfies Summary
  }).pipe(Effect.scoped)

/** The summary as the lines the CLI prints. */
export const formatSummary = (summary: Summary): ReadonlyArray<string> =>
  Progress.summary([
    ["exported", `${summary.persons} persons to ${summary.out} (${summary.format})`],
    ["pages", `${summary.pages}${summary.resumed ? " (resumed from the state file)" : ""}`],
    ...(summary.duplicates > 0 ? [["duplicates", `${summary.duplicates} persons met twice, written once`] as const] : []),
    ["elapsed", Progress.formatDuration(summary.elapsedMillis)],
    ["API tokens", `${summary.tokensSpent} spent`],
    ["next --since", summary.nextSince]
  ])

/** `persons export` as a `Workflow`: an export that ends does all it was asked. */
export const workflow: Workflow.Workflow<
  Options,
  Summary,
  ExportError,
  PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path
> = { name: "persons export", run, formatSummary, shortfall: () => undefined }

