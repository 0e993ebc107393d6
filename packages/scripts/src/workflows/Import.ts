/**
 * `persons import FILE`: creates or updates persons from a CSV or NDJSON file in the format
 * `persons export` writes (`PersonRecord`).
 *
 * 1. Every row is read and checked first (names, emails, phones, owner and organization ids, dates,
 *    custom fields by name); if any row is bad, all bad rows are reported with their line numbers and
 *    nothing is sent (`InvalidRows`).
 * 2. Each row is matched: `email` (default) looks the row's primary email up with v2 search
 *    (`exact_match` on the email field) and keeps only persons whose PRIMARY email it is (search also
 *    finds other emails, case-insensitively); `id` reads the person by the row's id. Found: the fields
 *    that differ are updated (none: `unchanged`, nothing sent). Not found: created (`--match id`:
 *    the row fails). Two persons with the same primary email: the row fails (merge them first).
 *    Rows with the same key are done one after the other, in file order, so a file never creates
 *    the same person twice.
 * 3. A journal (`Journal`; default `FILE.journal`) records each row as started, then done or failed,
 *    fsynced. A rerun skips rows done. A row started but not finished (the run died), or whose write
 *    answered `AmbiguousWrite`, is looked up by its key again before anything is sent again; a row
 *    with no key to look up (no email) is failed instead of risking a duplicate.
 * 4. `dryRun` does steps 1 and 2 with reads only and reports what would be done.
 *
 * Rows run `concurrency` at a time (default 4), under the client's rate limit. Each row's work is
 * uninterruptible: Ctrl-C lets the rows in flight finish and journal, then stops.
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
 */
