/**
 * `persons import FILE`: creates or updates persons from a CSV or NDJSON file in the format
 * `persons export` writes (`PersonRecord`).
 *
 * 1. Every row is read and checked first (names, emails, phones, owner and organization ids, dates,
 *    custom fields by name); if any row is bad, all bad rows are reported with their line numbers and
 *    nothing is sent (`InvalidRows`).
 * 2. Each row is matched (`ImportLookup`): `email` (default) by the primary email, through a walk of
 *    the account's persons (the truth) or a search per row (a hint, confirmed by a get, beside a
 *    consistent list of the persons changed recently, since a miss proves nothing), whichever costs
 *    fewer tokens (`lookup`); `id` reads the person by the row's id. Found: the fields that differ
 *    are updated (none: `unchanged`, nothing sent). Not found: created (`--match id`: the row fails).
 *    Two persons with the row's primary email: `ambiguous`, not written. Rows with the same key are
 *    done one after the other, in file order, so a file never creates the same person twice.
 * 3. A journal (`Journal`; default `FILE.journal`) records each row as started (with its `intentAt`
 *    in server time), then done or failed, fsynced. A rerun skips rows done. A create whose answer
 *    was lost, or a row a killed run left started, is settled by a consistent list (`updated_since`)
 *    after a settle time, never by search; a row with no key to look up (no email) is failed instead
 *    of risking a duplicate.
 * 4. `dryRun` does steps 1 and 2 with reads only and reports what would be done.
 *
 * Rows in flight follow the client's rate limiter (at most `concurrency`, when given). Each row's
 * work is uninterruptible: Ctrl-C lets the rows in flight finish and journal, then stops.
 *
 * @example
 * ```ts
 * import { Import } from "@pipedrive-effect/scripts"
 * import { Effect } from "effect"
 *
 * const summary = Import.run({ file: "people.csv", match: "email", report: "failed.ndjson" }).pipe(
 *   Effect.tap((summary) => Effect.log(Import.formatSummary(summary).join("\n")))
 * )
 * ```
 *
 * @module
 */
