#!/usr/bin/env node
import { ValidationError } from "@effect/cli"
// Subpaths, not the package index: the index also loads cluster, rpc, sql and worker modules.
import * as NodeContext from "@effect/platform-node/NodeContext"
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Cause, Console, Effect, Exit } from "effect"
import * as Cli from "./cli/Cli.ts"
import * as CliExit from "./cli/Exit.ts"

Cli.run(process.argv).pipe(
  // @effect/cli has already printed usage errors with help; everything else gets one clear line.
  Effect.tapError((error) =>
    ValidationError.isValidationError(error) ? Effect.void : Console.error(`pipedrive-effect: ${CliExit.describeFailure(error)}`)
  ),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({
    disableErrorReporting: true,
    // Exit 0 only for a job done in full: a run stopped by Ctrl-C (SIGINT) or SIGTERM exits 130,
    // as shells expect of an interrupted command (runMain's default would exit 0).
    teardown: (exit, onExit) =>
      onExit(Exit.isSuccess(exit) ? 0 : Cause.isInterruptedOnly(exit.cause) ? 130 : 1)
  })
)