import { FileSystem, type Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { CustomFields, Persons, PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import { Data, Effect, Either, Option, Schema, type Scope, Stream } from "effect"
import * as AtomicFile from "../files/AtomicFile.ts"
import * as Dedupe from "./Dedupe.ts"
import { isFatal } from "./Fatal.ts"
import type * as FileLock from "../files/FileLock.ts"
import * as ImportPlan from "./ImportPlan.ts"
import * as Journal from "../files/Journal.ts"
import * as PersonFile from "../records/PersonFile.ts"
import * as PersonRecord from "../records/PersonRecord.ts"
import * as Progress from "./Progress.ts"

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
  /** Rows in flight at once (default 4). */
  readonly concurrency?: number | undefined
  /** Called after each row, with its outcome. */
  readonly onRow?: ((outcome: RowOutcome) => Effect.Effect<void>) | undefined
  /** How progress is shown (the CLI passes `Progress.make`); default: not at all. */
  readonly progress?: ((options: Progress.Options) => Effect.Effect<Progress.Progress, never, Scope.Scope>) | undefined
}

/** What became of a row (in a dry run: what would). */
export type Outcome = "created" | "updated" | "unchanged" | "failed" | "skipped"

/** One row's outcome. */
export interface RowOutcome {
  readonly line: number
  readonly outcome: Outcome
  /** The person the row ended as (or would update). */
  readonly id?: number | undefined
  readonly key?: string | undefined
  /** The fields an update changed (custom fields by name). */
  readonly fields?: ReadonlyArray<string> | undefined
  /** Why the row failed. */
  readonly reason?: string | undefined
}

/** What `run` did. */
export interface Summary {
  readonly file: string
  readonly dryRun: boolean
  readonly rows: number
  readonly created: number
  readonly updated: number
  readonly unchanged: number
  readonly failed: number
  readonly skipped: number
  readonly outcomes: ReadonlyArray<RowOutcome>
  readonly journal: string | undefined
  readonly report: string | undefined
  readonly elapsedMillis: number
  /** API tokens this run spent (`TokenCost`), as the client's rate limiter counted them. */
  readonly tokensSpent: number
}

/** Rows of the file that are not valid; nothing was sent. */
export class InvalidRows extends Schema.TaggedError<InvalidRows>()("InvalidRows", {
  path: Schema.String,
  rows: Schema.Number,
  problems: Schema.Array(Schema.Struct({ line: Schema.Number, field: Schema.String, reason: Schema.String }))
}) {
  /** How many rows are bad. */
  get badRows(): number {
    return new Set(this.problems.map((problem) => problem.line)).size
  }
  override get message() {
    const first = this.problems[0]
    return `${this.path}: ${this.badRows} of ${this.rows} rows are invalid, nothing was sent${
      first === undefined ? "" : ` (first: ${PersonRecord.formatProblem(first)})`
    }`
  }
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

/** A row that cannot be done, with the reason. */
export class RowFailed extends Data.TaggedError("RowFailed")<{ readonly reason: string }> {}

/** The default journal of an input file. */
export const defaultJournal = (file: string): string => `${file}.journal`

interface Context {
  readonly match: ImportPlan.Match
  readonly catalog: CustomFields.Catalog
}

/**
 * The person whose primary email is `key`, by v2 search with `exact_match`, each hit read in full
 * and kept only when `key` is its primary email. More than one: `RowFailed`.
 */
export const findByEmail = (key: string): Effect.Effect<Option.Option<Persons.Person>, PipedriveError.PipedriveError | RowFailed, PipedriveClient.PipedriveClient> =>
  Effect.gen(function*() {
    const page = yield* Persons.search({ term: key, fields: ["email"], exact_match: true, limit: 100 })
    const candidates = page.items.filter((hit) =>
      hit.item.emails == null || hit.item.emails.some((email) => Dedupe.emailKey(email) === key)
    )
    const persons = yield* Effect.forEach(candidates, (hit) => findById(hit.item.id), { concurrency: 2 })
    const matches = persons.flatMap((person) => Option.toArray(person)).filter((person) => ImportPlan.isEmailMatch(key, person))
    if (matches.length > 1) {
      return yield* new RowFailed({
        reason: `${matches.length} persons have the primary email ${key} (${matches.map((p) => `#${p.id}`).join(", ")}); merge them first (persons dedupe --by email)`
      })
    }
    return Option.fromNullable(matches[0])
  })

/** The person with `id`, unless there is none or it is deleted. */
export const findById = (id: number): Effect.Effect<Option.Option<Persons.Person>, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient> =>
  Persons.get(id).pipe(
    Effect.map((person) => (person.is_deleted === true ? Option.none() : Option.some(person))),
    Effect.catchTag("NotFound", () => Effect.succeed(Option.none()))
  )

const find = (match: ImportPlan.Match, key: string | undefined) =>
  key === undefined ? Effect.succeed(Option.none<Persons.Person>()) : match === "id" ? findById(Number(key)) : findByEmail(key)

/** The create body of a row; empty custom fields (an export's empty cells) are left out, not sent as `null`. */
const createBody = (draft: PersonRecord.Draft) =>
  Either.match(PersonRecord.createBody(draft), {
    onLeft: (problem) => Effect.fail(new RowFailed({ reason: `${problem.field}: ${problem.reason}` })),
    onRight: (body): Effect.Effect<Persons.PersonCreate> =>
      Effect.succeed(
        body.custom_fields === undefined
          ? body
          : { ...body, custom_fields: Object.fromEntries(Object.entries(body.custom_fields).filter(([, value]) => value !== null)) }
      )
  })

/** Updates `person` to hold the row's values; a lost answer is checked by reading the person again. */
const updateTo = (context: Context, draft: PersonRecord.Draft, person: Persons.Person) =>
  Effect.gen(function*() {
    const update = ImportPlan.changes(context.catalog, draft.body, person)
    const fields = ImportPlan.changedFields(context.catalog, update)
    if (fields.length === 0) return { outcome: "unchanged", id: person.id } as const
    // A lost answer (AmbiguousWrite), or a 2xx answer that could not be read (Decode: the update
    // was applied): read the person again and send only what still differs, at most `tries` times.
    const send = (
      body: Persons.PersonUpdate,
      tries: number
    ): Effect.Effect<void, PipedriveError.PipedriveError | RowFailed, PipedriveClient.PipedriveClient> => {
      const check = (error: PipedriveError.PipedriveError) =>
        Effect.gen(function*() {
          const now = yield* findById(person.id)
          if (Option.isNone(now)) return yield* new RowFailed({ reason: `person #${person.id} disappeared during the update` })
          const left = ImportPlan.changes(context.catalog, draft.body, now.value)
          if (ImportPlan.changedFields(context.catalog, left).length === 0) return
          if (tries <= 0) return yield* Effect.fail(error)
          yield* send(left, tries - 1)
        })
      return Effect.asVoid(Persons.update(person.id, body)).pipe(Effect.catchTags({ AmbiguousWrite: check, Decode: check }))
    }
    yield* send(update, resends)
    return { outcome: "updated", id: person.id, fields } as const
  })

/**
 * How many times a row's write is sent again after an `AmbiguousWrite`, each time only after the
 * person was read or looked up again and the write found still missing: 4, so that even with one
 * request in twenty-five lost unapplied (the fault matrix's rate) a row fails once in millions.
 */
const resends = 4

/** `find`, and while it finds nothing, `times` more times 1.5 s apart. */
const lookAgain = (
  match: ImportPlan.Match,
  key: string,
  times: number
): Effect.Effect<Option.Option<Persons.Person>, PipedriveError.PipedriveError | RowFailed, PipedriveClient.PipedriveClient> =>
  Effect.flatMap(find(match, key), (found) =>
    Option.isSome(found) || times <= 0 ? Effect.succeed(found) : Effect.delay(lookAgain(match, key, times - 1), "1500 millis"))

/** Creates the row's person; a lost answer is checked by looking the key up before creating again. */
const create = (context: Context, draft: PersonRecord.Draft, key: string | undefined) =>
  Effect.gen(function*() {
    const body = yield* createBody(draft)
    // After a lost answer the key is looked up; only when the person is not there is it sent again,
    // and so at most `tries` more times.
    const send = (
      tries: number
    ): Effect.Effect<Persons.Person, PipedriveError.PipedriveError | RowFailed, PipedriveClient.PipedriveClient> =>
      Persons.create(body).pipe(
        Effect.catchTags({
          AmbiguousWrite: (error) =>
            Effect.gen(function*() {
              if (key === undefined) {
                return yield* new RowFailed({
                  reason: `${error.message}; the row has no email to check by, so it is not sent again: check whether the person exists`
                })
              }
              // Pipedrive's search index may lag a create by a moment: look twice more before
              // concluding the create was not applied.
              const found = yield* lookAgain(context.match, key, 2)
              if (Option.isSome(found)) return found.value
              return tries > 0 ? yield* send(tries - 1) : yield* Effect.fail(error)
            }),
          // A 2xx whose body could not be read: the person was created. Find it; never create it again.
          Decode: (error) =>
            Effect.gen(function*() {
              const found = key === undefined ? Option.none() : yield* lookAgain(context.match, key, 2)
              if (Option.isSome(found)) return found.value
              return yield* new RowFailed({
                reason: `${error.message}; the person was created but could not be found again by ${
                  key === undefined ? "email (the row has none)" : key
                }: it is not sent again, check the account`
              })
            })
        })
      )
    const created = yield* send(resends)
    return { outcome: "created", id: created.id } as const
  })

/** Does one row for real: find, then create or update. */
const upsert = (context: Context, draft: PersonRecord.Draft, key: string | undefined) =>
  Effect.gen(function*() {
    const found = yield* find(context.match, key)
    if (Option.isSome(found)) return yield* updateTo(context, draft, found.value)
    if (context.match === "id") return yield* new RowFailed({ reason: `no person with id ${key}` })
    return yield* create(context, draft, key)
  })

/** Decides one row with reads only. `createdBefore`: an earlier row of the file with the same key would create it. */
const plan = (context: Context, draft: PersonRecord.Draft, key: string | undefined, createdBefore: number | undefined) =>
  Effect.gen(function*() {
    if (createdBefore !== undefined) {
      return { outcome: "updated", fields: [`the person line ${createdBefore} creates`] } as const
    }
    const found = yield* find(context.match, key)
    if (Option.isSome(found)) {
      const fields = ImportPlan.changedFields(context.catalog, ImportPlan.changes(context.catalog, draft.body, found.value))
      return fields.length === 0
        ? { outcome: "unchanged", id: found.value.id } as const
        : { outcome: "updated", id: found.value.id, fields } as const
    }
    if (context.match === "id") return yield* new RowFailed({ reason: `no person with id ${key}` })
    yield* createBody(draft)
    return { outcome: "created" } as const
  })

type RowResult = Omit<RowOutcome, "line" | "key">

/** A row's result, its failures as `failed` outcomes; fatal errors go on. */
const settle = <R>(
  line: number,
  key: string | undefined,
  work: Effect.Effect<RowResult, PipedriveError.PipedriveError | RowFailed, R>
): Effect.Effect<RowOutcome, PipedriveError.PipedriveError, R> =>
  work.pipe(
    Effect.map((result): RowOutcome => ({ line, key, ...result })),
    Effect.catchAll((error) =>
      error._tag !== "RowFailed" && isFatal(error)
        ? Effect.fail(error)
        : Effect.succeed<RowOutcome>({ line, key, outcome: "failed", reason: error._tag === "RowFailed" ? error.reason : error.message })
    )
  )

/** Does one row with the journal: skipped when done before; started, then done or failed. */
const journaled = (
  context: Context,
  journal: Journal.Journal,
  draft: PersonRecord.Draft,
  key: string | undefined
): Effect.Effect<RowOutcome, PipedriveError.PipedriveError | PlatformError, PipedriveClient.PipedriveClient> => {
  const item = String(draft.line)
  const last = journal.last(item)
  if (last?.status === "done") {
    return Effect.succeed({ line: draft.line, key, outcome: "skipped", id: last.id })
  }
  if (last?.status === "started" && key === undefined) {
    // Left as `started` (nothing appended), so every rerun with this journal refuses it the same way.
    return Effect.succeed({
      line: draft.line,
      key,
      outcome: "failed",
      reason:
        "an earlier run stopped while writing this row, and without an email it cannot be looked up: check whether the person exists, then import this row again with a new journal"
    })
  }
  return journal.append({ item, status: "started", ...(key === undefined ? {} : { key }) }).pipe(
    Effect.zipRight(settle(draft.line, key, upsert(context, draft, key))),
    Effect.tap((outcome) =>
      journal.append(
        outcome.outcome === "failed"
          ? { item, status: "failed", reason: outcome.reason ?? "failed" }
          : { item, status: "done", outcome: outcome.outcome, ...(outcome.id === undefined ? {} : { id: outcome.id }) }
      )
    ),
    Effect.uninterruptible
  )
}

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
  JSON.stringify({ line: outcome.line, ...(outcome.key === undefined ? {} : { key: outcome.key }), reason: outcome.reason ?? "" })

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

/** Runs the import (see the module's description). */
export const run = (
  options: Options
): Effect.Effect<Summary, ImportError, PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const meter = yield* Progress.meter
    const fs = yield* FileSystem.FileSystem
    const client = yield* PipedriveClient.PipedriveClient
    const match = options.match ?? "email"
    const dryRun = options.dryRun ?? false
    const format = options.format ?? PersonFile.formatOf(options.file)
    const stat = yield* fs.stat(options.file).pipe(Effect.mapError(AtomicFile.fromPlatform(options.file)))
    if (stat.type !== "File") return yield* new AtomicFile.FileError({ path: options.file, reason: "not a file" })
    if (options.report !== undefined) yield* AtomicFile.checkDirectory(options.report)

    const catalog = yield* CustomFields.load
    const context: Context = { match, catalog }
    const read = yield* readDrafts(options.file, format, match, catalog)
    if (read.problems.length > 0) {
      if (options.report !== undefined) yield* AtomicFile.writeLines(options.report, Stream.fromIterable(read.problems.map(problemLine)))
      return yield* new InvalidRows({ path: options.file, rows: read.rows, problems: read.problems })
    }

    const groups = groupByKey(match, read.drafts)
    const journalPath = dryRun ? undefined : options.journal ?? defaultJournal(options.file)
    const outcomes = yield* Effect.scoped(Effect.gen(function*() {
      const progress = yield* (options.progress ?? (() => Progress.silent))({
        label: dryRun ? "import (dry run)" : "import",
        unit: "rows",
        total: read.drafts.length
      })
      const report = (outcome: RowOutcome) => Effect.zipRight(progress.add(1), options.onRow?.(outcome) ?? Effect.void)
      if (journalPath === undefined) {
        return yield* Effect.forEach(groups, (group) =>
          Effect.gen(function*() {
            const done: Array<RowOutcome> = []
            let creator: number | undefined
            for (const { draft, key } of group) {
              const outcome = yield* settle(draft.line, key, plan(context, draft, key, creator))
              if (outcome.outcome === "created") creator = draft.line
              done.push(outcome)
              yield* report(outcome)
            }
            return done
          }), { concurrency: options.concurrency ?? 4 })
      }
      const input = yield* Journal.fingerprint(options.file).pipe(Effect.mapError(AtomicFile.fromPlatform(options.file)))
      const journal = yield* Journal.open(journalPath, {
        kind: "import",
        account: client.baseUrl,
        input,
        options: { match }
      }).pipe(Effect.catchTags({
        BadArgument: (error) => Effect.fail(AtomicFile.fromPlatform(journalPath)(error)),
        SystemError: (error) => Effect.fail(AtomicFile.fromPlatform(journalPath)(error))
      }))
      return yield* Effect.forEach(groups, (group) =>
        Effect.forEach(group, ({ draft, key }) =>
          journaled(context, journal, draft, key).pipe(
            Effect.tap(report),
            Effect.catchTags({
              BadArgument: (error) => Effect.fail(AtomicFile.fromPlatform(journalPath)(error)),
              SystemError: (error) => Effect.fail(AtomicFile.fromPlatform(journalPath)(error))
            })
          )), { concurrency: options.concurrency ?? 4 })
    }))
    const all = outcomes.flat().sort((a, b) => a.line - b.line)
    const failed = all.filter((outcome) => outcome.outcome === "failed")
    if (options.report !== undefined) yield* AtomicFile.writeLines(options.report, Stream.fromIterable(failed.map(failureLine)))
    const count = (outcome: Outcome) => all.filter((row) => row.outcome === outcome).length
    return {
      file: options.file,
      dryRun,
      rows: read.rows,
      created: count("created"),
      updated: count("updated"),
      unchanged: count("unchanged"),
      failed: failed.length,
      skipped: count("skipped"),
      outcomes: all,
      journal: journalPath,
      report: options.report,
      ...(yield* meter.cost)
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
    case "failed":
      return `line ${outcome.line}: would fail: ${outcome.reason ?? ""}`
  }
}

/** The summary lines printed at the end. */
export const formatSummary = (summary: Summary): ReadonlyArray<string> =>
  Progress.summary([
    ["rows", `${summary.rows} in ${summary.file}${summary.dryRun ? " (dry run: nothing sent; counts are what would be done)" : ""}`],
    ["created", summary.created],
    ["updated", summary.updated],
    ["unchanged", summary.unchanged],
    ["failed", `${summary.failed}${summary.failed > 0 && summary.report !== undefined ? ` (see ${summary.report})` : ""}`],
    ["skipped", `${summary.skipped}${summary.skipped > 0 ? " (done by an earlier run)" : ""}`],
    ...(summary.journal === undefined ? [] : [["journal", summary.journal] as const]),
    ["elapsed", `${(summary.elapsedMillis / 1000).toFixed(1)} s`],
    ["API tokens", `${summary.tokensSpent} spent`]
  ])

/** Whether every row was done. */
export const succeeded = (summary: Summary): boolean => summary.failed === 0