import { FileSystem, type Path } from "@effect/platform"
import { CustomFields, PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import { Effect, Either, Stream } from "effect"
import * as AtomicFile from "../files/AtomicFile.ts"
import type * as FileLock from "../files/FileLock.ts"
import * as Journal from "../files/Journal.ts"
import * as PersonFile from "../records/PersonFile.ts"
import * as PersonRecord from "../records/PersonRecord.ts"
import * as ImportPlan from "./ImportPlan.ts"
import * as ImportLookup from "./ImportLookup.ts"
import * as ImportFinder from "./ImportFinder.ts"
import { type Context, journaled, type Outcome, planRow, type RowOutcome, settle } from "./ImportRow.ts"
import * as Progress from "./Progress.ts"
import type * as Workflow from "./Workflow.ts"
import { InvalidRows } from "./WorkflowError.ts"

/** What `run` is asked to do. */
export interface Options {
  /** The CSV or NDJSON file (by its extension; `format` overrides). */
  readonly file: string
  readonly format?: PersonRecord.Format | undefined
  /** How rows find their person (default `email`). */
  readonly match?: ImportPlan.Match | undefined
  /** Look up and report, send no write, keep no journal. */
  readonly dryRun?: boolean | undefined
  /** The journal (default `FILE.journal`). */
  readonly journal?: string | undefined
  /** Where to write one NDJSON line per failed row (or per bad row, when validation fails). */
  readonly report?: string | undefined
  /**
   * At most this many rows in flight. Default: as many as the client's rate limiter allows requests
   * per window (its limit, re-read as it learns the real one); requests past that wait in its queue.
   */
  readonly concurrency?: number | undefined
  /**
   * How `--match email` finds persons (default `auto`: a walk of the account or a search per row,
   * whichever the estimate says costs fewer tokens; a search that would cost more than the walk
   * after all walks the rest).
   */
  readonly lookup?: ImportLookup.Lookup | undefined
  /**
   * How far Pipedrive's search index may lag writes (default 10 minutes): when searching, the
   * persons changed since the run's start less this are read with a list, since search misses them.
   */
  readonly searchLagBoundMillis?: number | undefined
  /** How long to wait after a lost create before the list that looks for it (default 3 s). */
  readonly settleMillis?: number | undefined
  /** Called after each row, with its outcome. */
  readonly onRow?: ((outcome: RowOutcome) => Effect.Effect<void>) | undefined
  /** How progress is shown (the CLI passes `Progress.make`); default: not at all. */
  readonly progress?: Progress.Factory | undefined
}

export type { Outcome, RowOutcome } from "./ImportRow.ts"
export type { Lookup } from "./ImportLookup.ts"
export type { LookupUsed } from "./ImportFinder.ts"
export type { Match } from "./ImportPlan.ts"

/** What `run` did. */
export interface Summary {
  readonly file: string
  readonly dryRun: boolean
  readonly rows: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  /** Rows matching more than one person: not written (the report names the ids). */
  readonly ambiguous: number
  readonly failed: number
  readonly skipped: number
  /** How rows were looked up, and why: `walk`, `search` or `id`; `walk` with `searched` > 0: searched first, then walked. */
  readonly lookup: ImportFinder.LookupUsed
  /** Lists read to settle lost creates (each one walk of the persons updated since the earliest intent). */
  readonly doubtRounds: number
  /** Requests sent (the limiter's count, the probe included). */
  readonly requestsSent: number
  readonly outcomes: ReadonlyArray<RowOutcome>
  readonly journal: string | undefined
  readonly report: string | undefined
  readonly elapsedMillis: number
  /** API tokens this run spent (`TokenCost`), as the client's rate limiter counted them. */
  readonly tokensSpent: number
}

/** Anything that stops an import as a whole (a row's own failure does not). */
export type ImportError =
  | InvalidRows
  | PersonFile.InvalidHeader
  | AtomicFile.FileError
  | Journal.JournalMismatch
  | Journal.JournalCorrupt
  | FileLock.LockHeld
  | PipedriveError.PipedriveError


/** The default journal of an input file. */
export const defaultJournal = (file: string): string => `${file}.journal`


/** Reads and checks every row; fails with `InvalidRows` listing every problem. */
const readDrafts = (
  file: string,
  format: PersonRecord.Format,
  match: ImportPlan.Match,
  catalog: CustomFields.Catalog
) =>
  Effect.gen(function*() {
    const drafts: Array<PersonRecord.Draft> = []
    const problems: Array<PersonRecord.Problem> = []
    let rows = 0
    yield* Stream.runForEach(PersonFile.read(file, catalog, format), (parsed) =>
      Effect.sync(() => {
        rows++
        const draft = Either.flatMap(parsed.row, (row) => PersonRecord.toDraft(catalog, row, parsed.line))
        if (Either.isLeft(draft)) {
          problems.push(...draft.left)
          return
        }
        const more = ImportPlan.check(match, draft.right)
        if (more.length > 0) problems.push(...more)
        else drafts.push(draft.right)
      }))
    return { drafts, problems, rows }
  })

const problemLine = (problem: PersonRecord.Problem) => JSON.stringify(problem)
const failureLine = (outcome: RowOutcome) =>
  JSON.stringify({
    line: outcome.line,
    ...(outcome.key === undefined ? {} : { key: outcome.key }),
    ...(outcome.ids === undefined ? {} : { ids: outcome.ids }),
    reason: outcome.reason ?? ""
  })

/** Groups rows by key (file order within each); rows without a key are groups of one. */
const groupByKey = (match: ImportPlan.Match, drafts: ReadonlyArray<PersonRecord.Draft>) => {
  const groups: Array<Array<{ readonly draft: PersonRecord.Draft; readonly key: string | undefined }>> = []
  const byKey = new Map<string, Array<{ readonly draft: PersonRecord.Draft; readonly key: string | undefined }>>()
  for (const draft of drafts) {
    const key = ImportPlan.keyOf(match, draft)
    const existing = key === undefined ? undefined : byKey.get(key)
    if (existing !== undefined) {
      existing.push({ draft, key })
      continue
    }
    const group = [{ draft, key }]
    groups.push(group)
    if (key !== undefined) byKey.set(key, group)
  }
  return groups
}

/** Step 1: the input checked (a file, a report directory that exists); nothing is read yet. */
const checkInput = (options: Options) =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const stat = yield* fs.stat(options.file).pipe(Effect.mapError(AtomicFile.fromPlatform(options.file)))
    if (stat.type !== "File") return yield* new AtomicFile.FileError({ path: options.file, reason: "not a file" })
    if (options.report !== undefined) yield* AtomicFile.checkDirectory(options.report)
  })

