/**
 * What hangs off a person in API v1: its activities, deals, files, mail messages, products, updates
 * (the flow), changelog, permitted users, followers, picture, and merging two persons. Re-exported
 * from `PersonsV1`, where they are used as `PersonsV1.activities.list(id)`, `PersonsV1.followers.add(id, userId)`…
 *
 * Each list comes as one page (`list`), every page from a start (`pages`) and every item (`stream`);
 * pages carry `start`/`nextStart` (`cursor`/`nextCursor` for the changelog) to resume from.
 *
 * @example
 * ```ts
 * import { PersonsV1 } from "@pipedrive-effect/core"
 * import { Stream } from "effect"
 *
 * // Every open deal of person 12, 100 a page, pulled on demand.
 * const deals = PersonsV1.deals.stream(12, { status: "open", limit: 100 })
 * ```
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Pagination from "../../Pagination.ts"
import * as PipedriveClient from "../../PipedriveClient.ts"
import type { PipedriveError } from "../../PipedriveError.ts"
import { encodeBody } from "../RequestBody.ts"
import { Id } from "../../schema/Common.ts"
import { CursorList, OffsetList, Single } from "../Envelope.ts"
import {
  Activity,
  ChangelogEntry,
  Deal,
  File,
  FlowItem,
  FollowerInput,
  FollowerV1,
  MailMessageItem,
  Picture,
  ProductItem,
  RelatedObjects
} from "../../schema/PersonRelations.ts"
import { Person } from "../../schema/PersonV1.ts"

type Client = PipedriveClient.PipedriveClient

/** Offset options every v1 list takes. */
export interface OffsetOptions {
  /** Offset of the first item (default 0); a `nextStart` saved from an earlier page. */
  readonly start?: number | undefined
  /** Page size (Pipedrive's maximum is 500; 100 for files). */
  readonly limit?: number | undefined
}

/**
 * A page of a v1 list about a person, with the `related_objects` it refers to (deals and flow).
 * `skipped`: the related objects left out because they did not decode (usually none).
 */
export interface RelationPage<A> extends Pagination.OffsetPage<A> {
  readonly relatedObjects: RelatedObjects | undefined
  readonly skipped: ReadonlyArray<PipedriveClient.Skipped>
}

/** The schema of a v1 list body about a person: items of `A` (encoded `I`), offsets, related objects. */
export type OffsetListSchema<A, I> = OffsetList<Schema.Schema<A, I>, typeof RelatedObjects>

/** The ways to read an offset-paginated v1 list about a person. */
export interface OffsetResource<A, I, O extends OffsetOptions> {
  /** One page. */
  readonly list: (id: number, options?: O) => Effect.Effect<RelationPage<A>, PipedriveError, Client>
  /** Every page from `options.start` on, fetched as the stream is pulled. */
  readonly pages: (id: number, options?: O) => Stream.Stream<RelationPage<A>, PipedriveError, Client>
  /** Every item, one page at a time. */
  readonly stream: (id: number, options?: O) => Stream.Stream<A, PipedriveError, Client>
  /** The schema of the response body. */
  readonly response: OffsetListSchema<A, I>
}

const offsetResource = <A, I, O extends OffsetOptions>(
  operation: string,
  suffix: string,
  item: Schema.Schema<A, I>,
  params: (options: O) => Readonly<Record<string, PipedriveClient.UrlParam>>
): OffsetResource<A, I, O> => {
  const response = OffsetList(item, RelatedObjects)
  const page = (id: number, options: O | undefined, start: number): Effect.Effect<RelationPage<A>, PipedriveError, Client> =>
    PipedriveClient.requestDecoded({
      operation,
      method: "GET",
      path: `/api/v1/persons/${id}/${suffix}`,
      urlParams: { start, limit: options?.limit, ...(options === undefined ? {} : params(options)) },
      response
    }).pipe(
      Effect.map(({ body, skipped }): RelationPage<A> => ({
        ...Pagination.offsetPage(body, start),
        relatedObjects: body.related_objects ?? undefined,
        skipped
      }))
    )
  const list = (id: number, options?: O) => page(id, options, options?.start ?? 0)
  const pages = (id: number, options?: O): Stream.Stream<RelationPage<A>, PipedriveError, Client> =>
    Pagination.offsetPages((start) => page(id, options, start), options?.start ?? 0)
  const stream = (id: number, options?: O): Stream.Stream<A, PipedriveError, Client> => Pagination.items(pages(id, options))
  return { list, pages, stream, response }
}

const noParams = () => ({})

/** Options of `getPersonActivities`. */
export interface ActivitiesOptions extends OffsetOptions {
  /** `true`: done activities only; `false`: undone only; left out: both. */
  readonly done?: boolean | undefined
  /** Activity ids to leave out. */
  readonly exclude?: ReadonlyArray<number> | undefined
}

/** A person's activities (`getPersonActivities`, `GET /v1/persons/{id}/activities`). */
export const activities: OffsetResource<Activity, typeof Activity.Encoded, ActivitiesOptions> = offsetResource(
  "getPersonActivities",
  "activities",
  Activity,
  (options: ActivitiesOptions) => ({
    done: options.done === undefined ? undefined : options.done ? 1 : 0,
    exclude: options.exclude?.join(",")
  })
)

