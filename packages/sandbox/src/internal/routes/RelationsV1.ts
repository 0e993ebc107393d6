/**
 * API v1 routes about one person (`/api/v1/persons/{id}/…`), shaped after the January 2026 v1 spec:
 * the offset lists (activities, deals, files, mail messages, products, flow), the cursor changelog,
 * permitted users, followers, the picture (multipart upload) and merging two persons.
 */
import { Buffer } from "node:buffer"
import { HttpIncomingMessage, HttpRouter, HttpServerRequest, Multipart } from "@effect/platform"
import { Clock, Effect, Option, Stream } from "effect"
import { NotFound, PayloadTooLarge, ValidationFailed } from "../http/ApiError.ts"
import { success } from "../http/Envelope.ts"
import * as Generated from "../store/Generated.ts"
import type { Person } from "../store/Person.ts"
import type { Service as Store } from "../../PersonStore.ts"
import { render as renderPersonV1 } from "./PersonsV1.ts"
import * as QueryParams from "../http/QueryParams.ts"
import type { FieldChange, Follower, FlowEvent, Relations } from "../store/Relations.ts"
import { renderPictureV1 } from "../store/Relations.ts"
import { jsonObject as readBody } from "../http/RequestBody.ts"
import * as Time from "../store/Time.ts"

/** The person the path names, or a 404. */
export const pathPerson = (store: Store) =>
  Effect.flatMap(QueryParams.pathInteger("id"), (id) =>
    Effect.flatMap(store.get(id), Option.match({
      onNone: () => Effect.fail(new NotFound({ error: "Person not found" })),
      onSome: Effect.succeed
    })))

const query = Effect.map(HttpServerRequest.HttpServerRequest, (request) => QueryParams.fromUrl(request.url))

const now = Effect.map(Clock.currentTimeMillis, Time.toSeconds)

/** One offset page of `items` as Pipedrive v1 sends it: `data: null` when empty. */
const offsetPage = (
  params: URLSearchParams,
  items: ReadonlyArray<unknown>,
  maxLimit: number,
  extra: (page: ReadonlyArray<unknown>) => Record<string, unknown> = () => ({})
) =>
  Effect.gen(function*() {
    const start = (yield* QueryParams.integer(params, "start", { min: 0 })) ?? 0
    const limit = (yield* QueryParams.integer(params, "limit", { min: 1, max: maxLimit })) ?? 100
    const page = items.slice(start, start + limit)
    const more = start + limit < items.length
    const pagination = { start, limit, more_items_in_collection: more, ...(more ? { next_start: start + limit } : {}) }
    return success(page.length === 0 ? null : page, { additional_data: { pagination }, ...extra(page) })
  })

/** Parses a one-field `sort` (`field ASC|DESC`) over `fields` and sorts `items` by it. */
const sorted = (
  params: URLSearchParams,
  items: ReadonlyArray<Record<string, unknown>>,
  fields: ReadonlyArray<string>
): Effect.Effect<ReadonlyArray<Record<string, unknown>>, ValidationFailed> => {
  const text = params.get("sort")
  if (text === null || text.trim() === "") return Effect.succeed(items)
  const match = /^\s*(\w+)(?:\s+(asc|desc))?\s*$/i.exec(text)
  const field = fields.find((candidate) => candidate === match?.[1])
  if (match === null || field === undefined) {
    return Effect.fail(
      new ValidationFailed({ field: "sort", reason: `the sandbox sorts by one of ${fields.join(", ")}, optionally ASC or DESC; got ${JSON.stringify(text)}` })
    )
  }
  const sign = match[2]?.toLowerCase() === "desc" ? -1 : 1
  const key = (item: Record<string, unknown>): string | number => {
    const value = item[field]
    return typeof value === "number" || typeof value === "string" ? value : ""
  }
  return Effect.succeed(
    [...items].sort((a, b) => {
      const x = key(a)
      const y = key(b)
      return sign * (x < y ? -1 : x > y ? 1 : Number(a["id"]) - Number(b["id"]))
    })
  )
}

/** `related_objects` of a deal page: the users, the person and the organizations the deals name. */
const dealRelatedObjects = (store: Store, person: Person, page: ReadonlyArray<unknown>) => {
  if (page.length === 0) return {}
  const owner = store.seed.user(person.ownerId)
  const org = person.orgId === null ? undefined : store.seed.organization(person.orgId)
  return {
    related_objects: {
      user: owner === undefined ? {} : { [owner.id]: owner },
      person: {
        [person.id]: {
          active_flag: true,
          id: person.id,
          name: person.name,
          email: person.emails,
          phone: person.phones,
          owner_id: person.ownerId
        }
      },
      ...(org === undefined ? {} : {
        organization: {
          [org.id]: {
            id: org.id,
            name: org.name,
            people_count: store.peopleCount(org.id),
            owner_id: org.owner_id,
            address: org.address,
            active_flag: org.active_flag,
            cc_email: org.cc_email
          }
        }
      })
    }
  }
}

