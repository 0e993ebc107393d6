/**
 * The API v1 ways to find persons other than the plain list: the cursor-paginated collection
 * (global admins only), search, the deprecated find-by-name, and recents (what changed since a
 * time). Re-exported by `PersonsV1`; use them from there.
 *
 * @example
 * ```ts
 * import { PersonsV1 } from "@pipedrive-effect/core"
 * import { Stream } from "effect"
 *
 * // Everyone changed since a moment, oldest change first, 500 a page.
 * const changed = PersonsV1.recentsStream({ since_timestamp: "2025-01-01 00:00:00", limit: 500 })
 * // Best matches first.
 * const hits = PersonsV1.searchStream({ term: "smith", fields: ["name", "email"] })
 * ```
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Pagination from "../../Pagination.ts"
import * as PipedriveClient from "../../PipedriveClient.ts"
import { InvalidRequest, type PipedriveError } from "../../PipedriveError.ts"
import { optionalNullable } from "../../schema/Common.ts"
import { CursorList, OffsetPagination } from "../Envelope.ts"
import { CollectionPerson, RecentPerson, RecentsAdditionalData } from "../../schema/PersonV1Collection.ts"
import { FoundPerson, SearchData, type SearchResult } from "../../schema/PersonSearch.ts"

const join = (values: ReadonlyArray<string | number> | undefined) => values === undefined ? undefined : values.join(",")

/** The query options of `GET /v1/persons/collection`. */
export interface CollectionOptions {
  /** `update_time` at or after this, as `2025-01-31 08:55:59` (UTC). */
  readonly since?: string | undefined
  /** `update_time` before this, same format. */
  readonly until?: string | undefined
  readonly owner_id?: number | undefined
  /** Only persons whose name starts with this letter (case-insensitive). */
  readonly first_char?: string | undefined
  /** Page size, up to 500 (default 100). */
  readonly limit?: number | undefined
  /** A `nextCursor` saved from an earlier page. */
  readonly cursor?: string | undefined
}

/** The body of `GET /v1/persons/collection`. */
export const CollectionResponse: CursorList<typeof CollectionPerson> = CursorList(CollectionPerson)

/**
 * One page of the collection (`getPersonsCollection`, v1 `GET /persons/collection`). Only global
 * admins may call it: anyone else gets `Forbidden`.
 */
export const collection = (
  options: CollectionOptions = {}
): Effect.Effect<Pagination.CursorPage<CollectionPerson>, PipedriveError, PipedriveClient.PipedriveClient> =>
  PipedriveClient.request({
    operation: "getPersonsCollection",
    method: "GET",
    path: "/api/v1/persons/collection",
    urlParams: {
      since: options.since,
      until: options.until,
      owner_id: options.owner_id,
      first_char: options.first_char,
      limit: options.limit,
      cursor: options.cursor
    },
    response: CollectionResponse
  }).pipe(
    Effect.map((body) => Pagination.cursorPage(body, options.cursor))
  )

/** Every page of the collection from `options.cursor` on, fetched as the stream is pulled. */
export const collectionPages = (
  options: CollectionOptions = {}
): Stream.Stream<Pagination.CursorPage<CollectionPerson>, PipedriveError, PipedriveClient.PipedriveClient> =>
  Pagination.cursorPages((cursor) => collection({ ...options, cursor }), options.cursor)

/** Every person of the collection, one page at a time. */
export const collectionStream = (
  options: CollectionOptions = {}
): Stream.Stream<CollectionPerson, PipedriveError, PipedriveClient.PipedriveClient> =>
  Pagination.items(collectionPages(options))

/** The fields search can look in (all of them when left out). */
export type SearchField = "custom_fields" | "email" | "notes" | "phone" | "name"

/** What to search for; shared by v1 and v2 search. */
export interface SearchQuery {
  /** At least 2 characters, or 1 with `exact_match`. */
  readonly term: string
  readonly fields?: ReadonlyArray<SearchField> | undefined
  /** Only whole-value matches (not case-sensitive). */
  readonly exact_match?: boolean | undefined
  readonly organization_id?: number | undefined
  readonly include_fields?: ReadonlyArray<"person.picture"> | undefined
}