/** Options of `getPersonDeals`. */
export interface DealsOptions extends OffsetOptions {
  /** Default `all_not_deleted`. */
  readonly status?: "open" | "won" | "lost" | "deleted" | "all_not_deleted" | undefined
  /** `field_1 ASC, field_2 DESC`, first-level fields only. */
  readonly sort?: string | undefined
}

/** A person's deals (`getPersonDeals`, `GET /v1/persons/{id}/deals`). */
export const deals: OffsetResource<Deal, typeof Deal.Encoded, DealsOptions> = offsetResource(
  "getPersonDeals",
  "deals",
  Deal,
  (options: DealsOptions) => ({ status: options.status, sort: options.sort })
)

/** Options of `getPersonFiles`. */
export interface FilesOptions extends OffsetOptions {
  /** `field ASC|DESC` over `id`, `update_time`. */
  readonly sort?: string | undefined
}

/** The files attached to a person (`getPersonFiles`, `GET /v1/persons/{id}/files`); `limit` at most 100. */
export const files: OffsetResource<File, typeof File.Encoded, FilesOptions> = offsetResource(
  "getPersonFiles",
  "files",
  File,
  (options: FilesOptions) => ({ sort: options.sort })
)

/** A person's mail messages (`getPersonMailMessages`, `GET /v1/persons/{id}/mailMessages`). */
export const mailMessages: OffsetResource<MailMessageItem, typeof MailMessageItem.Encoded, OffsetOptions> = offsetResource(
  "getPersonMailMessages",
  "mailMessages",
  MailMessageItem,
  noParams
)

/** The products of a person's deals (`getPersonProducts`, `GET /v1/persons/{id}/products`), keyed by deal id. */
export const products: OffsetResource<ProductItem, typeof ProductItem.Encoded, OffsetOptions> = offsetResource(
  "getPersonProducts",
  "products",
  ProductItem,
  noParams
)

/** Options of `getPersonUpdates`. */
export interface UpdatesOptions extends OffsetOptions {
  /** `true` includes custom field changes (Pipedrive's `all_changes=1`). */
  readonly all_changes?: boolean | undefined
  /** Only these kinds of items, e.g. `["personChange", "follower"]`. */
  readonly items?: ReadonlyArray<string> | undefined
}

/** A person's updates, newest first (`getPersonUpdates`, `GET /v1/persons/{id}/flow`). */
export const updates: OffsetResource<FlowItem, typeof FlowItem.Encoded, UpdatesOptions> = offsetResource(
  "getPersonUpdates",
  "flow",
  FlowItem,
  (options: UpdatesOptions) => ({
    all_changes: options.all_changes === true ? "1" : undefined,
    items: options.items?.join(",")
  })
)

/** Options of `getPersonChangelog`. */
export interface ChangelogOptions {
  /** A `nextCursor` saved from an earlier page. */
  readonly cursor?: string | undefined
  readonly limit?: number | undefined
}

/** The body of `getPersonChangelog`. */
export const ChangelogResponse: CursorList<typeof ChangelogEntry> = CursorList(ChangelogEntry)

const changelogList = (
  id: number,
  options: ChangelogOptions = {}
): Effect.Effect<Pagination.CursorPage<ChangelogEntry>, PipedriveError, Client> =>
  PipedriveClient.request({
    operation: "getPersonChangelog",
    method: "GET",
    path: `/api/v1/persons/${id}/changelog`,
    urlParams: { cursor: options.cursor, limit: options.limit },
    response: ChangelogResponse
  }).pipe(
    Effect.map((body) => Pagination.cursorPage(body, options.cursor))
  )

const changelogPages = (id: number, options: ChangelogOptions = {}): Stream.Stream<Pagination.CursorPage<ChangelogEntry>, PipedriveError, Client> =>
  Pagination.cursorPages((cursor) => changelogList(id, { ...options, cursor }), options.cursor)

/** The changes of a person's fields (`getPersonChangelog`, `GET /v1/persons/{id}/changelog`), by cursor. */
export const changelog = {
  /** One page. */
  list: changelogList,
  /** Every page from `options.cursor` on. */
  pages: changelogPages,
  /** Every change, one page at a time. */
  stream: (id: number, options: ChangelogOptions = {}): Stream.Stream<ChangelogEntry, PipedriveError, Client> =>
    Pagination.items(changelogPages(id, options)),
  response: ChangelogResponse
}

/** The body of `getPersonUsers`: user ids. */
export const PermittedUsersResponse: Schema.Struct<{
  success: Schema.optional<typeof Schema.Boolean>
  data: Schema.optional<Schema.NullOr<Schema.Array$<typeof Schema.Number>>>
}> = Schema.Struct({
  success: Schema.optional(Schema.Boolean),
  data: Schema.optional(Schema.NullOr(Schema.Array(Schema.Number)))
})

