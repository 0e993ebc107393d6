/**
 * Files that are either whole or absent. Every output of the bulk jobs (an export, a backup) is
 * written to a temporary file beside its target (`.<name>.<random>.partial`, mode 0600 because it
 * holds personal data), synced to disk, and renamed over the target only when complete: a crash
 * never leaves a truncated file that looks finished.
 *
 * @example
 * ```ts
 * import { AtomicFile } from "@pipedrive-effect/scripts"
 * import { Stream } from "effect"
 *
 * // The lines are on disk (fsync) before `backup.ndjson` exists.
 * AtomicFile.writeLines("backup.ndjson", Stream.make("{\"id\":1}", "{\"id\":2}"))
 * ```
 *
 * @module
 */
import { FileSystem, Path } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect, Schema, type Scope, Stream } from "effect"

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const FileErrorBase: Schema.TaggedErrorClass<FileError, "FileError", {
  readonly _tag: Schema.tag<"FileError">
} & {
  path: typeof Schema.String
  reason: typeof Schema.String
}> = Schema.TaggedError<FileError>()("FileError", {
  path: Schema.String,
  reason: Schema.String
})
/** A file that cannot be read or written, with the reason in words. */
export class FileError extends FileErrorBase {
  override get message(): string {
    return `${this.path}: ${this.reason}`
  }
}

/** A `PlatformError` as a `FileError` on `path`, in words (`no such file`, `permission denied`…). */
export const fromPlatform = (path: string) => (error: PlatformError): FileError => {
  const reason = error._tag === "SystemError"
    ? ({
      NotFound: "no such file or directory",
      PermissionDenied: "permission denied",
      AlreadyExists: "already exists",
      Busy: "busy",
      BadResource: "not a usable file",
      InvalidData: "invalid data",
      TimedOut: "timed out",
      UnexpectedEof: "unexpected end of file",
      Unknown: error.message,
      WouldBlock: "would block",
      WriteZero: "could not write"
    } as const)[error.reason]
    : error.message
  return new FileError({ path, reason })
}

/** Whether a failure is the platform's (a file system call's), to be worded as a `FileError`. */
export const isPlatformError = (error: unknown): error is PlatformError =>
  typeof error === "object" && error !== null && "_tag" in error && (error._tag === "SystemError" || error._tag === "BadArgument")

/** The mode of every file the jobs create: readable by its owner only (it holds personal data). */
export const fileMode = 0o600

/**
 * Fails unless the directory `path` would be created in exists; so a typo in `--out` fails before
 * anything is fetched or written.
 */
export const checkDirectory = (path: string): Effect.Effect<void, FileError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    const directory = paths.dirname(paths.resolve(path))
    const info = yield* fs.stat(directory).pipe(Effect.option)
    if (info._tag === "None" || info.value.type !== "Directory") {
      return yield* new FileError({ path, reason: `the directory ${directory} does not exist` })
    }
  })

/** A fresh temporary path beside `path`, in the same directory so the final rename is atomic. */
export const tempPathFor = (path: string): Effect.Effect<string, never, Path.Path> =>
  Effect.map(Path.Path, (paths) => {
    const absolute = paths.resolve(path)
    return paths.join(
      paths.dirname(absolute),
      `.${paths.basename(absolute)}.${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}.partial`
    )
  })

const encoder = new TextEncoder()

/** UTF-8 bytes of a string (what `byteLength` counts). */
export const bytes = (text: string): Uint8Array => encoder.encode(text)

/** An open file that text is appended to, with how many bytes it holds. */
export interface Appender {
  /** Appends the text; returns the file's length in bytes afterwards. */
  readonly append: (text: string) => Effect.Effect<number, FileError>
  /** Flushes the file to disk (fsync). */
  readonly sync: Effect.Effect<void, FileError>
  /** The file's length in bytes. */
  readonly size: Effect.Effect<number>
}

/**
 * Opens `path` for appending (created with mode 0600 when missing), first cutting it back to
 * `truncateTo` bytes when given: a resumed job drops whatever it wrote after its last checkpoint.
 * Closed with the scope.
 */
