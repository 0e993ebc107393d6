/**
 * The one contract every workflow satisfies (`Export`, `Import`, `Dedupe`, `Delete`, `Fields`,
 * `Demo`), so a program, and the CLI, run any of them the same way:
 *
 * - `run(options)` is an `Effect` that succeeds with the job's `Summary` (also when some items
 *   failed: those are counted in it) and fails with a `WorkflowError` (the user's to fix: a file,
 *   a journal, bad input) or a `PipedriveError` that stops the whole job;
 * - the same option names mean the same things everywhere: `progress` (a `Progress.Factory`),
 *   `journal` and `report` (file paths), `dryRun` (read and decide, write nothing);
 * - every summary says `elapsedMillis` (milliseconds, as every duration) and `tokensSpent`;
 * - `formatSummary(summary)` is the lines the CLI prints on stdout, and `shortfall(summary)` says in
 *   one line what the job did not do (`undefined` when it did all it was asked): the CLI exits 0
 *   only then.
 *
 * @example
 * ```ts
 * import { Dedupe, type Workflow } from "@pipedrive-effect/scripts"
 * import { Effect } from "effect"
 *
 * const runAndPrint = <O, S extends Workflow.Summary, E, R>(workflow: Workflow.Workflow<O, S, E, R>, options: O) =>
 *   Effect.tap(workflow.run(options), (summary) => Effect.forEach(workflow.formatSummary(summary), (line) => Effect.log(line)))
 *
 * runAndPrint(Dedupe.workflow, { by: "email", dryRun: true })
 * ```
 *
 * @module
 */
import type { Effect } from "effect"
import type * as Progress from "./Progress.ts"

/** The options every workflow may take, named the same everywhere. */
export interface Options {
  /** How progress is shown, per phase (the CLI passes `Progress.make`); default: not at all. */
  readonly progress?: Progress.Factory | undefined
}

/** What every summary says. */
export interface Summary {
  /** How long the run took, in milliseconds. */
  readonly elapsedMillis: number
  /** API tokens the run's requests spent (`x-token-cost`), as the client's rate limiter counted them. */
  readonly tokensSpent: number
}

/** A workflow: how it runs, how its summary reads, and what it left undone. */
export interface Workflow<O, S extends Summary, E, R> {
  /** The command that runs it, as the CLI names it (`persons export`). */
  readonly name: string
  /** Does the job: its summary, also when some items failed (they are counted in it). */
  readonly run: (options: O) => Effect.Effect<S, E, R>
  /** The lines the CLI prints at the end, on stdout. */
  readonly formatSummary: (summary: S) => ReadonlyArray<string>
  /** What the run did not do, in one line; `undefined` when it did everything asked. */
  readonly shortfall: (summary: S) => string | undefined
}
