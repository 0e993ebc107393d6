/**
 * CSV through `csv-parse` and `csv-stringify` (RFC 4180: quoted cells, embedded commas, quotes and
 * newlines, a UTF-8 byte order mark), wrapped as Effect streams. Both libraries are streaming, have
 * no dependencies and no native code, and run unchanged on Node and on Deno.
 *
 * Cells a spreadsheet would run as a formula (starting with `=`, `+`, `-`, `@`, a tab or a carriage
 * return) are written with a leading apostrophe, which spreadsheets show as text (OWASP's advice
 * against CSV injection); so is a cell that starts with an apostrophe, so that reading can take
 * exactly one off again. A phone `+44 20 7946 0000` is written `'+44 20 7946 0000` and read back
 * as it was. An apostrophe before anything else (a hand-written `'Neill`) is kept as it is.
 *
 * @module
 */
import { parse } from "csv-parse"
import { stringify } from "csv-stringify/sync"
import { Effect, Stream } from "effect"
import { createReadStream } from "node:fs"
import { FileError, maxRecordLength, notUtf8, notUtf8Reason, tooLongReason } from "./AtomicFile.ts"

/** One CSV record: its cells, and the line of the file it ends on (1-based). */
export interface CsvRecord {
  readonly line: number
  readonly cells: ReadonlyArray<string>
}

const guarded = /^['=+\-@\t\r]/

/** A cell as written: with an apostrophe before a formula's first character (or an apostrophe). */
export const neutralise = (cell: string): string => (guarded.test(cell) ? `'${cell}` : cell)

/** A cell as read: the apostrophe `neutralise` added taken off again. */
export const restore = (cell: string): string => (cell.startsWith("'") && guarded.test(cell.slice(1)) ? cell.slice(1) : cell)

/** Rows as CSV text (each row ends with `\n`; cells quoted only where needed, formulas neutralised). */
export const format = (rows: ReadonlyArray<ReadonlyArray<string>>): string =>
  rows.length === 0 ? "" : stringify(rows.map((row) => row.map(neutralise)))

interface Parsed {
  readonly record: Array<string>
  readonly info: { readonly lines: number }
}

/**
 * The records of a CSV file, read as the stream is pulled (memory stays flat). Rows may have any
 * number of cells (the reader of the records decides); empty lines are skipped. A file that cannot
 * be opened, text that is not CSV (an unclosed quote…) or not UTF-8, or a row longer than
 * `maxRecordLength` characters fails with `FileError` naming the line.
 */
export const read = (path: string): Stream.Stream<CsvRecord, FileError> =>
  Stream.suspend(() => {
    const parser = parse({
      bom: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
      max_record_size: maxRecordLength
    })
    const source = createReadStream(path)
    source.on("error", (error) => parser.destroy(error))
    source.pipe(parser)
    return Stream.fromAsyncIterable(parser as AsyncIterable<Parsed>, (error) => {
      const code = typeof error === "object" && error !== null && "code" in error ? error.code : undefined
      const lines = typeof error === "object" && error !== null && "lines" in error ? error.lines : undefined
      const message = error instanceof Error ? error.message : String(error)
      return new FileError({
        path,
        reason: code === "ENOENT"
          ? "no such file"
          : code === "EISDIR"
          ? "is a directory"
          : code === "CSV_MAX_RECORD_SIZE" && typeof lines === "number"
          ? `line ${lines}: a row ${tooLongReason}`
          : typeof lines === "number"
          ? `line ${lines}: not valid CSV: ${message}`
          : message
      })
    }).pipe(
      Stream.mapEffect((parsed) =>
        parsed.record.some(notUtf8)
          ? Effect.fail(new FileError({ path, reason: `line ${parsed.info.lines}: ${notUtf8Reason}` }))
          : Effect.succeed({ line: parsed.info.lines, cells: parsed.record.map(restore) })
      ),
      Stream.ensuring(Effect.sync(() => source.destroy()))
    )
  })