export const appender = (
  path: string,
  options: { readonly truncateTo?: number | undefined } = {}
): Effect.Effect<Appender, FileError, FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const fail = fromPlatform(path)
    const file = yield* Effect.mapError(fs.open(path, { flag: "a", mode: fileMode }), fail)
    if (options.truncateTo !== undefined) {
      const info = yield* Effect.mapError(file.stat, fail)
      if (Number(info.size) < options.truncateTo) {
        return yield* new FileError({
          path,
          reason: `holds ${info.size} bytes, fewer than the ${options.truncateTo} its state file recorded; it was changed by something else`
        })
      }
      yield* Effect.mapError(file.truncate(options.truncateTo), fail)
    }
    let size = Number((yield* Effect.mapError(file.stat, fail)).size)
    return {
      append: (text) =>
        Effect.suspend(() => {
          const data = bytes(text)
          return Effect.mapError(file.writeAll(data), fail).pipe(Effect.map(() => (size += data.length)))
        }),
      sync: Effect.mapError(file.sync, fail),
      size: Effect.sync(() => size)
    }
  })

/** Renames `from` to `to` (atomic within a directory). */
export const rename = (from: string, to: string): Effect.Effect<void, FileError, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => Effect.mapError(fs.rename(from, to), fromPlatform(to)))

/** Removes a file if it exists; never fails (used on the way out of a failed job). */
export const removeQuietly = (path: string): Effect.Effect<void, never, FileSystem.FileSystem> =>
  Effect.flatMap(FileSystem.FileSystem, (fs) => Effect.ignore(fs.remove(path)))

/**
 * Writes `lines` (each followed by `\n`) to `path` through a temporary file: synced, then renamed.
 * On any failure or interruption the temporary file is removed and `path` is untouched. With
 * `exclusive`, an existing `path` is refused up front (a backup must never overwrite an older one).
 * Returns how many lines were written.
 */
export const writeLines = <E, R>(
  path: string,
  lines: Stream.Stream<string, E, R>,
  options: { readonly exclusive?: boolean | undefined } = {}
): Effect.Effect<number, E | FileError, R | FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    yield* checkDirectory(path)
    if (options.exclusive === true && (yield* fs.exists(path).pipe(Effect.orElseSucceed(() => false)))) {
      return yield* new FileError({ path, reason: "already exists; choose another file name (nothing was changed)" })
    }
    const temp = yield* tempPathFor(path)
    const write = Effect.scoped(Effect.gen(function*() {
      const out = yield* appender(temp)
      const count = yield* Stream.runFoldEffect(
        Stream.grouped(lines, 500),
        0,
        (n, chunk) => Effect.as(out.append(Array.from(chunk, (line) => `${line}\n`).join("")), n + chunk.length)
      )
      yield* out.sync
      return count
    }))
    const count = yield* write.pipe(Effect.onExit((exit) => exit._tag === "Failure" ? removeQuietly(temp) : Effect.void))
    yield* rename(temp, path).pipe(Effect.tapError(() => removeQuietly(temp)))
    return count
  })

/**
 * Whether text read as UTF-8 had bytes that are not UTF-8 (the decoder put U+FFFD for them): a file
 * saved as Latin-1 or Windows-1252 would otherwise import `José` as `Jos�` without a word.
 */
export const notUtf8 = (text: string): boolean => text.includes("\uFFFD")

/**
 * The longest record (a CSV row, an NDJSON line) read, in characters: about 15 times a person with
 * every text field full. A longer one (a file with no line breaks, a runaway quote) fails, naming its
 * line, instead of being read into memory whole.
 */
export const maxRecordLength = 1_000_000

/** What a record longer than `maxRecordLength` is told. */
export const tooLongReason = "longer than 1,000,000 characters; is it really one record?"

/** What a file that is not UTF-8 is told. */
export const notUtf8Reason = "not UTF-8 text (bytes no UTF-8 character has); save the file as UTF-8 and try again"
