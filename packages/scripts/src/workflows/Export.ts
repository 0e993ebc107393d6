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
 *
 * @module
 */
import type { FileSystem, Path } from "@effect/platform"
import type { Persons, PipedriveClient, PipedriveError } from "@pipedrive-effect/core"
import { Effect, Option, Stream } from "effect"
import * as AtomicFile from "../files/AtomicFile.ts"
import * as Csv from "../files/Csv.ts"
import * as ExportState from "../files/ExportState.ts"
import type * as FileLock from "../files/FileLock.ts"
import type * as PersonFile from "../records/PersonFile.ts"
import * as PersonRecord from "../records/PersonRecord.ts"
import * as ExportSegments from "./ExportSegments.ts"
import {
  advance,
  fresh,
  open,
  type Opened,
  type Options,
  pageText,
  type Plan,
  plan,
  walkV1,
  walkV2,
  writtenIds
} from "./ExportSteps.ts"
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

/** The walk's counts, whichever API walked. */
interface Walked {
  readonly state: ExportState.State
  /** Persons met again and left out. */
  readonly duplicates: number
}

/**
 * The v1 offset walk, straight into the partial file: a page is appended, synced and checkpointed
 * as one step (an interrupt waits for it). Offsets shift when persons are deleted, so persons met
 * again are left out (`seen`, rebuilt from the partial file on resume).
 */
const walkV1Into = (
  planned: Plan,
  opened: Opened,
  start: ExportState.State,
  checkpoint: (state: ExportState.State) => Effect.Effect<void, AtomicFile.FileError, FileSystem.FileSystem>,
  progress: Progress.Progress
) =>
  Effect.scoped(Effect.gen(function*() {
    let state = start
    let duplicates = 0
    const resumed = Option.isSome(opened.saved)
    const file = yield* AtomicFile.appender(state.temp, resumed ? { truncateTo: state.bytes } : {})
    if (!resumed) {
      const size = opened.columns === null ? 0 : yield* file.append(Csv.format([opened.columns]))
      yield* file.sync
      state = { ...state, bytes: size }
      yield* checkpoint(state)
    }
    const seen = resumed && state.persons > 0 ? yield* writtenIds(state.temp, opened.catalog, planned.format) : IdSet.make()
    if (state.complete) return { state, duplicates }
    yield* Stream.runForEach(walkV1(planned, opened.catalog, state), (page) =>
      Effect.uninterruptible(Effect.gen(function*() {
        const persons = page.persons.filter((person) => seen.add(person.id))
        duplicates += page.persons.length - persons.length
        const size = yield* file.append(pageText(planned.format, opened.catalog, persons))
        yield* file.sync
        state = advance(state, page, persons.length, size)
        yield* checkpoint(state)
        yield* progress.add(persons.length)
      })))
    return { state, duplicates }
  }))

/**
 * The v2 partitioned walk into segments, one per time window (`ExportSegments`), then joined in
 * time order with the persons changed during the walk at their latest version. Each page is
 * appended and synced, then checkpointed with the walk's state, as one step.
 */
