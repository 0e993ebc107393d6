/**
 * API v2 persons (`/api/v2/persons`), shaped after openapi-v2.yaml: RFC 3339 times, `emails` and
 * `phones` arrays, integer `owner_id` / `org_id`, custom fields under `custom_fields`, cursor
 * pagination.
 *
 * The company has contact sync off, so `postal_address`, `notes`, `im`, `birthday` and `job_title`
 * are accepted in bodies but neither stored nor returned, as Pipedrive does in that case; likewise
 * `marketing_status` (no Campaigns product).
 */
import { HttpRouter, HttpServerRequest } from "@effect/platform"
import { Effect, Option, Schema } from "effect"
import { NotFound, ValidationFailed } from "../http/ApiError.ts"
import * as Cursor from "../http/Cursor.ts"
import { jsonText, success } from "../http/Envelope.ts"
import type { CustomFieldValue, Person } from "../store/Person.ts"
import * as PersonInput from "../http/PersonInput.ts"
import type { Filter, NewPerson, PersonPatch, Position, Service as Store } from "../../PersonStore.ts"
import { PersonStore, positionOf, takePage } from "../../PersonStore.ts"
import * as Prefetch from "../http/Prefetch.ts"
import * as QueryParams from "../http/QueryParams.ts"
import { jsonObject as readBody } from "../http/RequestBody.ts"
import type { Seed } from "../store/Seed.ts"
import * as Time from "../store/Time.ts"

/** The extra fields `include_fields` may ask for (openapi-v2.yaml), and what the sandbox returns for each. */
export const INCLUDE_FIELDS = [
  "next_activity_id",
  "last_activity_id",
  "open_deals_count",
  "related_open_deals_count",
  "closed_deals_count",
  "related_closed_deals_count",
  "participant_open_deals_count",
  "participant_closed_deals_count",
  "email_messages_count",
  "activities_count",
  "done_activities_count",
  "undone_activities_count",
  "files_count",
  "notes_count",
  "followers_count",
  "won_deals_count",
  "related_won_deals_count",
  "lost_deals_count",
  "related_lost_deals_count",
  "last_incoming_mail_time",
  "last_outgoing_mail_time",
  "marketing_status",
  "doi_status",
  "smart_bcc_email"
] as const

/** How to render persons: which custom fields, extra fields, and whether options carry labels. */
export interface RenderOptions {
  /** Only these custom field keys; all when absent. */
  readonly customFieldKeys?: ReadonlyArray<string>
  readonly includeFields?: ReadonlyArray<(typeof INCLUDE_FIELDS)[number]>
  /** Single-option values as `{ id, label }` instead of the option id. */
  readonly optionLabels?: boolean
}

/** A person in API v2's shape. */
export const render = (seed: Seed, person: Person, options: RenderOptions = {}): Record<string, unknown> => {
  const body: Record<string, unknown> = {
    id: person.id,
    name: person.name,
    first_name: person.firstName,
    last_name: person.lastName,
    owner_id: person.ownerId,
    org_id: person.orgId,
    add_time: Time.formatRfc3339(person.addTime),
    update_time: Time.formatRfc3339(person.updateTime),
    emails: person.emails,
    phones: person.phones,
    is_deleted: false,
    visible_to: person.visibleTo,
    label_ids: person.labelIds,
    picture_id: null,
    custom_fields: renderCustomFields(seed, person.customFields, options)
  }
  for (const field of options.includeFields ?? []) {
    switch (field) {
      case "next_activity_id":
      case "last_activity_id":
      case "last_incoming_mail_time":
      case "last_outgoing_mail_time":
        body[field] = null
        break
      case "smart_bcc_email":
        body[field] = seed.ccEmail
        break
      case "marketing_status":
      case "doi_status":
        // Only with the Campaigns product, which the sandbox company does not have.
        break
      case "followers_count":
        body[field] = 1
        break
      default:
        body[field] = 0
    }
  }
  return body
}

