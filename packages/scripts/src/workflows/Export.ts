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
import { FileSystem, Path } from "@effect/platform"
import {
  CustomFields,
  PersonFieldsV1,
  Persons,
  PersonsV1,
  PipedriveClient,
  type PipedriveError
} from "@pipedrive-effect/core"
import { Chunk, Effect, Either, Option, Stream } from "effect"
import * as AtomicFile from "../files/AtomicFile.ts"
import * as Csv from "../files/Csv.ts"
import * as ExportState from "../files/ExportState.ts"
import * as FileLock from "../files/FileLock.ts"
import * as PersonFile from "../records/PersonFile.ts"
import * as PersonRecord from "../records/PersonRecord.ts"
import * as Progress from "./Progress.ts"
import type * as Workflow from "./Workflow.ts"
import { InvalidOption } from "./WorkflowError.ts"


/** What to export and how. */
export interface Options {
  /** The file to write. */
  readonly out: string
  /** Default: from `out`'s extension (`.csv` is CSV), else NDJSON. */
  readonly format?: PersonRecord.Format | undefined
  /** RFC 3339: only persons updated at or after it (API v2 only). */
  readonly since?: string | undefined
  /** A state file: checkpoint after every page, resume from it. */
  readonly state?: string | undefined
  /** `v2` (default): the cursor list; `v1`: the offset list. */
  readonly api?: "v1" | "v2" | undefined
  /** Persons per request, 1 to 500 (default 500). */
  readonly pageSize?: number | undefined
  /** How progress is shown (the CLI passes `Progress.make`); default: not at all. */
  readonly progress?: Progress.Factory | undefined
}

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

const RFC3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

/**
 * Checks an RFC 3339 time and returns it as Pipedrive's `updated_since` takes it: UTC, whole
 * seconds (fractions are dropped, which only widens the inclusive range).
 *
 * @example
 * ```ts
 * parseSince("2025-03-01T12:00:00.5+02:00") // Right("2025-03-01T10:00:00Z")
 * ```
 */
export const parseSince = (text: string): Either.Either<string, InvalidOption> => {
  const fail = () =>
    Either.left(new InvalidOption({ option: "--since", reason: `"${text}" is not an RFC 3339 time such as 2025-03-01T12:00:00Z` }))
  const match = RFC3339.exec(text.trim())
  if (match === null) return fail()
  const millis = Date.parse(text.trim())
  if (Number.isNaN(millis)) return fail()
  const zone = match[3]!.toUpperCase()
  const offset = zone === "Z" ? 0 : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)))
  // Date.parse rolls 2025-02-30 over to March: the wall time must read back unchanged.
  if (new Date(millis + offset * 60_000).toISOString().slice(0, 19) !== `${match[1]}T${match[2]}`) return fail()
  return Either.right(new Date(Math.floor(millis / 1000) * 1000).toISOString().replace(".000Z", "Z"))
}

const emptyCatalog: CustomFields.Catalog = { fields: [], byKey: new Map(), byName: new Map() }

const loadCatalog = (api: "v1" | "v2") =>
  api === "v2"
    ? CustomFields.load
    : Effect.map(Stream.runCollect(PersonFieldsV1.stream({ limit: 500 })), (fields) => CustomFields.catalogV1(Chunk.toArray(fields)))

/** One page as the export writes it: v2 persons, and where the next page starts. */
export interface Page {
  readonly persons: ReadonlyArray<Persons.Person>
  readonly cursor: string | null
  readonly start: number | null
  readonly last: boolean
}

/** The options checked and resolved: what the run will do. Nothing is read or written yet. */
export interface Plan {
  readonly out: string
  readonly format: PersonRecord.Format
  readonly api: "v1" | "v2"
  readonly pageSize: number
  /** `updated_since` as Pipedrive takes it, or `null` for every person. */
  readonly since: string | null
  /** The state file (absolute), when the export is resumable. */
  readonly statePath: string | undefined
}

/** Step 1: checks the options (`InvalidOption`, a missing directory as `FileError`) and resolves the paths. */
export const plan = (
  options: Options
): Effect.Effect<Plan, InvalidOption | AtomicFile.FileError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const paths = yield* Path.Path
    const out = paths.resolve(options.out)
    const api = options.api ?? "v2"
    const pageSize = options.pageSize ?? 500
    if (!Number.isInteger(pageSize) || pageSize < 1 || pageSize > 500) {
      return yield* new InvalidOption({ option: "--page-size", reason: "must be 1 to 500" })
    }
    const since = options.since === undefined ? null : yield* parseSince(options.since)
    if (since !== null && api === "v1") {
      return yield* new InvalidOption({ option: "--since", reason: "needs API v2 (updated_since); leave out --api v1" })
    }
    yield* AtomicFile.checkDirectory(out)
    const statePath = options.state === undefined ? undefined : paths.resolve(options.state)
    if (statePath !== undefined) yield* AtomicFile.checkDirectory(statePath)
    return { out, format: options.format ?? PersonRecord.formatOf(out) ?? "ndjson", api, pageSize, since, statePath }
  })

/** What the run starts from: the account, the custom fields and columns, and a saved state if any. */
interface Opened {
  readonly account: string
  readonly catalog: CustomFields.Catalog
  readonly columns: ReadonlyArray<string> | null
  readonly saved: Option.Option<ExportState.State>
}

/**
 * Step 2: locks the state file (a second run on it is refused: both would append to one partial
 * file) and loads its state, refused when it belongs to another account, other options, other CSV
 * columns, or its partial file is gone.
 */