/**
 * Step 2: every row read and checked against the account's custom fields; any bad row stops the
 * import before anything is sent (`InvalidRows`, also written to the report).
 */
const readAll = (options: Options, match: ImportPlan.Match, catalog: CustomFields.Catalog) =>
  Effect.gen(function*() {
    const read = yield* readDrafts(options.file, options.format ?? PersonFile.formatOf(options.file), match, catalog)
    if (read.problems.length > 0) {
      if (options.report !== undefined) yield* AtomicFile.writeLines(options.report, Stream.fromIterable(read.problems.map(problemLine)))
      return yield* new InvalidRows({ path: options.file, rows: read.rows, problems: read.problems })
    }
    return read
  })

/** Step 3: the journal of this input on this account, opened (refused when it belongs to another run). */
const openJournal = (path: string, file: string, match: ImportPlan.Match) =>
  Effect.gen(function*() {
    const client = yield* PipedriveClient.PipedriveClient
    const input = yield* Journal.fingerprint(file).pipe(Effect.mapError(AtomicFile.fromPlatform(file)))
    return yield* Journal.open(path, { kind: "import", account: client.baseUrl, input, options: { match } }).pipe(
      Effect.mapError((error) => (AtomicFile.isPlatformError(error) ? AtomicFile.fromPlatform(path)(error) : error))
    )
  })


type Group = ReturnType<typeof groupByKey>[number]

/**
 * Step 4, a dry run: each group's rows decided with reads only, in file order (a later row with the
 * key of one that would create updates what it creates).
 */
const planGroup = (context: Context, group: Group, report: (outcome: RowOutcome) => Effect.Effect<void>) =>
  Effect.gen(function*() {
    const done: Array<RowOutcome> = []
    let creator: number | undefined
    for (const { draft, key } of group) {
      const outcome = yield* settle(draft.line, key, planRow(context, draft, key, creator))
      if (outcome.outcome === "created") creator = draft.line
      done.push(outcome)
      yield* report(outcome)
    }
    return done
  })

/** Step 4, for real: each group's rows done one after the other, each journaled. */
const doGroup = (context: Context, journal: Journal.Journal, group: Group, report: (outcome: RowOutcome) => Effect.Effect<void>) =>
  Effect.forEach(group, ({ draft, key }) =>
    journaled(context, journal, draft, key).pipe(
      Effect.tap(report),
      Effect.mapError((error) => (AtomicFile.isPlatformError(error) ? AtomicFile.fromPlatform(journal.path)(error) : error))
    ))

