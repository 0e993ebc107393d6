/**
 * `persons delete`: deletes persons chosen by a file of ids or a Pipedrive filter, after writing
 * their full records to a backup.
 *
 * Order, so nothing is lost: (1) the persons are looked up (ids that are not persons of the account
 * stop the job before anything changes); (2) confirmation; (3) the backup is written in the import
 * format (NDJSON, one v2 person a line), synced to disk and renamed into place (an existing file is
 * never overwritten); (4) only then the persons are deleted, 100 a call (v1 bulk delete).
 *
 * A run that stops after writing the backup (a crash, Ctrl-C, a failed request) is resumed by running
 * it again with the same backup: a backup file that exists and holds exactly the persons asked for
 * (for a filter: at least those still in it) is kept, and only the persons still there are deleted.
 * Any other existing file is refused, never overwritten.
 *
 * `persons import BACKUP` restores them, as new persons with new ids (Pipedrive does not let a
 * client choose ids); deleted persons also stay restorable in Pipedrive's UI for 30 days.
 *
 * @module
 */
import { Prompt } from "@effect/cli"
import { FileSystem, type Path, type Terminal } from "@effect/platform"
import { Persons, PersonsV1, type PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import { Chunk, Effect, Stream } from "effect"
import * as AtomicFile from "../files/AtomicFile.ts"
import * as Ndjson from "../files/Ndjson.ts"
import * as PersonRecord from "../records/PersonRecord.ts"
import * as Progress from "./Progress.ts"
import type * as Workflow from "./Workflow.ts"
import { InvalidIds, MissingPersons, Refused } from "./WorkflowError.ts"

/** How a deletion is confirmed: given how many persons and the backup file, go ahead or not. */
export type Confirm<R> = (plan: { readonly count: number; readonly backup: string }) => Effect.Effect<void, Refused, R>

/** No question asked (`--yes`). */
export const confirmed: Confirm<never> = () => Effect.void

/**
 * Asks on the terminal (`y/N`); without a terminal (a script, CI) refuses, since nobody can answer:
 * pass `--yes` there.
 */
export const askOnTerminal: Confirm<Terminal.Terminal> = (plan) =>
  Effect.gen(function*() {
    if (process.stdin.isTTY !== true || process.stdout.isTTY !== true) {
      return yield* new Refused({ reason: "not on a terminal, so nobody can confirm: add --yes to delete without asking (nothing was deleted)" })
    }
    const yes = yield* Prompt.confirm({ message: `Delete ${plan.count} persons (backup: ${plan.backup})?`, initial: false }).pipe(
      Effect.orElseSucceed(() => false)
    )
    if (!yes) return yield* new Refused({ reason: "not confirmed; nothing was deleted" })
  })

/** Which persons, where the backup goes, how to confirm. */
export interface Options<R> {
  /** A file of ids, one a line (blank lines and lines starting with `#` are skipped). */
  readonly ids?: string | undefined
  /** Or a Pipedrive filter's id: its persons (v1 list with `filter_id`). */
  readonly filterId?: number | undefined
  /** The NDJSON backup to write first; must not exist. */
  readonly backup: string
  readonly confirm: Confirm<R>
  /** How progress is shown (the CLI passes `Progress.make`); default: not at all. */
  readonly progress?: Progress.Factory | undefined
}

/** What a deletion did. */
export interface Summary {
  readonly requested: number
  /** Including those an earlier run of the same deletion deleted (`resumed`). */
  readonly deleted: number
  /** Persons an earlier run of this deletion (which stopped after writing the backup) had deleted already. */
  readonly resumed?: number | undefined
  readonly backup: string
  readonly elapsedMillis: number
  /** API tokens this run spent (`TokenCost`), as the client's rate limiter counted them. */
  readonly tokensSpent: number
}

/** Anything a deletion can fail with. */
export type DeleteError = PipedriveError.PipedriveError | AtomicFile.FileError | InvalidIds | MissingPersons | Refused

/** The ids of an ids file, in order, each once. */
export const readIds = (path: string): Effect.Effect<ReadonlyArray<number>, InvalidIds | AtomicFile.FileError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const lines = yield* Stream.runCollect(Ndjson.lines(path))
    const bad: Array<number> = []
    const ids = new Set<number>()
    for (const { line, text } of lines) {
      const trimmed = text.trim()
      if (trimmed.startsWith("#")) continue
      if (/^\d+$/.test(trimmed) && Number(trimmed) > 0 && Number.isSafeInteger(Number(trimmed))) ids.add(Number(trimmed))
      else bad.push(line)
    }
    if (bad.length > 0) {
      return yield* new InvalidIds({
        path,
        reason: `line${bad.length > 1 ? "s" : ""} ${bad.slice(0, 10).join(", ")}${bad.length > 10 ? ", …" : ""} ${
          bad.length > 1 ? "are" : "is"
        } not a person id (one positive whole number a line)`
      })
    }
    if (ids.size === 0) return yield* new InvalidIds({ path, reason: "holds no ids" })
    return Array.from(ids)
  })

