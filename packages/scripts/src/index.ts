/**
 * `@pipedrive-effect/scripts`: the workflows behind the `pipedrive-effect` CLI, each a plain Effect
 * a program can run without the CLI.
 */
export * as Cli from "./cli/Cli.ts"
export * as Connection from "./workflows/Connection.ts"
export * as Demo from "./workflows/Demo.ts"
export * as Fields from "./workflows/Fields.ts"
export * as Dedupe from "./workflows/Dedupe.ts"
export * as FileLock from "./files/FileLock.ts"
export * as Journal from "./files/Journal.ts"
export * as AtomicFile from "./files/AtomicFile.ts"
export * as CellText from "./records/CellText.ts"
export * as Csv from "./files/Csv.ts"
export * as Ndjson from "./files/Ndjson.ts"
export * as PersonFile from "./records/PersonFile.ts"
export * as PersonRecord from "./records/PersonRecord.ts"
export * as Import from "./workflows/Import.ts"
export * as ImportPlan from "./workflows/ImportPlan.ts"
export * as Delete from "./workflows/Delete.ts"
export * as Export from "./workflows/Export.ts"
export * as ExportState from "./files/ExportState.ts"
export * as PersonsCommand from "./cli/PersonsCommand.ts"
export * as Progress from "./workflows/Progress.ts"
