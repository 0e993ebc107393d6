/**
 * An append-only NDJSON journal of a bulk job: one line per step of each item (a row of an import,
 * a merge of dedupe), written and fsynced before the job goes on, so a rerun after a crash or
 * Ctrl-C knows what is done, what failed, and what was under way when it stopped.
 *
 * The first line is a header naming the job: its kind, the account (the client's base URL), the
 * options that decide what an item means, and for an import the input file (path, size, SHA-256 of
 * its content). Opening a journal whose header differs (another input file, another account) is
 * refused with `JournalMismatch`, since its item numbers would mean other things. A last line cut off
 * by a crash mid-write is dropped (the file is truncated to its last complete line); any other bad
 * line is `JournalCorrupt`. The journal is locked (`FileLock`) while open and created with mode
 * 0600: it holds personal data (emails as match keys).
 *
 * @example
 * ```ts
 * import { Journal } from "@pipedrive-effect/scripts"
 * import { Effect } from "effect"
 *
 * const account = "https://acme.pipedrive.com" // the client's base URL
 * const program = Effect.scoped(Effect.gen(function*() {
 *   const input = yield* Journal.fingerprint("people.csv")
 *   const journal = yield* Journal.open("people.csv.journal", { kind: "import", account, input, options: { match: "email" } })
 *   if (journal.last("7")?.status === "done") return // row 7 was done by an earlier run
 *   yield* journal.append({ item: "7", status: "started", key: "ann@example.com" })
 *   yield* journal.append({ item: "7", status: "done", outcome: "created", id: 42 })
 * }))
 * ```
 *
 * @module
 */
import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Chunk, Deferred, Effect, Either, Queue, Schema, type Scope } from "effect"
import { createHash } from "node:crypto"
import * as FileLock from "./FileLock.ts"

/** The input file a journal belongs to. */
export const InputFile: Schema.Struct<{
  path: typeof Schema.String
  size: typeof Schema.Number
  sha256: typeof Schema.String
}> = Schema.Struct({
  path: Schema.String,
  size: Schema.Number,
  sha256: Schema.String
})
export type InputFile = typeof InputFile.Type

/** The first line: which job the journal belongs to. */
export const Header: Schema.Struct<{
  journal: Schema.Literal<["pipedrive-effect"]>
  version: Schema.Literal<[1]>
  kind: typeof Schema.String
  /** The account: the client's base URL. */
  account: typeof Schema.String
  input: Schema.optional<typeof InputFile>
  /** The options that decide what an item is (e.g. `match: "email"`). */
  options: Schema.Record$<typeof Schema.String, typeof Schema.String>
  created: typeof Schema.String
}> = Schema.Struct({
  journal: Schema.Literal("pipedrive-effect"),
  version: Schema.Literal(1),
  kind: Schema.String,
  /** The account: the client's base URL. */
  account: Schema.String,
  input: Schema.optional(InputFile),
  /** The options that decide what an item is (e.g. `match: "email"`). */
  options: Schema.Record({ key: Schema.String, value: Schema.String }),
  created: Schema.String
})
export type Header = typeof Header.Type

/** What the caller says the journal is for; `open` checks it against the header found. */
export interface Expected {
  readonly kind: string
  readonly account: string
  readonly input?: InputFile | undefined
  readonly options: Readonly<Record<string, string>>
}

/** An item is under way: its write may have been sent. */
export const Started: Schema.Struct<{
  item: typeof Schema.String
  status: Schema.Literal<["started"]>
  /** The match key (an email, an id) to look the item up by before trying again. */
  key: Schema.optional<typeof Schema.String>
  /**
   * When the write was intended, in the server's time (RFC 3339, whole seconds, a second early): a
   * list with `updated_since` from here sees whatever the write did.
   */
  intentAt: Schema.optional<typeof Schema.String>
}> = Schema.Struct({
  item: Schema.String,
  status: Schema.Literal("started"),
  /** The match key (an email, an id) to look the item up by before trying again. */
  key: Schema.optional(Schema.String),
  /**
   * When the write was intended, in the server's time (RFC 3339, whole seconds, a second early): a
   * list with `updated_since` from here sees whatever the write did.
   */
  intentAt: Schema.optional(Schema.String)
})

