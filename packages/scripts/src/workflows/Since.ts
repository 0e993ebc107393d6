/**
 * `--since`: an RFC 3339 time as Pipedrive's `updated_since` takes it (UTC, whole seconds), or the
 * one-line reason it is not one.
 */
import { Either } from "effect"
import { InvalidOption } from "./WorkflowError.ts"

const RFC3339 = /^(\d{4}-\d{2}-\d{2})T(\d{2}:\d{2}:\d{2})(?:\.\d+)?(Z|[+-]\d{2}:\d{2})$/i

/**
 * Checks an RFC 3339 time and returns it as Pipedrive's `updated_since` takes it: UTC, whole
 * seconds (fractions are dropped, which only widens the inclusive range).
 *
 * @example
 * ```ts
 * import { Export } from "@pipedrive-effect/scripts"
 *
 * Export.parseSince("2025-03-01T12:00:00.5+02:00") // Right("2025-03-01T10:00:00Z")
 * ```
 */
export const parseSince = (text: string): Either.Either<string, InvalidOption> => {
  const fail = () =>
    Either.left(new InvalidOption({ option: "--since", reason: `"${text}" is not an RFC 3339 time such as 2025-03-01T12:00:00Z` }))
  const match = RFC3339.exec(text.trim())
  if (match === null) return fail()
  const millis = Date.parse(text.trim())
  if (Number.isNaN(millis)) return fail()
  const zone = match[3]!.toUpperCase()
  const offset = zone === "Z" ? 0 : (zone.startsWith("-") ? -1 : 1) * (Number(zone.slice(1, 3)) * 60 + Number(zone.slice(4, 6)))
  // Date.parse rolls 2025-02-30 over to March: the wall time must read back unchanged.
  if (new Date(millis + offset * 60_000).toISOString().slice(0, 19) !== `${match[1]}T${match[2]}`) return fail()
  return Either.right(new Date(Math.floor(millis / 1000) * 1000).toISOString().replace(".000Z", "Z"))
}