/** The ids of the users allowed to see a person (`getPersonUsers`, `GET /v1/persons/{id}/permittedUsers`). */
export const permittedUsers = (id: number): Effect.Effect<ReadonlyArray<number>, PipedriveError, Client> =>
  PipedriveClient.request({
    operation: "getPersonUsers",
    method: "GET",
    path: `/api/v1/persons/${id}/permittedUsers`,
    response: PermittedUsersResponse
  }).pipe(Effect.map((body) => body.data ?? []))

/** The body of `getPersonFollowers` (v1). */
export const FollowersResponse: OffsetList<typeof FollowerV1, typeof RelatedObjects> = OffsetList(FollowerV1, RelatedObjects)
/** The body of `addPersonFollower` (v1). */
export const FollowerResponse: Single<typeof FollowerV1> = Single(FollowerV1)
/** The body of `deletePersonFollower` (v1) and `deletePersonPicture`: the deleted record's id. */
export const DeletedResponse: Single<Schema.Struct<{ id: Schema.optional<Schema.NullOr<typeof Schema.Number>> }>> = Single(Schema.Struct({ id: Schema.optional(Schema.NullOr(Schema.Number)) }))


/** A person's followers (v1): list, add a user, remove a follower record. */
export const followers = {
  /** Everyone following a person (`getPersonFollowers`, `GET /v1/persons/{id}/followers`). */
  list: (id: number): Effect.Effect<ReadonlyArray<FollowerV1>, PipedriveError, Client> =>
    PipedriveClient.request({
      operation: "getPersonFollowers",
      method: "GET",
      path: `/api/v1/persons/${id}/followers`,
      response: FollowersResponse
    }).pipe(Effect.map((body) => body.data ?? [])),
  /** Makes a user follow a person (`addPersonFollower`, `POST /v1/persons/{id}/followers`). */
  add: (id: number, userId: number): Effect.Effect<FollowerV1, PipedriveError, Client> => {
    const where = { operation: "addPersonFollower", method: "POST", path: `/api/v1/persons/${id}/followers` } as const
    return encodeBody(FollowerInput, where)({ user_id: userId }).pipe(
      Effect.flatMap((json) => PipedriveClient.request({ ...where, json, response: FollowerResponse })),
      Effect.map((body) => body.data)
    )
  },
  /**
   * Removes a follower (`deletePersonFollower`, `DELETE /v1/persons/{id}/followers/{follower_id}`).
   * `followerId` is the follower record's `id`, not the user's (v2's `Persons.followers.remove` takes the user).
   */
  remove: (id: number, followerId: number): Effect.Effect<number | undefined, PipedriveError, Client> =>
    PipedriveClient.request({
      operation: "deletePersonFollower",
      method: "DELETE",
      path: `/api/v1/persons/${id}/followers/${followerId}`,
      response: DeletedResponse
    }).pipe(Effect.map((body) => body.data.id ?? undefined))
}

/** The body of `mergePersons`: the surviving person. */
export const MergeResponse: Single<typeof Person> = Single(Person)

/** The body `mergePersons` sends. */
export const MergeInput: Schema.Struct<{
  merge_with_id: Schema.filter<typeof Schema.Int>
}> = Schema.Struct({ merge_with_id: Id })

/**
 * Merges person `id` into person `mergeWithId` (`mergePersons`, `PUT /v1/persons/{id}/merge`).
 * As Pipedrive does it, `mergeWithId` survives: it gains the other's emails, phones, followers and
 * history, and `id` is deleted. Returns the surviving person.
 *
 * @example
 * ```ts
 * import { PersonsV1 } from "@pipedrive-effect/core"
 *
 * // Fold the duplicate 42 into the original 7.
 * const survivor = PersonsV1.merge(42, 7)
 * ```
 */
export const merge = (id: number, mergeWithId: number): Effect.Effect<Person, PipedriveError, Client> => {
  const where = { operation: "mergePersons", method: "PUT", path: `/api/v1/persons/${id}/merge` } as const
  return encodeBody(MergeInput, where)({ merge_with_id: mergeWithId }).pipe(
    Effect.flatMap((json) => PipedriveClient.request({ ...where, json, response: MergeResponse })),
    Effect.map((body) => body.data)
  )
}

/**
 * The picture in an `addPersonPicture` body. Pipedrive sends the picture itself; the spec writes it
 * keyed by its id. Both decode to the picture (the keyed form is tried first: a picture's fields are
 * scalars, so an object of objects cannot be one).
 */
export const AddedPicture: Schema.Union<[
  Schema.transform<Schema.Record$<typeof Schema.String, typeof Picture>, Schema.SchemaClass<Picture>>,
  typeof Picture
]> = Schema.Union(
  Schema.transform(Schema.Record({ key: Schema.String, value: Picture }), Schema.typeSchema(Picture), {
    strict: true,
    decode: (keyed) => Object.values(keyed)[0] ?? {},
    encode: (picture) => ({ [String(picture.id ?? 0)]: picture })
  }),
  Picture
)

/** The body of `addPersonPicture`. */
export const PictureResponse: Single<typeof AddedPicture> = Single(AddedPicture)