/** The query options of v1 `GET /persons/search`. */
export interface SearchOptions extends SearchQuery {
  /** Offset of the first result; a `nextStart` saved from an earlier page. */
  readonly start?: number | undefined
  /** Page size, up to 500. */
  readonly limit?: number | undefined
}

/** Pipedrive's rule for a search term, checked before sending: 2 characters, or 1 with `exact_match`. */
export const checkTerm = (
  query: SearchQuery,
  where: { readonly operation: string; readonly method: string; readonly path: string }
): Effect.Effect<void, InvalidRequest> => {
  const length = query.term.trim().length
  const min = query.exact_match === true ? 1 : 2
  return length >= min
    ? Effect.void
    : Effect.fail(new InvalidRequest({ ...where, detail: `term: must be at least ${min} characters${min === 2 ? " (1 with exact_match)" : ""}` }))
}

/** The query parameters of a search, named as Pipedrive names them. */
export const searchParams = (query: SearchQuery) => ({
  term: query.term,
  fields: join(query.fields),
  exact_match: query.exact_match,
  organization_id: query.organization_id,
  include_fields: join(query.include_fields)
})

/** The body of v1 `GET /persons/search`. */
export const SearchResponse: Schema.Struct<{
  success: Schema.optional<typeof Schema.Boolean>
  data: Schema.optional<Schema.NullOr<typeof SearchData>>
  additional_data: Schema.optional<Schema.NullOr<Schema.extend<OffsetPagination, Schema.Struct<{
    pagination: Schema.optional<Schema.NullOr<OffsetPagination>>
  }>>>>
}> = Schema.Struct({
  success: Schema.optional(Schema.Boolean),
  data: optionalNullable(SearchData),
  additional_data: optionalNullable(
    Schema.extend(OffsetPagination, Schema.Struct({ pagination: optionalNullable(OffsetPagination) }))
  )
})

/** One page of search results (`searchPersons`, v1 `GET /persons/search`), best matches first. */
export const search = (
  options: SearchOptions
): Effect.Effect<Pagination.OffsetPage<SearchResult>, PipedriveError, PipedriveClient.PipedriveClient> => {
  const where = { operation: "searchPersons", method: "GET", path: "/api/v1/persons/search" } as const
  const start = options.start ?? 0
  return checkTerm(options, where).pipe(
    Effect.zipRight(PipedriveClient.request({
      ...where,
      urlParams: { ...searchParams(options), start, limit: options.limit },
      response: SearchResponse
    })),
    Effect.map((body) => {
      const items = body.data?.items ?? []
      return { items, start, nextStart: Pagination.nextStart(body.additional_data, start, items.length) }
    })
  )
}

/** Every page of search results from `options.start` on. */
export const searchPages = (
  options: SearchOptions
): Stream.Stream<Pagination.OffsetPage<SearchResult>, PipedriveError, PipedriveClient.PipedriveClient> =>
  Pagination.offsetPages((start) => search({ ...options, start }), options.start ?? 0)

/** Every search result, best first, one page at a time. */
export const searchStream = (
  options: SearchOptions
): Stream.Stream<SearchResult, PipedriveError, PipedriveClient.PipedriveClient> => Pagination.items(searchPages(options))

/** The query options of `GET /v1/persons/find`. */
export interface FindOptions {
  readonly term: string
  /** Match the term against email addresses only. */
  readonly search_by_email?: boolean | undefined
  readonly org_id?: number | undefined
  readonly start?: number | undefined
  readonly limit?: number | undefined
}

/** The body of `GET /v1/persons/find`. */
export const FindResponse: Schema.Struct<{
  success: Schema.optional<typeof Schema.Boolean>
  data: Schema.optional<Schema.NullOr<Schema.Array$<typeof FoundPerson>>>
  additional_data: Schema.optional<Schema.NullOr<Schema.extend<OffsetPagination, Schema.Struct<{
    search_method: Schema.optional<Schema.NullOr<typeof Schema.String>>
    pagination: Schema.optional<Schema.NullOr<OffsetPagination>>
  }>>>>
}> = Schema.Struct({
  success: Schema.optional(Schema.Boolean),
  data: optionalNullable(Schema.Array(FoundPerson)),
  additional_data: optionalNullable(Schema.extend(
    OffsetPagination,
    Schema.Struct({ search_method: optionalNullable(Schema.String), pagination: optionalNullable(OffsetPagination) })
  ))
})

