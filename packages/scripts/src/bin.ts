#!/usr/bin/env node
import { ValidationError } from "@effect/cli"
import { NodeContext, NodeRuntime } from "@effect/platform-node"
import { Console, Effect } from "effect"
import * as Cli from "./Cli.ts"

Cli.run(process.argv).pipe(
  // @effect/cli has already printed usage errors with help; everything else gets one clear line.
  Effect.tapError((error) =>
    ValidationError.isValidationError(error) ? Effect.void : Console.error(`pipedrive-effect: ${Cli.describeFailure(error)}`)
  ),
  Effect.provide(NodeContext.layer),
  NodeRuntime.runMain({ disableErrorReporting: true })
)