/** An item is done. */
export const Done: Schema.Struct<{
  item: typeof Schema.String
  status: Schema.Literal<["done"]>
  /** What was done: `created`, `updated`, `unchanged`, `merged`… */
  outcome: typeof Schema.String
  /** The person the item ended as. */
  id: Schema.optional<typeof Schema.Number>
}> = Schema.Struct({
  item: Schema.String,
  status: Schema.Literal("done"),
  /** What was done: `created`, `updated`, `unchanged`, `merged`… */
  outcome: Schema.String,
  /** The person the item ended as. */
  id: Schema.optional(Schema.Number)
})

/** An item failed; a rerun tries it again. */
export const Failed: Schema.Struct<{
  item: typeof Schema.String
  status: Schema.Literal<["failed"]>
  reason: typeof Schema.String
}> = Schema.Struct({
  item: Schema.String,
  status: Schema.Literal("failed"),
  reason: Schema.String
})

/** One journal line after the header. */
export const Entry: Schema.Union<[typeof Started, typeof Done, typeof Failed]> = Schema.Union(Started, Done, Failed)
export type Entry = typeof Entry.Type

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const JournalMismatchBase: Schema.TaggedErrorClass<JournalMismatch, "JournalMismatch", {
  readonly _tag: Schema.tag<"JournalMismatch">
} & {
  path: typeof Schema.String
  detail: typeof Schema.String
}> = Schema.TaggedError<JournalMismatch>()("JournalMismatch", {
  path: Schema.String,
  detail: Schema.String
})
/** The journal belongs to another job: another input file, account, kind or options. */
export class JournalMismatch extends JournalMismatchBase {
  override get message(): string {
    return `the journal ${this.path} belongs to another run: ${this.detail}. Use another --journal file, or delete this one to start over`
  }
}

const JournalCorruptBase: Schema.TaggedErrorClass<JournalCorrupt, "JournalCorrupt", {
  readonly _tag: Schema.tag<"JournalCorrupt">
} & {
  path: typeof Schema.String
  line: typeof Schema.Number
  detail: typeof Schema.String
}> = Schema.TaggedError<JournalCorrupt>()("JournalCorrupt", {
  path: Schema.String,
  line: Schema.Number,
  detail: Schema.String
})
/** A journal line other than the last one cannot be read: the file was edited or is not a journal. */
export class JournalCorrupt extends JournalCorruptBase {
  override get message(): string {
    return `the journal ${this.path} is not readable at line ${this.line}: ${this.detail}`
  }
}

/** An open journal. */
export interface Journal {
  readonly path: string
  readonly header: Header
  /** Each item's last entry, as found when the journal was opened. */
  readonly entries: ReadonlyMap<string, Entry>
  /** The last entry of `item` found when opened. */
  readonly last: (item: string) => Entry | undefined
  /** Bytes of a torn last line dropped when opening (0 when the file ended cleanly). */
  readonly tornBytes: number
  /** Appends one line and returns once it is fsynced. Safe to call concurrently (concurrent lines share an fsync). */
  readonly append: (entry: Entry) => Effect.Effect<void, PlatformError>
}

/** Path, size and SHA-256 of a file's content, read as a stream. */
export const fingerprint = (path: string): Effect.Effect<InputFile, PlatformError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const hash = createHash("sha256")
    let size = 0
    const file = yield* fs.open(path, { flag: "r" })
    const buffer = new Uint8Array(1 << 16)
    for (;;) {
      const read = Number(yield* file.read(buffer))
      if (read === 0) break
      size += read
      hash.update(buffer.subarray(0, read))
    }
    return { path, size, sha256: hash.digest("hex") }
  }).pipe(Effect.scoped)

const decodeHeader = Schema.decodeUnknownEither(Schema.parseJson(Header))
const decodeEntry = Schema.decodeUnknownEither(Schema.parseJson(Entry))

