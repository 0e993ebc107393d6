/**
 * Core's person field schemas against Pipedrive's OpenAPI files (see `support/Conformance.ts`): one
 * row per v2 and v1 `personFields` operation.
 */
import { describe, expect, it } from "@effect/vitest"
import { CustomFields, PersonFields, PersonFieldsV1 } from "@pipedrive-effect/core"
import { Schema } from "effect"
import { listBody, row, type Row, suite } from "./support/Conformance.ts"
import { examples, type SpecKey } from "./support/OpenApiSpec.ts"

const data = { "$": ["data"] }

const operations: ReadonlyArray<Row> = [
  row({
    spec: "v2",
    operationId: "getPersonFields",
    body: PersonFields.ListResponse,
    require: {},
    call: PersonFields.list(),
    check: (page, body) => {
      expect(page.items).toEqual(body.data ?? [])
      expect(page.nextCursor).toEqual(body.additional_data?.next_cursor ?? undefined)
    }
  }),
  row({
    spec: "v2",
    operationId: "getPersonField",
    body: PersonFields.FieldResponse,
    require: data,
    call: PersonFields.get("1"),
    check: (field, body) => expect(field).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "addPersonField",
    body: PersonFields.FieldResponse,
    require: data,
    call: PersonFields.add({ field_name: "Tier", field_type: "enum", options: [{ label: "Gold" }] }),
    check: (field, body) => expect(field).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "updatePersonField",
    body: PersonFields.FieldResponse,
    require: data,
    call: PersonFields.update("1", { field_name: "Customer tier" }),
    check: (field, body) => expect(field).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "deletePersonField",
    body: PersonFields.FieldResponse,
    require: data,
    call: PersonFields.remove("1"),
    check: (field, body) => expect(field).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "addPersonFieldOptions",
    body: PersonFields.OptionsResponse,
    require: data,
    call: PersonFields.addOptions("1", [{ label: "Silver" }]),
    check: (options, body) => expect(options).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "updatePersonFieldOptions",
    body: PersonFields.OptionsResponse,
    require: data,
    call: PersonFields.updateOptions("1", [{ id: 1, label: "Platinum" }]),
    check: (options, body) => expect(options).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "deletePersonFieldOptions",
    body: PersonFields.OptionsResponse,
    require: data,
    call: PersonFields.removeOptions("1", [{ id: 1 }]),
    check: (options, body) => expect(options).toEqual(body.data)
  }),
  row({
    spec: "v1",
    operationId: "getPersonFields",
    body: PersonFieldsV1.ListResponse,
    require: listBody,
    call: PersonFieldsV1.list(),
    check: (page, body) => expect(page.items).toEqual(body.data ?? [])
  }),
  row({
    spec: "v1",
    operationId: "getPersonField",
    body: PersonFieldsV1.FieldResponse,
    require: data,
    call: PersonFieldsV1.get(1),
    check: (field, body) => expect(field).toEqual(body.data)
  }),
  row({
    spec: "v1",
    operationId: "addPersonField",
    body: PersonFieldsV1.FieldResponse,
    require: data,
    call: PersonFieldsV1.add({ name: "Tier", field_type: "set", options: [{ label: "Gold" }] }),
    check: (field, body) => expect(field).toEqual(body.data)
  }),
  row({
    spec: "v1",
    operationId: "updatePersonField",
    body: PersonFieldsV1.FieldResponse,
    require: data,
    call: PersonFieldsV1.update(1, { name: "Customer tier", options: [{ id: 1, label: "Gold" }] }),
    check: (field, body) => expect(field).toEqual(body.data)
  }),
  row({
    spec: "v1",
    operationId: "deletePersonField",
    body: PersonFieldsV1.DeleteResponse,
    require: data,
    call: PersonFieldsV1.remove(1),
    check: (deleted, body) => expect(deleted).toEqual(body.data)
  }),
  row({
    spec: "v1",
    operationId: "deletePersonFields",
    body: PersonFieldsV1.DeleteManyResponse,
    require: data,
    call: PersonFieldsV1.removeMany([1, 2]),
    check: (deleted, body) => expect(deleted).toEqual(body.data)
  }),
  row({
    spec: "v1-2026-01-14",
    operationId: "getPersonFields",
    body: PersonFieldsV1.ListResponse,
    require: listBody,
    call: PersonFieldsV1.list(),
    check: (page, body) => expect(page.items).toEqual(body.data ?? [])
  })
]

suite("personFields", operations)

describe("personFields: the spec's own example bodies decode", () => {
  const v2: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> = [
    ["getPersonFields", PersonFields.ListResponse],
    ["getPersonField", PersonFields.FieldResponse],
    ["addPersonField", PersonFields.FieldResponse],
    ["updatePersonField", PersonFields.FieldResponse],
    ["deletePersonField", PersonFields.FieldResponse],
    ["addPersonFieldOptions", PersonFields.OptionsResponse],
    ["updatePersonFieldOptions", PersonFields.OptionsResponse],
    ["deletePersonFieldOptions", PersonFields.OptionsResponse]
  ]
  const v1: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> = [
    ["getPersonFields", PersonFieldsV1.ListResponse],
    ["getPersonField", PersonFieldsV1.FieldResponse],
    ["addPersonField", PersonFieldsV1.FieldResponse],
    ["updatePersonField", PersonFieldsV1.FieldResponse],
    ["deletePersonField", PersonFieldsV1.DeleteResponse],
    ["deletePersonFields", PersonFieldsV1.DeleteManyResponse]
  ]
  const cases = [
    ...v2.map(([id, schema]) => ["v2" as SpecKey, id, schema] as const),
    ...(["v1", "v1-2026-01-14"] as const).flatMap((spec) => v1.map(([id, schema]) => [spec as SpecKey, id, schema] as const))
  ]
  for (const [spec, operationId, schema] of cases) {
    it(`${spec} ${operationId}`, () => {
      const body = examples[spec][operationId]?.["200"]
      expect(body).toBeDefined()
      Schema.decodeUnknownSync(schema)(body)
    })
  }

  it("the v2 list example makes a catalog of its custom fields", () => {
    const body = Schema.decodeUnknownSync(PersonFields.ListResponse)(examples.v2["getPersonFields"]?.["200"])
    const cat = CustomFields.catalog(body.data ?? [])
    expect(cat.fields.every((field) => (body.data ?? []).some((f) => f.field_code === field.key && f.is_custom_field))).toBe(true)
  })
})
