/**
 * Reading a person file (CSV or NDJSON, see `PersonRecord`) as a stream of numbered rows, each
 * read or with its problems, so a caller can check every row before acting on any.
 *
 * @example
 * ```ts
 * import { PersonFile, PersonRecord } from "@pipedrive-effect/scripts"
 * import { CustomFields } from "@pipedrive-effect/core"
 * import { Effect, Either, Stream } from "effect"
 *
 * const problems = (catalog: CustomFields.Catalog) =>
 *   PersonFile.read("people.csv", catalog).pipe(
 *     Stream.map((parsed) => Either.flatMap(parsed.row, (row) => PersonRecord.toDraft(catalog, row, parsed.line))),
 *     Stream.filterMap(Either.getLeft),
 *     Stream.runCollect
 *   )
 * ```
 *
 * @module
 */
import type { FileSystem } from "@effect/platform"
import type { CustomFields } from "@pipedrive-effect/core"
import { Effect, Either, Option, Schema, Stream } from "effect"
import type { FileError } from "../files/AtomicFile.ts"
import * as Csv from "../files/Csv.ts"
import * as Ndjson from "../files/Ndjson.ts"
import * as PersonRecord from "./PersonRecord.ts"

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const InvalidHeaderBase: Schema.TaggedErrorClass<InvalidHeader, "InvalidHeader", {
  readonly _tag: Schema.tag<"InvalidHeader">
} & {
  path: typeof Schema.String
  problems: Schema.Array$<Schema.Struct<{
    line: typeof Schema.Number
    field: typeof Schema.String
    reason: typeof Schema.String
  }>>
}> = Schema.TaggedError<InvalidHeader>()("InvalidHeader", {
  path: Schema.String,
  problems: Schema.Array(Schema.Struct({ line: Schema.Number, field: Schema.String, reason: Schema.String }))
})
/** A CSV file whose header does not fit the account (unknown or repeated columns), or no header at all. */
export class InvalidHeader extends InvalidHeaderBase {
  override get message(): string {
    return `${this.path}: ${this.problems.map(PersonRecord.formatProblem).join("; ")}`
  }
}

/** One row of a file: its line, and the row or what is wrong with it. */
export interface ParsedRow {
  readonly line: number
  readonly row: Either.Either<PersonRecord.Row, ReadonlyArray<PersonRecord.Problem>>
}

/** The format of `path` from its name, or `fallback`. */
export const formatOf = (path: string, fallback: PersonRecord.Format = "ndjson"): PersonRecord.Format =>
  PersonRecord.formatOf(path) ?? fallback

/** The rows of a CSV file; its header is checked first (`InvalidHeader`). */
export const readCsv = (
  path: string,
  catalog: CustomFields.Catalog
): Stream.Stream<ParsedRow, FileError | InvalidHeader> =>
  Csv.read(path).pipe(
    // The first record is the header: it emits nothing, and decides how the others are read.
    Stream.mapAccumEffect(
      Option.none<PersonRecord.Columns>(),
      (columns, record): Effect.Effect<readonly [Option.Option<PersonRecord.Columns>, Option.Option<ParsedRow>], InvalidHeader> =>
        Option.match(columns, {
          onNone: () =>
            Either.match(PersonRecord.readHeader(catalog, record.cells, record.line), {
              onLeft: (problems) => Effect.fail(new InvalidHeader({ path, problems })),
              onRight: (read) => Effect.succeed([Option.some(read), Option.none()] as const)
            }),
          onSome: (read) =>
            Effect.succeed([
              columns,
              Option.some({ line: record.line, row: PersonRecord.fromCsvCells(read, record.cells, record.line) })
            ] as const)
        })
    ),
    Stream.orElseIfEmptyStream(() =>
      Stream.fail(
        new InvalidHeader({ path, problems: [{ line: 1, field: "header", reason: "the file is empty: it needs a header row" }] })
      )
    ),
    Stream.filterMap((parsed) => parsed)
  )

/** The rows of an NDJSON file. */
export const readNdjson = (path: string): Stream.Stream<ParsedRow, FileError, FileSystem.FileSystem> =>
  Ndjson.lines(path).pipe(
    Stream.map((numbered): ParsedRow => ({ line: numbered.line, row: PersonRecord.fromNdjsonLine(numbered.text, numbered.line) }))
  )

/** The rows of a person file in either format (by its name unless `format` is given). */
export const read = (
  path: string,
  catalog: CustomFields.Catalog,
  format: PersonRecord.Format = formatOf(path)
): Stream.Stream<ParsedRow, FileError | InvalidHeader, FileSystem.FileSystem> =>
  format === "csv" ? readCsv(path, catalog) : readNdjson(path)

