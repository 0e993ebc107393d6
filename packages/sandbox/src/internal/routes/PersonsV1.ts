/**
 * API v1 persons (`/api/v1/persons`), shaped after the January 2026 v1 spec (the last with these
 * deprecated endpoints) and its example bodies: `owner_id` and `org_id` as objects, `email` and
 * `phone` as arrays, custom fields as top-level hash keys, `YYYY-MM-DD HH:MM:SS` times, `visible_to`
 * as a string, `related_objects`, and offset pagination.
 *
 * Offsets are resolved cheaply for sequential walks: the position where a page ended is remembered
 * (until the store changes), so the next page resumes there instead of skipping `start` persons.
 * Any other `start` is honoured by skipping, which costs `start` steps.
 */
import { HttpRouter, HttpServerRequest } from "@effect/platform"
import { Effect, Option } from "effect"
import * as CustomFieldValues from "../store/CustomFieldValues.ts"
import { NotFound, ValidationFailed } from "../http/ApiError.ts"
import { jsonText, success } from "../http/Envelope.ts"
import type { Person } from "../store/Person.ts"
import { primaryEmail } from "../store/Person.ts"
import type { Filter, Order, Position, Service as Store } from "../../PersonStore.ts"
import { PersonStore, positionOf, takePage } from "../../PersonStore.ts"
import * as Prefetch from "../http/Prefetch.ts"
import * as QueryParams from "../http/QueryParams.ts"
import * as Time from "../store/Time.ts"
import type { User } from "../store/Seed.ts"
import { organizationRef, userRef } from "../store/V1Refs.ts"

const unknownUser = (id: number): User => ({ id, name: "", email: "", has_pic: 0, pic_hash: null, active_flag: false })

/** Pipedrive v1 sends one empty entry, not an empty array, for a person without emails or phones. */
const contacts = (entries: Person["emails"]) =>
  entries.length === 0 ? [{ value: "", primary: true }] : entries

/** A person in API v1's shape. */
export const render = (store: Store, person: Person): Record<string, unknown> => {
  const seed = store.seed
  const owner = seed.user(person.ownerId) ?? unknownUser(person.ownerId)
  const org = person.orgId === null ? undefined : seed.organization(person.orgId)
  const body: Record<string, unknown> = {
    id: person.id,
    company_id: seed.companyId,
    owner_id: userRef(owner),
    org_id: org === undefined ? null : organizationRef(store, org),
    name: person.name,
    first_name: person.firstName,
    last_name: person.lastName,
    open_deals_count: 0,
    related_open_deals_count: 0,
    closed_deals_count: 0,
    related_closed_deals_count: 0,
    participant_open_deals_count: 0,
    participant_closed_deals_count: 0,
    email_messages_count: 0,
    activities_count: 0,
    done_activities_count: 0,
    undone_activities_count: 0,
    files_count: 0,
    notes_count: 0,
    followers_count: 1,
    won_deals_count: 0,
    related_won_deals_count: 0,
    lost_deals_count: 0,
    related_lost_deals_count: 0,
    active_flag: true,
    phone: contacts(person.phones),
    email: contacts(person.emails),
    primary_email: primaryEmail(person),
    first_char: person.name.charAt(0).toLowerCase(),
    update_time: Time.formatV1Time(person.updateTime),
    add_time: Time.formatV1Time(person.addTime),
    visible_to: String(person.visibleTo),
    picture_id: null,
    next_activity_date: null,
    next_activity_time: null,
    next_activity_id: null,
    last_activity_id: null,
    last_activity_date: null,
    last_incoming_mail_time: null,
    last_outgoing_mail_time: null,
    label: person.labelIds[0] ?? null,
    label_ids: person.labelIds,
    org_name: org?.name ?? null,
    owner_name: owner.name,
    cc_email: seed.ccEmail
  }
  // Custom fields are top-level keys in v1, composite ones split into `<hash>_<subfield>` keys.
  CustomFieldValues.renderV1Values(seed, person.customFields, body)
  return body
}

/** `related_objects`: the users and organizations the persons refer to. */
const relatedObjects = (store: Store, persons: ReadonlyArray<Person>) => {
  const user: Record<string, unknown> = {}
  const organization: Record<string, unknown> = {}
  for (const person of persons) {
    const owner = store.seed.user(person.ownerId)
    if (owner !== undefined) user[owner.id] = owner
    const org = person.orgId === null ? undefined : store.seed.organization(person.orgId)
    if (org !== undefined) {
      const { active_flag, address, cc_email, id, name, owner_id } = org
      organization[org.id] = { id, name, people_count: store.peopleCount(id), owner_id, address, active_flag, cc_email }
    }
  }
  return { ...(Object.keys(organization).length > 0 ? { organization } : {}), user }
}

const SORT_FIELDS: ReadonlyArray<Order> = ["id", "name", "add_time", "update_time"]

interface Sort {
  readonly order: Order
  readonly direction: "asc" | "desc"
}

/** Parses `sort` (`field_name ASC`); the sandbox sorts by one field of `SORT_FIELDS`. */
const parseSort = (text: string | null): Effect.Effect<Sort, ValidationFailed> => {
  if (text === null || text.trim() === "") return Effect.succeed({ order: "id", direction: "asc" })
  const parts = text.split(",").map((part) => part.trim()).filter((part) => part !== "")
  const match = parts.length === 1 ? /^(\w+)(?:\s+(asc|desc))?$/i.exec(parts[0]!) : null
  const order = SORT_FIELDS.find((field) => field === match?.[1])
  if (match === null || order === undefined) {
    return Effect.fail(
      new ValidationFailed({
        field: "sort",
        reason: `the sandbox sorts by one of ${SORT_FIELDS.join(", ")}, optionally followed by ASC or DESC; got ${JSON.stringify(text)}`
      })
    )
  }
  return Effect.succeed({ order, direction: match[2]?.toLowerCase() === "desc" ? "desc" : "asc" })
}