/**
 * One page of persons whose name (or, with `search_by_email`, email) contains the term
 * (`findPersonByName`, v1 `GET /persons/find`).
 *
 * @deprecated Pipedrive removed this endpoint from its API; use `Persons.search` (v2) or
 * `PersonsV1.search` instead.
 */
export const findByName = (
  options: FindOptions
): Effect.Effect<Pagination.OffsetPage<FoundPerson>, PipedriveError, PipedriveClient.PipedriveClient> => {
  const start = options.start ?? 0
  return PipedriveClient.request({
    operation: "findPersonByName",
    method: "GET",
    path: "/api/v1/persons/find",
    urlParams: {
      term: options.term,
      // Pipedrive's NumberBoolean: 0 or 1.
      search_by_email: options.search_by_email === undefined ? undefined : options.search_by_email ? 1 : 0,
      org_id: options.org_id,
      start,
      limit: options.limit
    },
    response: FindResponse
  }).pipe(
    Effect.map((body) => Pagination.offsetPage(body, start))
  )
}

/** The query options of `GET /v1/recents?items=person`. */
export interface RecentsOptions {
  /** Changes at or after this time, as `2025-01-31 08:55:59` (UTC). Required. */
  readonly since_timestamp: string
  readonly start?: number | undefined
  /** Page size, up to 500. */
  readonly limit?: number | undefined
}

/** A page of recents: the persons, and the newest `update_time` on the page. */
export interface RecentsPage extends Pagination.OffsetPage<RecentPerson> {
  readonly lastTimestampOnPage: string | undefined
}

/** The body of `GET /v1/recents?items=person`. */
export const RecentsResponse: Schema.Struct<{
  success: Schema.optional<typeof Schema.Boolean>
  data: Schema.optional<Schema.NullOr<Schema.Array$<typeof RecentPerson>>>
  additional_data: Schema.optional<Schema.NullOr<typeof RecentsAdditionalData>>
}> = Schema.Struct({
  success: Schema.optional(Schema.Boolean),
  data: optionalNullable(Schema.Array(RecentPerson)),
  additional_data: optionalNullable(RecentsAdditionalData)
})

/** One page of persons changed since a time, oldest change first (`getRecents`, v1 `GET /recents?items=person`). */
export const recents = (
  options: RecentsOptions
): Effect.Effect<RecentsPage, PipedriveError, PipedriveClient.PipedriveClient> => {
  const start = options.start ?? 0
  const where = { operation: "getRecents", method: "GET", path: "/api/v1/recents" } as const
  if (!/^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(options.since_timestamp)) {
    return Effect.fail(new InvalidRequest({ ...where, detail: "since_timestamp: must be a time as YYYY-MM-DD HH:MM:SS" }))
  }
  return PipedriveClient.request({
    ...where,
    urlParams: { items: "person", since_timestamp: options.since_timestamp, start, limit: options.limit },
    response: RecentsResponse
  }).pipe(
    Effect.map((body) => {
      return {
        ...Pagination.offsetPage(body, start),
        lastTimestampOnPage: body.additional_data?.last_timestamp_on_page ?? undefined
      }
    })
  )
}

/** Every page of recents from `options.start` on. */
export const recentsPages = (
  options: RecentsOptions
): Stream.Stream<RecentsPage, PipedriveError, PipedriveClient.PipedriveClient> =>
  Pagination.offsetPages((start) => recents({ ...options, start }), options.start ?? 0)

/** Every person changed since `since_timestamp`, as `{ item: "person", id, data }` entries. */
export const recentsStream = (
  options: RecentsOptions
): Stream.Stream<RecentPerson, PipedriveError, PipedriveClient.PipedriveClient> => Pagination.items(recentsPages(options))
