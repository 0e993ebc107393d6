/**
 * Raw HTTP for the rate-limit and fault tests: the body stays text (a 403 page is HTML, a truncated
 * body is not JSON) and a reset connection is a value, not a defect.
 */
import type { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Effect } from "effect"

/** What came back: an answer, or a connection that failed before one arrived in full. */
export type Outcome =
  | { readonly _tag: "Answer"; readonly status: number; readonly text: string; readonly headers: Headers }
  | { readonly _tag: "Reset"; readonly reason: string }

/** Sends one request with the sandbox's token (or `token`) and reads the whole body. */
export const send = (
  sandbox: PipedriveSandbox.Service,
  path: string,
  options: { readonly method?: string; readonly body?: unknown; readonly token?: string } = {}
): Effect.Effect<Outcome> =>
  Effect.promise(async (): Promise<Outcome> => {
    try {
      const response = await fetch(`${sandbox.url}${path}`, {
        method: options.method ?? "GET",
        headers: {
          "x-api-token": options.token ?? sandbox.token,
          ...(options.body === undefined ? {} : { "content-type": "application/json" })
        },
        ...(options.body === undefined ? {} : { body: JSON.stringify(options.body) })
      })
      const text = await response.text()
      return { _tag: "Answer", status: response.status, text, headers: response.headers }
    } catch (error) {
      return { _tag: "Reset", reason: error instanceof Error ? error.message : String(error) }
    }
  })

/** The answer, failing the test on a reset connection. */
export const answer = (outcome: Outcome) => {
  if (outcome._tag === "Reset") throw new Error(`connection reset: ${outcome.reason}`)
  return outcome
}
