/**
 * Custom fields by name against the in-process sandbox: every field type written by name, read back
 * typed through v2 and v1; unknown and ambiguous names, ill-typed values, refresh.
 */
import { describe, expect, it, layer } from "@effect/vitest"
import { CustomFields, PersonFields, PersonFieldsV1, Persons, PersonsV1 } from "@pipedrive-effect/core"
import { Chunk, Effect, Layer, Stream } from "effect"
import * as Sandbox from "./support/Sandbox.ts"

const TestLayer = CustomFields.layer.pipe(Layer.provideMerge(Sandbox.layer({ persons: 10 })))

/** One value per seeded field type, as written, and as read back. */
const cases: ReadonlyArray<readonly [name: string, type: string, written: unknown, read: unknown]> = [
  ["Lead source", "enum", "Referral", { id: 102, label: "Referral" }],
  ["Lifetime value", "double", 1234.5, 1234.5],
  ["Next renewal", "date", "2025-06-30", "2025-06-30"],
  ["LinkedIn profile", "varchar", "https://www.linkedin.com/in/ada", "https://www.linkedin.com/in/ada"],
  ["Nickname", "varchar_auto", "Ada", "Ada"],
  ["Background", "text", "Countess.\nWrote the first program.", "Countess.\nWrote the first program."],
  ["Contract value", "monetary", { value: 5000, currency: "EUR" }, { value: 5000, currency: "EUR" }],
  ["Availability", "daterange", { start: "2025-01-01", end: "2025-01-31" }, { start: "2025-01-01", end: "2025-01-31" }],
  ["Preferred call time", "time", "09:30", "09:30:00"],
  ["Office hours", "timerange", { start: "09:00", end: "17:30:00" }, { start: "09:00:00", end: "17:30:00" }],
  ["Interests", "set", ["Analytics", 203], [{ id: 201, label: "Analytics" }, { id: 203, label: "Integrations" }]],
  ["Account manager", "user", 900002, 900002],
  ["Parent company", "org", 3, 3],
  ["Referred by", "people", 1, 1],
  ["Assistant phone", "phone", "+1 555 000 1111", "+1 555 000 1111"],
  [
    "Billing address",
    "address",
    { value: "1 Main Street, Tallinn", locality: "Tallinn", country: "Estonia" },
    { value: "1 Main Street, Tallinn", locality: "Tallinn", country: "Estonia" }
  ],
  ["Seat count", "double", 12, 12]
]

