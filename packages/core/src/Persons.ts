/**
 * Persons through API v2 (`/api/v2/persons`), the API Pipedrive recommends: list (cursor), get,
 * create, update (PATCH), delete.
 *
 * @example
 * ```ts
 * import { Persons } from "@pipedrive-effect/core"
 * import { Effect, Stream } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const created = yield* Persons.create({ name: "Ada Lovelace", emails: [{ value: "ada@example.com", primary: true }] })
 *   yield* Persons.update(created.id, { job_title: "Analyst" })
 *   const count = yield* Persons.stream({ limit: 500 }).pipe(Stream.runCount)
 *   yield* Persons.remove(created.id)
 *   return count
 * })
 * ```
 *
 * @module
 */
import * as Effect from "effect/Effect"
import { readParams, type ReadOptions } from "./internal/endpoints/PersonsList.ts"
import * as PipedriveClient from "./PipedriveClient.ts"
import type { PipedriveError } from "./PipedriveError.ts"
import { encodeBody } from "./internal/RequestBody.ts"
import { Single } from "./internal/Envelope.ts"
import { DeletedPerson, Person, PersonCreate, PersonUpdate } from "./schema/PersonV2.ts"

export { DeletedPerson, MarketingStatus, Person, PersonCreate, PersonUpdate, VisibleTo } from "./schema/PersonV2.ts"
export { ContactEntry, ContactEntryInput, CustomFieldValues, PostalAddress } from "./schema/Common.ts"
export { PictureUrls } from "./schema/PersonV1.ts"
export { SearchData } from "./schema/PersonSearch.ts"
export {
  type CursorOptions as FollowerListOptions,
  DeletedFollowerResponse,
  FollowerResponse,
  followers,
  FollowersChangelogResponse,
  FollowersResponse,
  picture,
  PictureResponse
} from "./internal/endpoints/PersonRelationsV2.ts"
export { Follower, FollowerChange, FollowerInput, Picture } from "./schema/PersonRelations.ts"
export {
  type PartitionedOptions,
  type PartitionedPage,
  PartitionState,
  type Progress as PartitionProgress,
  streamPartitioned,
  WindowState
} from "./internal/endpoints/PersonsPartitioned.ts"
export {
  search,
  searchPages,
  SearchItem,
  type SearchField,
  type SearchOptions,
  type SearchQuery,
  SearchResponse,
  SearchResult,
  searchStream
} from "./internal/endpoints/PersonsSearch.ts"

export {
  type IncludeField,
  list,
  ListResponse,
  type ListOptions,
  pages,
  type ReadOptions,
  stream
} from "./internal/endpoints/PersonsList.ts"

/** The body of get, create and update. */
export const PersonResponse: Single<typeof Person> = Single(Person)
/** The body of `DELETE /api/v2/persons/{id}`. */
export const DeleteResponse: Single<typeof DeletedPerson> = Single(DeletedPerson)

/** One person by id (`getPerson`). Fails with `NotFound` when there is none. */
export const get = (
  id: number,
  options: ReadOptions = {}
): Effect.Effect<Person, PipedriveError, PipedriveClient.PipedriveClient> =>
  PipedriveClient.request({
    operation: "getPerson",
    method: "GET",
    path: `/api/v2/persons/${id}`,
    urlParams: readParams(options),
    response: PersonResponse
  }).pipe(Effect.map((body) => body.data))

/** Creates a person (`addPerson`, `POST /api/v2/persons`). */
export const create = (
  body: PersonCreate
): Effect.Effect<Person, PipedriveError, PipedriveClient.PipedriveClient> => {
  const where = { operation: "addPerson", method: "POST", path: "/api/v2/persons" } as const
  return encodeBody(PersonCreate, where)(body).pipe(
    Effect.flatMap((encoded) => PipedriveClient.request({ ...where, json: encoded, response: PersonResponse })),
    Effect.map((response) => response.data)
  )
}

/** Changes the given fields of a person (`updatePerson`, `PATCH /api/v2/persons/{id}`). */
export const update = (
  id: number,
  body: PersonUpdate
): Effect.Effect<Person, PipedriveError, PipedriveClient.PipedriveClient> => {
  const where = { operation: "updatePerson", method: "PATCH", path: `/api/v2/persons/${id}` } as const
  return encodeBody(PersonUpdate, where)(body).pipe(
    Effect.flatMap((encoded) => PipedriveClient.request({ ...where, json: encoded, response: PersonResponse })),
    Effect.map((response) => response.data)
  )
}

/** Deletes a person (`deletePerson`, `DELETE /api/v2/persons/{id}`); Pipedrive keeps it 30 days. */
export const remove = (
  id: number
): Effect.Effect<DeletedPerson, PipedriveError, PipedriveClient.PipedriveClient> =>
  PipedriveClient.request({
    operation: "deletePerson",
    method: "DELETE",
    path: `/api/v2/persons/${id}`,
    response: DeleteResponse
  }).pipe(Effect.map((body) => body.data))
