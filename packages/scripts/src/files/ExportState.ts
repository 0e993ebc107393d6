/**
 * The checkpoint of a resumable `persons export` (`--state FILE`): which account and options the
 * export runs with, the partial file it appends to and how many bytes of it are complete pages,
 * and where the next page starts. Written atomically (temporary file, fsync, rename) after every
 * page, and only after the page itself is on disk, so the state never claims more than the file has.
 */
import { FileSystem } from "@effect/platform"
import { Persons } from "@pipedrive-effect/core"
import { Effect, Either, Option, ParseResult, Schema } from "effect"
import * as AtomicFile from "./AtomicFile.ts"

/** The options an export's state is tied to: a rerun with other ones is refused. */
export const ExportOptions = Schema.Struct({
  /** The output file, as an absolute path. */
  out: Schema.String,
  format: Schema.Literal("ndjson", "csv"),
  since: Schema.NullOr(Schema.String),
  api: Schema.Literal("v1", "v2")
})
export type ExportOptions = typeof ExportOptions.Type

/**
 * One window's share of an API v2 export: its pages, in `update_time` order, in a file of its own,
 * so that the windows walked at once can be joined in time order at the end whatever order their
 * pages arrived in. The catch-up's persons (changed during the walk) have a segment of their own.
 */
export const Segment = Schema.Struct({
  /** The window's start (epoch seconds): segments are joined in this order. */
  since: Schema.Number,
  path: Schema.String,
  /** Its length at this checkpoint: what comes after is a torn page, cut on resume. */
  bytes: Schema.Number
})
export type Segment = typeof Segment.Type

/** The state file's content. */
export const State = Schema.Struct({
  kind: Schema.Literal("pipedrive-effect persons export"),
  version: Schema.Literal(2),
  /** The base URL of the account exported from. */
  account: Schema.String,
  options: ExportOptions,
  /** The CSV header the partial file starts with (`null` for NDJSON). */
  columns: Schema.NullOr(Schema.Array(Schema.String)),
  /** The partial file (absolute path): the whole v1 walk, or for v2 where the segments are joined. */
  temp: Schema.String,
  /** Its length in bytes at this checkpoint (v1): what comes after is a torn page, cut on resume. */
  bytes: Schema.Number,
  /** Persons written so far (v2: in the windows' segments; persons of the catch-up not counted). */
  persons: Schema.Number,
  pages: Schema.Number,
  /** v1: the offset of the next page; `null` for the first. */
  start: Schema.NullOr(Schema.Number),
  /** v2: where the partitioned walk stands (`Persons.streamPartitioned`'s state); `null` before it began. */
  walk: Schema.NullOr(Persons.PartitionState),
  /** v2: the windows' segments. */
  segments: Schema.Array(Segment),
  /** v2: the persons changed during the walk (NDJSON, v2 persons, the last one of an id wins). */
  catchUp: Schema.NullOr(Segment),
  /** Whether the last page is written (only the rename is left). */
  complete: Schema.Boolean,
  /** When the export began (RFC 3339): the `--since` of the next incremental export. */
  startedAt: Schema.String
})
export type State = typeof State.Type

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const StateMismatchBase: Schema.TaggedErrorClass<StateMismatch, "StateMismatch", {
  readonly _tag: Schema.tag<"StateMismatch">
} & {
  path: typeof Schema.String
  reason: typeof Schema.String
}> = Schema.TaggedError<StateMismatch>()("StateMismatch", {
  path: Schema.String,
  reason: Schema.String
})
/** A state file that cannot be used: not one, or from another account or other options. */
export class StateMismatch extends StateMismatchBase {
  override get message(): string {
    return `state file ${this.path}: ${this.reason}`
  }
}

const decode = Schema.decodeUnknownEither(State)
const parse = Schema.decodeUnknownEither(Schema.parseJson(Schema.Unknown))

/** The first thing wrong with a state file, where it is: one short line (a tree would spell out the whole schema). */
const firstProblem = (error: ParseResult.ParseError): string => {
  const [issue] = ParseResult.ArrayFormatter.formatErrorSync(error)
  if (issue === undefined) return "unreadable"
  return issue.path.length === 0 ? issue.message : `${issue.path.map(String).join(".")}: ${issue.message}`
}

/** Whether a parsed state file is the one-cursor format of version 1 (before partitioned walks). */
const isVersion1 = (json: unknown): boolean =>
  typeof json === "object" && json !== null && "version" in json && json.version === 1 && "cursor" in json

/** The state saved at `path`, or none when the file does not exist. */
export const load = (path: string): Effect.Effect<Option.Option<State>, StateMismatch | AtomicFile.FileError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    if (!(yield* fs.exists(path).pipe(Effect.mapError(AtomicFile.fromPlatform(path))))) return Option.none()
    const text = yield* fs.readFileString(path).pipe(Effect.mapError(AtomicFile.fromPlatform(path)))
    const json = parse(text)
    if (Either.isRight(json) && isVersion1(json.right)) {
      return yield* new StateMismatch({
        path,
        reason:
          "was written by an earlier pipedrive-effect, which walked one cursor; this one walks time windows at once and cannot continue it. Delete the state file (and its partial file) and export again"
      })
    }
    const state = Either.flatMap(json, decode)
    if (Either.isLeft(state)) {
      return yield* new StateMismatch({
        path,
        reason: `is not the state of a persons export (${firstProblem(state.left)})`
      })
    }
    return Option.some(state.right)
  })

/**
 * Refuses a saved state that belongs to another account or other options: resuming it would mix
 * two exports in one file.
 */
export const check = (
  path: string,
  state: State,
  expected: { readonly account: string; readonly options: ExportOptions }
): Either.Either<State, StateMismatch> => {
  if (state.account !== expected.account) {
    return Either.left(
      new StateMismatch({
        path,
        reason: `belongs to an export from ${state.account}, not ${expected.account}; use another --state file or delete this one`
      })
    )
  }
  const differing = (Object.keys(expected.options) as Array<keyof ExportOptions>).filter((key) =>
    state.options[key] !== expected.options[key]
  )
  if (differing.length > 0) {
    const show = (value: string | null) => (value === null ? "(none)" : value)
    return Either.left(
      new StateMismatch({
        path,
        reason: `belongs to an export with other options (${
          differing.map((key) => `--${key} ${show(state.options[key])}, not ${show(expected.options[key])}`).join("; ")
        }); rerun with those or delete the state file`
      })
    )
  }
  return Either.right(state)
}

/** Saves the state atomically (mode 0600). */
export const save = (path: string, state: State): Effect.Effect<void, AtomicFile.FileError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const temp = `${path}.tmp`
    yield* Effect.scoped(Effect.gen(function*() {
      const file = yield* fs.open(temp, { flag: "w", mode: AtomicFile.fileMode })
      yield* file.writeAll(AtomicFile.bytes(`${JSON.stringify(state, null, 2)}\n`))
      yield* file.sync
    })).pipe(Effect.mapError(AtomicFile.fromPlatform(path)))
    yield* fs.rename(temp, path).pipe(Effect.mapError(AtomicFile.fromPlatform(path)))
  })

/** Removes the state (after the export is complete). */
export const remove = (path: string): Effect.Effect<void, never, FileSystem.FileSystem> => AtomicFile.removeQuietly(path)
