/**
 * API v1 person writes (`POST /api/v1/persons`, `PUT`/`DELETE /api/v1/persons/{id}`, and the bulk
 * `DELETE /api/v1/persons?ids=…`), shaped after the January 2026 v1 spec and the seeds' Postman
 * example: `email`/`phone` arrays of `{ value, primary, label }` (plain strings accepted too),
 * `owner_id`/`org_id` ids, `visible_to` a string, custom fields as top-level 40-character keys.
 * Answers carry the person in v1's shape (`PersonsV1.render`), create with status 201.
 *
 * Unknown keys that are not custom field hashes are ignored, as Pipedrive does; an unknown hash is a
 * 400, and so is a value that does not suit its field.
 */
import { HttpRouter, HttpServerRequest } from "@effect/platform"
import { Effect, Schema } from "effect"
import { NotFound, ValidationFailed } from "../http/ApiError.ts"
import { json, success } from "../http/Envelope.ts"
import type { Person } from "../store/Person.ts"
import * as CustomFieldValues from "../store/CustomFieldValues.ts"
import * as PersonInput from "../http/PersonInput.ts"
import type { NewPerson, PersonPatch, Service as Store } from "../../PersonStore.ts"
import { PersonStore } from "../../PersonStore.ts"
import { render } from "./PersonsV1.ts"
import * as QueryParams from "../http/QueryParams.ts"
import { jsonObject as readBody } from "../http/RequestBody.ts"
import * as Time from "../store/Time.ts"

/** Pipedrive's limit on ids per bulk delete. */
export const MAX_BULK_DELETE = 100

const NonBlank = Schema.String.pipe(Schema.filter((value) => value.trim() !== "", { message: () => "must not be empty" }))
const Contact = Schema.Union(NonBlank, PersonInput.ContactInput)
const Contacts = Schema.Union(NonBlank, Schema.Array(Contact))

const writableFields = {
  owner_id: Schema.optional(PersonInput.Id),
  org_id: Schema.optional(Schema.NullOr(PersonInput.Id)),
  email: Schema.optional(Contacts),
  phone: Schema.optional(Contacts),
  label: Schema.optional(Schema.NullOr(PersonInput.Id)),
  label_ids: Schema.optional(Schema.Array(PersonInput.Id)),
  visible_to: Schema.optional(Schema.Union(Schema.Literal("1", "3", "5", "7"), Schema.Literal(1, 3, 5, 7))),
  // Campaigns is off for the sandbox company: checked, then ignored.
  marketing_status: Schema.optional(Schema.Literal("no_consent", "unsubscribed", "subscribed", "archived")),
  add_time: Schema.optional(Schema.String)
}

/** The body of v1 `POST /persons` (custom field keys are read separately). */
export const CreateBody = Schema.Struct({ name: PersonInput.Name, ...writableFields })

/** The body of v1 `PUT /persons/{id}`. */
export const UpdateBody = Schema.Struct({ name: Schema.optional(PersonInput.Name), ...writableFields })

const CUSTOM_KEY = /^[0-9a-f]{40}$/

const contacts = (value: typeof Contacts.Type) =>
  PersonInput.normalizeContacts(
    (typeof value === "string" ? [value] : value).map((entry) => (typeof entry === "string" ? { value: entry } : entry)),
    "work"
  )

/** The custom fields of a v1 body; single-option ids may come as strings (`"101"`), as v1 sends them. */
const customFieldsOf = (store: Store, body: Readonly<Record<string, unknown>>) => {
  // v1 sends composite values as `<hash>` plus `<hash>_<subfield>` keys; fold them first. Hash keys
  // of no field stay in, so validation refuses them as Pipedrive does.
  const values: Record<string, unknown> = CustomFieldValues.fromV1(store.seed, body)
  for (const key of Object.keys(body)) if (CUSTOM_KEY.test(key) && !(key in values)) values[key] = body[key]
  for (const field of store.seed.customFields) {
    const value = values[field.key]
    if (field.field_type === "enum" && typeof value === "string" && /^\d+$/.test(value)) values[field.key] = Number(value)
  }
  return Object.keys(values).length === 0 ? Effect.succeed(undefined) : PersonInput.customFields(store.seed, values, "")
}

