/**
 * The steps of `persons export`, each a function of its own so it can be read and tested alone:
 * plan (check the options), open (lock, load and check the state), fresh (a new state), resume
 * (`writtenIds`: what the partial file holds), walk (the pages), pageText (a page as text) and
 * advance (the state after a page). `Export.run` strings them together.
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
import { Chunk, Clock, Effect, Either, Option, Stream } from "effect"
import * as AtomicFile from "../files/AtomicFile.ts"
import * as Csv from "../files/Csv.ts"
import * as ExportState from "../files/ExportState.ts"
import * as FileLock from "../files/FileLock.ts"
import * as PersonFile from "../records/PersonFile.ts"
import * as PersonRecord from "../records/PersonRecord.ts"
import * as IdSet from "./IdSet.ts"
import type * as Progress from "./Progress.ts"
import { parseSince } from "./Since.ts"
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
  /**
   * API v2: the most time windows walked at once. Default: as many as the client's rate limiter
   * allows (`RateLimit.concurrency`: its limit, its latency); this only caps it.
   */
  readonly concurrency?: number | undefined
  /** How progress is shown (the CLI passes `Progress.make`); default: not at all. */
  readonly progress?: Progress.Factory | undefined
}

const emptyCatalog: CustomFields.Catalog = { fields: [], byKey: new Map(), byName: new Map() }

const loadCatalog = (api: "v1" | "v2") =>
  api === "v2"
    ? CustomFields.load
    : Effect.map(Stream.runCollect(PersonFieldsV1.stream({ limit: 500 })), (fields) => CustomFields.catalogV1(Chunk.toArray(fields)))

/** One page of the v1 walk as the export writes it: v2 persons, and where the next page starts. */
export interface Page {
  readonly persons: ReadonlyArray<Persons.Person>
  readonly start: number | null
  readonly last: boolean
}

/** The options checked and resolved: what the run will do. Nothing is read or written yet. */
export interface Plan {
  readonly out: string
  readonly format: PersonRecord.Format
  readonly api: "v1" | "v2"
  readonly pageSize: number
  readonly concurrency: number | undefined
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
    const concurrency = options.concurrency
    if (concurrency !== undefined && !(Number.isSafeInteger(concurrency) && concurrency >= 1)) {
      return yield* new InvalidOption({ option: "--concurrency", reason: `must be a positive whole number, got ${concurrency}` })
    }
    const since = options.since === undefined ? null : yield* parseSince(options.since)
    // A time ahead of this clock would export nothing, silently: a typo (2062 for 2026) more likely
    // than intent. A minute of slack allows for a server clock a little ahead of this one.
    if (since !== null && Date.parse(since) > (yield* Clock.currentTimeMillis) + 60_000) {
      return yield* new InvalidOption({ option: "--since", reason: `${options.since} is in the future; nobody was updated then yet` })
    }
    if (since !== null && api === "v1") {
      return yield* new InvalidOption({ option: "--since", reason: "needs API v2 (updated_since); leave out --api v1" })
    }
    yield* AtomicFile.checkDirectory(out)
    const statePath = options.state === undefined ? undefined : paths.resolve(options.state)
    if (statePath !== undefined) yield* AtomicFile.checkDirectory(statePath)
    return { out, format: options.format ?? PersonRecord.formatOf(out) ?? "ndjson", api, pageSize, concurrency, since, statePath }
  })

/** What the run starts from: the account, the custom fields and columns, and a saved state if any. */
export interface Opened {
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
export const open = (plan: Plan) =>
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
      // v1 appends to the partial file from the start; v2 writes its windows' segments until the join.
      const parts = plan.api === "v1"
        ? [saved.value.temp]
        : [...saved.value.segments, ...(saved.value.catchUp === null ? [] : [saved.value.catchUp])].map((segment) => segment.path)
      for (const part of parts) {
        if (!(yield* fs.exists(part).pipe(Effect.orElseSucceed(() => false)))) {
          return yield* new ExportState.StateMismatch({
            path: statePath,
            reason: `its partial file ${part} is gone; delete the state file to start over`
          })
        }
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
export const fresh = (plan: Plan, opened: Opened, started: number) =>
  Effect.map(AtomicFile.tempPathFor(plan.out), (temp): ExportState.State => ({
    kind: "pipedrive-effect persons export",
    version: 2,
    account: opened.account,
    options: stateOptions(plan),
    columns: opened.columns,
    temp,
    bytes: 0,
    persons: 0,
    pages: 0,
    start: null,
    walk: null,
    segments: [],
    catchUp: null,
    complete: false,
    startedAt: new Date(Math.floor(started / 1000) * 1000).toISOString().replace(".000Z", "Z")
  }))


/**
 * Step 3, resuming: the ids of the persons the partial file already holds (read back from it), so
 * a walk that may repeat persons does not write them twice across runs.
 */
export const writtenIds = (path: string, catalog: CustomFields.Catalog, format: PersonRecord.Format) =>
  PersonFile.read(path, catalog, format).pipe(
    Stream.runFold(IdSet.make(), (seen, parsed) => {
      if (Either.isRight(parsed.row) && parsed.row.right.id != null) seen.add(parsed.row.right.id)
      return seen
    })
  )

/** Step 4 (API v1): the offset pages from where the state stands, in the v2 shape. */
export const walkV1 = (
  plan: Plan,
  catalog: CustomFields.Catalog,
  state: ExportState.State
): Stream.Stream<Page, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient> =>
  PersonsV1.pages({ limit: plan.pageSize, start: state.start ?? 0 }).pipe(Stream.map((page) => ({
    persons: page.items.map((person) => PersonRecord.fromV1(catalog, person)),
    start: page.nextStart ?? null,
    last: page.nextStart === undefined
  })))

/** Step 4 (API v2): the partitioned walk from where the state stands (`Persons.streamPartitioned`). */
export const walkV2 = (plan: Plan, state: ExportState.State) =>
  Persons.streamPartitioned({
    limit: plan.pageSize,
    ...(plan.since === null ? {} : { updated_since: plan.since }),
    ...(plan.concurrency === undefined ? {} : { concurrency: plan.concurrency }),
    ...(state.walk === null ? {} : { resume: state.walk })
  })

/** Step 5: persons as the text appended to the file, in its format. */
export const pageText = (
  format: PersonRecord.Format,
  catalog: CustomFields.Catalog,
  persons: ReadonlyArray<Persons.Person>
): string =>
  format === "csv"
    ? Csv.format(persons.map((person) => PersonRecord.toCsvCells(catalog, person)))
    : persons.map((person) => `${PersonRecord.toNdjsonLine(person)}\n`).join("")

/** Step 6 (API v1): the state after a page was appended (and synced) and the file is `bytes` long. */
export const advance = (state: ExportState.State, page: Page, written: number, bytes: number): ExportState.State => ({
  ...state,
  bytes,
  persons: state.persons + written,
  pages: state.pages + 1,
  start: page.start,
  complete: page.last
})

