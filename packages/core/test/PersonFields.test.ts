/** Person fields, v1 and v2, against the in-process sandbox: every endpoint, options, errors. */
import { describe, expect, it, layer } from "@effect/vitest"
import { PersonFields, PersonFieldsV1 } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Chunk, Effect, Exit, Option, Stream } from "effect"
import * as Sandbox from "./support/Sandbox.ts"

const HASH = /^[0-9a-f]{40}$/

layer(Sandbox.layer({ persons: 20 }))("PersonFields (v2)", (it) => {
  it.effect("list and stream return the standard fields and the seeded custom fields", () =>
    Effect.gen(function*() {
      const first = yield* PersonFields.list({ limit: 5 })
      expect(first.items).toHaveLength(5)
      expect(first.nextCursor).toEqual(expect.any(String))
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(PersonFields.stream({ limit: 7 })))
      expect(all.find((field) => field.field_code === "name")).toMatchObject({ is_custom_field: false, field_type: "varchar" })
      const custom = all.filter((field) => field.is_custom_field)
      expect(custom.map((field) => field.field_type).sort()).toEqual(
        [
          "address",
          "date",
          "daterange",
          "double",
          "double",
          "enum",
          "monetary",
          "org",
          "people",
          "phone",
          "set",
          "text",
          "time",
          "timerange",
          "user",
          "varchar",
          "varchar_auto"
        ]
      )
      for (const field of custom) expect(field.field_code).toMatch(HASH)
      expect(custom.find((field) => field.field_name === "Lead source")?.options?.map((o) => o.label)).toEqual([
        "Website",
        "Referral",
        "Trade show",
        "Cold call",
        "Partner"
      ])
      expect(custom.find((field) => field.field_type === "monetary")?.subfields?.[0]?.field_code).toMatch(/_currency$/)
    }))

  it.effect("the seeded fields' codes are the keys seeded persons carry", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const person = Option.getOrThrow(yield* sandbox.store.get(1))
      const fields = yield* Stream.runCollect(PersonFields.stream())
      const codes = Chunk.toReadonlyArray(fields).filter((f) => f.is_custom_field).map((f) => f.field_code)
      for (const key of Object.keys(person.customFields)) expect(codes).toContain(key)
    }))

  it.effect("get by field_code, with include_fields", () =>
    Effect.gen(function*() {
      const field = yield* PersonFields.get("name", { include_fields: ["ui_visibility", "required_fields"] })
      expect(field).toMatchObject({ field_name: "Name", required_fields: { enabled: true }, ui_visibility: { add_visible_flag: true } })
      const missing = yield* Effect.exit(PersonFields.get("0".repeat(40)))
      expect(Exit.isFailure(missing) && missing.cause._tag === "Fail" && missing.cause.error._tag).toBe("NotFound")
    }))

  it.effect("add, update, options add/update/remove, remove", () =>
    Effect.gen(function*() {
      const field = yield* PersonFields.add({ field_name: "Tier", field_type: "enum", options: [{ label: "Gold" }] })
      expect(field).toMatchObject({ field_name: "Tier", field_type: "enum", is_custom_field: true })
      expect(field.field_code).toMatch(HASH)
      const renamed = yield* PersonFields.update(field.field_code, { field_name: "Customer tier" })
      expect(renamed.field_name).toBe("Customer tier")
      const added = yield* PersonFields.addOptions(field.field_code, [{ label: "Silver" }, { label: "Bronze" }])
      expect(added.map((o) => o.label)).toEqual(["Silver", "Bronze"])
      const changed = yield* PersonFields.updateOptions(field.field_code, [{ id: added[0]!.id, label: "Platinum" }])
      expect(changed).toEqual([{ id: added[0]!.id, label: "Platinum" }])
      const removed = yield* PersonFields.removeOptions(field.field_code, [{ id: added[1]!.id }])
      expect(removed).toEqual([{ id: added[1]!.id, label: "Bronze" }])
      const now = yield* PersonFields.get(field.field_code)
      expect(now.options?.map((o) => o.label)).toEqual(["Gold", "Platinum"])
      const deleted = yield* PersonFields.remove(field.field_code)
      expect(deleted.field_code).toBe(field.field_code)
      const gone = yield* Effect.exit(PersonFields.get(field.field_code))
      expect(Exit.isFailure(gone)).toBe(true)
    }))

  it.effect("bodies are checked before sending, and the sandbox refuses what Pipedrive refuses", () =>
    Effect.gen(function*() {
      const bad = yield* Effect.flip(PersonFields.add({ field_name: " ", field_type: "varchar" }))
      expect(bad._tag).toBe("InvalidRequest")
      const standard = yield* Effect.flip(PersonFields.remove("name"))
      expect(standard._tag).toBe("ValidationFailed")
      const text = yield* PersonFields.add({ field_name: "Plain", field_type: "varchar" })
      const noOptions = yield* Effect.flip(PersonFields.addOptions(text.field_code, [{ label: "x" }]))
      expect(noOptions._tag).toBe("ValidationFailed")
      const unknownOption = yield* Effect.flip(PersonFields.updateOptions(
        (yield* PersonFields.stream().pipe(Stream.filter((f) => f.field_name === "Lead source"), Stream.runHead)).pipe(
          (o) => o._tag === "Some" ? o.value.field_code : ""
        ),
        [{ id: 999_999, label: "x" }]
      ))
      expect(unknownOption._tag).toBe("ValidationFailed")
      yield* PersonFields.remove(text.field_code)
    }))
})