const renderCustomFields = (
  seed: Seed,
  values: Readonly<Record<string, CustomFieldValue>>,
  options: RenderOptions
): Readonly<Record<string, unknown>> => {
  // Like Pipedrive: every field that exists now (null when the person has no value), none that was
  // deleted, whatever the person stored.
  const out: Record<string, unknown> = {}
  for (const field of seed.customFields) {
    if (options.customFieldKeys !== undefined && !options.customFieldKeys.includes(field.key)) continue
    const value = values[field.key] ?? null
    const option = options.optionLabels === true && typeof value === "number"
      ? field.options?.find((o) => o.id === value)
      : undefined
    out[field.key] = option === undefined ? value : { id: option.id, label: option.label }
  }
  return out
}

const renderOptions = (params: URLSearchParams) =>
  Effect.gen(function*() {
    const includeFields = yield* QueryParams.list(params, "include_fields", INCLUDE_FIELDS.length)
    const unknownField = includeFields?.find((field) => !INCLUDE_FIELDS.some((known) => known === field))
    if (unknownField !== undefined) {
      return yield* new ValidationFailed({
        field: "include_fields",
        reason: `${JSON.stringify(unknownField)} is not one of ${INCLUDE_FIELDS.join(", ")}`
      })
    }
    const customFieldKeys = yield* QueryParams.list(params, "custom_fields", 15)
    const optionLabels = yield* QueryParams.boolean(params, "include_option_labels")
    yield* QueryParams.boolean(params, "include_labels")
    const options: RenderOptions = {
      includeFields: INCLUDE_FIELDS.filter((field) => includeFields?.includes(field) === true),
      ...(customFieldKeys === undefined ? {} : { customFieldKeys }),
      ...(optionLabels === undefined ? {} : { optionLabels })
    }
    return options
  })

const request = Effect.map(HttpServerRequest.HttpServerRequest, (request) => ({
  request,
  params: QueryParams.fromUrl(request.url)
}))

const pathId = QueryParams.pathInteger("id")

const personNotFound = () => new NotFound({ error: "Person not found" })

const SORT_FIELDS = ["id", "update_time", "add_time"] as const

/** A parsed `GET /api/v2/persons`: what to list, how many, and how to render them. */
interface ListQuery {
  readonly sortBy: Cursor.SortField
  readonly direction: "asc" | "desc"
  readonly limit: number
  /** `undefined` when nothing can match (a `deal_id`: the sandbox has no deals). */
  readonly filter: Filter | undefined
  readonly after?: Position
  readonly options: RenderOptions
}

const parseList = (params: URLSearchParams) =>
  Effect.gen(function*() {
    const filterId = yield* QueryParams.integer(params, "filter_id", { min: 1 })
    const ids = yield* QueryParams.integerList(params, "ids", 100)
    const ownerId = yield* QueryParams.integer(params, "owner_id", { min: 1 })
    const orgId = yield* QueryParams.integer(params, "org_id", { min: 1 })
    const dealId = yield* QueryParams.integer(params, "deal_id", { min: 1 })
    const updatedSince = yield* QueryParams.rfc3339(params, "updated_since")
    const updatedUntil = yield* QueryParams.rfc3339(params, "updated_until")
    const sortBy = (yield* QueryParams.literal(params, "sort_by", SORT_FIELDS)) ?? "id"
    const direction = (yield* QueryParams.literal(params, "sort_direction", ["asc", "desc"])) ?? "asc"
    const options = yield* renderOptions(params)
    const limit = (yield* QueryParams.integer(params, "limit", { min: 1, max: 500 })) ?? 100
    const cursorText = params.get("cursor")
    const cursor = cursorText === null || cursorText === "" ? undefined : yield* Cursor.decode(cursorText)
    if (cursor !== undefined && (cursor.field !== sortBy || cursor.direction !== direction)) {
      return yield* new ValidationFailed({
        field: "cursor",
        reason: `was issued for sort_by=${cursor.field}&sort_direction=${cursor.direction}, not ${sortBy}&${direction}`
      })
    }
    const times = {
      ...(updatedSince === undefined ? {} : { updatedSince }),
      ...(updatedUntil === undefined ? {} : { updatedUntil })
    }
    // filter_id wins over ids, owner_id, org_id and deal_id, as the spec says.
    const filter: Filter | undefined = filterId !== undefined
      ? { idMultipleOf: filterId, ...times }
      : dealId !== undefined
      ? undefined
      : {
        ...(ids === undefined ? {} : { ids }),
        ...(ownerId === undefined ? {} : { ownerId }),
        ...(orgId === undefined ? {} : { orgId }),
        ...times
      }
    const query: ListQuery = {
      sortBy,
      direction,
      limit,
      filter,
      options,
      ...(cursor === undefined ? {} : { after: cursor.position })
    }
    return query
  })