/** Step 5: the outcomes counted, failed rows written to the report. */
const finish = (options: Options, dryRun: boolean, rows: number, journal: string | undefined, outcomes: ReadonlyArray<RowOutcome>) =>
  Effect.gen(function*() {
    const all = [...outcomes].sort((a, b) => a.line - b.line)
    const failed = all.filter((outcome) => outcome.outcome === "failed" || outcome.outcome === "ambiguous")
    if (options.report !== undefined) yield* AtomicFile.writeLines(options.report, Stream.fromIterable(failed.map(failureLine)))
    const count = (outcome: Outcome) => all.filter((row) => row.outcome === outcome).length
    return {
      file: options.file,
      dryRun,
      rows,
      created: count("created"),
      updated: count("updated"),
      unchanged: count("unchanged"),
      ambiguous: count("ambiguous"),
      failed: count("failed"),
      skipped: count("skipped"),
      outcomes: all,
      journal,
      report: options.report
    }
  })

/** Runs the import: check, read all rows, open the journal, do each group, finish. See the module's description. */
export const run = (
  options: Options
): Effect.Effect<Summary, ImportError, PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const meter = yield* Progress.meter
    const client = yield* PipedriveClient.PipedriveClient
    const sentBefore = (yield* client.rateLimiter.state).sent
    const match = options.match ?? "email"
    const dryRun = options.dryRun ?? false
    yield* checkInput(options)
    const catalog = yield* CustomFields.load
    const read = yield* readAll(options, match, catalog)
    const groups = groupByKey(match, read.drafts)
    const journalPath = dryRun ? undefined : options.journal ?? defaultJournal(options.file)
    const done = yield* Effect.scoped(Effect.gen(function*() {
      const journal = journalPath === undefined ? undefined : yield* openJournal(journalPath, options.file, match)
      const clock = yield* ImportLookup.probe
      const runStart = Date.now()
      const settleMillis = options.settleMillis ?? 3000
      // Rows a killed run left `started`: what they did is read consistently (after the settle time).
      const started = journal === undefined
        ? []
        : [...journal.entries.values()].flatMap((entry) => entry.status === "started" ? [entry] : [])
      if (started.length > 0 && settleMillis > 0) yield* Effect.sleep(settleMillis)
      const keys = new Set(groups.flatMap((group) => group.flatMap(({ key }) => (key === undefined ? [] : [key]))))
      // Beside search: the persons changed since the run's start less the lag bound, or since the
      // earliest intent a killed run left, whichever is earlier.
      const bound = ImportLookup.serverSince(clock, runStart - (options.searchLagBoundMillis ?? 600_000))
      const recentSince = [bound, ...started.flatMap((entry) => (entry.intentAt === undefined ? [] : [entry.intentAt]))].sort()[0]!
      const finder = yield* ImportFinder.make({ match, lookup: options.lookup ?? "auto", keys, clock, recentSince })
      const context: Context = { match, catalog, finder, clock, doubts: yield* ImportLookup.doubts(settleMillis) }
      const gate = yield* ImportLookup.rowGate(options.concurrency)
      const progress = yield* (options.progress ?? Progress.none)({
        label: dryRun ? "import (dry run)" : "import",
        unit: "rows",
        total: read.drafts.length
      })
      const report = (outcome: RowOutcome) => Effect.zipRight(progress.add(1), options.onRow?.(outcome) ?? Effect.void)
      const outcomes = yield* Effect.forEach(
        groups,
        (group) => gate.withPermit(journal === undefined ? planGroup(context, group, report) : doGroup(context, journal, group, report)),
        { concurrency: "unbounded" }
      )
      return { outcomes, lookup: finder.lookup(), doubtRounds: context.doubts.rounds() }
    }))
    const summary = yield* finish(options, dryRun, read.rows, journalPath, done.outcomes.flat())
    const cost = yield* meter.cost
    const sentAfter = (yield* client.rateLimiter.state).sent
    return {
      ...summary,
      lookup: done.lookup,
      doubtRounds: done.doubtRounds,
      elapsedMillis: cost.elapsedMillis,
      tokensSpent: cost.tokensSpent,
      requestsSent: sentAfter - sentBefore
    } satisfies Summary
  })

