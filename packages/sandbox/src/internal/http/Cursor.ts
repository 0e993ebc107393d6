/**
 * API v2's opaque `cursor`: where the previous page ended, not how many items it skipped, so a
 * cursor stays valid while persons are created, updated and deleted between pages.
 *
 * The format is Pipedrive's own (base64url of `{"field":"id","fieldValue":7,"sortDirection":"asc",
 * "id":7}`, as in the `next_cursor` example of openapi-v2.yaml). Times are written as RFC 3339.
 */
import { Buffer } from "node:buffer"
import { Effect } from "effect"
import { ValidationFailed } from "./ApiError.ts"
import type { Position } from "../../PersonStore.ts"
import * as Time from "../store/Time.ts"

/** The sort fields of API v2 lists. */
export type SortField = "id" | "update_time" | "add_time"

/** What a cursor holds. */
export interface Cursor {
  readonly field: SortField
  readonly direction: "asc" | "desc"
  readonly position: Position
}

/** The opaque string for a cursor. */
export const encode = (cursor: Cursor): string =>
  Buffer.from(
    JSON.stringify({
      field: cursor.field,
      fieldValue: cursor.field === "id" ? cursor.position.key : Time.formatRfc3339(Number(cursor.position.key)),
      sortDirection: cursor.direction,
      id: cursor.position.id
    })
  ).toString("base64url")

/** Reads a cursor; anything this server did not write fails with a `ValidationFailed` on `cursor`. */
export const decode = (text: string): Effect.Effect<Cursor, ValidationFailed> => {
  const cursor = parse(text)
  return cursor === undefined
    ? Effect.fail(new ValidationFailed({ field: "cursor", reason: "is not a valid cursor" }))
    : Effect.succeed(cursor)
}

const parse = (text: string): Cursor | undefined => {
  if (!/^[A-Za-z0-9_-]+={0,2}$/.test(text)) return undefined
  let value: unknown
  try {
    value = JSON.parse(Buffer.from(text, "base64url").toString("utf8"))
  } catch {
    return undefined
  }
  if (typeof value !== "object" || value === null) return undefined
  const { field, fieldValue, id, sortDirection } = value as Record<string, unknown>
  if (field !== "id" && field !== "update_time" && field !== "add_time") return undefined
  if (sortDirection !== "asc" && sortDirection !== "desc") return undefined
  if (typeof id !== "number" || !Number.isSafeInteger(id) || id < 0) return undefined
  const key = field === "id"
    ? (typeof fieldValue === "number" && fieldValue === id ? id : undefined)
    : (typeof fieldValue === "string" ? Time.parse(fieldValue) : undefined)
  if (key === undefined) return undefined
  return { field, direction: sortDirection, position: { key, id } }
}
