/**
 * Person fields: the standard and custom fields of persons, and their options. API v2
 * (`/api/v2/personFields`, fields named by `field_code`) is this module; API v1
 * (`/api/v1/personFields`, fields named by numeric `id`, keyed by `key`) is `PersonFieldsV1`.
 *
 * For reading and writing custom field values by name, see `CustomFields`.
 *
 * @example
 * ```ts
 * import { PersonFields } from "@pipedrive-effect/core"
 * import { Effect, Stream } from "effect"
 *
 * const program = Effect.gen(function*() {
 *   const field = yield* PersonFields.add({ field_name: "Tier", field_type: "enum", options: [{ label: "Gold" }] })
 *   yield* PersonFields.addOptions(field.field_code, [{ label: "Silver" }])
 *   const custom = yield* PersonFields.stream().pipe(Stream.filter((f) => f.is_custom_field), Stream.runCollect)
 *   yield* PersonFields.remove(field.field_code)
 *   return custom
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
import { optionalNullable } from "./schema/Common.ts"
import { CursorList, Single } from "./internal/Envelope.ts"
import {
  Option,
  OptionsAdd,
  OptionsRemove,
  OptionsUpdate,
  PersonField,
  PersonFieldCreate,
  PersonFieldUpdate
} from "./schema/PersonField.ts"

export * from "./schema/PersonField.ts"

type Client = PipedriveClient.PipedriveClient

/** Extra parts of a field v2 returns only when asked for. */
export type IncludeField = "ui_visibility" | "important_fields" | "required_fields"

/** Query options of v2 `GET /personFields`. */
export interface ListOptions {
  readonly include_fields?: ReadonlyArray<IncludeField> | undefined
  /** Page size, up to 500. */
  readonly limit?: number | undefined
  /** Where to start: a `nextCursor` saved from an earlier page. */
  readonly cursor?: string | undefined
}

const join = (values: ReadonlyArray<string> | undefined) => values === undefined ? undefined : values.join(",")
const codePath = (code: string) => `/api/v2/personFields/${encodeURIComponent(code)}`

/** The body of v2 `GET /personFields`. */
export const ListResponse: CursorList<typeof PersonField> = CursorList(PersonField)
/** The body of v2 get, add, update and delete of one field. */
export const FieldResponse: Single<typeof PersonField> = Single(PersonField)
/** The body of the v2 options endpoints: the options added, changed or removed. */
export const OptionsResponse: Schema.Struct<{
  success: Schema.optional<typeof Schema.Boolean>
  data: Schema.Array$<typeof Option>
  additional_data: Schema.optional<Schema.NullOr<typeof Schema.Unknown>>
}> = Schema.Struct({
  success: Schema.optional(Schema.Boolean),
  data: Schema.Array(Option),
  additional_data: optionalNullable(Schema.Unknown)
})

/** One page of person fields (`getPersonFields`, v2). */
export const list = (options: ListOptions = {}): Effect.Effect<Pagination.CursorPage<PersonField>, PipedriveError, Client> =>
  PipedriveClient.request({
    operation: "getPersonFields",
    method: "GET",
    path: "/api/v2/personFields",
    urlParams: { include_fields: join(options.include_fields), limit: options.limit, cursor: options.cursor },
    response: ListResponse
  }).pipe(Effect.map((body) => Pagination.cursorPage(body, options.cursor)))

/** Every page of person fields, fetched as the stream is pulled. */
export const pages = (options: ListOptions = {}): Stream.Stream<Pagination.CursorPage<PersonField>, PipedriveError, Client> =>
  Pagination.cursorPages((cursor) => list({ ...options, cursor }), options.cursor)

/** Every person field (standard and custom). */
export const stream = (options: ListOptions = {}): Stream.Stream<PersonField, PipedriveError, Client> =>
  Pagination.items(pages(options))

/** One field by `field_code` (`getPersonField`, v2). Fails with `NotFound` when there is none. */
export const get = (
  fieldCode: string,
  options: { readonly include_fields?: ReadonlyArray<IncludeField> | undefined } = {}
): Effect.Effect<PersonField, PipedriveError, Client> =>
  PipedriveClient.request({
    operation: "getPersonField",
    method: "GET",
    path: codePath(fieldCode),
    urlParams: { include_fields: join(options.include_fields) },
    response: FieldResponse
  }).pipe(Effect.map((body) => body.data))

/** Creates a custom person field (`addPersonField`, v2); its `field_code` is the new hash. */
export const add = (body: PersonFieldCreate): Effect.Effect<PersonField, PipedriveError, Client> => {
  const where = { operation: "addPersonField", method: "POST", path: "/api/v2/personFields" } as const
  return encodeBody(PersonFieldCreate, where)(body).pipe(
    Effect.flatMap((json) => PipedriveClient.request({ ...where, json, response: FieldResponse })),
    Effect.map((response) => response.data)
  )
}

/** Renames a field or changes its visibility (`updatePersonField`, v2 PATCH). */
export const update = (fieldCode: string, body: PersonFieldUpdate): Effect.Effect<PersonField, PipedriveError, Client> => {
  const where = { operation: "updatePersonField", method: "PATCH", path: codePath(fieldCode) } as const
  return encodeBody(PersonFieldUpdate, where)(body).pipe(
    Effect.flatMap((json) => PipedriveClient.request({ ...where, json, response: FieldResponse })),
    Effect.map((response) => response.data)
  )
}

/** Deletes a custom field (`deletePersonField`, v2); returns the field as it was. */
export const remove = (fieldCode: string): Effect.Effect<PersonField, PipedriveError, Client> =>
  PipedriveClient.request({
    operation: "deletePersonField",
    method: "DELETE",
    path: codePath(fieldCode),
    response: FieldResponse
  }).pipe(Effect.map((body) => body.data))

const options = <A, I>(
  operation: string,
  method: "POST" | "PATCH" | "DELETE",
  schema: Schema.Schema<A, I>
) =>
(fieldCode: string, body: A): Effect.Effect<ReadonlyArray<Option>, PipedriveError, Client> => {
  const where = { operation, method, path: `${codePath(fieldCode)}/options` } as const
  return encodeBody(schema, where)(body).pipe(
    Effect.flatMap((json) => PipedriveClient.request({ ...where, json, response: OptionsResponse })),
    Effect.map((response) => response.data)
  )
}

/** Adds options to an `enum` or `set` field (`addPersonFieldOptions`); returns the new options. */
export const addOptions: (
  fieldCode: string,
  body: typeof OptionsAdd.Type
) => Effect.Effect<ReadonlyArray<Option>, PipedriveError, PipedriveClient.PipedriveClient> = options(
  "addPersonFieldOptions",
  "POST",
  OptionsAdd
)

/** Relabels options by id (`updatePersonFieldOptions`); returns the changed options. */
export const updateOptions: (
  fieldCode: string,
  body: typeof OptionsUpdate.Type
) => Effect.Effect<ReadonlyArray<Option>, PipedriveError, PipedriveClient.PipedriveClient> = options(
  "updatePersonFieldOptions",
  "PATCH",
  OptionsUpdate
)

/** Removes options by id (`deletePersonFieldOptions`); returns the removed options. */
export const removeOptions: (
  fieldCode: string,
  body: typeof OptionsRemove.Type
) => Effect.Effect<ReadonlyArray<Option>, PipedriveError, PipedriveClient.PipedriveClient> = options(
  "deletePersonFieldOptions",
  "DELETE",
  OptionsRemove
)