const walkV2Into = (
  planned: Plan,
  opened: Opened,
  start: ExportState.State,
  checkpoint: (state: ExportState.State) => Effect.Effect<void, AtomicFile.FileError, FileSystem.FileSystem>,
  progress: Progress.Progress
) =>
  Effect.gen(function*() {
    let state = start
    let duplicates = 0
    yield* ExportSegments.cutBack([...state.segments, ...(state.catchUp === null ? [] : [state.catchUp])])
    const seen = state.persons > 0 ? yield* ExportSegments.idsIn(state.segments, planned.format) : IdSet.make()
    const text = (persons: ReadonlyArray<Persons.Person>) => pageText(planned.format, opened.catalog, persons)
    if (!state.complete) {
      yield* Stream.runForEach(walkV2(planned, state), (page) =>
        Effect.uninterruptible(Effect.gen(function*() {
          if (page.phase === "catch-up") {
            const known = state.catchUp
            const path = known?.path ?? ExportSegments.catchUpPath(state.temp)
            const lines = page.items.map((person) => `${PersonRecord.toNdjsonLine(person)}\n`).join("")
            const bytes = lines === "" ? known?.bytes ?? 0 : yield* ExportSegments.appendSynced(path, lines, { fresh: known === null })
            state = { ...state, walk: page.state, pages: state.pages + 1, catchUp: { since: -1, path, bytes } }
          } else {
            const persons = page.items.filter((person) => seen.add(person.id))
            duplicates += page.items.length - persons.length
            let segments = state.segments
            if (persons.length > 0 && page.window !== undefined) {
              const since = page.window.since
              const known = segments.find((segment) => segment.since === since)
              const path = known?.path ?? ExportSegments.windowPath(state.temp, since)
              const bytes = yield* ExportSegments.appendSynced(path, text(persons), { fresh: known === undefined })
              segments = [...segments.filter((segment) => segment.since !== since), { since, path, bytes }]
            }
            state = { ...state, walk: page.state, pages: state.pages + 1, persons: state.persons + persons.length, segments }
            yield* checkpoint(state)
            if (page.progress.estimatedTotal !== undefined) yield* progress.setTotal(page.progress.estimatedTotal)
            return yield* progress.add(persons.length)
          }
          yield* checkpoint(state)
        })))
      state = { ...state, complete: true }
      yield* checkpoint(state)
    }
    // The join may be cut off by a kill: it writes the partial file anew each time, from the segments.
    const latest = yield* ExportSegments.latestOf(state.catchUp)
    const persons = yield* ExportSegments.join(state.temp, planned.format, opened.columns, state.segments, latest, state.persons, text)
    return { state: { ...state, persons }, duplicates } satisfies Walked
  })

/**
 * The `since` of the next incremental export: with API v2 the newest `update_time` the walk found
 * when it began (the server's clock: every change after it is newer), else when this export began.
 */
const nextSinceOf = (state: ExportState.State): string => {
  const since = state.walk?.catchUp.since
  return since === undefined || since === null ? state.startedAt : new Date(since * 1000).toISOString().replace(".000Z", "Z")
}

/** Runs an export: plan, open, resume or start, walk and write with checkpoints, finish. See the module's description. */
export const run = (
  options: Options
): Effect.Effect<Summary, ExportError, PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const meter = yield* Progress.meter
    const planned = yield* plan(options)
    const opened = yield* open(planned)
    const progress = yield* (options.progress ?? Progress.none)({ label: "export", unit: "persons" })
    const start = Option.isSome(opened.saved) ? opened.saved.value : yield* fresh(planned, opened, meter.started)
    if (start.persons > 0) yield* progress.add(start.persons)
    const statePath = planned.statePath
    const checkpoint = (state: ExportState.State) => statePath === undefined ? Effect.void : ExportState.save(statePath, state)
    const walked = yield* (planned.api === "v1"
      ? walkV1Into(planned, opened, start, checkpoint, progress)
      : walkV2Into(planned, opened, start, checkpoint, progress)).pipe(
        // Without a state file nothing can resume the partial files: remove them.
        Effect.onExit((exit) =>
          exit._tag === "Failure" && statePath === undefined
            ? Effect.zipRight(AtomicFile.removeQuietly(start.temp), ExportSegments.removeBeside(start.temp))
            : Effect.void
        )
      )
    const state = walked.state
    // Step 7, finish: the whole file renamed into place, the segments and the state file removed.
    yield* AtomicFile.rename(state.temp, planned.out)
    yield* ExportSegments.removeAll(state)
    if (statePath !== undefined) yield* ExportState.remove(statePath)
    return {
      out: planned.out,
      format: planned.format,
      persons: state.persons,
      pages: state.pages,
      duplicates: walked.duplicates,
      resumed: Option.isSome(opened.saved),
      ...(yield* meter.cost),
      nextSince: nextSinceOf(state)
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

