/**
 * `GET /api/v1/recents`: what changed since a time, oldest change first, offset-paginated, shaped
 * after the current v1 spec's `getRecents`. The sandbox only has persons, so `items` other than
 * `person` give an empty list. A person's change time is its `update_time`; a person changed again
 * moves to the end, and deleted persons are not listed (the sandbox forgets them).
 *
 * Sequential pages resume where the previous one ended (remembered until the store changes), so a
 * walk costs its pages; any other `start` costs `start` steps.
 */
import { HttpRouter, HttpServerRequest } from "@effect/platform"
import { Effect } from "effect"
import { ValidationFailed } from "../http/ApiError.ts"
import { success } from "../http/Envelope.ts"
import type { Position, Service as Store } from "../../PersonStore.ts"
import { PersonStore, positionOf, takePage } from "../../PersonStore.ts"
import { render } from "./PersonsV1.ts"
import * as QueryParams from "../http/QueryParams.ts"
import * as Time from "../store/Time.ts"

/** The item types of the spec's `items` parameter. */
export const ITEM_TYPES = [
  "activity", "activityType", "deal", "file", "filter", "note", "person", "organization", "pipeline", "product",
  "stage", "user"
] as const

/** A person as recents sends it: v1's shape with `owner_id` and `org_id` as plain ids (the spec's words). */
const recentPerson = (store: Store, person: Parameters<typeof render>[1]) => ({
  ...render(store, person),
  owner_id: person.ownerId,
  org_id: person.orgId
})

/** The route; each server builds its own (it remembers where walks stopped). */
export const router = Effect.gen(function*() {
  const store = yield* PersonStore
  const resume = new Map<string, { readonly version: number; readonly position: Position }>()

  const recents = Effect.gen(function*() {
    const request = yield* HttpServerRequest.HttpServerRequest
    const params = QueryParams.fromUrl(request.url)
    const sinceText = params.get("since_timestamp") ?? ""
    if (sinceText === "") return yield* new ValidationFailed({ field: "since_timestamp", reason: "is required" })
    const since = Time.parse(sinceText, { allowV1: true })
    if (since === undefined) {
      return yield* new ValidationFailed({ field: "since_timestamp", reason: `must be a time like 2024-01-01 00:00:00, got ${JSON.stringify(sinceText)}` })
    }
    const items = yield* QueryParams.list(params, "items", ITEM_TYPES.length)
    const unknown = items?.find((item) => !ITEM_TYPES.some((known) => known === item))
    if (unknown !== undefined) {
      return yield* new ValidationFailed({ field: "items", reason: `${JSON.stringify(unknown)} is not one of ${ITEM_TYPES.join(", ")}` })
    }
    const start = (yield* QueryParams.integer(params, "start", { min: 0 })) ?? 0
    const limit = (yield* QueryParams.integer(params, "limit", { min: 1, max: 500 })) ?? 100
    const wantsPersons = items === undefined || items.includes("person")

    const version = store.version()
    const known = start === 0 ? undefined : resume.get(`${since}@${start}`)
    const after = known !== undefined && known.version === version ? known.position : undefined
    const iterator = store.scan({
      order: "update_time",
      direction: "asc",
      filter: { updatedSince: since },
      ...(after === undefined ? {} : { after })
    })
    if (after === undefined) {
      for (let skipped = 0; skipped < start; skipped++) if (iterator.next().done === true) break
    }
    const { more, persons } = wantsPersons ? takePage(iterator, limit) : { more: false, persons: [] }
    const last = persons[persons.length - 1]
    if (more && last !== undefined) {
      const key = `${since}@${start + limit}`
      resume.delete(key)
      resume.set(key, { version, position: positionOf(last, "update_time") })
      if (resume.size > 256) resume.delete(resume.keys().next().value!)
    }
    return success(
      persons.map((person) => ({ item: "person", id: person.id, data: recentPerson(store, person) })),
      {
        additional_data: {
          since_timestamp: Time.formatV1Time(since),
          last_timestamp_on_page: last === undefined ? null : Time.formatV1Time(last.updateTime),
          pagination: { start, limit, more_items_in_collection: more }
        }
      }
    )
  })

  return HttpRouter.empty.pipe(HttpRouter.get("/api/v1/recents", recents))
})
