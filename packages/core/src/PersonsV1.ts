/**
 * Persons through API v1 (`/api/v1/persons`), the API of the official clients' `PersonsApi` and of
 * accounts not yet moved to v2. Pipedrive has deprecated these endpoints in favour of `Persons` (v2).
 *
 * @example
 * ```ts
 * import { PersonsV1 } from "@pipedrive-effect/core"
 * import { Stream } from "effect"
 *
 * // Every person whose name starts with "a", 500 a page, pulled on demand.
 * const names = PersonsV1.stream({ first_char: "a", limit: 500 }).pipe(Stream.map((p) => p.name))
 * ```
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Pagination from "./Pagination.ts"
import * as PipedriveClient from "./PipedriveClient.ts"
import type { PipedriveError } from "./PipedriveError.ts"
import { optionalNullable } from "./schema/Common.ts"
import { additionalData, OffsetList, type Part, relatedObjects } from "./internal/Envelope.ts"
import { Person, RelatedObjects } from "./schema/PersonV1.ts"

export {
  customFieldValues,
  OrganizationRef,
  orgId,
  OwnerRef,
  ownerId,
  Person,
  PictureRef,
  PictureUrls,
  RelatedObjects,
  RelatedOrganization,
  RelatedUser
} from "./schema/PersonV1.ts"
export { ContactInputV1, ContactListV1, CustomFieldKey, PersonCreateV1, PersonUpdateV1, VisibleToV1 } from "./schema/PersonV1Input.ts"
export { CollectionPerson, RecentPerson, RecentsAdditionalData } from "./schema/PersonV1Collection.ts"
export { ContactEntry, CustomFieldValues } from "./schema/Common.ts"
export { FoundPerson, SearchData, SearchItem, SearchResult } from "./schema/PersonSearch.ts"
export {
  type ActivitiesOptions,
  activities,
  AddedPicture,
  changelog,
  type ChangelogOptions,
  ChangelogResponse,
  deals,
  type DealsOptions,
  DeletedResponse,
  files,
  type FilesOptions,
  FollowerResponse,
  followers,
  FollowersResponse,
  mailMessages,
  merge,
  MergeInput,
  MergeResponse,
  type OffsetOptions,
  type OffsetListSchema,
  type OffsetResource,
  PermittedUsersResponse,
  permittedUsers,
  PictureResponse,
  products,
  type RelationPage,
  updates,
  type UpdatesOptions
} from "./internal/endpoints/PersonRelationsV1.ts"
export { FollowerInput } from "./schema/PersonRelations.ts"
export * as picture from "./internal/endpoints/PersonPictures.ts"
export {
  Activity,
  type ById,
  type ByIdOrOne,
  ChangelogEntry,
  Deal,
  DealPersonRef,
  DealProduct,
  DealUserRef,
  File,
  FlowItem,
  FollowerV1,
  MailMessage,
  MailMessageItem,
  MailParty,
  Picture,
  Product,
  ProductDeal,
  ProductItem,
  RelatedDeal,
  RelatedPipeline,
  RelatedStage,
  RelatedObjects as RelationRelatedObjects
} from "./schema/PersonRelations.ts"
export {
  create,
  DeleteManyResponse,
  DeleteResponse,
  maxIdsPerDelete,
  PersonResponse,
  remove,
  removeAll,
  removeMany,
  update
} from "./internal/endpoints/PersonsV1Writes.ts"
export {
  collection,
  type CollectionOptions,
  collectionPages,
  CollectionResponse,
  collectionStream,
  findByName,
  type FindOptions,
  FindResponse,
  recents,
  type RecentsOptions,
  type RecentsPage,
  recentsPages,
  RecentsResponse,
  recentsStream,
  search,
  type SearchField,
  type SearchOptions,
  searchPages,
  SearchResponse,
  searchStream
} from "./internal/endpoints/PersonsV1Queries.ts"

/** The query options of v1 `GET /persons` (`getPersons`), named as Pipedrive names them. */
export interface ListOptions {
  /** Only persons owned by this user (`filter_id` wins when both are set). */
  readonly user_id?: number | undefined
  readonly filter_id?: number | undefined
  /** Only persons whose name starts with this letter (case-insensitive). */
  readonly first_char?: string | undefined
  /** Offset of the first item (default 0); a `nextStart` saved from an earlier page. */
  readonly start?: number | undefined
  /** Page size, up to 500. */
  readonly limit?: number | undefined
  /** `field_1 ASC, field_2 DESC`, first-level keys only. */
  readonly sort?: string | undefined
}

/**
 * A page of v1 persons, with the `related_objects` (users, organizations, pictures) it refers to.
 * `skipped`: the related objects left out because they did not decode (usually none); the persons
 * themselves are never skipped, a person that does not decode fails the page with `Decode`.
 */
export interface PersonPage extends Pagination.OffsetPage<Person> {
  readonly relatedObjects: RelatedObjects | undefined
  readonly skipped: ReadonlyArray<PipedriveClient.Skipped>
}

/** The body of v1 `GET /persons`. */
export const ListResponse: OffsetList<typeof Person, typeof RelatedObjects> = OffsetList(Person, RelatedObjects)

/** The body of v1 `GET /persons/{id}`: the person, and `additional_data.dropbox_email`. */
export const DetailsResponse: Schema.Struct<{
  success: Schema.optional<typeof Schema.Boolean>
  data: typeof Person
  additional_data: Part<Schema.Struct<{
    dropbox_email: Schema.optional<Schema.NullOr<typeof Schema.String>>
  }>>
  related_objects: Part<typeof RelatedObjects>
}> = Schema.Struct({
  success: Schema.optional(Schema.Boolean),
  data: Person,
  additional_data: additionalData(Schema.Struct({ dropbox_email: optionalNullable(Schema.String) })),
  related_objects: relatedObjects(RelatedObjects)
})

/** One page of persons (`getPersons`, v1 `GET /persons`). */
export const list = (
  options: ListOptions = {}
): Effect.Effect<PersonPage, PipedriveError, PipedriveClient.PipedriveClient> => {
  const start = options.start ?? 0
  return PipedriveClient.requestDecoded({
    operation: "getPersons",
    method: "GET",
    path: "/api/v1/persons",
    urlParams: {
      user_id: options.user_id,
      filter_id: options.filter_id,
      first_char: options.first_char,
      start,
      limit: options.limit,
      sort: options.sort
    },
    response: ListResponse
  }).pipe(
    Effect.map(({ body, skipped }): PersonPage => ({
      ...Pagination.offsetPage(body, start),
      relatedObjects: body.related_objects ?? undefined,
      skipped
    }))
  )
}

/** Every page of persons matching `options`, from `options.start` on, fetched as the stream is pulled. */
export const pages = (
  options: ListOptions = {}
): Stream.Stream<PersonPage, PipedriveError, PipedriveClient.PipedriveClient> =>
  Pagination.offsetPages((start) => list({ ...options, start }), options.start ?? 0)

/** Every person matching `options`, one page at a time. */
export const stream = (
  options: ListOptions = {}
): Stream.Stream<Person, PipedriveError, PipedriveClient.PipedriveClient> => Pagination.items(pages(options))

/** Details of a person (`getPerson`, v1 `GET /persons/{id}`), with fields the list leaves out. */
export const get = (
  id: number
): Effect.Effect<Person, PipedriveError, PipedriveClient.PipedriveClient> =>
  PipedriveClient.request({
    operation: "getPerson",
    method: "GET",
    path: `/api/v1/persons/${id}`,
    response: DetailsResponse
  }).pipe(Effect.map((body) => body.data))