/** One line per row of a dry run: what would be done. */
export const formatPlanned = (outcome: RowOutcome): string => {
  const who = outcome.key === undefined ? "" : ` ${outcome.key}`
  switch (outcome.outcome) {
    case "created":
      return `line ${outcome.line}: create${who}`
    case "updated":
      return `line ${outcome.line}: update${outcome.id === undefined ? "" : ` #${outcome.id}`}${who}: ${(outcome.fields ?? []).join(", ")}`
    case "unchanged":
      return `line ${outcome.line}: unchanged #${outcome.id ?? "?"}${who}`
    case "skipped":
      return `line ${outcome.line}: skipped (done by an earlier run)`
    case "ambiguous":
      return `line ${outcome.line}: would not write (ambiguous): ${outcome.reason ?? ""}`
    case "failed":
      return `line ${outcome.line}: would fail: ${outcome.reason ?? ""}`
  }
}

/** The lines printed at the end: in a dry run one per row (what would be done), then the summary. */
export const formatSummary = (summary: Summary): ReadonlyArray<string> => [
  ...(summary.dryRun ? summary.outcomes.map(formatPlanned) : []),
  ...Progress.summary([
    ["rows", `${summary.rows} in ${summary.file}${summary.dryRun ? " (dry run: nothing sent; counts are what would be done)" : ""}`],
    ["created", summary.created],
    ["updated", summary.updated],
    ["unchanged", summary.unchanged],
    ["ambiguous", `${summary.ambiguous}${summary.ambiguous > 0 ? ` (each matches several persons: not written${summary.report !== undefined ? `; see ${summary.report}` : ""})` : ""}`],
    ["failed", `${summary.failed}${summary.failed > 0 && summary.report !== undefined ? ` (see ${summary.report})` : ""}`],
    ["skipped", `${summary.skipped}${summary.skipped > 0 ? " (done by an earlier run)" : ""}`],
    ...(summary.journal === undefined ? [] : [["journal", summary.journal] as const]),
    ["lookup", `${summary.lookup.mode}${switchedAfter(summary.lookup)} (${summary.lookup.reason})`],
    ...(summary.doubtRounds === 0 ? [] : [["lost answers", `${summary.doubtRounds} list${summary.doubtRounds === 1 ? "" : "s"} read to settle them`] as const]),
    ["elapsed", Progress.formatDuration(summary.elapsedMillis)],
    ["API tokens", `${summary.tokensSpent} spent (${perRow(summary.tokensSpent, summary.rows)} a row)`],
    ["requests", `${summary.requestsSent} sent (${perRow(summary.requestsSent, summary.rows)} a row)`]
  ])
]

/** `, after searching N rows` when the lookup searched, then walked; else nothing. */
const switchedAfter = (lookup: ImportFinder.LookupUsed) =>
  lookup.mode === "walk" && lookup.searched > 0 ? `, after searching ${lookup.searched} row${lookup.searched === 1 ? "" : "s"}` : ""

const perRow = (total: number, rows: number) => (rows === 0 ? "0" : (total / rows).toFixed(2))

/** The rows that failed, in one line; `undefined` when every row was done. */
export const shortfall = (summary: Summary): string | undefined =>
  summary.failed + summary.ambiguous === 0 ? undefined : `${summary.failed + summary.ambiguous} of ${summary.rows} rows failed${
    summary.ambiguous > 0 ? ` (${summary.ambiguous} ambiguous: matching several persons)` : ""
  }${
    summary.report === undefined ? " (--report FILE lists them)" : `, listed in ${summary.report}`
  }${summary.dryRun ? "" : "; a rerun retries them and skips the rows done"}`

/** `persons import` as a `Workflow`. */
export const workflow: Workflow.Workflow<
  Options,
  Summary,
  ImportError,
  PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path
> = { name: "persons import", run, formatSummary, shortfall }
