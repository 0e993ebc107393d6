/**
 * `@pipedrive-effect/scripts`: the workflows behind the `pipedrive-effect` CLI, each a plain Effect
 * a program can run without the CLI, all with one contract (`Workflow`); and the parts they are
 * built from, for programs that build jobs of their own: the person file format (`PersonRecord`,
 * `PersonFile`) and files that are whole or absent, locked and journaled.
 *
 * The CLI itself (`cli/`) and the workflows' inner steps are not exported. `Demo` is not either: it
 * brings the sandbox, which the CLI loads only for `demo`.
 */
export * as Connection from "./workflows/Connection.ts"
export * as Dedupe from "./workflows/Dedupe.ts"
export * as Delete from "./workflows/Delete.ts"
export * as Export from "./workflows/Export.ts"
export * as Fields from "./workflows/Fields.ts"
export * as Import from "./workflows/Import.ts"
export * as Progress from "./workflows/Progress.ts"
export * as Workflow from "./workflows/Workflow.ts"
export * as WorkflowError from "./workflows/WorkflowError.ts"

export * as CellText from "./records/CellText.ts"
export * as PersonFile from "./records/PersonFile.ts"
export * as PersonRecord from "./records/PersonRecord.ts"

export * as AtomicFile from "./files/AtomicFile.ts"
export * as Csv from "./files/Csv.ts"
export * as FileLock from "./files/FileLock.ts"
export * as Journal from "./files/Journal.ts"
export * as Ndjson from "./files/Ndjson.ts"
