#!/usr/bin/env node
import { ValidationError } from "@effect/cli"
// Subpaths, not the package index: the index also loads cluster, rpc, sql and worker modules.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Effect, Exit, Option } from "effect"
import * as Cli from "./cli/Cli.ts"
import * as CliExit from "./cli/Exit.ts"
import * as PlainConsole from "./cli/PlainConsole.ts"

Cli.run(process.argv).pipe(
  // @effect/cli has already printed usage errors with help; everything else gets one clear line.
  Effect.tapError((error) =>
    ValidationError.isValidationError(error) ? Effect.void : Console.error(`pipedrive-effect: ${CliExit.describeFailure(error)}`)
  ),
  PlainConsole.forThisProcess,
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    // The exit codes `--help` lists (Cli.exitCodes): 0 only for a job done in full, 2 for a usage
    // error, 130 for a run stopped by Ctrl-C (SIGINT) or SIGTERM (runMain's default would exit 0).
    teardown: (exit, onExit) =>
      onExit(
        Exit.isSuccess(exit)
          ? 0
          : Cause.isInterruptedOnly(exit.cause)
          ? 130
          : Option.exists(Cause.failureOption(exit.cause), ValidationError.isValidationError)
          ? 2
          : 1
      )
  })
)
