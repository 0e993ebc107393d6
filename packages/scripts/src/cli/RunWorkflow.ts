/**
 * Every command's last step, the same for each workflow: run it, print its `formatSummary` on
 * stdout, and fail with its `shortfall` (one line, exit 1) when it did not do all it was asked.
 */
import type { PipedriveError } from "@pipedrive-effect/core"
import { type ConfigError, Console, Effect } from "effect"
import type * as Workflow from "../workflows/Workflow.ts"
import type { WorkflowError } from "../workflows/WorkflowError.ts"
import { asJobFailed, JobFailed } from "./Exit.ts"

/** What a command fails with: Pipedrive's errors, a setting that is missing or wrong, or its own `JobFailed`. */
export type CommandError =
  | PipedriveError.PipedriveError
  | PipedriveError.ConfigurationError
  | ConfigError.ConfigError
  | JobFailed

/** Prints lines on stdout. */
export const print = (lines: ReadonlyArray<string>): Effect.Effect<void> =>
  Effect.forEach(lines, (line) => Console.log(line), { discard: true })

/** Runs `workflow` with `options` as a command: summary on stdout, a shortfall as `JobFailed`. */
export const runWorkflow = <O, S extends Workflow.Summary, E, R>(
  workflow: Workflow.Workflow<O, S, E, R>,
  options: O
): Effect.Effect<void, Exclude<E, Extract<E, WorkflowError>> | JobFailed, R> =>
  asJobFailed(workflow.run(options)).pipe(
    Effect.tap((summary) => print(workflow.formatSummary(summary))),
    Effect.flatMap((summary) => {
      const shortfall = workflow.shortfall(summary)
      return shortfall === undefined ? Effect.void : Effect.fail(new JobFailed(shortfall))
    })
  )