layer(Sandbox.layer({ persons: 5 }))("PersonFieldsV1", (it) => {
  it.effect("list pages by offset and stream reads every field", () =>
    Effect.gen(function*() {
      const page = yield* PersonFieldsV1.list({ limit: 10 })
      expect(page.items).toHaveLength(10)
      expect(page.nextStart).toBe(10)
      const all = Chunk.toReadonlyArray(yield* Stream.runCollect(PersonFieldsV1.stream({ limit: 4 })))
      expect(all.length).toBeGreaterThan(20)
      expect(new Set(all.map((f) => f.id)).size).toBe(all.length)
      expect(all.filter((f) => HASH.test(f.key ?? ""))).toHaveLength(17)
    }))

  it.effect("get, add, update (PUT, options replaced), remove, removeMany", () =>
    Effect.gen(function*() {
      const name = yield* PersonFieldsV1.get(2)
      expect(name).toMatchObject({ key: "name", field_type: "varchar" })
      const added = yield* PersonFieldsV1.add({ name: "Colour", field_type: "set", options: [{ label: "Red" }, { label: "Blue" }] })
      expect(added.key).toMatch(HASH)
      const red = added.options?.[0]
      const updated = yield* PersonFieldsV1.update(added.id ?? 0, {
        name: "Colours",
        options: [{ id: Number(red?.id), label: "Crimson" }, { label: "Green" }]
      })
      expect(updated.name).toBe("Colours")
      expect(updated.options?.map((o) => o.label)).toEqual(["Crimson", "Green"])
      expect(updated.options?.[0]?.id).toBe(red?.id)
      expect(yield* PersonFieldsV1.remove(added.id ?? 0)).toEqual({ id: added.id })
      const a = yield* PersonFieldsV1.add({ name: "A", field_type: "varchar" })
      const b = yield* PersonFieldsV1.add({ name: "B", field_type: "visible_to" })
      expect(yield* PersonFieldsV1.removeMany([a.id ?? 0, b.id ?? 0])).toEqual({ id: [a.id, b.id] })
      const gone = yield* Effect.flip(PersonFieldsV1.get(a.id ?? 0))
      expect(gone._tag).toBe("NotFound")
      const standard = yield* Effect.flip(PersonFieldsV1.removeMany([2]))
      expect(standard._tag).toBe("ValidationFailed")
    }))
})

describe("PersonFields schemas", () => {
  it("accept every type the specs list", () => {
    expect(PersonFields.FieldType.literals).toContain("varchar_auto")
    expect(PersonFields.CreatableFieldType.literals).toHaveLength(16)
  })
})
