/**
 * Core's schemas against Pipedrive's OpenAPI files for the person list/get/create/update/delete
 * operations (see `support/Conformance.ts`), and the generator those property tests rest on.
 * Other areas have their own `SpecConformance.<area>.test.ts` with their rows.
 */
import { describe, expect, it } from "@effect/vitest"
import { Persons, PersonsV1 } from "@pipedrive-effect/core"
import fc from "fast-check"
import { listBody, row, type Row, singleBody, suite } from "./support/Conformance.ts"
import { fromSchema, type OpenApiSchema } from "./support/OpenApiArbitrary.ts"

const operations: ReadonlyArray<Row> = [
  row({
    spec: "v2",
    operationId: "getPersons",
    body: Persons.ListResponse,
    require: listBody,
    call: Persons.list(),
    check: (page, body) => {
      expect(page.items).toEqual(body.data ?? [])
      expect(page.nextCursor).toEqual(body.additional_data?.next_cursor ?? undefined)
    }
  }),
  row({
    spec: "v2",
    operationId: "getPerson",
    body: Persons.PersonResponse,
    require: singleBody,
    call: Persons.get(1),
    check: (person, body) => expect(person).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "addPerson",
    body: Persons.PersonResponse,
    require: singleBody,
    call: Persons.create({ name: "Ada Lovelace" }),
    check: (person, body) => expect(person).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "updatePerson",
    body: Persons.PersonResponse,
    require: singleBody,
    call: Persons.update(1, { job_title: "Analyst" }),
    check: (person, body) => expect(person).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "deletePerson",
    body: Persons.DeleteResponse,
    require: singleBody,
    call: Persons.remove(1),
    check: (deleted, body) => expect(deleted).toEqual(body.data)
  }),
  row({
    spec: "v1-2026-01-14",
    operationId: "getPersons",
    body: PersonsV1.ListResponse,
    require: listBody,
    call: PersonsV1.list(),
    check: (page, body) => {
      expect(page.items).toEqual(body.data ?? [])
      expect(page.relatedObjects).toEqual(body.related_objects ?? undefined)
    }
  }),
  row({
    spec: "v1-2026-01-14",
    operationId: "getPerson",
    body: PersonsV1.DetailsResponse,
    require: singleBody,
    call: PersonsV1.get(1),
    check: (person, body) => expect(person).toEqual(body.data)
  })
]


suite("persons", operations)

/** The property tests are only as strong as the generator; these pin down what it produces. */
describe("the OpenAPI generator", () => {
  const schema: OpenApiSchema = {
    type: "object",
    required: ["kind"],
    properties: {
      id: { type: "integer", minimum: 1, maximum: 10 },
      kind: { type: "string", enum: ["a", "b"] },
      day: { type: "string", format: "date" },
      at: { type: "string", format: "date-time" },
      note: { type: "string", nullable: true },
      custom_fields: { type: "object", additionalProperties: true },
      tags: { type: "array", items: { type: "integer" } },
      both: {
        allOf: [
          { type: "object", required: ["x"], properties: { x: { type: "boolean" } } },
          { type: "object", properties: { y: { type: "number" } } }
        ]
      },
      either: { oneOf: [{ type: "string" }, { type: "integer" }] }
    }
  }
  const samples = (options = {}) =>
    fc.sample(fromSchema(schema, options), { numRuns: 300, seed: 7 }) as ReadonlyArray<Record<string, unknown>>

  it("keeps to types, enums, formats and bounds", () => {
    for (const value of samples()) {
      expect(["a", "b"]).toContain(value["kind"])
      if ("id" in value) expect(Number.isInteger(value["id"]) && Number(value["id"]) >= 1 && Number(value["id"]) <= 10).toBe(true)
      if ("day" in value) expect(value["day"]).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      if ("at" in value) expect(new Date(String(value["at"])).toISOString()).toBe(value["at"])
      if ("tags" in value) expect((value["tags"] as ReadonlyArray<unknown>).length).toBeLessThanOrEqual(3)
      if ("both" in value) expect(typeof (value["both"] as { x: unknown }).x).toBe("boolean")
      if ("either" in value) expect(typeof value["either"] === "string" || Number.isInteger(value["either"])).toBe(true)
    }
  })

  it("leaves optional properties out sometimes, and only nullable ones null", () => {
    const all = samples()
    expect(all.some((value) => !("id" in value))).toBe(true)
    expect(all.some((value) => "id" in value)).toBe(true)
    expect(all.some((value) => value["note"] === null)).toBe(true)
    expect(all.some((value) => typeof value["note"] === "string")).toBe(true)
    for (const value of all) {
      for (const [key, field] of Object.entries(value)) if (key !== "note") expect(field).not.toBeNull()
    }
  })

  it("fills additionalProperties with custom-field-like keys", () => {
    const keys = samples().flatMap((value) => Object.keys((value["custom_fields"] as object | undefined) ?? {}))
    expect(keys.length).toBeGreaterThan(0)
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{40}$/)
  })

  it("always generates what `require` forces", () => {
    for (const value of samples({ require: { "$": ["id"], "$.both": ["y"] } })) {
      expect(value["id"]).toEqual(expect.any(Number))
      if ("both" in value) expect((value["both"] as { y: unknown }).y).toEqual(expect.any(Number))
    }
  })
})