const chunks = <A>(items: ReadonlyArray<A>, size: number) =>
  Chunk.toReadonlyArray(Chunk.chunksOf(Chunk.fromIterable(items), size)).map(Chunk.toReadonlyArray)

/** The v2 records of those of the ids that are persons now (100 ids a request). */
const lookup = (
  ids: ReadonlyArray<number>
): Effect.Effect<ReadonlyMap<number, Persons.Person>, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient> =>
  Effect.gen(function*() {
    const found = new Map<number, Persons.Person>()
    for (const chunk of chunks(ids, 100)) {
      const people = yield* Stream.runCollect(Persons.stream({ ids: chunk, limit: 500 }))
      for (const person of people) found.set(person.id, person)
    }
    return found
  })

/** The full v2 records of the ids (100 a request); ids with no person fail with `MissingPersons`. */
export const records = (
  ids: ReadonlyArray<number>
): Effect.Effect<ReadonlyArray<Persons.Person>, PipedriveError.PipedriveError | MissingPersons, PipedriveClient.PipedriveClient> =>
  Effect.gen(function*() {
    const found = yield* lookup(ids)
    const missing = ids.filter((id) => !found.has(id))
    if (missing.length > 0) return yield* new MissingPersons({ ids: missing })
    return ids.map((id) => found.get(id)!)
  })

/**
 * Deletes `ids` (at most 100) with one v1 bulk delete and says how many are gone. A lost answer
 * (`AmbiguousWrite`; or a 2xx that could not be read) may or may not have deleted them: which are
 * still there is read (a v2 list of the ids, consistent), and only those are sent again, at most
 * `resends` times.
 */
const removeChecked = (
  ids: ReadonlyArray<number>,
  tries = resends
): Effect.Effect<number, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient> => {
  const check = (error: PipedriveError.PipedriveError) =>
    Effect.gen(function*() {
      const left = yield* lookup(ids)
      const still = ids.filter((id) => left.has(id))
      const gone = ids.length - still.length
      if (still.length === 0) return gone
      if (tries <= 0) return yield* Effect.fail(error)
      return gone + (yield* removeChecked(still, tries - 1))
    })
  return PersonsV1.removeMany(ids).pipe(
    Effect.map((gone) => gone.length),
    Effect.catchTags({ AmbiguousWrite: check, Decode: check })
  )
}

/** How many times a bulk delete whose answer was lost is sent again (each time after a read). */
const resends = 4

/**
 * The ids of the persons in an existing backup file, or `undefined` when it is not a backup (a
 * line that is not a JSON object with a numeric `id`): a run that stopped after writing its backup
 * left it, and a rerun of the same deletion resumes from it instead of refusing.
 */
const backedUp = (path: string): Effect.Effect<ReadonlySet<number> | undefined, AtomicFile.FileError, FileSystem.FileSystem> =>
  Effect.map(Stream.runCollect(Ndjson.lines(path)), (lines) => {
    const ids = new Set<number>()
    for (const { text } of lines) {
      if (text.trim() === "") continue
      try {
        const value: unknown = JSON.parse(text)
        if (typeof value !== "object" || value === null || !("id" in value) || typeof value.id !== "number") return undefined
        ids.add(value.id)
      } catch {
        return undefined
      }
    }
    return ids.size === 0 ? undefined : ids
  })