layer(TestLayer)("CustomFields", (it) => {
  it.effect("the seeded fields cover every type the cases write", () =>
    Effect.gen(function*() {
      const fields = yield* CustomFields.CustomFields
      for (const [name, type] of cases) expect((yield* fields.field(name)).type).toBe(type)
    }))

  for (const [name, type, written, read] of cases) {
    it.effect(`${type}: "${name}" written by name reads back typed through v2 and v1`, () =>
      Effect.gen(function*() {
        const fields = yield* CustomFields.CustomFields
        const custom_fields = yield* fields.encode({ [name]: written })
        const created = yield* Persons.create({ name: `Typed ${type}`, custom_fields })
        expect((yield* fields.decode(created))[name]).toEqual(read)
        const again = yield* Persons.get(created.id)
        expect((yield* fields.decode(again))[name]).toEqual(read)
        const v1 = yield* PersonsV1.get(created.id)
        expect((yield* fields.decodeV1(v1))[name]).toEqual(read)
        // Clearing works for every type.
        const cleared = yield* Persons.update(created.id, { custom_fields: yield* fields.encode({ [name]: null }) })
        expect((yield* fields.decode(cleared))[name]).toBeNull()
      }))
  }

  it.effect("all types at once, and seeded persons read without error", () =>
    Effect.gen(function*() {
      const fields = yield* CustomFields.CustomFields
      const values = Object.fromEntries(cases.map(([name, , written]) => [name, written]))
      const person = yield* Persons.create({ name: "Everything", custom_fields: yield* fields.encode(values) })
      expect(yield* fields.decode(person)).toEqual(Object.fromEntries(cases.map(([name, , , read]) => [name, read])))
      const seeded = yield* fields.decode(yield* Persons.get(1))
      expect(Object.keys(seeded)).toContain("Lead source")
      const seededV1 = yield* fields.decodeV1(yield* PersonsV1.get(1))
      expect(seededV1["Lead source"]).toEqual(seeded["Lead source"])
      expect(seededV1["Lifetime value"]).toEqual(seeded["Lifetime value"])
    }))

  it.effect("all types written by name through API v1 (composite values as <hash>_<subfield> keys)", () =>
    Effect.gen(function*() {
      const fields = yield* CustomFields.CustomFields
      const values = Object.fromEntries(cases.map(([name, , written]) => [name, written]))
      const created = yield* PersonsV1.create({ name: "Everything v1", ...(yield* fields.encodeV1(values)) })
      const expected = Object.fromEntries(cases.map(([name, , , read]) => [name, read]))
      expect(yield* fields.decodeV1(created)).toEqual(expected)
      expect(yield* fields.decode(yield* Persons.get(created.id))).toEqual(expected)
    }))

  it.effect("an unknown name fails with UnknownField naming it", () =>
    Effect.gen(function*() {
      const fields = yield* CustomFields.CustomFields
      const error = yield* Effect.flip(fields.encode({ "Lead sauce": "Website" }))
      expect(error).toMatchObject({ _tag: "UnknownField", name: "Lead sauce" })
      expect(error.message).toContain("Lead sauce")
    }))

  it.effect("an ill-typed value fails with InvalidValue naming the field and the expected type", () =>
    Effect.gen(function*() {
      const fields = yield* CustomFields.CustomFields
      const bad: ReadonlyArray<readonly [string, unknown, string]> = [
        ["Lifetime value", "12", "a finite number"],
        ["Next renewal", "2025-02-30", "YYYY-MM-DD"],
        ["Next renewal", "2025-13-01", "YYYY-MM-DD"],
        ["Lead source", "Billboard", "Referral"],
        ["Interests", "Analytics", "an array"],
        ["Contract value", 10, "currency"],
        ["Availability", { start: "2025-02-01", end: "2025-01-01" }, "start not after end"],
        ["Preferred call time", "25:00", "HH:MM:SS"],
        ["Account manager", "Riley", "user id"],
        ["Billing address", 7, "address"],
        ["Nickname", 7, "a string"]
      ]
      for (const [name, value, expected] of bad) {
        const error = yield* Effect.flip(fields.encode({ [name]: value }))
        expect(error._tag).toBe("InvalidValue")
        if (error._tag === "InvalidValue") {
          expect(error.name).toBe(name)
          expect(error.expected).toContain(expected)
        }
      }
    }))

  it.effect("a name two fields share is refused on write, keyed by hash on read; hashes always work", () =>
    Effect.gen(function*() {
      const fields = yield* CustomFields.CustomFields
      const a = yield* PersonFields.add({ field_name: "Twin", field_type: "varchar" })
      const b = yield* PersonFields.add({ field_name: "Twin", field_type: "double" })
      yield* fields.refresh
      const error = yield* Effect.flip(fields.encode({ Twin: "x" }))
      expect(error).toMatchObject({ _tag: "AmbiguousFieldName", name: "Twin", keys: [a.field_code, b.field_code] })
      const body = yield* fields.encode({ [a.field_code]: "left", [b.field_code]: 2 })
      const person = yield* Persons.create({ name: "Twins", custom_fields: body })
      const read = yield* fields.decode(person)
      expect(read[a.field_code]).toBe("left")
      expect(read[b.field_code]).toBe(2)
      expect(read["Twin"]).toBeUndefined()
      yield* PersonFields.remove(a.field_code)
      yield* PersonFields.remove(b.field_code)
      yield* fields.refresh
    }))

  it.effect("a catalog loaded through v1 fields maps the same names and keys as v2's", () =>
    Effect.gen(function*() {
      const v2 = yield* (yield* CustomFields.CustomFields).catalog
      const v1 = yield* CustomFields.make(
        Effect.map(Stream.runCollect(PersonFieldsV1.stream()), (fields) => CustomFields.catalogV1(Chunk.toReadonlyArray(fields)))
      )
      const cat = yield* v1.catalog
      expect(cat.fields.map((f) => [f.name, f.key, f.type])).toEqual(v2.fields.map((f) => [f.name, f.key, f.type]))
      const values = Object.fromEntries(cases.map(([name, , written]) => [name, written]))
      expect(yield* v1.encode(values)).toEqual(yield* (yield* CustomFields.CustomFields).encode(values))
    }))

  it.effect("the catalog is cached until refresh, which picks up a new field", () =>
    Effect.gen(function*() {
      const fields = yield* CustomFields.CustomFields
      yield* fields.catalog
      const added = yield* PersonFields.add({ field_name: "Shoe size", field_type: "enum", options: [{ label: "42" }] })
      const before = yield* Effect.flip(fields.encode({ "Shoe size": "42" }))
      expect(before._tag).toBe("UnknownField")
      yield* fields.refresh
      const body = yield* fields.encode({ "Shoe size": "42" })
      expect(body).toEqual({ [added.field_code]: added.options?.[0]?.id })
      yield* PersonFields.remove(added.field_code)
    }))
})

describe("CustomFields pure conversions", () => {
  const cat = CustomFields.catalog([
    { field_name: "Size", field_code: "a".repeat(40), field_type: "set", options: [{ id: 1, label: "S" }, { id: 2, label: "M" }], is_custom_field: true, is_optional_response_field: false },
    { field_name: "Name", field_code: "name", field_type: "varchar", is_custom_field: false, is_optional_response_field: false }
  ])

  it("sets read from v1's comma-separated ids and v2's arrays alike", () => {
    expect(CustomFields.decode(cat, { ["a".repeat(40)]: [1, 2] })).toEqual({ Size: [{ id: 1, label: "S" }, { id: 2, label: "M" }] })
    expect(CustomFields.decodeV1(cat, { ["a".repeat(40)]: "1,2" })).toEqual({ Size: [{ id: 1, label: "S" }, { id: 2, label: "M" }] })
  })

  it("encodeV1 splits composite values into <hash>_<subfield> keys", () => {
    const money = "b".repeat(40)
    const v1Cat = CustomFields.catalogV1([
      { id: 1, key: money, name: "Value", field_type: "monetary" },
      { id: 2, key: "c".repeat(40), name: "When", field_type: "daterange" },
      { id: 3, key: `${money}_currency`, name: "Currency", field_type: "varchar", is_subfield: true }
    ])
    expect(v1Cat.fields.map((f) => f.name)).toEqual(["Value", "When"])
    const body = Effect.runSync(CustomFields.encodeV1(v1Cat, {
      Value: { value: 3, currency: "EUR" },
      When: { start: "2025-01-01", end: "2025-01-02" }
    }))
    expect(body).toEqual({
      [money]: 3,
      [`${money}_currency`]: "EUR",
      ["c".repeat(40)]: "2025-01-01",
      [`${"c".repeat(40)}_until`]: "2025-01-02"
    })
  })

  it("standard fields are not mapped, and deleted options read with a null label", () => {
    expect(cat.byName.has("Name")).toBe(false)
    expect(CustomFields.decode(cat, { ["a".repeat(40)]: [9] })).toEqual({ Size: [{ id: 9, label: null }] })
  })
})
