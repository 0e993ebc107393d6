/**
 * A person as one NDJSON line: exactly the v2 person `Persons.stream` decodes, encoded back with
 * `Persons.Person` (custom fields under `custom_fields`, keyed by their 40-character keys).
 */
import { Persons } from "@pipedrive-effect/core"
import { Either, Schema } from "effect"
import { decodeRow, parseProblems, type Problem, type Row } from "./Row.ts"

const encodePerson = Schema.encodeSync(Persons.Person)

/** A person as one NDJSON line (no newline). */
export const toNdjsonLine = (person: Persons.Person): string => JSON.stringify(encodePerson(person))

/** One NDJSON line as a row: it must be a JSON object with the v2 person's fields (no others). */
export const fromNdjsonLine = (text: string, line: number): Either.Either<Row, ReadonlyArray<Problem>> => {
  let json: unknown
  try {
    json = JSON.parse(text)
  } catch (error) {
    return Either.left([{ line, field: "(line)", reason: `not JSON: ${error instanceof Error ? error.message : String(error)}` }])
  }
  return Either.mapLeft(decodeRow(json), (error) => parseProblems(line, error))
}
