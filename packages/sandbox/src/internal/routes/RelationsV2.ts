/**
 * API v2 routes about one person: followers (cursor list, add, remove by user id, changelog) and
 * the picture, shaped after openapi-v2.yaml.
 */
import { HttpRouter, HttpServerRequest } from "@effect/platform"
import { Clock, Effect } from "effect"
import { NotFound, ValidationFailed } from "../http/ApiError.ts"
import { json, success } from "../http/Envelope.ts"
import * as QueryParams from "../http/QueryParams.ts"
import type { Relations } from "../store/Relations.ts"
import { renderPictureV2 } from "../store/Relations.ts"
import { cursorPage, pathPerson } from "./RelationsV1.ts"
import { jsonObject as readBody } from "../http/RequestBody.ts"
import * as Time from "../store/Time.ts"

const query = Effect.map(HttpServerRequest.HttpServerRequest, (request) => QueryParams.fromUrl(request.url))
const now = Effect.map(Clock.currentTimeMillis, Time.toSeconds)

/** The routes of this module, over one set of relations. */
export const router = (relations: Relations) => {
  const person = pathPerson(relations.store)

  const list = Effect.gen(function*() {
    const found = yield* person
    const items = relations.followers(found).map((follower) => ({
      user_id: follower.userId,
      add_time: Time.formatRfc3339(follower.addTime)
    }))
    return yield* cursorPage(yield* query, items)
  })

  const add = Effect.gen(function*() {
    const found = yield* person
    const body = yield* readBody
    const extra = Object.keys(body).find((key) => key !== "user_id")
    if (extra !== undefined) return yield* new ValidationFailed({ field: extra, reason: "is not a field of this request" })
    const userId = body["user_id"]
    if (typeof userId !== "number" || !Number.isInteger(userId) || userId < 1) {
      return yield* new ValidationFailed({ field: "user_id", reason: `must be a positive integer user id, got ${JSON.stringify(userId)}` })
    }
    const result = relations.follow(found, userId, yield* now)
    if (typeof result === "string") return yield* new ValidationFailed({ field: "user_id", reason: `${result}: ${userId}` })
    return json(201, { success: true, data: { user_id: result.userId, add_time: Time.formatRfc3339(result.addTime) } })
  })

  const remove = Effect.gen(function*() {
    const found = yield* person
    const userId = yield* QueryParams.pathInteger("follower_id")
    const result = relations.unfollow(found, { userId }, yield* now)
    if (typeof result === "string") return yield* new NotFound({ error: "Follower not found" })
    return success({ user_id: result.userId })
  })

  const changelog = Effect.gen(function*() {
    const found = yield* person
    // Newest first, as the v1 changelog.
    const items = [...relations.followerEvents(found)].reverse().map((event) => ({
      action: event.action,
      actor_user_id: event.actorUserId,
      follower_user_id: event.followerUserId,
      time: Time.formatRfc3339(event.time)
    }))
    return yield* cursorPage(yield* query, items)
  })

  const picture = Effect.gen(function*() {
    const found = yield* person
    const stored = relations.picture(found.id)
    if (stored === undefined) return yield* new NotFound({ error: "Picture not found" })
    return success(renderPictureV2(stored))
  })

  return HttpRouter.empty.pipe(
    HttpRouter.get("/api/v2/persons/:id/followers", list),
    HttpRouter.post("/api/v2/persons/:id/followers", add),
    HttpRouter.get("/api/v2/persons/:id/followers/changelog", changelog),
    HttpRouter.del("/api/v2/persons/:id/followers/:follower_id", remove),
    HttpRouter.get("/api/v2/persons/:id/picture", picture)
  )
}
