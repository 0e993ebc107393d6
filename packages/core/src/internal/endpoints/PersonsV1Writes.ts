/**
 * The API v1 person writes: create (`POST`), update (`PUT`), delete one, and bulk delete (at most
 * 100 ids a call, which `removeAll` works around by chunking). Re-exported by `PersonsV1`; use them
 * from there. Pipedrive has deprecated these in favour of `Persons` (v2).
 *
 * @example
 * ```ts
 * import { PersonsV1 } from "@pipedrive-effect/core"
 * import { Effect } from "effect"
 *
 * declare const idsToDelete: ReadonlyArray<number>
 *
 * const program = Effect.gen(function*() {
 *   const person = yield* PersonsV1.create({ name: "Ada Lovelace", email: ["ada@example.com"], visible_to: "3" })
 *   yield* PersonsV1.update(person.id, { phone: [{ value: "+44 20 1234", primary: true, label: "work" }] })
 *   // 250 ids become 3 calls of at most 100; 2 at a time.
 *   return yield* PersonsV1.removeAll(idsToDelete, { concurrency: 2 })
 * })
 * ```
 */
import * as Chunk from "effect/Chunk"
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import { encodeBody } from "../RequestBody.ts"
import * as PipedriveClient from "../../PipedriveClient.ts"
import { InvalidRequest, type PipedriveError } from "../../PipedriveError.ts"
import { type Part, relatedObjects, Single } from "../Envelope.ts"
import { Person, RelatedObjects } from "../../schema/PersonV1.ts"
import { PersonCreateV1, PersonUpdateV1 } from "../../schema/PersonV1Input.ts"

/** The body of v1 create and update: the person as it is now, and the users it refers to. */
export const PersonResponse: Schema.Struct<{
  success: Schema.optional<typeof Schema.Boolean>
  data: typeof Person
  related_objects: Part<typeof RelatedObjects>
}> = Schema.Struct({
  success: Schema.optional(Schema.Boolean),
  data: Person,
  related_objects: relatedObjects(RelatedObjects)
})

/** The body of v1 `DELETE /persons/{id}`. */
export const DeleteResponse: Single<Schema.Struct<{ id: typeof Schema.Number }>> = Single(Schema.Struct({ id: Schema.Number }))

/** The body of v1 `DELETE /persons?ids=…`: the ids deleted. */
export const DeleteManyResponse: Single<Schema.Struct<{
  id: Schema.Array$<typeof Schema.Number>
}>> = Single(Schema.Struct({ id: Schema.Array(Schema.Number) }))

/** Pipedrive's limit on ids per bulk delete. */
export const maxIdsPerDelete = 100

/** Creates a person (`addPerson`, v1 `POST /persons`); Pipedrive answers 201. */
export const create = (
  body: PersonCreateV1
): Effect.Effect<Person, PipedriveError, PipedriveClient.PipedriveClient> => {
  const where = { operation: "addPerson", method: "POST", path: "/api/v1/persons" } as const
  return encodeBody(PersonCreateV1, where)(body).pipe(
    Effect.flatMap((json) => PipedriveClient.request({ ...where, json, response: PersonResponse })),
    Effect.map((response) => response.data)
  )
}

/** Changes the given fields of a person (`updatePerson`, v1 `PUT /persons/{id}`). */
export const update = (
  id: number,
  body: PersonUpdateV1
): Effect.Effect<Person, PipedriveError, PipedriveClient.PipedriveClient> => {
  const where = { operation: "updatePerson", method: "PUT", path: `/api/v1/persons/${id}` } as const
  return encodeBody(PersonUpdateV1, where)(body).pipe(
    Effect.flatMap((json) => PipedriveClient.request({ ...where, json, response: PersonResponse })),
    Effect.map((response) => response.data)
  )
}

/** Deletes a person (`deletePerson`, v1 `DELETE /persons/{id}`); returns its id. */
export const remove = (
  id: number
): Effect.Effect<number, PipedriveError, PipedriveClient.PipedriveClient> =>
  PipedriveClient.request({
    operation: "deletePerson",
    method: "DELETE",
    path: `/api/v1/persons/${id}`,
    response: DeleteResponse
  }).pipe(Effect.map((body) => body.data.id))

/**
 * Deletes up to 100 persons in one call (`deletePersons`, v1 `DELETE /persons?ids=1,2,3`) and
 * returns the ids Pipedrive deleted. More than 100 ids, or none, fail with `InvalidRequest` before
 * anything is sent; use `removeAll` for any number.
 */
export const removeMany = (
  ids: ReadonlyArray<number>
): Effect.Effect<ReadonlyArray<number>, PipedriveError, PipedriveClient.PipedriveClient> => {
  const where = { operation: "deletePersons", method: "DELETE", path: "/api/v1/persons" } as const
  if (ids.length === 0 || ids.length > maxIdsPerDelete) {
    return Effect.fail(
      new InvalidRequest({ ...where, detail: `ids: must list 1 to ${maxIdsPerDelete} ids, got ${ids.length}` })
    )
  }
  const bad = ids.find((id) => !Number.isSafeInteger(id) || id < 1)
  if (bad !== undefined) {
    return Effect.fail(new InvalidRequest({ ...where, detail: `ids: ${bad} is not a positive integer id` }))
  }
  return PipedriveClient.request({ ...where, urlParams: { ids: ids.join(",") }, response: DeleteManyResponse }).pipe(
    Effect.map((body) => body.data.id)
  )
}

/**
 * Deletes any number of persons, 100 ids a call (`deletePersons` repeated), and returns every id
 * deleted, in the order of the calls. `concurrency` (default 1) calls run at once. A failed call
 * fails the whole effect, but the calls made before it stay done: ids that no longer exist are left
 * out of a call's answer, and a call whose ids are all gone fails with `NotFound`.
 */
export const removeAll = (
  ids: ReadonlyArray<number>,
  options: { readonly concurrency?: number | undefined } = {}
): Effect.Effect<ReadonlyArray<number>, PipedriveError, PipedriveClient.PipedriveClient> =>
  Effect.forEach(
    Chunk.chunksOf(Chunk.fromIterable(ids), maxIdsPerDelete),
    (chunk) => removeMany(Chunk.toReadonlyArray(chunk)),
    { concurrency: options.concurrency ?? 1 }
  ).pipe(Effect.map((deleted) => deleted.flat()))
