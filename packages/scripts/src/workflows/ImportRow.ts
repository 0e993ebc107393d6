/**
 * One row of `persons import`: finding its person (by primary email or id), creating or updating
 * it, what a lost answer means, and its journal lines. `Import.run` runs these for every row.
 */
import type { PlatformError } from "@effect/platform/Error"
import { type CustomFields, Persons, type PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import { Data, Effect, Either, Option } from "effect"
import type * as Journal from "../files/Journal.ts"
import * as PersonRecord from "../records/PersonRecord.ts"
import { isFatal } from "./Fatal.ts"
import { type Finder, findById } from "./ImportFinder.ts"
import * as ImportLookup from "./ImportLookup.ts"
import * as ImportPlan from "./ImportPlan.ts"

/** What became of a row (in a dry run: what would). */
export type Outcome = "created" | "updated" | "unchanged" | "ambiguous" | "failed" | "skipped"

/** One row's outcome. */
export interface RowOutcome {
  readonly line: number
  readonly outcome: Outcome
  /** The person the row ended as (or would update). */
  readonly id?: number | undefined
  readonly key?: string | undefined
  /** The fields an update changed (custom fields by name). */
  readonly fields?: ReadonlyArray<string> | undefined
  /** Why the row failed (or is ambiguous). */
  readonly reason?: string | undefined
  /** `ambiguous`: the persons the row matches (more than one: not written). */
  readonly ids?: ReadonlyArray<number> | undefined
}

/** A row that cannot be done, with the reason. */
export class RowFailed extends Data.TaggedError("RowFailed")<{ readonly reason: string }> {}

/** A row that matches more than one person: it is not written (no guessing). */
export class RowAmbiguous extends Data.TaggedError("RowAmbiguous")<{ readonly ids: ReadonlyArray<number>; readonly reason: string }> {}

/** What every row is done with: how rows match, and the account's custom fields. */
export interface Context {
  readonly match: ImportPlan.Match
  readonly catalog: CustomFields.Catalog
  /** How a key is looked up: by id, or by email through the walked index or search with the recent changes. */
  readonly finder: Finder
  /** Where lost creates are settled, by one consistent list for all rows in doubt. */
  readonly doubts: ImportLookup.Doubts
  /** The server's clock, for the journal's `intentAt`. */
  readonly clock: ImportLookup.ServerClock
}

/** The row's one person, or none; more than one: `RowAmbiguous`. */
const find = (context: Context, key: string | undefined) =>
  key === undefined
    ? Effect.succeed(Option.none<Persons.Person>())
    : Effect.flatMap(context.finder.find(key), (matches) =>
      matches.length > 1
        ? Effect.fail(
          new RowAmbiguous({
            ids: matches.map((person) => person.id),
            reason: `${matches.length} persons have the primary email ${key} (${matches.map((p) => `#${p.id}`).join(", ")}): not written; merge them first (persons dedupe --by email)`
          })
        )
        : Effect.succeed(Option.fromNullable(matches[0])))

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

/**
 * Updates `person` to hold the row's values. An update is idempotent: after a lost answer the
 * person is read again (a get) and only what still differs is sent again.
 */
const updateTo = (context: Context, draft: PersonRecord.Draft, person: Persons.Person) =>
  Effect.gen(function*() {
    const update = ImportPlan.changes(context.catalog, draft.body, person)
    const fields = ImportPlan.changedFields(context.catalog, update)
    if (fields.length === 0) {
      context.finder.remember(person)
      return { outcome: "unchanged", id: person.id } as const
    }
    // A lost answer (AmbiguousWrite), or a 2xx answer that could not be read (Decode: the update
    // was applied): read the person again and send only what still differs, at most `tries` times.
    const send = (
      body: Persons.PersonUpdate,
      tries: number
    ): Effect.Effect<Persons.Person, PipedriveError.PipedriveError | RowFailed, PipedriveClient.PipedriveClient> => {
      const check = (error: PipedriveError.PipedriveError) =>
        Effect.gen(function*() {
          const now = yield* findById(person.id)
          if (Option.isNone(now)) return yield* new RowFailed({ reason: `person #${person.id} disappeared during the update` })
          const left = ImportPlan.changes(context.catalog, draft.body, now.value)
          if (ImportPlan.changedFields(context.catalog, left).length === 0) return now.value
          if (tries <= 0) return yield* Effect.fail(error)
          return yield* send(left, tries - 1)
        })
      return Persons.update(person.id, body).pipe(Effect.catchTags({ AmbiguousWrite: check, Decode: check }))
    }
    context.finder.remember(yield* send(update, resends))
    return { outcome: "updated", id: person.id, fields } as const
  })

/**
 * How many times a row's write is sent again after an `AmbiguousWrite`, each time only after the
 * person was read again (an update) or a consistent list found it still missing (a create): 4, so
 * that even with one request in twenty-five lost unapplied (the fault matrix's rate) a row fails
 * once in millions.
 */
const resends = 4

/** The person a list found after a lost create: the newest of the key (the one just created). */
const settled = (context: Context, key: string, since: string) =>
  Effect.map(context.doubts.check(key, since), (persons) => Option.fromNullable(persons.at(-1)))

/**
 * Creates the row's person. A lost answer is settled by a consistent list of the persons updated
 * since the row's intent (`Doubts`, never search): found, it was created; not there, it is sent
 * again, at most `resends` times.
 */
const create = (context: Context, draft: PersonRecord.Draft, key: string | undefined, since: string) =>
  Effect.gen(function*() {
    const body = yield* createBody(draft)
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
              const found = yield* settled(context, key, since)
              if (Option.isSome(found)) return found.value
              return tries > 0 ? yield* send(tries - 1) : yield* Effect.fail(error)
            }),
          // A 2xx whose body could not be read: the person was created. Find it; never create it again.
          Decode: (error) =>
            Effect.gen(function*() {
              const found = key === undefined ? Option.none() : yield* settled(context, key, since)
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
    context.finder.remember(created)
    return { outcome: "created", id: created.id } as const
  })

/**
 * Does one row for real: find, then create or update. `since`: the row's intent in server time
 * (journaled before anything is sent), from which a list sees what a lost create did.
 */
export const upsert = (context: Context, draft: PersonRecord.Draft, key: string | undefined, since: string) =>
  Effect.gen(function*() {
    const found = yield* find(context, key)
    if (Option.isSome(found)) return yield* updateTo(context, draft, found.value)
    if (context.match === "id") return yield* new RowFailed({ reason: `no person with id ${key}` })
    return yield* create(context, draft, key, since)
  })

/** Decides one row with reads only. `createdBefore`: an earlier row of the file with the same key would create it. */
export const planRow = (context: Context, draft: PersonRecord.Draft, key: string | undefined, createdBefore: number | undefined) =>
  Effect.gen(function*() {
    if (createdBefore !== undefined) {
      return { outcome: "updated", fields: [`the person line ${createdBefore} creates`] } as const
    }
    const found = yield* find(context, key)
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

/** A row's outcome before it is placed (its line and key). */
export type RowResult = Omit<RowOutcome, "line" | "key">

/** A row's result, its failures as `failed` outcomes; fatal errors go on. */
export const settle = <R>(
  line: number,
  key: string | undefined,
  work: Effect.Effect<RowResult, PipedriveError.PipedriveError | RowFailed | RowAmbiguous, R>
): Effect.Effect<RowOutcome, PipedriveError.PipedriveError, R> =>
  work.pipe(
    Effect.map((result): RowOutcome => ({ line, key, ...result })),
    Effect.catchTag("RowAmbiguous", (error) =>
      Effect.succeed<RowOutcome>({ line, key, outcome: "ambiguous", ids: error.ids, reason: error.reason })),
    Effect.catchAll((error) =>
      error._tag !== "RowFailed" && isFatal(error)
        ? Effect.fail(error)
        : Effect.succeed<RowOutcome>({ line, key, outcome: "failed", reason: error._tag === "RowFailed" ? error.reason : error.message })
    )
  )

/** Does one row with the journal: skipped when done before; started, then done or failed. */
export const journaled = (
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
  const intentAt = ImportLookup.serverSince(context.clock)
  return journal.append({ item, status: "started", intentAt, ...(key === undefined ? {} : { key }) }).pipe(
    Effect.zipRight(settle(draft.line, key, upsert(context, draft, key, intentAt))),
    Effect.tap((outcome) =>
      journal.append(
        outcome.outcome === "failed" || outcome.outcome === "ambiguous"
          ? { item, status: "failed", reason: outcome.reason ?? "failed" }
          : { item, status: "done", outcome: outcome.outcome, ...(outcome.id === undefined ? {} : { id: outcome.id }) }
      )
    ),
    Effect.uninterruptible
  )
}
