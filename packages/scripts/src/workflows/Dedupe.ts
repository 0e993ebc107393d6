/**
 * `persons dedupe`: finds groups of persons that share a normalised key (primary email, primary
 * phone, or name) in one full walk of the account, and (unless `dryRun`) merges each group into its
 * oldest person (earliest `add_time`, then lowest id) with v1 `mergePersons`, one merge at a time per
 * group. Merges are journaled: a rerun skips merges already done, and a merge whose answer was lost
 * (`AmbiguousWrite`) or that was under way when a run died is checked (is the duplicate gone?)
 * before it is sent again. A rerun also walks the account again, so merged persons are simply gone.
 *
 * Keys: `email` is the primary email, trimmed and lower-cased; `phone` the primary phone's digits
 * (at least 6, a leading `+` or `00` dropped, so `+1 555-0100` and `001 555 0100` agree, but a local
 * `555 0100` does not); `name` is the name lower-cased, accents removed, white space collapsed.
 * Persons without a key are never grouped.
 *
 * @example
 * ```ts
 * import { Dedupe } from "@pipedrive-effect/scripts"
 *
 * // What `pipedrive-effect persons dedupe --by email` does (`dryRun: false` merges, as `--apply`).
 * const result = Dedupe.run({ by: "email", dryRun: true })
 * ```
 *
 * @module
 */
