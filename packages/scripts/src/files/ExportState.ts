/**
 * The checkpoint of a resumable `persons export` (`--state FILE`): which account and options the
 * export runs with, the partial file it appends to and how many bytes of it are complete pages,
 * and where the next page starts. Written atomically (temporary file, fsync, rename) after every
 * page, and only after the page itself is on disk, so the state never claims more than the file has.
 */
import { FileSystem } from "@effect/platform"
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

/** The state file's content. */
export const State = Schema.Struct({
  kind: Schema.Literal("pipedrive-effect persons export"),
  version: Schema.Literal(1),
  /** The base URL of the account exported from. */
  account: Schema.String,
  options: ExportOptions,
  /** The CSV header the partial file starts with (`null` for NDJSON). */
  columns: Schema.NullOr(Schema.Array(Schema.String)),
  /** The partial file (absolute path). */
  temp: Schema.String,
  /** Its length in bytes at this checkpoint: what comes after is a torn page, cut on resume. */
  bytes: Schema.Number,
  persons: Schema.Number,
  pages: Schema.Number,
  /** Where the next page starts: a v2 cursor, or a v1 offset; `null` for the first page. */
  cursor: Schema.NullOr(Schema.String),
  start: Schema.NullOr(Schema.Number),
  /** Whether the last page is written (only the rename is left). */
  complete: Schema.Boolean,
  /** When the export began (RFC 3339): the `--since` of the next incremental export. */
  startedAt: Schema.String
})
export type State = typeof State.Type

/** A state file that cannot be used: not one, or from another account or other options. */
export class StateMismatch extends Schema.TaggedError<StateMismatch>()("StateMismatch", {
  path: Schema.String,
  reason: Schema.String
}) {
  override get message() {
    return `state file ${this.path}: ${this.reason}`
  }
}

const decode = Schema.decodeUnknownEither(Schema.parseJson(State))

/** The state saved at `path`, or none when the file does not exist. */
export const load = (path: string): Effect.Effect<Option.Option<State>, StateMismatch | AtomicFile.FileError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    if (!(yield* fs.exists(path).pipe(Effect.mapError(AtomicFile.fromPlatform(path))))) return Option.none()
    const text = yield* fs.readFileString(path).pipe(Effect.mapError(AtomicFile.fromPlatform(path)))
    const state = decode(text)
    if (Either.isLeft(state)) {
      return yield* new StateMismatch({
        path,
        reason: `is not the state of a persons export (${ParseResult.TreeFormatter.formatErrorSync(state.left).split("\n")[0]})`
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
