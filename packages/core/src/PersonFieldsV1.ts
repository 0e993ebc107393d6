/**
 * Person fields through API v1 (`/api/v1/personFields`): fields named by numeric `id`, keyed by
 * `key` (the 40-character hash for custom fields), offset pagination, and a bulk delete.
 *
 * @example
 * ```ts
 * import { PersonFieldsV1 } from "@pipedrive-effect/core"
 * import { Effect } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const a = yield* PersonFieldsV1.add({ name: "Nickname", field_type: "varchar" })
 *   const b = yield* PersonFieldsV1.add({ name: "Shoe size", field_type: "double" })
 *   yield* PersonFieldsV1.removeMany([a.id ?? 0, b.id ?? 0])
 * })
 * ```
 *
 * @module
 */
import * as Effect from "effect/Effect"
import * as Schema from "effect/Schema"
import type * as Stream from "effect/Stream"
import * as Pagination from "./Pagination.ts"
import { encodeBody } from "./internal/RequestBody.ts"
import * as PipedriveClient from "./PipedriveClient.ts"
import type { PipedriveError } from "./PipedriveError.ts"
import { OffsetList, Single } from "./internal/Envelope.ts"
import {
  DeletedFieldsV1,
  DeletedFieldV1,
  PersonFieldCreateV1,
  PersonFieldUpdateV1,
  PersonFieldV1
} from "./schema/PersonField.ts"

export {
  DeletedFieldsV1,
  DeletedFieldV1,
  PersonFieldCreateV1,
  PersonFieldUpdateV1,
  PersonFieldV1
} from "./schema/PersonField.ts"

type Client = PipedriveClient.PipedriveClient

/** Query options of v1 `GET /personFields`. */
export interface ListOptions {
  /** Offset of the first field (default 0). */
  readonly start?: number | undefined
  readonly limit?: number | undefined
}

const idPath = (id: number) => `/api/v1/personFields/${id}`

/** The body of v1 `GET /personFields`. */
export const ListResponse: OffsetList<typeof PersonFieldV1, typeof Schema.Unknown> = OffsetList(PersonFieldV1, Schema.Unknown)
/** The body of v1 get, add and update. */
export const FieldResponse: Single<typeof PersonFieldV1> = Single(PersonFieldV1)
/** The body of v1 `DELETE /personFields/{id}`. */
export const DeleteResponse: Single<typeof DeletedFieldV1> = Single(DeletedFieldV1)
/** The body of v1 `DELETE /personFields?ids=`. */
export const DeleteManyResponse: Single<typeof DeletedFieldsV1> = Single(DeletedFieldsV1)

/** One page of fields (`getPersonFields`, v1). */
export const list = (options: ListOptions = {}): Effect.Effect<Pagination.OffsetPage<PersonFieldV1>, PipedriveError, Client> => {
  const start = options.start ?? 0
  return PipedriveClient.request({
    operation: "getPersonFields",
    method: "GET",
    path: "/api/v1/personFields",
    urlParams: { start, limit: options.limit },
    response: ListResponse
  }).pipe(Effect.map((body) => Pagination.offsetPage(body, start)))
}

/** Every page of fields from `options.start` on, fetched as the stream is pulled. */
export const pages = (options: ListOptions = {}): Stream.Stream<Pagination.OffsetPage<PersonFieldV1>, PipedriveError, Client> =>
  Pagination.offsetPages((start) => list({ ...options, start }), options.start ?? 0)

/** Every field (standard and custom). */
export const stream = (options: ListOptions = {}): Stream.Stream<PersonFieldV1, PipedriveError, Client> =>
  Pagination.items(pages(options))

/** One field by id (`getPersonField`, v1). Fails with `NotFound` when there is none. */
export const get = (id: number): Effect.Effect<PersonFieldV1, PipedriveError, Client> =>
  PipedriveClient.request({ operation: "getPersonField", method: "GET", path: idPath(id), response: FieldResponse })
    .pipe(Effect.map((body) => body.data))

/** Creates a custom field (`addPersonField`, v1); its `key` is the new hash. */
export const add = (body: PersonFieldCreateV1): Effect.Effect<PersonFieldV1, PipedriveError, Client> => {
  const where = { operation: "addPersonField", method: "POST", path: "/api/v1/personFields" } as const
  return encodeBody(PersonFieldCreateV1, where)(body).pipe(
    Effect.flatMap((json) => PipedriveClient.request({ ...where, json, response: FieldResponse })),
    Effect.map((response) => response.data)
  )
}

/**
 * Changes a field (`updatePersonField`, v1 PUT). `options`, when given, replace the field's
 * options: keep one by sending its `id`, add one by sending only a `label`.
 */
export const update = (id: number, body: PersonFieldUpdateV1): Effect.Effect<PersonFieldV1, PipedriveError, Client> => {
  const where = { operation: "updatePersonField", method: "PUT", path: idPath(id) } as const
  return encodeBody(PersonFieldUpdateV1, where)(body).pipe(
    Effect.flatMap((json) => PipedriveClient.request({ ...where, json, response: FieldResponse })),
    Effect.map((response) => response.data)
  )
}

/** Deletes a field (`deletePersonField`, v1). */
export const remove = (id: number): Effect.Effect<DeletedFieldV1, PipedriveError, Client> =>
  PipedriveClient.request({ operation: "deletePersonField", method: "DELETE", path: idPath(id), response: DeleteResponse })
    .pipe(Effect.map((body) => body.data))

/** Deletes several fields in one request (`deletePersonFields`, `DELETE /personFields?ids=1,2`). */
export const removeMany = (ids: ReadonlyArray<number>): Effect.Effect<DeletedFieldsV1, PipedriveError, Client> =>
  PipedriveClient.request({
    operation: "deletePersonFields",
    method: "DELETE",
    path: "/api/v1/personFields",
    urlParams: { ids: ids.join(",") },
    response: DeleteManyResponse
  }).pipe(Effect.map((body) => body.data))
