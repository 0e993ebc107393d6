/**
 * The `pipedrive-effect` command line: the command tree and how a failed job is reported (one
 * line on stderr, non-zero exit; never a stack trace for a user's error).
 */
import { type CliApp, Command, Options, type ValidationError } from "@effect/cli"
import type { PlatformError } from "@effect/platform/Error"
import type { ServeError } from "@effect/platform/HttpServerError"
import type { PipedriveError } from "@pipedrive-effect/core"
import { ConfigError, Console, Effect, Option } from "effect"
import * as Fields from "../workflows/Fields.ts"
import * as PersonsCommand from "./PersonsCommand.ts"

/** A failed job, reported as one line. */
export class JobFailed extends Error {
  override readonly name = "JobFailed"
}

const positive = (name: string, fallback: number, description: string) =>
  Options.integer(name).pipe(
    Options.withDefault(fallback),
    Options.withDescription(description),
    Options.filterMap((n) => (n > 0 ? Option.some(n) : Option.none()), `--${name} must be a positive integer`)
  )

const demo = Command.make(
  "demo",
  {
    persons: positive("persons", 3000, "How many persons to seed the sandbox with"),
    pageSize: positive("page-size", 500, "Page size for the streams (1 to 500)")
  },
  (options) =>
    Effect.gen(function*() {
      // Loaded here, not at the top: it brings the sandbox, which no other command needs.
      const Demo = yield* Effect.promise(() => import("../workflows/Demo.ts"))
      const summary = yield* Demo.run(options).pipe(Effect.mapError((error) => new JobFailed(describeFailure(error))))
      for (const line of Demo.format(summary)) yield* Console.log(line)
      if (!Demo.succeeded(summary)) return yield* Effect.fail(new JobFailed("the demo's round trip did not hold"))
    })
).pipe(Command.withDescription("Start the bundled sandbox and run a full round trip against it (what `npm start` runs)"))

const root = Command.make("pipedrive-effect").pipe(
  Command.withDescription("Bulk jobs over the Pipedrive Persons API"),
  Command.withSubcommands([demo, Fields.command, PersonsCommand.command])
)

/** Anything a command can fail with. */
export type CliError =
  | JobFailed
  | PipedriveError.PipedriveError
  | PipedriveError.ConfigurationError
  | ServeError
  | ConfigError.ConfigError
  | PlatformError
  | ValidationError.ValidationError

/** Runs the CLI on `argv` (as `process.argv`). */
export const run: (argv: ReadonlyArray<string>) => Effect.Effect<void, CliError, CliApp.CliApp.Environment> = Command
  .run(root, { name: "pipedrive-effect", version: "0.1.0" })

/**
 * A `ConfigError` as the settings at fault. `Config.redacted` blanks the message (it could hold the
 * secret), but the path, the setting's name, is safe and is what the user must fix.
 */
const describeConfigError = (error: ConfigError.ConfigError): string => {
  const setting = (path: ReadonlyArray<string>) => path.join(".")
  switch (error._op) {
    case "MissingData":
      return `${setting(error.path)} is not set`
    case "InvalidData":
    case "SourceUnavailable":
    case "Unsupported":
      return `${setting(error.path)}: ${error.message === "<redacted>" ? "invalid value" : error.message}`
    case "And":
      return `${describeConfigError(error.left)}; ${describeConfigError(error.right)}`
    case "Or":
      return `${describeConfigError(error.left)} (or ${describeConfigError(error.right)})`
  }
}

/** The one line a failure is reported with: the error's tag (`NotFound`, `Unauthorized`…) and message. */
export const describeFailure = (error: unknown): string => {
  if (ConfigError.isConfigError(error)) return `configuration: ${describeConfigError(error)}`
  if (typeof error === "object" && error !== null && "message" in error && typeof error.message === "string") {
    const tag = "_tag" in error && typeof error._tag === "string" ? error._tag : undefined
    return tag === undefined || error.message.startsWith(tag) ? error.message : `${tag}: ${error.message}`
  }
  return String(error)
}
