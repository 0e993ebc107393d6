/**
 * `@pipedrive-effect/scripts`: the workflows behind the `pipedrive-effect` CLI, each a plain Effect
 * a program can run without the CLI.
 */
export * as Cli from "./Cli.ts"
export * as Connection from "./Connection.ts"
export * as Demo from "./Demo.ts"
export * as Fields from "./Fields.ts"