/** A parsed `GET /api/v1/persons`. */
interface ListQuery extends Sort {
  readonly filter: Filter
  readonly start: number
  readonly limit: number
}

const parseList = (params: URLSearchParams) =>
  Effect.gen(function*() {
    const userId = yield* QueryParams.integer(params, "user_id", { min: 1 })
    const filterId = yield* QueryParams.integer(params, "filter_id", { min: 1 })
    const firstChar = params.get("first_char")
    const start = (yield* QueryParams.integer(params, "start", { min: 0 })) ?? 0
    const limit = (yield* QueryParams.integer(params, "limit", { min: 1, max: 500 })) ?? 100
    const { direction, order } = yield* parseSort(params.get("sort"))
    // filter_id takes precedence over user_id (the spec's words).
    const filter: Filter = {
      ...(filterId !== undefined ? { idMultipleOf: filterId } : userId !== undefined ? { ownerId: userId } : {}),
      ...(firstChar === null || firstChar === "" ? {} : { namePrefix: firstChar.toLowerCase() })
    }
    const query: ListQuery = { order, direction, filter, start, limit }
    return query
  })

/**
 * One page as the response body, and the position of its last person when more follow. `after`,
 * when given, is where the previous page (ending at `start`) stopped, which saves skipping.
 */
const listPage = (store: Store, query: ListQuery, after: Position | undefined) => {
  const { direction, filter, limit, order, start } = query
  const iterator = store.scan({ order, direction, filter, ...(after === undefined ? {} : { after }) })
  if (after === undefined) {
    for (let skipped = 0; skipped < start; skipped++) if (iterator.next().done === true) break
  }
  const { more, persons } = takePage(iterator, limit)
  const last = persons[persons.length - 1]
  const pagination = { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) }
  const body = JSON.stringify(
    persons.length === 0
      ? { success: true, data: null, additional_data: { pagination } }
      : {
        success: true,
        data: persons.map((person) => render(store, person)),
        additional_data: { pagination },
        related_objects: relatedObjects(store, persons)
      }
  )
  return { body, next: more && last !== undefined ? positionOf(last, order) : undefined }
}

/**
 * Builds the `GET /api/v1/persons` handler. It remembers where recent pages ended, so the next
 * offset resumes there, and builds the page a walk will ask for next ahead (see `Prefetch`);
 * both only while the store is unchanged, so answers are always those of plain offsets.
 */
const makeList = Effect.gen(function*() {
  const store = yield* PersonStore
  const prefetch = yield* Prefetch.make(store.version)
  const resume = new Map<string, { readonly version: number; readonly position: Position }>()
  const remember = (key: string, value: { readonly version: number; readonly position: Position }) => {
    resume.delete(key)
    resume.set(key, value)
    if (resume.size > 256) resume.delete(resume.keys().next().value!)
  }

  const respond = (params: URLSearchParams, query: ListQuery, after: Position | undefined, version: number): Prefetch.Page => {
    const page = listPage(store, query, after)
    if (page.next === undefined) return { body: page.body, onServe: Effect.void }
    const nextStart = query.start + query.limit
    const nextAfter = page.next
    remember(resumeKey(query, nextStart), { version, position: nextAfter })
    const next = new URLSearchParams(params)
    next.set("start", String(nextStart))
    const nextQuery: ListQuery = { ...query, start: nextStart }
    return {
      body: page.body,
      onServe: prefetch.ahead(
        Prefetch.keyOf(LIST_PATH, next),
        version,
        () => respond(next, nextQuery, nextAfter, version)
      )
    }
  }

  return Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const params = QueryParams.fromUrl(request.url)
    const version = store.version()
    let page = prefetch.take(Prefetch.keyOf(LIST_PATH, params), version)
    if (page === undefined) {
      const query = yield* parseList(params)
      const known = query.start === 0 ? undefined : resume.get(resumeKey(query, query.start))
      page = respond(params, query, known !== undefined && known.version === version ? known.position : undefined, version)
    }
    yield* page.onServe
    return jsonText(200, page.body)
  })
})

const LIST_PATH = "/api/v1/persons"

/** Identifies an offset in a listing, whatever the page size. */
const resumeKey = (query: ListQuery, start: number) =>
  `${JSON.stringify([query.order, query.direction, query.filter])}@${start}`

/** `GET /api/v1/persons/{id}`. */
export const get = Effect.gen(function*() {
  const store = yield* PersonStore
  const id = yield* QueryParams.pathInteger("id")
  const found = yield* store.get(id)
  if (Option.isNone(found)) return yield* new NotFound({ error: "Person not found" })
  const person = found.value
  return success(render(store, person), {
    additional_data: { dropbox_email: `${store.seed.ccEmail.replace("@", `+person${person.id}@`)}` },
    related_objects: relatedObjects(store, [person])
  })
})

/** The routes of this module; each server builds its own (the list keeps per-server state). */
export const router = Effect.map(makeList, (list) =>
  HttpRouter.empty.pipe(
    HttpRouter.get(LIST_PATH, list),
    HttpRouter.get("/api/v1/persons/:id", get)
  ))