import type { FileSystem, Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Persons, PersonsV1, PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import { Effect, Option, Stream } from "effect"
import * as AtomicFile from "../files/AtomicFile.ts"
import type * as FileLock from "../files/FileLock.ts"
import * as Journal from "../files/Journal.ts"
import { type By, keyOf } from "../records/Keys.ts"
import { isFatal } from "./Fatal.ts"
import * as Progress from "./Progress.ts"
import type * as Workflow from "./Workflow.ts"

export { type By, emailKey, keyOf, nameKey, phoneKey } from "../records/Keys.ts"

/** A person of a group, as printed. */
export interface Member {
  readonly id: number
  readonly name: string | null
  readonly addTime: string | null
}

/** Persons sharing a key: the oldest survives, the others are merged into it. */
export interface Group {
  readonly key: string
  readonly survivor: Member
  readonly duplicates: ReadonlyArray<Member>
}

const addTimeOf = (member: Member) => {
  const time = member.addTime === null ? Number.NaN : Date.parse(member.addTime)
  return Number.isNaN(time) ? Number.POSITIVE_INFINITY : time
}

/** Oldest first: earliest `add_time` (unknown last), then lowest id. */
export const byAge = (a: Member, b: Member): number => addTimeOf(a) - addTimeOf(b) || a.id - b.id

/**
 * The groups of persons sharing a key, ordered by their survivor's id; persons are pulled as the
 * stream goes. A person met again (a walk's catch-up meets persons changed during it) replaces its
 * earlier version: it counts once, under its latest key.
 */
export const findGroups = <E, R>(
  by: By,
  persons: Stream.Stream<Persons.Person, E, R>
): Effect.Effect<{ readonly persons: number; readonly groups: ReadonlyArray<Group> }, E, R> =>
  Effect.map(
    Stream.runFold(persons, { count: 0, byKey: new Map<string, Array<Member>>(), keyById: new Map<number, string | undefined>() }, (state, person) => {
      if (state.keyById.has(person.id)) {
        const earlier = state.keyById.get(person.id)
        const members = earlier === undefined ? undefined : state.byKey.get(earlier)
        if (members !== undefined && earlier !== undefined) {
          const rest = members.filter((member) => member.id !== person.id)
          if (rest.length === 0) state.byKey.delete(earlier)
          else state.byKey.set(earlier, rest)
        }
      } else {
        state.count++
      }
      const key = keyOf(by, person)
      state.keyById.set(person.id, key)
      if (key !== undefined) {
        const member = { id: person.id, name: person.name ?? null, addTime: person.add_time ?? null }
        const members = state.byKey.get(key)
        if (members === undefined) state.byKey.set(key, [member])
        else members.push(member)
      }
      return state
    }),
    ({ byKey, count }) => {
      const groups: Array<Group> = []
      for (const [key, members] of byKey) {
        if (members.length < 2) continue
        const [survivor, ...duplicates] = [...members].sort(byAge)
        groups.push({ key, survivor: survivor!, duplicates })
      }
      return { persons: count, groups: groups.sort((a, b) => a.survivor.id - b.survivor.id) }
    }
  )

/** What `run` is asked to do. */
export interface Options {
  readonly by: By
  /** Only find and print the groups (`true`), or merge them (`false`, the CLI's `--apply`). No default: a merge is a choice. */
  readonly dryRun: boolean
  /** Where to write one NDJSON line per group (and its merges' outcomes). */
  readonly report?: string | undefined
  /** Where the journal of merges goes (default `defaultJournal(by, account)` in the working directory). */
  readonly journal?: string | undefined
  /** Groups merged at once (default 4); the merges of one group always go one at a time. */
  readonly concurrency?: number | undefined
  /** Called with each merge's outcome as it happens. */
  readonly onMerge?: ((outcome: MergeOutcome) => Effect.Effect<void>) | undefined
  /** How progress is shown (the CLI passes `Progress.make`); default: not at all. */
  readonly progress?: Progress.Factory | undefined
}

/** What became of one duplicate. */
export interface MergeOutcome {
  readonly id: number
  readonly into: number
  readonly status: "merged" | "skipped" | "failed"
  readonly reason?: string | undefined
}

/** What `run` found and did. */
export interface Summary {
  readonly by: By
  readonly persons: number
  readonly groups: ReadonlyArray<Group>
  /** Whether this was a dry run (groups found, nothing merged). */
  readonly dryRun: boolean
  /** Empty in a dry run. */
  readonly merges: ReadonlyArray<MergeOutcome>
  /** The journal written, if any (none in a dry run, or with no group to merge). */
  readonly journal: string | undefined
  /** The report written, if one was asked for. */
  readonly report: string | undefined
  readonly elapsedMillis: number
  /** API tokens this run spent (`TokenCost`), as the client's rate limiter counted them. */
  readonly tokensSpent: number
}

/**
 * The default journal of `--by` on an account (its base URL), in the working directory: one per
 * account, so a journal of one account never stands in the way of another.
 *
 * @example
 * ```ts
 * import { Dedupe } from "@pipedrive-effect/scripts"
 *
 * Dedupe.defaultJournal("email", "https://acme.pipedrive.com") // "pipedrive-dedupe-email-acme.pipedrive.com.journal"
 * ```
 */
export const defaultJournal = (by: By, account: string): string => {
  const host = URL.canParse(account) ? new URL(account).host : account
  return `pipedrive-dedupe-${by}-${host.replace(/[^A-Za-z0-9.-]/g, "_")}.journal`
}

const item = (duplicate: number) => `merge:${duplicate}`

/** Whether a person is gone (merged away or deleted: Pipedrive may still answer it, flagged, for 30 days). */
const gone = (id: number) =>
  Persons.get(id).pipe(
    Effect.map((person) => person.is_deleted === true),
    Effect.catchTag("NotFound", () => Effect.succeed(true))
  )

const mergeOne = (
  journal: Journal.Journal,
  duplicate: number,
  survivor: number
): Effect.Effect<MergeOutcome, PipedriveError.PipedriveError | PlatformError, PipedriveClient.PipedriveClient> => {
  const last = journal.last(item(duplicate))
  if (last?.status === "done") return Effect.succeed({ id: duplicate, into: survivor, status: "skipped" })
  const done = journal.append({ item: item(duplicate), status: "done", outcome: "merged", id: survivor }).pipe(
    Effect.as({ id: duplicate, into: survivor, status: "merged" } as const)
  )
  // An earlier run died mid-merge, or this one lost the answer: if the duplicate is gone, it merged.
  // A 2xx whose body could not be read (Decode) was applied too; the check below sees it gone.
  const check = () =>
    Effect.flatMap(gone(duplicate), (merged) => (merged ? Effect.void : Effect.asVoid(PersonsV1.merge(duplicate, survivor))))
  const send = PersonsV1.merge(duplicate, survivor).pipe(Effect.catchTags({ AmbiguousWrite: check, Decode: check }))
  const attempt = Effect.gen(function*() {
    if (last?.status === "started" && (yield* gone(duplicate))) return
    yield* send
  })
  return journal.append({ item: item(duplicate), status: "started", key: String(survivor) }).pipe(
    Effect.zipRight(attempt.pipe(
      Effect.matchEffect({
        onFailure: (error: PipedriveError.PipedriveError): Effect.Effect<MergeOutcome, PipedriveError.PipedriveError | PlatformError> =>
          isFatal(error)
            ? Effect.fail(error)
            : journal.append({ item: item(duplicate), status: "failed", reason: error.message }).pipe(
              Effect.as({ id: duplicate, into: survivor, status: "failed", reason: error.message } as const)
            ),
        onSuccess: () => done
      })
    )),
    // Ctrl-C lets a merge under way finish and be journaled.
    Effect.uninterruptible
  )
}

/** Anything that stops a dedupe as a whole (a merge's own failure does not). */
export type DedupeError =
  | PipedriveError.PipedriveError
  | Journal.JournalMismatch
  | Journal.JournalCorrupt
  | FileLock.LockHeld
  | AtomicFile.FileError

/**
 * Finds the duplicate groups of the account (API v2 stream) and, unless `dryRun`, merges each into
 * its oldest person. Merge failures are reported per duplicate (see `Summary.merges`), not as a failure.
 */
export const run = (
  options: Options
): Effect.Effect<Summary, DedupeError, PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const meter = yield* Progress.meter
    const client = yield* PipedriveClient.PipedriveClient
    if (options.report !== undefined) yield* AtomicFile.checkDirectory(options.report)
    const makeProgress = options.progress ?? Progress.none
    const found = yield* Effect.scoped(Effect.gen(function*() {
      const progress = yield* makeProgress({ label: "dedupe: reading", unit: "persons" })
      // Time windows walked at once, as many as the rate limit allows (as `persons export` does).
      const persons = Persons.streamPartitioned({ limit: 500 }).pipe(
        Stream.tap((page) =>
          Effect.zipRight(
            page.progress.estimatedTotal === undefined ? Effect.void : progress.setTotal(page.progress.estimatedTotal),
            progress.add(page.phase === "main" ? page.items.length : 0)
          )
        ),
        Stream.mapConcat((page) => page.items)
      )
      return yield* findGroups(options.by, persons)
    }))
    const journalPath = options.dryRun ? undefined : options.journal ?? defaultJournal(options.by, client.baseUrl)
    let merges: ReadonlyArray<MergeOutcome> = []
    if (journalPath !== undefined && found.groups.length > 0) {
      merges = yield* Effect.scoped(Effect.gen(function*() {
        const journal = yield* Journal.open(journalPath, {
          kind: "dedupe",
          account: client.baseUrl,
          options: { by: options.by }
        })
        const progress = yield* makeProgress({
          label: "dedupe: merging",
          unit: "persons",
          total: found.groups.reduce((sum, group) => sum + group.duplicates.length, 0)
        })
        const perGroup = yield* Effect.forEach(
          found.groups,
          (group) =>
            Effect.forEach(group.duplicates, (duplicate) =>
              mergeOne(journal, duplicate.id, group.survivor.id).pipe(
                Effect.tap((outcome) => Effect.zipRight(progress.add(1), options.onMerge?.(outcome) ?? Effect.void))
              )),
          { concurrency: options.concurrency ?? 4 }
        )
        return perGroup.flat()
      })).pipe(Effect.mapError((error) => (AtomicFile.isPlatformError(error) ? AtomicFile.fromPlatform(journalPath)(error) : error)))
    }
    const summary: Summary = {
      by: options.by,
      persons: found.persons,
      groups: found.groups,
      dryRun: options.dryRun,
      merges,
      journal: found.groups.length > 0 ? journalPath : undefined,
      report: options.report,
      ...(yield* meter.cost)
    }
    if (options.report !== undefined) yield* AtomicFile.writeLines(options.report, Stream.fromIterable(reportLines(summary)))
    return summary
  })


