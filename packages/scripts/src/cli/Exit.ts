/**
 * How a command ends: a failed job is one line on stderr (`pipedrive-effect: …`) and a non-zero exit,
 * never a stack trace for a user's error. `JobFailed` is that line; `asJobFailed` turns a workflow's
 * own failures (`WorkflowError`) into it, and `describeFailure` words everything else.
 */
import { ConfigError, Effect } from "effect"
import { isWorkflowError, type WorkflowError } from "../workflows/WorkflowError.ts"

/** A failed job, reported as one line. */
export class JobFailed extends Error {
  override readonly name = "JobFailed"
}

/** A workflow's own failures as the CLI's one-line `JobFailed`; Pipedrive's errors pass unchanged. */
export const asJobFailed = <A, E, R>(
  effect: Effect.Effect<A, E, R>
): Effect.Effect<A, Exclude<E, Extract<E, WorkflowError>> | JobFailed, R> =>
  Effect.catchIf(
    effect,
    (error): error is Extract<E, WorkflowError> => isWorkflowError(error),
    (error) => Effect.fail(new JobFailed(error.message))
  )

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
