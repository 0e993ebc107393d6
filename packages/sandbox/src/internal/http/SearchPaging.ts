/**
 * How search results are paged: API v1 by offset (`start`, `limit`), API v2 by an opaque cursor that
 * holds the offset. Search pages are slices of one ranked list, so an offset is all a cursor needs.
 */
import { Buffer } from "node:buffer"
import { Effect } from "effect"
import { ValidationFailed } from "./ApiError.ts"
import * as QueryParams from "./QueryParams.ts"

/** v1's `start` and `limit` (at most 500, default 100). */
export const offsets = (params: URLSearchParams) =>
  Effect.gen(function*() {
    const start = (yield* QueryParams.integer(params, "start", { min: 0 })) ?? 0
    const limit = (yield* QueryParams.integer(params, "limit", { min: 1, max: 500 })) ?? 100
    return { start, limit }
  })

/** v1's `additional_data.pagination` for a slice of `total` results. */
export const pagination = (start: number, limit: number, total: number) => {
  const more = start + limit < total
  return { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) }
}

/** The v2 search cursor: base64url of `{"offset":N}`. */
export const encodeCursor = (offset: number): string => Buffer.from(JSON.stringify({ offset })).toString("base64url")

/** Reads a v2 search cursor; anything this server did not write fails on `cursor`. */
export const decodeCursor = (text: string): Effect.Effect<number, ValidationFailed> => {
  try {
    const value: unknown = /^[A-Za-z0-9_-]+$/.test(text) ? JSON.parse(Buffer.from(text, "base64url").toString("utf8")) : undefined
    const offset = typeof value === "object" && value !== null ? (value as { readonly offset?: unknown }).offset : undefined
    if (typeof offset === "number" && Number.isSafeInteger(offset) && offset >= 0) return Effect.succeed(offset)
  } catch {
    // fall through
  }
  return Effect.fail(new ValidationFailed({ field: "cursor", reason: "is not a valid cursor" }))
}