const mismatch = (found: Header, expected: Expected): string | undefined => {
  if (found.kind !== expected.kind) return `it is a ${found.kind} journal, not ${expected.kind}`
  if (found.account !== expected.account) return `it was written for the account ${found.account}, not ${expected.account}`
  if (expected.input !== undefined) {
    const was = found.input
    if (was === undefined) return "it names no input file"
    if (was.sha256 !== expected.input.sha256 || was.size !== expected.input.size) {
      return `it was written for the input file ${was.path} (${was.size} bytes, sha-256 ${was.sha256.slice(0, 12)}…), and ${expected.input.path} (${expected.input.size} bytes, sha-256 ${
        expected.input.sha256.slice(0, 12)
      }…) is another file or was changed since`
    }
  }
  for (const key of new Set([...Object.keys(found.options), ...Object.keys(expected.options)])) {
    if (found.options[key] !== expected.options[key]) {
      return `it was written with ${key} ${found.options[key] ?? "(unset)"}, not ${expected.options[key] ?? "(unset)"}`
    }
  }
  return undefined
}

/**
 * Opens (or creates) the journal at `path` for the job `expected`, holding its lock for the scope's
 * lifetime. An existing journal must have the same kind, account, options and input content.
 */
export const open = (
  path: string,
  expected: Expected
): Effect.Effect<
  Journal,
  JournalMismatch | JournalCorrupt | FileLock.LockHeld | PlatformError,
  FileSystem.FileSystem | Scope.Scope
> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    yield* FileLock.acquire(path)
    const text = (yield* fs.exists(path)) ? yield* fs.readFileString(path) : ""
    const end = text.lastIndexOf("\n") + 1
    const tornBytes = Buffer.byteLength(text.slice(end))
    const lines = text.slice(0, end).split("\n").slice(0, -1)
    const file = yield* fs.open(path, { flag: "a+", mode: 0o600 })
    if (tornBytes > 0) {
      yield* file.truncate(Buffer.byteLength(text.slice(0, end)))
      yield* file.sync
    }
    const entries = new Map<string, Entry>()
    let header: Header
    if (lines.length === 0) {
      header = {
        journal: "pipedrive-effect",
        version: 1,
        kind: expected.kind,
        account: expected.account,
        ...(expected.input === undefined ? {} : { input: expected.input }),
        options: { ...expected.options },
        created: new Date().toISOString()
      }
      yield* file.writeAll(new TextEncoder().encode(`${JSON.stringify(header)}\n`))
      yield* file.sync
    } else {
      const decoded = decodeHeader(lines[0])
      if (Either.isLeft(decoded)) {
        return yield* new JournalCorrupt({ path, line: 1, detail: "the first line is not a pipedrive-effect journal header" })
      }
      header = decoded.right
      const wrong = mismatch(header, expected)
      if (wrong !== undefined) return yield* new JournalMismatch({ path, detail: wrong })
      for (let index = 1; index < lines.length; index++) {
        const entry = decodeEntry(lines[index])
        if (Either.isLeft(entry)) return yield* new JournalCorrupt({ path, line: index + 1, detail: "not a journal entry" })
        entries.set(entry.right.item, entry.right)
      }
    }
    // Group commit: lines appended while a write and fsync are under way go out together in the
    // next one, so concurrent rows share fsyncs; each `append` still returns only once its own line
    // is on disk.
    const pending = yield* Queue.unbounded<readonly [string, Deferred.Deferred<void, PlatformError>]>()
    const encoder = new TextEncoder()
    const writer = Effect.forever(Effect.gen(function*() {
      const batch = Chunk.toReadonlyArray(yield* Queue.takeBetween(pending, 1, 1024))
      const written = yield* Effect.exit(
        Effect.zipRight(file.writeAll(encoder.encode(batch.map(([line]) => line).join(""))), file.sync)
      )
      for (const [, done] of batch) yield* Deferred.done(done, written)
    }))
    yield* Effect.forkScoped(writer)
    return {
      path,
      header,
      entries,
      last: (item) => entries.get(item),
      tornBytes,
      append: (entry) =>
        Effect.flatMap(Deferred.make<void, PlatformError>(), (done) =>
          Effect.zipRight(Queue.offer(pending, [`${JSON.stringify(entry)}\n`, done]), Deferred.await(done)))
    } satisfies Journal
  })
