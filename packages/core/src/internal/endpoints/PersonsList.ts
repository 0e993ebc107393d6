/**
 * Listing persons through API v2 (`GET /api/v2/persons`): one page, every page, every person.
 * `Persons` re-exports it; it is a module of its own so that the partitioned walk, built on it, is
 * not in a circle with `Persons`.
 */
import * as Effect from "effect/Effect"
import type * as Stream from "effect/Stream"
import * as Pagination from "../../Pagination.ts"
import * as PipedriveClient from "../../PipedriveClient.ts"
import type { PipedriveError } from "../../PipedriveError.ts"
import { Person } from "../../schema/PersonV2.ts"
import { CursorList } from "../Envelope.ts"

/** Extra fields `include_fields` can ask for. */
export type IncludeField =
  | "next_activity_id"
  | "last_activity_id"
  | "open_deals_count"
  | "related_open_deals_count"
  | "closed_deals_count"
  | "related_closed_deals_count"
  | "participant_open_deals_count"
  | "participant_closed_deals_count"
  | "email_messages_count"
  | "activities_count"
  | "done_activities_count"
  | "undone_activities_count"
  | "files_count"
  | "notes_count"
  | "followers_count"
  | "won_deals_count"
  | "related_won_deals_count"
  | "lost_deals_count"
  | "related_lost_deals_count"
  | "last_incoming_mail_time"
  | "last_outgoing_mail_time"
  | "marketing_status"
  | "doi_status"
  | "smart_bcc_email"

/** What to read of each person: extra fields and custom fields (shared by `list` and `get`). */
export interface ReadOptions {
  readonly include_fields?: ReadonlyArray<IncludeField> | undefined
  /** Custom field keys to return (at most 15); all when left out. */
  readonly custom_fields?: ReadonlyArray<string> | undefined
  /** Option fields as `{ id, label }` objects instead of ids. */
  readonly include_option_labels?: boolean | undefined
  readonly include_labels?: boolean | undefined
}

/** Every query option of `GET /api/v2/persons`, named as Pipedrive names them. */
export interface ListOptions extends ReadOptions {
  readonly filter_id?: number | undefined
  /** Up to 100 ids. Ignored by Pipedrive when `filter_id` is set. */
  readonly ids?: ReadonlyArray<number> | undefined
  readonly owner_id?: number | undefined
  readonly org_id?: number | undefined
  readonly deal_id?: number | undefined
  /** RFC 3339; persons with `update_time` at or after it. */
  readonly updated_since?: string | undefined
  /** RFC 3339; persons with `update_time` before it. */
  readonly updated_until?: string | undefined
  readonly sort_by?: "id" | "update_time" | "add_time" | undefined
  readonly sort_direction?: "asc" | "desc" | undefined
  /** Page size, 1 to 500 (Pipedrive's default 100). */
  readonly limit?: number | undefined
  /** Where to start: a `nextCursor` saved from an earlier page. */
  readonly cursor?: string | undefined
}

export const join = (values: ReadonlyArray<string | number> | undefined) => values === undefined ? undefined : values.join(",")

export const readParams = (options: ReadOptions) => ({
  include_fields: join(options.include_fields),
  custom_fields: join(options.custom_fields),
  include_option_labels: options.include_option_labels,
  include_labels: options.include_labels
})

/** The body of `GET /api/v2/persons`. */
export const ListResponse: CursorList<typeof Person> = CursorList(Person)

/** One page of persons (`getPersons`, `GET /api/v2/persons`). */
export const list = (
  options: ListOptions = {}
): Effect.Effect<Pagination.CursorPage<Person>, PipedriveError, PipedriveClient.PipedriveClient> =>
  PipedriveClient.request({
    operation: "getPersons",
    method: "GET",
    path: "/api/v2/persons",
    urlParams: {
      ...readParams(options),
      filter_id: options.filter_id,
      ids: join(options.ids),
      owner_id: options.owner_id,
      org_id: options.org_id,
      deal_id: options.deal_id,
      updated_since: options.updated_since,
      updated_until: options.updated_until,
      sort_by: options.sort_by,
      sort_direction: options.sort_direction,
      limit: options.limit,
      cursor: options.cursor
    },
    response: ListResponse
  }).pipe(
    Effect.map((body) => Pagination.cursorPage(body, options.cursor))
  )

/** Every page of persons matching `options`, from `options.cursor` on, fetched as the stream is pulled. */
export const pages = (
  options: ListOptions = {}
): Stream.Stream<Pagination.CursorPage<Person>, PipedriveError, PipedriveClient.PipedriveClient> =>
  Pagination.cursorPages((cursor) => list({ ...options, cursor }), options.cursor)

/** Every person matching `options`, one page at a time (use `limit: 500` for the fewest requests). */
export const stream = (
  options: ListOptions = {}
): Stream.Stream<Person, PipedriveError, PipedriveClient.PipedriveClient> => Pagination.items(pages(options))

