/**
 * A person's followers and picture through API v2. Re-exported from `Persons` as
 * `Persons.followers.list(id)`, `Persons.followers.add(id, userId)`, `Persons.followers.remove(id, userId)`,
 * `Persons.followers.changelog(id)` and `Persons.picture(id)`.
 *
 * @example
 * ```ts
 * import { Persons } from "@pipedrive-effect/core"
 * import { Effect, Stream } from "effect"
 *
 * const followerIds = Persons.followers.stream(12).pipe(Stream.map((f) => f.user_id), Stream.runCollect)
 * ```
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Pagination from "../../Pagination.ts"
import { encodeBody } from "../RequestBody.ts"
import * as PipedriveClient from "../../PipedriveClient.ts"
import type { PipedriveError } from "../../PipedriveError.ts"
import { CursorList, Single } from "../Envelope.ts"
import { Follower, FollowerChange, FollowerInput, Picture } from "../../schema/PersonRelations.ts"

type Client = PipedriveClient.PipedriveClient

/** Cursor options of the v2 follower lists. */
export interface CursorOptions {
  /** 1 to 500 (Pipedrive's default 100). */
  readonly limit?: number | undefined
  /** A `nextCursor` saved from an earlier page. */
  readonly cursor?: string | undefined
}

/** The body of `getPersonFollowers` (v2). */
export const FollowersResponse: CursorList<typeof Follower> = CursorList(Follower)
/** The body of `addPersonFollower` (v2, status 201). */
export const FollowerResponse: Single<typeof Follower> = Single(Follower)
/** The body of `deletePersonFollower` (v2): the user who stopped following. */
export const DeletedFollowerResponse: Single<Schema.Struct<{
  user_id: Schema.optional<Schema.NullOr<typeof Schema.Number>>
}>> = Single(Schema.Struct({ user_id: Schema.optional(Schema.NullOr(Schema.Number)) }))
/** The body of `getPersonFollowersChangelog`. */
export const FollowersChangelogResponse: CursorList<typeof FollowerChange> = CursorList(FollowerChange)
/** The body of `getPersonPicture`. */
export const PictureResponse: Single<typeof Picture> = Single(Picture)

/** The ways to read a cursor-paginated v2 list about a person. */
export interface CursorResource<A> {
  /** One page. */
  readonly list: (id: number, options?: CursorOptions) => Effect.Effect<Pagination.CursorPage<A>, PipedriveError, Client>
  /** Every page from `options.cursor` on, fetched as the stream is pulled. */
  readonly pages: (id: number, options?: CursorOptions) => Stream.Stream<Pagination.CursorPage<A>, PipedriveError, Client>
  /** Every item, one page at a time. */
  readonly stream: (id: number, options?: CursorOptions) => Stream.Stream<A, PipedriveError, Client>
}

const cursorList = <A, I>(operation: string, suffix: string, item: Schema.Schema<A, I>): CursorResource<A> => {
  const response = CursorList(item)
  const list = (id: number, options: CursorOptions = {}): Effect.Effect<Pagination.CursorPage<A>, PipedriveError, Client> =>
    PipedriveClient.request({
      operation,
      method: "GET",
      path: `/api/v2/persons/${id}/${suffix}`,
      urlParams: { limit: options.limit, cursor: options.cursor },
      response
    }).pipe(
      Effect.map((body) => Pagination.cursorPage(body, options.cursor))
    )
  const pages = (id: number, options: CursorOptions = {}): Stream.Stream<Pagination.CursorPage<A>, PipedriveError, Client> =>
    Pagination.cursorPages((cursor) => list(id, { ...options, cursor }), options.cursor)
  return { list, pages, stream: (id: number, options: CursorOptions = {}) => Pagination.items(pages(id, options)) }
}

const followerList: CursorResource<Follower> = cursorList("getPersonFollowers", "followers", Follower)
const changelogList: CursorResource<FollowerChange> = cursorList("getPersonFollowersChangelog", "followers/changelog", FollowerChange)

/** A person's followers (v2). */
export const followers = {
  /** One page of followers (`getPersonFollowers`, `GET /api/v2/persons/{id}/followers`). */
  list: followerList.list,
  /** Every page from `options.cursor` on. */
  pages: followerList.pages,
  /** Every follower. */
  stream: followerList.stream,
  /** Makes a user follow a person (`addPersonFollower`, `POST /api/v2/persons/{id}/followers`). */
  add: (id: number, userId: number): Effect.Effect<Follower, PipedriveError, Client> => {
    const where = { operation: "addPersonFollower", method: "POST", path: `/api/v2/persons/${id}/followers` } as const
    return encodeBody(FollowerInput, where)({ user_id: userId }).pipe(
      Effect.flatMap((json) => PipedriveClient.request({ ...where, json, response: FollowerResponse })),
      Effect.map((body) => body.data)
    )
  },
  /**
   * Stops a user following a person (`deletePersonFollower`,
   * `DELETE /api/v2/persons/{id}/followers/{follower_id}`); in v2 `follower_id` is the user's id.
   */
  remove: (id: number, userId: number): Effect.Effect<number | undefined, PipedriveError, Client> =>
    PipedriveClient.request({
      operation: "deletePersonFollower",
      method: "DELETE",
      path: `/api/v2/persons/${id}/followers/${userId}`,
      response: DeletedFollowerResponse
    }).pipe(Effect.map((body) => body.data.user_id ?? undefined)),
  /** One page of follow/unfollow events (`getPersonFollowersChangelog`, `GET /api/v2/persons/{id}/followers/changelog`). */
  changelog: changelogList.list,
  /** Every page of follow/unfollow events. */
  changelogPages: changelogList.pages,
  /** Every follow/unfollow event. */
  changelogStream: changelogList.stream
}

/** A person's picture (`getPersonPicture`, `GET /api/v2/persons/{id}/picture`); `NotFound` when it has none. */
export const picture = (id: number): Effect.Effect<Picture, PipedriveError, Client> =>
  PipedriveClient.request({
    operation: "getPersonPicture",
    method: "GET",
    path: `/api/v2/persons/${id}/picture`,
    response: PictureResponse
  }).pipe(Effect.map((body) => body.data))
