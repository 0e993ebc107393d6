/** The Pipedrive errors that end a bulk job rather than one of its items. */
import type { PipedriveError } from "@pipedrive-effect/core"

/**
 * Errors after which no other item of the job can succeed either (the token refused or blocked, the
 * company's daily budget spent): the job stops instead of failing every row or merge one by one.
 */
export const isFatal = (error: PipedriveError.PipedriveError): boolean =>
  error._tag === "Unauthorized" || error._tag === "DailyBudgetExhausted" || error._tag === "Forbidden"
