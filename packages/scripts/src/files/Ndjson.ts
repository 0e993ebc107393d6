/**
 * NDJSON (one JSON value a line) read as a stream of numbered lines, so a broken line is reported by
 * its line number; writing is `JSON.stringify` plus `\n` (see `PersonRecord.toNdjsonLine`).
 *
 * @module
 */
import { FileSystem } from "@effect/platform"
import { Effect, Stream } from "effect"
import { FileError, fromPlatform, maxRecordLength, notUtf8, notUtf8Reason, tooLongReason } from "./AtomicFile.ts"

/** One line of a file (1-based number; the text without its line break). */
export interface NumberedLine {
  readonly line: number
  readonly text: string
}

/**
 * The non-blank lines of a file with their line numbers, read as the stream is pulled. A `\r\n`
 * file reads like a `\n` one; a line that is not UTF-8, or longer than `maxRecordLength` characters,
 * fails with `FileError` naming it (the long one before it is held whole).
 */
export const lines = (path: string): Stream.Stream<NumberedLine, FileError, FileSystem.FileSystem> =>
  Stream.unwrap(
    Effect.map(FileSystem.FileSystem, (fs) =>
      fs.stream(path, { chunkSize: 64 * 1024 }).pipe(
        Stream.mapError(fromPlatform(path)),
        Stream.decodeText(),
        Stream.mapAccumEffect({ ended: 0, open: 0 }, (state, text) => {
          // `open`: the characters of the line not yet ended; `ended`: the lines before it.
          let { ended, open } = state
          let start = 0
          for (;;) {
            const newline = text.indexOf("\n", start)
            open += (newline === -1 ? text.length : newline) - start
            if (open > maxRecordLength) {
              return Effect.fail(new FileError({ path, reason: `line ${ended + 1}: a line ${tooLongReason}` }))
            }
            if (newline === -1) return Effect.succeed([{ ended, open }, text] as const)
            ended += 1
            open = 0
            start = newline + 1
          }
        }),
        Stream.splitLines,
        Stream.zipWithIndex,
        Stream.map(([text, index]) => ({ line: index + 1, text: index === 0 ? text.replace(/^\uFEFF/, "") : text })),
        Stream.filter((numbered) => numbered.text.trim() !== ""),
        Stream.mapEffect((numbered) =>
          notUtf8(numbered.text) ? Effect.fail(new FileError({ path, reason: `line ${numbered.line}: ${notUtf8Reason}` })) : Effect.succeed(numbered)
        )
      ))
  )