/** Runs a deletion; see the module's description. */
export const run = <R>(
  options: Options<R>
): Effect.Effect<Summary, DeleteError, R | PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const meter = yield* Progress.meter
    const finish = (requested: number, deleted: number) =>
      Effect.map(meter.cost, (cost): Summary => ({ requested, deleted, backup: options.backup, ...cost }))
    const fs = yield* FileSystem.FileSystem
    const progress = yield* (options.progress ?? Progress.none)({ label: "delete", unit: "persons" })
    // The backup is checked first: a bad path must not be found out after the lookups.
    yield* AtomicFile.checkDirectory(options.backup)
    const earlier = (yield* fs.exists(options.backup).pipe(Effect.orElseSucceed(() => false)))
      ? yield* backedUp(options.backup)
      : null
    if (earlier === undefined) {
      return yield* new AtomicFile.FileError({ path: options.backup, reason: "already exists; choose another backup file (nothing was deleted)" })
    }
    const ids = options.ids !== undefined
      ? yield* readIds(options.ids)
      : options.filterId !== undefined
      ? yield* Stream.runCollect(PersonsV1.stream({ filter_id: options.filterId, limit: 500 })).pipe(
        Effect.map((people) => [...new Set(Chunk.toReadonlyArray(people).map((person) => person.id))])
      )
      : yield* new InvalidIds({ path: "(none)", reason: "give a file of ids or a filter id" })
    if (earlier !== null) {
      // The backup of an earlier run of this deletion that stopped (a crash, Ctrl-C) after writing it:
      // it already holds every person asked for, so the rerun deletes those still there and keeps it.
      // A filter's persons are those still there; an ids file must name exactly the persons backed up.
      const same = options.ids === undefined
        ? ids.every((id) => earlier.has(id))
        : ids.length === earlier.size && ids.every((id) => earlier.has(id))
      if (!same) {
        return yield* new AtomicFile.FileError({
          path: options.backup,
          reason: "already exists and is the backup of other persons; choose another backup file (nothing was deleted)"
        })
      }
      const found = yield* lookup(ids)
      const present = ids.filter((id) => found.has(id))
      const before = options.ids === undefined ? earlier.size - present.length : ids.length - present.length
      if (present.length > 0) yield* options.confirm({ count: present.length, backup: options.backup })
      let deleted = 0
      for (const chunk of chunks(present, PersonsV1.maxIdsPerDelete)) {
        const gone = yield* removeChecked(chunk)
        deleted += gone
        yield* progress.add(gone)
      }
      return { ...(yield* finish(before + present.length, before + deleted)), resumed: before }
    }
    if (ids.length === 0) return yield* finish(0, 0)
    const people = yield* records(ids)
    yield* options.confirm({ count: people.length, backup: options.backup })
    yield* AtomicFile.writeLines(options.backup, Stream.fromIterable(people.map(PersonRecord.toNdjsonLine)), { exclusive: true })
    let deleted = 0
    for (const chunk of chunks(ids, PersonsV1.maxIdsPerDelete)) {
      const gone = yield* removeChecked(chunk)
      deleted += gone
      yield* progress.add(gone)
    }
    return yield* finish(ids.length, deleted)
  }).pipe(Effect.scoped)

/** The summary as the lines the CLI prints. */
export const formatSummary = (summary: Summary): ReadonlyArray<string> =>
  Progress.summary([
    [
      "deleted",
      `${summary.deleted} of ${summary.requested} persons${
        summary.resumed === undefined ? "" : ` (resumed: ${summary.resumed} deleted by the earlier run, whose backup was kept)`
      }`
    ],
    ["backup", `${summary.backup} (restore with: pipedrive-effect persons import ${summary.backup}; they get new ids)`],
    ["elapsed", Progress.formatDuration(summary.elapsedMillis)],
    ["API tokens", `${summary.tokensSpent} spent`]
  ])

/** What a deletion left undone: persons asked for that were not deleted (gone meanwhile?). */
export const shortfall = (summary: Summary): string | undefined =>
  summary.deleted < summary.requested
    ? `${summary.requested - summary.deleted} persons were not deleted (gone meanwhile?)`
    : undefined

/** `persons delete` as a `Workflow`. */
export const workflow: Workflow.Workflow<
  Options<Terminal.Terminal>,
  Summary,
  DeleteError,
  Terminal.Terminal | PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path
> = { name: "persons delete", run, formatSummary, shortfall }
