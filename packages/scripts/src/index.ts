/**
 * `@pipedrive-effect/scripts`: the workflows behind the `pipedrive-effect` CLI, each a plain Effect
 * a program can run without the CLI.
 */
export * as Cli from "./Cli.ts"
export * as Connection from "./Connection.ts"
export * as Demo from "./Demo.ts"
export * as Fields from "./Fields.ts"
export * as Dedupe from "./Dedupe.ts"
export * as FileLock from "./FileLock.ts"
export * as Journal from "./Journal.ts"
export * as AtomicFile from "./AtomicFile.ts"
export * as CellText from "./CellText.ts"
export * as Csv from "./Csv.ts"
export * as Ndjson from "./Ndjson.ts"
export * as PersonFile from "./PersonFile.ts"
export * as PersonRecord from "./PersonRecord.ts"
export * as Import from "./Import.ts"
export * as ImportPlan from "./ImportPlan.ts"
export * as Delete from "./Delete.ts"
export * as Export from "./Export.ts"
export * as ExportState from "./ExportState.ts"
export * as PersonsCommand from "./PersonsCommand.ts"
export * as Progress from "./Progress.ts"