const describeMember = (member: Member) =>
  `#${member.id}${member.name === null ? "" : ` ${member.name}`}${member.addTime === null ? "" : ` (added ${member.addTime})`}`

/** One printed line per group: the key, who stays, who is merged into them. */
export const formatGroup = (group: Group): string =>
  `${group.key}: keep ${describeMember(group.survivor)}; merge ${group.duplicates.map(describeMember).join(", ")}`

/** The lines printed at the end: one per group, then the summary. */
export const formatSummary = (result: Summary): ReadonlyArray<string> => {
  const duplicates = result.groups.reduce((sum, group) => sum + group.duplicates.length, 0)
  const count = (status: MergeOutcome["status"]) => result.merges.filter((merge) => merge.status === status).length
  return [...result.groups.map(formatGroup), ...Progress.summary([
    ["persons", `${result.persons} read`],
    ["groups", `${result.groups.length} (by ${result.by}), ${duplicates} duplicates`],
    ...(result.dryRun
      ? [["merged", "0 (add --apply to merge)"] as const]
      : [
        ["merged", count("merged")] as const,
        ["skipped", `${count("skipped")} (done by an earlier run)`] as const,
        ["failed", count("failed")] as const,
        ...(result.journal === undefined ? [] : [["journal", result.journal] as const])
      ]),
    ["elapsed", Progress.formatDuration(result.elapsedMillis)],
    ["API tokens", `${result.tokensSpent} spent`]
  ])]
}

/** The merges that failed, in one line (the first one named); `undefined` when every merge asked for was done. */
export const shortfall = (result: Summary): string | undefined => {
  const failed = result.merges.filter((merge) => merge.status === "failed")
  const first = failed[0]
  return first === undefined
    ? undefined
    : `${failed.length} merges failed (first: #${first.id} into #${first.into}: ${first.reason}); a rerun retries them`
}

/** The report: one NDJSON line per group, with each duplicate's outcome when merged. */
export const reportLines = (result: Summary): ReadonlyArray<string> => {
  const outcomes = new Map(result.merges.map((merge) => [merge.id, merge]))
  return result.groups.map((group) =>
    JSON.stringify({
      key: group.key,
      survivor: group.survivor,
      duplicates: group.duplicates.map((duplicate) => {
        const outcome = outcomes.get(duplicate.id)
        return {
          ...duplicate,
          status: Option.fromNullable(outcome?.status).pipe(Option.getOrElse(() => "found")),
          ...(outcome?.reason === undefined ? {} : { reason: outcome.reason })
        }
      })
    })
  )
}

/** `persons dedupe` as a `Workflow`. */
export const workflow: Workflow.Workflow<
  Options,
  Summary,
  DedupeError,
  PipedriveClient.PipedriveClient | FileSystem.FileSystem | Path.Path
> = { name: "persons dedupe", run, formatSummary, shortfall }