const DEAL_STATUSES = ["open", "won", "lost", "deleted", "all_not_deleted"] as const

/** A field change as the flow's `personChange` data. */
const changeData = (personId: number, change: FieldChange) => ({
  id: change.id,
  item_id: personId,
  user_id: change.actorUserId,
  field_key: change.fieldKey,
  old_value: change.oldValue,
  new_value: change.newValue,
  is_bulk_update_flag: null,
  log_time: Time.formatV1Time(change.time),
  change_source: "api",
  change_source_user_agent: null,
  additional_data: []
})

const followerV1 = (personId: number, follower: Follower) => ({
  id: follower.id,
  user_id: follower.userId,
  person_id: personId,
  add_time: Time.formatV1Time(follower.addTime)
})

const flowItem = (personId: number, event: FlowEvent) => ({
  object: event.object,
  timestamp: Time.formatV1Time(event.time),
  data: event.object === "personChange" ? changeData(personId, event.change) : followerV1(personId, event.follower)
})

const isCustomFieldKey = (key: string) => /^[0-9a-f]{40}$/.test(key)

/** Opaque changelog cursor: base64url of the offset into the newest-first list. */
export const encodeOffsetCursor = (offset: number): string => Buffer.from(JSON.stringify({ offset })).toString("base64url")

/** Reads a cursor written by `encodeOffsetCursor`, or a 400 naming `cursor`. */
export const decodeOffsetCursor = (text: string | null): Effect.Effect<number, ValidationFailed> => {
  if (text === null || text === "") return Effect.succeed(0)
  try {
    const value: unknown = JSON.parse(Buffer.from(text, "base64url").toString("utf8"))
    if (typeof value === "object" && value !== null && "offset" in value && Number.isInteger(value.offset) && Number(value.offset) >= 0) {
      return Effect.succeed(Number(value.offset))
    }
  } catch {
    // fall through
  }
  return Effect.fail(new ValidationFailed({ field: "cursor", reason: "is not a cursor this server issued" }))
}

/** One cursor page of `items`: `additional_data.next_cursor` is `null` on the last page. */
export const cursorPage = (params: URLSearchParams, items: ReadonlyArray<unknown>) =>
  Effect.gen(function*() {
    const offset = yield* decodeOffsetCursor(params.get("cursor"))
    const limit = (yield* QueryParams.integer(params, "limit", { min: 1, max: 500 })) ?? 100
    const page = items.slice(offset, offset + limit)
    const next = offset + limit < items.length ? encodeOffsetCursor(offset + limit) : null
    return success(page, { additional_data: { next_cursor: next } })
  })

const ACCEPTED_PICTURE_TYPES = ["image/gif", "image/jpeg", "image/jpg", "image/png"]
const CROP_FIELDS = ["crop_x", "crop_y", "crop_width", "crop_height"]

/** The multipart body of `addPersonPicture`: the file and the crop fields. */
const readPicture = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const max = Option.match(yield* HttpIncomingMessage.MaxBodySize, { onNone: () => Number.POSITIVE_INFINITY, onSome: Number })
  const declared = Number(request.headers["content-length"] ?? Number.NaN)
  if (declared > max) return yield* new PayloadTooLarge({ limit: max })
  if (!(request.headers["content-type"] ?? "").toLowerCase().startsWith("multipart/form-data")) {
    return yield* new ValidationFailed({ field: "file", reason: "the body must be multipart/form-data with a file" })
  }
  const fields: Record<string, string> = {}
  let file: { readonly name: string; readonly contentType: string; readonly bytes: Uint8Array } | undefined
  yield* request.multipartStream.pipe(
    Stream.runForEach((part) =>
      Multipart.isFile(part)
        ? Effect.map(part.contentEffect, (bytes) => {
          if (part.key === "file") file = { name: part.name, contentType: part.contentType, bytes }
        })
        : Effect.sync(() => {
          if (Multipart.isField(part)) fields[part.key] = part.value
        })
    ),
    Effect.mapError((error): PayloadTooLarge | ValidationFailed =>
      error.reason === "FileTooLarge" || error.reason === "BodyTooLarge"
        ? new PayloadTooLarge({ limit: max })
        : new ValidationFailed({ field: "file", reason: `the multipart body could not be read (${error.reason})` })
    ),
    Multipart.withLimits({ maxTotalSize: Number.isFinite(max) ? Option.some(max) : Option.none() })
  )
  const crop: Record<string, number> = {}
  for (const [key, value] of Object.entries(fields)) {
    if (!CROP_FIELDS.includes(key)) return yield* new ValidationFailed({ field: key, reason: "is not a field of this request" })
    const number = QueryParams.parseInteger(value)
    if (number === undefined || number < 0) {
      return yield* new ValidationFailed({ field: key, reason: `must be a non-negative integer, got ${JSON.stringify(value)}` })
    }
    crop[key] = number
  }
  if (file === undefined) return yield* new ValidationFailed({ field: "file", reason: "is required" })
  if (file.bytes.byteLength === 0) return yield* new ValidationFailed({ field: "file", reason: "is empty" })
  const contentType = file.contentType.toLowerCase().split(";")[0]!.trim()
  if (!ACCEPTED_PICTURE_TYPES.includes(contentType)) {
    return yield* new ValidationFailed({ field: "file", reason: `must be a GIF, JPG or PNG image, got ${JSON.stringify(file.contentType)}` })
  }
  return { ...file, contentType, crop }
})