const open = (plan: Plan) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const statePath = plan.statePath
    if (statePath !== undefined) {
      yield* FileLock.acquire(statePath).pipe(
        Effect.catchTag("SystemError", "BadArgument", (error) => Effect.fail(AtomicFile.fromPlatform(`${statePath}.lock`)(error)))
      )
    }
    const account = (yield* PipedriveClient.PipedriveClient).baseUrl
    const saved = statePath === undefined
      ? Option.none<ExportState.State>()
      : yield* Effect.flatMap(ExportState.load(statePath), Option.match({
        onNone: () => Effect.succeedNone,
        onSome: (state) => Effect.map(ExportState.check(statePath, state, { account, options: stateOptions(plan) }), Option.some)
      }))
    const catalog = plan.format === "csv" || plan.api === "v1" ? yield* loadCatalog(plan.api) : emptyCatalog
    const columns = plan.format === "csv" ? PersonRecord.csvColumns(catalog) : null
    if (Option.isSome(saved) && statePath !== undefined) {
      if (JSON.stringify(saved.value.columns) !== JSON.stringify(columns)) {
        return yield* new ExportState.StateMismatch({
          path: statePath,
          reason: "the account's custom person fields changed since this export began, so its CSV columns would differ; delete the state file to start over"
        })
      }
      if (!(yield* fs.exists(saved.value.temp).pipe(Effect.orElseSucceed(() => false)))) {
        return yield* new ExportState.StateMismatch({
          path: statePath,
          reason: `its partial file ${saved.value.temp} is gone; delete the state file to start over`
        })
      }
    }
    return { account, catalog, columns, saved } satisfies Opened
  })

const stateOptions = (plan: Plan): ExportState.ExportOptions => ({
  out: plan.out,
  format: plan.format,
  since: plan.since,
  api: plan.api
})

/** The state of a new export: nothing written yet, its partial file named. */
const fresh = (plan: Plan, opened: Opened, started: number) =>
  Effect.map(AtomicFile.tempPathFor(plan.out), (temp): ExportState.State => ({
    kind: "pipedrive-effect persons export",
    version: 1,
    account: opened.account,
    options: stateOptions(plan),
    columns: opened.columns,
    temp,
    bytes: 0,
    persons: 0,
    pages: 0,
    cursor: null,
    start: null,
    complete: false,
    startedAt: new Date(Math.floor(started / 1000) * 1000).toISOString().replace(".000Z", "Z")
  }))

/**
 * Whether persons can be met twice: a `since` walk meets a person updated during it again, and v1
 * offsets shift when persons are deleted. Such walks keep the ids written and skip repeats.
 */
const mayRepeat = (plan: Plan) => plan.since !== null || plan.api === "v1"

/**
 * Step 3, resuming: the ids of the persons the partial file already holds (read back from it), so
 * a walk that may repeat persons does not write them twice across runs.
 */
const writtenIds = (path: string, catalog: CustomFields.Catalog, format: PersonRecord.Format) =>
  PersonFile.read(path, catalog, format).pipe(
    Stream.runFold(new Set<number>(), (seen, parsed) => {
      if (Either.isRight(parsed.row) && parsed.row.right.id != null) seen.add(parsed.row.right.id)
      return seen
    })
  )

/** Step 4: the pages from where the state stands, in the v2 shape whichever API lists them. */
export const walk = (
  plan: Plan,
  catalog: CustomFields.Catalog,
  state: ExportState.State
): Stream.Stream<Page, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient> =>
  plan.api === "v2"
    ? Persons.pages({
      limit: plan.pageSize,
      cursor: state.cursor ?? undefined,
      ...(plan.since === null ? {} : { updated_since: plan.since, sort_by: "update_time", sort_direction: "asc" })
    }).pipe(Stream.map((page) => ({
      persons: page.items,
      cursor: page.nextCursor ?? null,
      start: null,
      last: page.nextCursor === undefined
    })))
    : PersonsV1.pages({ limit: plan.pageSize, start: state.start ?? 0 }).pipe(Stream.map((page) => ({
      persons: page.items.map((person) => PersonRecord.fromV1(catalog, person)),
      cursor: null,
      start: page.nextStart ?? null,
      last: page.nextStart === undefined
    })))

/** Step 5: persons as the text appended to the file, in its format. */
export const pageText = (
  format: PersonRecord.Format,
  catalog: CustomFields.Catalog,
  persons: ReadonlyArray<Persons.Person>
): string =>
  format === "csv"
    ? Csv.format(persons.map((person) => PersonRecord.toCsvCells(catalog, person)))
    : persons.map((person) => `${PersonRecord.toNdjsonLine(person)}\n`).join("")

/** Step 6: the state after a page was appended (and synced) and the file is `bytes` long. */
export const advance = (state: ExportState.State, page: Page, written: number, bytes: number): ExportState.State => ({
  ...state,
  bytes,
  persons: state.persons + written,
  pages: state.pages + 1,
  cursor: page.cursor,
  start: page.start,
  complete: page.last
})

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
        : new Set<number>()
      if (state.complete) return
      yield* Stream.runForEach(walk(planned, opened.catalog, state), (page) =>
        // A page is written, synced and checkpointed as one step: an interrupt (Ctrl-C) waits for it.
        Effect.uninterruptible(Effect.gen(function*() {
          const persons = repeats
            ? page.persons.filter((person) => {
              if (seen.has(person.id)) return false
              seen.add(person.id)
              return true
            })
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