const toPatch = (store: Store, body: typeof UpdateBody.Type, raw: Readonly<Record<string, unknown>>) =>
  Effect.gen(function*() {
    yield* PersonInput.checkOwner(store.seed, "owner_id", body.owner_id)
    yield* PersonInput.checkOrganization(store.seed, "org_id", body.org_id)
    const customFields = yield* customFieldsOf(store, raw)
    const labelIds = body.label_ids ?? (body.label === undefined ? undefined : body.label === null ? [] : [body.label])
    return {
      ...(body.name === undefined ? {} : { name: body.name.trim() }),
      ...(body.owner_id === undefined ? {} : { ownerId: body.owner_id }),
      ...(body.org_id === undefined ? {} : { orgId: body.org_id }),
      ...(body.email === undefined ? {} : { emails: contacts(body.email) }),
      ...(body.phone === undefined ? {} : { phones: contacts(body.phone) }),
      ...(body.visible_to === undefined ? {} : { visibleTo: Number(body.visible_to) }),
      ...(labelIds === undefined ? {} : { labelIds }),
      ...(customFields === undefined ? {} : { customFields })
    } satisfies PersonPatch
  })

/** The body of a v1 write: the person and `related_objects.user` with its owner. */
const personBody = (store: Store, person: Person) => {
  const owner = store.seed.user(person.ownerId)
  return {
    success: true,
    data: render(store, person),
    related_objects: { user: owner === undefined ? {} : { [owner.id]: owner } }
  }
}

const pathId = QueryParams.pathInteger("id")

const personNotFound = () => new NotFound({ error: "Person not found" })

/** `add_time` as v1 writes it (`2024-01-01 00:00:00`, or RFC 3339). */
const addTimeOf = (text: string | undefined): Effect.Effect<number | undefined, ValidationFailed> => {
  if (text === undefined) return Effect.succeed(undefined)
  const millis = Time.parse(text, { allowV1: true })
  return millis === undefined
    ? Effect.fail(new ValidationFailed({ field: "add_time", reason: "must be a time like 2024-01-01 00:00:00" }))
    : Effect.succeed(millis)
}

/** `POST /api/v1/persons`. */
export const create = Effect.gen(function*() {
  const store = yield* PersonStore
  const raw = yield* readBody
  const body = yield* PersonInput.decode(CreateBody, raw)
  const addTime = yield* addTimeOf(body.add_time)
  const patch = yield* toPatch(store, body, raw)
  const input: NewPerson = { ...patch, name: body.name.trim(), ...(addTime === undefined ? {} : { addTime }) }
  const person = yield* store.create(input)
  return json(201, personBody(store, person))
})

/** `PUT /api/v1/persons/{id}`. An `add_time` is checked but not applied: the store keeps when a person was added. */
export const update = Effect.gen(function*() {
  const store = yield* PersonStore
  const id = yield* pathId
  const raw = yield* readBody
  const body = yield* PersonInput.decode(UpdateBody, raw)
  yield* addTimeOf(body.add_time)
  const patch = yield* toPatch(store, body, raw)
  const person = yield* Effect.catchTag(store.update(id, patch), "PersonNotFound", () => Effect.fail(personNotFound()))
  return json(200, personBody(store, person))
})

/** `DELETE /api/v1/persons/{id}`. */
export const remove = Effect.gen(function*() {
  const store = yield* PersonStore
  const id = yield* pathId
  yield* Effect.catchTag(store.delete(id), "PersonNotFound", () => Effect.fail(personNotFound()))
  return success({ id })
})

/**
 * `DELETE /api/v1/persons?ids=1,2,3`: at most 100 ids. Ids that do not exist are skipped and left
 * out of the answer; when none exists the answer is a 404.
 */
export const removeMany = Effect.gen(function*() {
  const store = yield* PersonStore
  const request = yield* HttpServerRequest.HttpServerRequest
  const ids = yield* QueryParams.integerList(QueryParams.fromUrl(request.url), "ids", MAX_BULK_DELETE)
  if (ids === undefined || ids.length === 0) return yield* new ValidationFailed({ field: "ids", reason: "is required" })
  const deleted: Array<number> = []
  for (const id of new Set(ids)) {
    const removed = yield* Effect.either(store.delete(id))
    if (removed._tag === "Right") deleted.push(id)
  }
  if (deleted.length === 0) return yield* new NotFound({ error: "Persons not found" })
  return success({ id: deleted })
})

/** The routes of this module. */
export const router = Effect.succeed(
  HttpRouter.empty.pipe(
    HttpRouter.post("/api/v1/persons", create),
    HttpRouter.del("/api/v1/persons", removeMany),
    HttpRouter.put("/api/v1/persons/:id", update),
    HttpRouter.del("/api/v1/persons/:id", remove)
  )
)