/** One page as the response body, and where the next page starts (if there is one). */
const listPage = (store: Store, query: ListQuery) => {
  const { more, persons } = query.filter === undefined
    ? { persons: [], more: false }
    : takePage(store.scan({
      order: query.sortBy,
      direction: query.direction,
      filter: query.filter,
      ...(query.after === undefined ? {} : { after: query.after })
    }), query.limit)
  const last = persons[persons.length - 1]
  const next = more && last !== undefined ? positionOf(last, query.sortBy) : undefined
  const nextCursor = next === undefined
    ? null
    : Cursor.encode({ field: query.sortBy, direction: query.direction, position: next })
  const body = JSON.stringify({
    success: true,
    data: persons.map((person) => render(store.seed, person, query.options)),
    additional_data: { next_cursor: nextCursor }
  })
  return { body, next, nextCursor }
}

/** `GET /api/v2/persons`; the page a walk will ask for next is built ahead (see `Prefetch`). */
const makeList = (store: Store, prefetch: Prefetch.Prefetch) => {
  const respond = (params: URLSearchParams, query: ListQuery, version: number): Prefetch.Page => {
    const page = listPage(store, query)
    if (page.next === undefined || page.nextCursor === null) return { body: page.body, onServe: Effect.void }
    const next = new URLSearchParams(params)
    next.set("cursor", page.nextCursor)
    const nextQuery: ListQuery = { ...query, after: page.next }
    return {
      body: page.body,
      onServe: prefetch.ahead(Prefetch.keyOf(LIST_PATH, next), version, () => respond(next, nextQuery, version))
    }
  }
  return Effect.gen(function*() {
    const { params } = yield* request
    const version = store.version()
    const page = prefetch.take(Prefetch.keyOf(LIST_PATH, params), version) ??
      respond(params, yield* parseList(params), version)
    yield* page.onServe
    return jsonText(200, page.body)
  })
}

const LIST_PATH = "/api/v2/persons"

/** `GET /api/v2/persons/{id}`. */
export const get = Effect.gen(function*() {
  const store = yield* PersonStore
  const id = yield* pathId
  const { params } = yield* request
  const options = yield* renderOptions(params)
  const person = yield* Effect.flatMap(store.get(id), Option.match({
    onNone: () => Effect.fail(personNotFound()),
    onSome: Effect.succeed
  }))
  return success(render(store.seed, person, options))
})

const writableFields = {
  owner_id: Schema.optional(PersonInput.Id),
  org_id: Schema.optional(Schema.NullOr(PersonInput.Id)),
  emails: Schema.optional(Schema.Array(PersonInput.ContactInput)),
  phones: Schema.optional(Schema.Array(PersonInput.ContactInput)),
  visible_to: Schema.optional(Schema.Literal(1, 3, 5, 7)),
  label_ids: Schema.optional(Schema.Array(PersonInput.Id)),
  custom_fields: Schema.optional(
    Schema.Record({ key: Schema.String, value: Schema.Unknown }).annotations({
      message: () => "must be an object keyed by custom field key"
    })
  ),
  // Contact-sync and Campaigns fields: type-checked, then ignored (see the module comment).
  postal_address: Schema.optional(Schema.NullOr(Schema.Union(Schema.String, Schema.Record({ key: Schema.String, value: Schema.Unknown })))),
  notes: Schema.optional(Schema.NullOr(Schema.String)),
  im: Schema.optional(Schema.Array(PersonInput.ContactInput)),
  birthday: Schema.optional(Schema.NullOr(Schema.String)),
  job_title: Schema.optional(Schema.NullOr(Schema.String)),
  marketing_status: Schema.optional(Schema.Literal("no_consent", "unsubscribed", "subscribed", "archived"))
}