/**
 * A JSON body, or a form (`application/x-www-form-urlencoded`, as Pipedrive's JS client sends
 * `addPersonFollower`) whose integer values are read as numbers.
 */
const readJsonOrForm = Effect.gen(function*() {
  const request = yield* HttpServerRequest.HttpServerRequest
  const type = (request.headers["content-type"] ?? "").toLowerCase()
  if (!type.startsWith("application/x-www-form-urlencoded")) return yield* readBody
  const max = Option.match(yield* HttpIncomingMessage.MaxBodySize, { onNone: () => Number.POSITIVE_INFINITY, onSome: Number })
  if (Number(request.headers["content-length"] ?? Number.NaN) > max) return yield* new PayloadTooLarge({ limit: max })
  const form = yield* request.urlParamsBody.pipe(
    Effect.mapError(() => new ValidationFailed({ field: "body", reason: "the form body could not be read" }))
  )
  const body: Record<string, unknown> = {}
  for (const [key, value] of form) body[key] = QueryParams.parseInteger(value) ?? value
  return body
})

/** The routes of this module, over one set of relations. */
export const router = (relations: Relations) => {
  const store = relations.store
  const person = pathPerson(store)

  const list = (
    make: (person: Person, params: URLSearchParams) => Effect.Effect<ReadonlyArray<unknown>, ValidationFailed>,
    maxLimit = 500
  ) =>
    Effect.gen(function*() {
      const found = yield* person
      const params = yield* query
      return yield* offsetPage(params, yield* make(found, params), maxLimit)
    })

  const activities = list((found, params) =>
    Effect.gen(function*() {
      const done = yield* QueryParams.integer(params, "done", { min: 0, max: 1 })
      const exclude = new Set((yield* QueryParams.integerList(params, "exclude", 500)) ?? [])
      return Generated.activities(store, found).filter((activity) =>
        !exclude.has(Number(activity["id"])) && (done === undefined || activity["done"] === (done === 1))
      )
    })
  )

  const deals = Effect.gen(function*() {
    const found = yield* person
    const params = yield* query
    const status = (yield* QueryParams.literal(params, "status", DEAL_STATUSES)) ?? "all_not_deleted"
    const all = Generated.deals(store, found).filter((deal) =>
      status === "all_not_deleted" ? true : status === "deleted" ? false : deal["status"] === status
    )
    const items = yield* sorted(params, all, ["id", "title", "value", "add_time", "update_time", "status"])
    return yield* offsetPage(params, items, 500, (page) => dealRelatedObjects(store, found, page))
  })

  const files = list((found, params) => sorted(params, Generated.files(store, found), ["id", "add_time", "update_time", "file_name"]), 100)
  const mailMessages = list((found) => Effect.succeed(Generated.mailMessages(store, found)))
  const products = list((found) => Effect.succeed(Generated.products(store, found)))

  const flow = list((found, params) =>
    Effect.gen(function*() {
      const allChanges = params.get("all_changes") === "1"
      const kinds = (yield* QueryParams.list(params, "items", 50))
      return relations.flow(found.id)
        .filter((event) => kinds === undefined || kinds.includes(event.object))
        .filter((event) => allChanges || event.object !== "personChange" || !isCustomFieldKey(event.change.fieldKey))
        .map((event) => flowItem(found.id, event))
    })
  )

  const changelog = Effect.gen(function*() {
    const found = yield* person
    const items = relations.changelog(found.id).map((change) => ({
      field_key: change.fieldKey,
      old_value: change.oldValue,
      new_value: change.newValue,
      actor_user_id: change.actorUserId,
      time: Time.formatV1Time(change.time),
      change_source: "api",
      change_source_user_agent: null,
      is_bulk_update_flag: false
    }))
    return yield* cursorPage(yield* query, items)
  })

  const permittedUsers = Effect.gen(function*() {
    const found = yield* person
    // Visibility 1 is "owner and followers"; the others reach everyone in this one-group company.
    const ids = found.visibleTo === 1
      ? [...new Set([found.ownerId, ...relations.followers(found).map((follower) => follower.userId)])]
      : store.seed.users.map((user) => user.id)
    return success(ids)
  })

  const followers = Effect.gen(function*() {
    const found = yield* person
    const items = relations.followers(found).map((follower) => followerV1(found.id, follower))
    return success(items.length === 0 ? null : items, {
      additional_data: { pagination: { start: 0, limit: 100, more_items_in_collection: false } }
    })
  })

  const userIdOf = (body: Readonly<Record<string, unknown>>) => {
    const userId = body["user_id"]
    const extra = Object.keys(body).find((key) => key !== "user_id")
    if (extra !== undefined) return Effect.fail(new ValidationFailed({ field: extra, reason: "is not a field of this request" }))
    return typeof userId === "number" && Number.isInteger(userId) && userId > 0
      ? Effect.succeed(userId)
      : Effect.fail(new ValidationFailed({ field: "user_id", reason: `must be a positive integer user id, got ${JSON.stringify(userId)}` }))
  }

  const addFollower = Effect.gen(function*() {
    const found = yield* person
    const userId = yield* userIdOf(yield* readJsonOrForm)
    const result = relations.follow(found, userId, yield* now)
    if (typeof result === "string") return yield* new ValidationFailed({ field: "user_id", reason: `${result}: ${userId}` })
    return success(followerV1(found.id, result))
  })

  const deleteFollower = Effect.gen(function*() {
    const found = yield* person
    const followerId = yield* QueryParams.pathInteger("follower_id")
    const result = relations.unfollow(found, { id: followerId }, yield* now)
    if (typeof result === "string") return yield* new NotFound({ error: "Follower not found" })
    return success({ id: result.id })
  })

  const merge = Effect.gen(function*() {
    const found = yield* person
    const body = yield* readBody
    const extra = Object.keys(body).find((key) => key !== "merge_with_id")
    if (extra !== undefined) return yield* new ValidationFailed({ field: extra, reason: "is not a field of this request" })
    const mergeWithId = body["merge_with_id"]
    if (typeof mergeWithId !== "number" || !Number.isInteger(mergeWithId) || mergeWithId < 1) {
      return yield* new ValidationFailed({ field: "merge_with_id", reason: `must be a positive integer person id, got ${JSON.stringify(mergeWithId)}` })
    }
    if (mergeWithId === found.id) return yield* new ValidationFailed({ field: "merge_with_id", reason: "cannot merge a person with itself" })
    const into = yield* store.get(mergeWithId)
    if (Option.isNone(into)) return yield* new NotFound({ error: `Person ${mergeWithId} not found` })
    const survivor = yield* relations.merge(found, into.value)
    return success({ ...renderPersonV1(store, survivor), merge_what_id: found.id })
  })

  const addPicture = Effect.gen(function*() {
    const found = yield* person
    const upload = yield* readPicture
    const picture = relations.setPicture({
      personId: found.id,
      fileName: upload.name,
      contentType: upload.contentType,
      fileSize: upload.bytes.byteLength,
      bytes: upload.bytes,
      addedByUserId: relations.actorUserId,
      addTime: yield* now
    })
    return success(renderPictureV1(picture))
  })

  const deletePicture = Effect.gen(function*() {
    const found = yield* person
    const picture = relations.deletePicture(found.id)
    if (picture === undefined) return yield* new NotFound({ error: "Picture not found" })
    return success({ id: picture.id })
  })

  return HttpRouter.empty.pipe(
    HttpRouter.get("/api/v1/persons/:id/activities", activities),
    HttpRouter.get("/api/v1/persons/:id/deals", deals),
    HttpRouter.get("/api/v1/persons/:id/files", files),
    HttpRouter.get("/api/v1/persons/:id/mailMessages", mailMessages),
    HttpRouter.get("/api/v1/persons/:id/products", products),
    HttpRouter.get("/api/v1/persons/:id/flow", flow),
    HttpRouter.get("/api/v1/persons/:id/changelog", changelog),
    HttpRouter.get("/api/v1/persons/:id/permittedUsers", permittedUsers),
    HttpRouter.get("/api/v1/persons/:id/followers", followers),
    HttpRouter.post("/api/v1/persons/:id/followers", addFollower),
    HttpRouter.del("/api/v1/persons/:id/followers/:follower_id", deleteFollower),
    HttpRouter.put("/api/v1/persons/:id/merge", merge),
    HttpRouter.post("/api/v1/persons/:id/picture", addPicture),
    HttpRouter.del("/api/v1/persons/:id/picture", deletePicture)
  )
}
