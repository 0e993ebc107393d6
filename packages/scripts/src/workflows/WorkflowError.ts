/**
 * The failures of the workflows themselves, as opposed to Pipedrive's (`PipedriveError`): bad input,
 * files, journals, state, locks, a refused confirmation. Each is a `Schema.TaggedError` a program can
 * `Effect.catchTag`; `isWorkflowError` tells them all from Pipedrive's at once.
 *
 * @example
 * ```ts
 * import { Export, WorkflowError } from "@pipedrive-effect/scripts"
 * import { Effect } from "effect"
 *
 * Export.run({ out: "persons.ndjson" }).pipe(
 *   Effect.catchIf(WorkflowError.isWorkflowError, (error) => Effect.logError(`fix and rerun: ${error.message}`))
 * )
 * ```
 *
 * @module
 */
import { Schema } from "effect"
import { FileError } from "../files/AtomicFile.ts"
import { StateMismatch } from "../files/ExportState.ts"
import { LockHeld } from "../files/FileLock.ts"
import { JournalCorrupt, JournalMismatch } from "../files/Journal.ts"
import { InvalidHeader } from "../records/PersonFile.ts"
import { formatProblem } from "../records/Row.ts"

export { FileError, InvalidHeader, JournalCorrupt, JournalMismatch, LockHeld, StateMismatch }

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const InvalidOptionBase: Schema.TaggedErrorClass<InvalidOption, "InvalidOption", {
  readonly _tag: Schema.tag<"InvalidOption">
} & {
  option: typeof Schema.String
  reason: typeof Schema.String
}> = Schema.TaggedError<InvalidOption>()("InvalidOption", {
  option: Schema.String,
  reason: Schema.String
})
/** An option that cannot be used. */
export class InvalidOption extends InvalidOptionBase {
  override get message(): string {
    return `${this.option}: ${this.reason}`
  }
}

const InvalidIdsBase: Schema.TaggedErrorClass<InvalidIds, "InvalidIds", {
  readonly _tag: Schema.tag<"InvalidIds">
} & {
  path: typeof Schema.String
  reason: typeof Schema.String
}> = Schema.TaggedError<InvalidIds>()("InvalidIds", {
  path: Schema.String,
  reason: Schema.String
})
/** An ids file with lines that are not ids, or none at all. */
export class InvalidIds extends InvalidIdsBase {
  override get message(): string {
    return `${this.path}: ${this.reason}`
  }
}

const MissingPersonsBase: Schema.TaggedErrorClass<MissingPersons, "MissingPersons", {
  readonly _tag: Schema.tag<"MissingPersons">
} & {
  ids: Schema.Array$<typeof Schema.Number>
}> = Schema.TaggedError<MissingPersons>()("MissingPersons", {
  ids: Schema.Array(Schema.Number)
})
/** Ids that are not persons of the account: nothing was deleted. */
export class MissingPersons extends MissingPersonsBase {
  override get message(): string {
    const shown = this.ids.slice(0, 10).join(", ")
    return `${this.ids.length} of the ids are not persons of this account (${shown}${
      this.ids.length > 10 ? ", …" : ""
    }); nothing was deleted`
  }
}

const RefusedBase: Schema.TaggedErrorClass<Refused, "Refused", {
  readonly _tag: Schema.tag<"Refused">
} & {
  reason: typeof Schema.String
}> = Schema.TaggedError<Refused>()("Refused", { reason: Schema.String })
/** The deletion was not confirmed. */
export class Refused extends RefusedBase {
  override get message(): string {
    return this.reason
  }
}

const InvalidRowsBase: Schema.TaggedErrorClass<InvalidRows, "InvalidRows", {
  readonly _tag: Schema.tag<"InvalidRows">
} & {
  path: typeof Schema.String
  rows: typeof Schema.Number
  problems: Schema.Array$<Schema.Struct<{
    line: typeof Schema.Number
    field: typeof Schema.String
    reason: typeof Schema.String
  }>>
}> = Schema.TaggedError<InvalidRows>()("InvalidRows", {
  path: Schema.String,
  rows: Schema.Number,
  problems: Schema.Array(Schema.Struct({ line: Schema.Number, field: Schema.String, reason: Schema.String }))
})
/** Rows of the file that are not valid; nothing was sent. */
export class InvalidRows extends InvalidRowsBase {
  /** How many rows are bad. */
  get badRows(): number {
    return new Set(this.problems.map((problem) => problem.line)).size
  }
  override get message(): string {
    const first = this.problems[0]
    return `${this.path}: ${this.badRows} of ${this.rows} rows are invalid, nothing was sent${
      first === undefined ? "" : ` (first: ${formatProblem(first)})`
    }`
  }
}

/** Anything a workflow fails with that is not Pipedrive's: the user's to fix, then rerun. */
export type WorkflowError =
  | FileError
  | StateMismatch
  | LockHeld
  | JournalMismatch
  | JournalCorrupt
  | InvalidHeader
  | InvalidOption
  | InvalidIds
  | MissingPersons
  | Refused
  | InvalidRows

const classes = [
  FileError,
  StateMismatch,
  LockHeld,
  JournalMismatch,
  JournalCorrupt,
  InvalidHeader,
  InvalidOption,
  InvalidIds,
  MissingPersons,
  Refused,
  InvalidRows
] as const

/** Whether a value is a `WorkflowError` (so `Effect.catchIf(isWorkflowError, …)` handles them all). */
export const isWorkflowError = (value: unknown): value is WorkflowError => classes.some((error) => value instanceof error)