/** The body of `POST /api/v2/persons`. */
export const CreateBody = Schema.Struct({
  name: PersonInput.Name,
  add_time: Schema.optional(Schema.String),
  ...writableFields
})

/** The body of `PATCH /api/v2/persons/{id}`. */
export const UpdateBody = Schema.Struct({
  name: Schema.optional(PersonInput.Name),
  ...writableFields
})

/** The checks both bodies share, turning wire names into the store's. */
const checkWritable = (seed: Seed, body: typeof UpdateBody.Type) =>
  Effect.gen(function*() {
    yield* PersonInput.checkOwner(seed, "owner_id", body.owner_id)
    yield* PersonInput.checkOrganization(seed, "org_id", body.org_id)
    const customFields = body.custom_fields === undefined
      ? undefined
      : yield* PersonInput.customFields(seed, body.custom_fields, "custom_fields.")
    return {
      ...(body.name === undefined ? {} : { name: body.name.trim() }),
      ...(body.owner_id === undefined ? {} : { ownerId: body.owner_id }),
      ...(body.org_id === undefined ? {} : { orgId: body.org_id }),
      ...(body.emails === undefined ? {} : { emails: PersonInput.normalizeContacts(body.emails, "work") }),
      ...(body.phones === undefined ? {} : { phones: PersonInput.normalizeContacts(body.phones, "work") }),
      ...(body.visible_to === undefined ? {} : { visibleTo: body.visible_to }),
      ...(body.label_ids === undefined ? {} : { labelIds: body.label_ids }),
      ...(customFields === undefined ? {} : { customFields })
    } satisfies PersonPatch
  })

/** `POST /api/v2/persons`. */
export const create = Effect.gen(function*() {
  const store = yield* PersonStore
  const body = yield* PersonInput.decode(CreateBody, yield* readBody)
  let addTime: number | undefined
  if (body.add_time !== undefined) {
    addTime = Time.parse(body.add_time, { allowV1: true })
    if (addTime === undefined) {
      return yield* new ValidationFailed({ field: "add_time", reason: "must be a date-time like 2024-01-01T00:00:00Z" })
    }
  }
  const fields = yield* checkWritable(store.seed, body)
  const input: NewPerson = { ...fields, name: body.name.trim(), ...(addTime === undefined ? {} : { addTime }) }
  const person = yield* store.create(input)
  return success(render(store.seed, person))
})

/** `PATCH /api/v2/persons/{id}`. */
export const update = Effect.gen(function*() {
  const store = yield* PersonStore
  const id = yield* pathId
  const body = yield* PersonInput.decode(UpdateBody, yield* readBody)
  const patch = yield* checkWritable(store.seed, body)
  const person = yield* Effect.catchTag(store.update(id, patch), "PersonNotFound", () => Effect.fail(personNotFound()))
  return success(render(store.seed, person))
})

/** `DELETE /api/v2/persons/{id}`. */
export const remove = Effect.gen(function*() {
  const store = yield* PersonStore
  const id = yield* pathId
  yield* Effect.catchTag(store.delete(id), "PersonNotFound", () => Effect.fail(personNotFound()))
  return success({ id })
})

/** The routes of this module; each server builds its own (pages built ahead are per server). */
export const router = Effect.gen(function*() {
  const store = yield* PersonStore
  const prefetch = yield* Prefetch.make(store.version)
  return HttpRouter.empty.pipe(
    HttpRouter.get(LIST_PATH, makeList(store, prefetch)),
    HttpRouter.post("/api/v2/persons", create),
    HttpRouter.get("/api/v2/persons/:id", get),
    HttpRouter.patch("/api/v2/persons/:id", update),
    HttpRouter.del("/api/v2/persons/:id", remove)
  )
})
