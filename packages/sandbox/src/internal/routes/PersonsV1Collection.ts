/**
 * `GET /api/v1/persons/collection`: every person by id, cursor-paginated, only for global admins (a
 * regular user's token gets Pipedrive's 403), shaped after the January 2026 v1 spec's
 * `getPersonsCollection`: `owner_id`/`org_id` as ids, a `delete_time` (always `null`: the sandbox
 * forgets deleted persons instead of listing them), `visible_to` a string.
 */
import { HttpRouter, HttpServerRequest } from "@effect/platform"
import { Effect } from "effect"
import { ValidationFailed } from "../http/ApiError.ts"
import * as Auth from "../http/Auth.ts"
import * as Cursor from "../http/Cursor.ts"
import { success } from "../http/Envelope.ts"
import type { Person } from "../store/Person.ts"
import type { Filter, Service as Store } from "../../PersonStore.ts"
import { PersonStore, positionOf, takePage } from "../../PersonStore.ts"
import * as QueryParams from "../http/QueryParams.ts"
import * as Time from "../store/Time.ts"

/** A person of the collection. */
export const render = (store: Store, person: Person) => ({
  id: person.id,
  active_flag: true,
  owner_id: person.ownerId,
  org_id: person.orgId,
  name: person.name,
  email: person.emails,
  phone: person.phones,
  update_time: Time.formatV1Time(person.updateTime),
  delete_time: null,
  add_time: Time.formatV1Time(person.addTime),
  visible_to: String(person.visibleTo),
  picture_id: null,
  label: person.labelIds[0] ?? null,
  label_ids: person.labelIds,
  cc_email: store.seed.ccEmail
})

/** `since`/`until`: `2022-11-01 08:55:59` as the spec shows, or RFC 3339. */
const time = (params: URLSearchParams, name: string) => {
  const text = params.get(name)
  if (text === null || text === "") return Effect.succeed(undefined)
  const millis = Time.parse(text, { allowV1: true })
  return millis === undefined
    ? Effect.fail(new ValidationFailed({ field: name, reason: `must be a time like 2022-11-01 08:55:59, got ${JSON.stringify(text)}` }))
    : Effect.succeed(millis)
}

/** `GET /api/v1/persons/collection`. */
export const collection = Effect.gen(function*() {
  yield* Auth.requireAdmin
  const store = yield* PersonStore
  const request = yield* HttpServerRequest.HttpServerRequest
  const params = QueryParams.fromUrl(request.url)
  const since = yield* time(params, "since")
  const until = yield* time(params, "until")
  const ownerId = yield* QueryParams.integer(params, "owner_id", { min: 1 })
  const firstChar = params.get("first_char")
  const limit = (yield* QueryParams.integer(params, "limit", { min: 1, max: 500 })) ?? 100
  const cursorText = params.get("cursor")
  const cursor = cursorText === null || cursorText === "" ? undefined : yield* Cursor.decode(cursorText)
  if (cursor !== undefined && (cursor.field !== "id" || cursor.direction !== "asc")) {
    return yield* new ValidationFailed({ field: "cursor", reason: "is not a cursor of this collection" })
  }
  const filter: Filter = {
    ...(since === undefined ? {} : { updatedSince: since }),
    ...(until === undefined ? {} : { updatedUntil: until }),
    ...(ownerId === undefined ? {} : { ownerId }),
    ...(firstChar === null || firstChar === "" ? {} : { namePrefix: firstChar.toLowerCase() })
  }
  const { more, persons } = takePage(
    store.scan({ order: "id", direction: "asc", filter, ...(cursor === undefined ? {} : { after: cursor.position }) }),
    limit
  )
  const last = persons[persons.length - 1]
  const nextCursor = more && last !== undefined
    ? Cursor.encode({ field: "id", direction: "asc", position: positionOf(last, "id") })
    : null
  return success(persons.map((person) => render(store, person)), { additional_data: { next_cursor: nextCursor } })
})

/** The route. */
export const router = Effect.succeed(HttpRouter.empty.pipe(HttpRouter.get("/api/v1/persons/collection", collection)))
