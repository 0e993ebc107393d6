/**
 * API v2 person search (`GET /api/v2/persons/search`): persons whose name, emails, phones, notes or
 * custom fields match a term, best matches first, cursor-paginated. Re-exported by `Persons`; use
 * it from there.
 *
 * @example
 * ```ts
 * import { Persons } from "@pipedrive-effect/core"
 * import { Stream } from "effect"
 *
 * const ids = Persons.searchStream({ term: "ada@example.com", fields: ["email"], exact_match: true }).pipe(
 *   Stream.map((result) => result.item.id)
 * )
 * ```
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Pagination from "../../Pagination.ts"
import * as PipedriveClient from "../../PipedriveClient.ts"
import type { PipedriveError } from "../../PipedriveError.ts"
import { checkTerm, type SearchQuery, searchParams } from "./PersonsV1Queries.ts"
import { optionalNullable } from "../../schema/Common.ts"
import { SearchData, type SearchResult } from "../../schema/PersonSearch.ts"

export { SearchItem, SearchResult } from "../../schema/PersonSearch.ts"
export type { SearchField, SearchQuery } from "./PersonsV1Queries.ts"

/** The query options of `GET /api/v2/persons/search`. */
export interface SearchOptions extends SearchQuery {
  /** Page size, up to 500 (default 100). */
  readonly limit?: number | undefined
  /** A `nextCursor` saved from an earlier page. */
  readonly cursor?: string | undefined
}

/** The body of `GET /api/v2/persons/search`. */
export const SearchResponse: Schema.Struct<{
  success: Schema.optional<typeof Schema.Boolean>
  data: Schema.optional<Schema.NullOr<typeof SearchData>>
  additional_data: Schema.optional<Schema.NullOr<Schema.Struct<{
    next_cursor: Schema.optional<Schema.NullOr<typeof Schema.String>>
  }>>>
}> = Schema.Struct({
  success: Schema.optional(Schema.Boolean),
  data: optionalNullable(SearchData),
  additional_data: optionalNullable(Schema.Struct({ next_cursor: optionalNullable(Schema.String) }))
})

/**
 * One page of search results (`searchPersons`, `GET /api/v2/persons/search`), best matches first.
 * A term shorter than 2 characters (1 with `exact_match`) fails with `InvalidRequest` unsent.
 */
export const search = (
  options: SearchOptions
): Effect.Effect<Pagination.CursorPage<SearchResult>, PipedriveError, PipedriveClient.PipedriveClient> => {
  const where = { operation: "searchPersons", method: "GET", path: "/api/v2/persons/search" } as const
  return checkTerm(options, where).pipe(
    Effect.zipRight(PipedriveClient.request({
      ...where,
      urlParams: { ...searchParams(options), limit: options.limit, cursor: options.cursor },
      response: SearchResponse
    })),
    Effect.map((body) => Pagination.cursorPage({ data: body.data?.items, additional_data: body.additional_data }, options.cursor))
  )
}

/** Every page of search results from `options.cursor` on. */
export const searchPages = (
  options: SearchOptions
): Stream.Stream<Pagination.CursorPage<SearchResult>, PipedriveError, PipedriveClient.PipedriveClient> =>
  Pagination.cursorPages((cursor) => search({ ...options, cursor }), options.cursor)

/** Every search result, best first, one page at a time. */
export const searchStream = (
  options: SearchOptions
): Stream.Stream<SearchResult, PipedriveError, PipedriveClient.PipedriveClient> => Pagination.items(searchPages(options))
