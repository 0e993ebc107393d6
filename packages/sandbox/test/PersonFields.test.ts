/** Person fields over HTTP: both APIs' shapes, field and option CRUD, and custom values by type. */
import { describe, expect, it, layer } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import * as CustomFieldValues from "../src/internal/store/CustomFieldValues.ts"
import * as Seed from "../src/internal/store/Seed.ts"
import { Effect } from "effect"
import { call, type ErrorBody, type V1Person, type V2Person } from "./support/Http.ts"

interface V2Field {
  readonly field_name: string
  readonly field_code: string
  readonly field_type: string
  readonly options: ReadonlyArray<{ readonly id: number; readonly label: string }> | null
  readonly subfields: ReadonlyArray<{ readonly field_code: string }> | null
  readonly is_custom_field: boolean
}
interface V1Field {
  readonly id: number
  readonly key: string
  readonly name: string
  readonly field_type: string
  readonly options: ReadonlyArray<{ readonly id: number; readonly label: string }> | null
}
interface Body<A> {
  readonly success: boolean
  readonly data: A
  readonly additional_data?: { readonly next_cursor?: string | null; readonly pagination?: { readonly next_start?: number } }
}

const customV2 = (sandbox: PipedriveSandbox.Service) =>
  Effect.map(call<Body<ReadonlyArray<V2Field>>>(sandbox, "/api/v2/personFields?limit=500"), (reply) =>
    reply.body.data.filter((field) => field.is_custom_field))

const codeOf = (fields: ReadonlyArray<V2Field>, name: string) => fields.find((field) => field.field_name === name)!.field_code

layer(PipedriveSandbox.layer({ persons: 50, seed: "fields" }))("personFields", (it) => {
  it.effect("the seeded custom fields are the keys seeded persons carry, one field of each creatable type", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const fields = yield* customV2(sandbox)
      expect(fields.map((field) => field.field_code)).toEqual(sandbox.store.seed.customFields.map((field) => field.key))
      const person = yield* call<Body<V2Person>>(sandbox, "/api/v2/persons/7")
      for (const key of Object.keys(person.body.data.custom_fields)) expect(fields.some((f) => f.field_code === key)).toBe(true)
      expect(new Set(fields.map((field) => field.field_type))).toEqual(
        new Set(["enum", "double", "date", "varchar", "varchar_auto", "text", "monetary", "daterange", "time", "timerange", "set", "user", "org", "people", "phone", "address"])
      )
    }))

  it.effect("v2 pages by cursor; a foreign cursor is refused", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const seen: Array<string> = []
      let cursor: string | null | undefined = undefined
      do {
        const reply: { readonly body: Body<ReadonlyArray<V2Field>> } = yield* call<Body<ReadonlyArray<V2Field>>>(
          sandbox,
          `/api/v2/personFields?limit=8${cursor == null ? "" : `&cursor=${cursor}`}`
        )
        seen.push(...reply.body.data.map((field) => field.field_code))
        cursor = reply.body.additional_data?.next_cursor
      } while (cursor != null)
      expect(new Set(seen).size).toBe(seen.length)
      expect(seen.length).toBe(14 + sandbox.store.seed.customFields.length)
      const bad = yield* call<ErrorBody>(sandbox, "/api/v2/personFields?cursor=nope")
      expect(bad.status).toBe(400)
      expect(bad.body.error).toContain("cursor")
    }))

  it.effect("v1 renders composite values as <hash> and <hash>_<subfield> keys, sets and options as id strings", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const fields = yield* customV2(sandbox)
      const [money, range, interests, address, source, manager] = [
        "Contract value",
        "Availability",
        "Interests",
        "Billing address",
        "Lead source",
        "Account manager"
      ].map((name) => codeOf(fields, name))
      const created = yield* call<Body<V2Person>>(sandbox, "/api/v2/persons", {
        method: "POST",
        body: {
          name: "Composite",
          custom_fields: {
            [money!]: { value: 10, currency: "EUR" },
            [range!]: { value: "2025-01-01", until: "2025-01-05" },
            [interests!]: [202, 201],
            [address!]: { value: "1 Main St", locality: "Tallinn" },
            [source!]: 103,
            [manager!]: 900002
          }
        }
      })
      expect(created.status).toBe(200)
      const v1 = yield* call<Body<V1Person>>(sandbox, `/api/v1/persons/${created.body.data.id}`)
      expect(v1.body.data).toMatchObject({
        [money!]: 10,
        [`${money}_currency`]: "EUR",
        [range!]: "2025-01-01",
        [`${range}_until`]: "2025-01-05",
        [interests!]: "202,201",
        [address!]: "1 Main St",
        [`${address}_locality`]: "Tallinn",
        [`${address}_country`]: null,
        [source!]: "103",
        [manager!]: { id: 900002, value: 900002 }
      })
    }))

  it.effect("person bodies' custom values are checked by type, naming the field", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const fields = yield* customV2(sandbox)
      const bad: ReadonlyArray<readonly [string, unknown, string]> = [
        ["Contract value", 10, "currency"],
        ["Contract value", { value: 1, currency: "euro" }, "3-letter"],
        ["Availability", { value: "2025-02-01", until: "2025-01-01" }, "not after"],
        ["Preferred call time", "9am", "HH:MM"],
        ["Office hours", { value: "09:00" }, "HH:MM"],
        ["Interests", [201, 999], "option ids"],
        ["Lead source", 201, "option ids"],
        ["Account manager", 1, "user"],
        ["Parent company", 999, "organization"],
        ["Referred by", -1, "person id"],
        ["Billing address", { value: "x", planet: "Mars" }, "planet"],
        ["Seat count", "12", "number"],
        ["Next renewal", "2025-13-01", "YYYY-MM-DD"],
        ["Background", 5, "string"]
      ]
      for (const [name, value, reason] of bad) {
        const key = codeOf(fields, name)
        const reply = yield* call<ErrorBody>(sandbox, "/api/v2/persons", {
          method: "POST",
          body: { name: "Bad", custom_fields: { [key]: value } }
        })
        expect(reply.status, name).toBe(400)
        expect(reply.body.error).toContain(`custom_fields.${key}`)
        expect(reply.body.error).toContain(reason)
      }
      // v1 spellings are accepted too: option ids as strings, sets as comma-separated ids.
      const ok = yield* call<Body<V2Person>>(sandbox, "/api/v2/persons", {
        method: "POST",
        body: { name: "v1 spellings", custom_fields: { [codeOf(fields, "Lead source")]: "101", [codeOf(fields, "Interests")]: "201,204" } }
      })
      expect(ok.body.data.custom_fields).toMatchObject({ [codeOf(fields, "Lead source")]: 101, [codeOf(fields, "Interests")]: [201, 204] })
    }))

  it.effect("v2 field and option CRUD, with validation; standard fields cannot change", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const badType = yield* call<ErrorBody>(sandbox, "/api/v2/personFields", {
        method: "POST",
        body: { field_name: "X", field_type: "visible_to" }
      })
      expect(badType.status).toBe(400)
      expect(badType.body.error).toContain("field_type")
      const noName = yield* call<ErrorBody>(sandbox, "/api/v2/personFields", { method: "POST", body: { field_type: "varchar" } })
      expect(noName.body.error).toContain("field_name")

      const added = yield* call<Body<V2Field>>(sandbox, "/api/v2/personFields", {
        method: "POST",
        body: { field_name: "Size", field_type: "set", options: [{ label: "S" }, { label: "M" }] }
      })
      const code = added.body.data.field_code
      expect(code).toMatch(/^[0-9a-f]{40}$/)
      const optionsPath = `/api/v2/personFields/${code}/options`
      const more = yield* call<Body<ReadonlyArray<{ id: number; label: string }>>>(sandbox, optionsPath, {
        method: "POST",
        body: [{ label: "L" }]
      })
      expect(more.body.data.map((o) => o.label)).toEqual(["L"])
      const empty = yield* call<ErrorBody>(sandbox, optionsPath, { method: "POST", body: [] })
      expect(empty.status).toBe(400)
      const gone = yield* call<ErrorBody>(sandbox, optionsPath, { method: "DELETE", body: [{ id: 424242 }] })
      expect(gone.body.error).toContain("424242")
      // The new field takes values at once.
      const person = yield* call<Body<V2Person>>(sandbox, "/api/v2/persons", {
        method: "POST",
        body: { name: "Sized", custom_fields: { [code]: [more.body.data[0]!.id] } }
      })
      expect(person.status).toBe(200)
      const renamed = yield* call<Body<V2Field>>(sandbox, `/api/v2/personFields/${code}`, { method: "PATCH", body: { field_name: "Sizes" } })
      expect(renamed.body.data.field_name).toBe("Sizes")
      expect((yield* call<ErrorBody>(sandbox, "/api/v2/personFields/name", { method: "DELETE" })).status).toBe(400)
      expect((yield* call<Body<V2Field>>(sandbox, `/api/v2/personFields/${code}`, { method: "DELETE" })).status).toBe(200)
      expect((yield* call<ErrorBody>(sandbox, `/api/v2/personFields/${code}`)).status).toBe(404)
      // Once deleted, its key is refused in person bodies.
      const stale = yield* call<ErrorBody>(sandbox, "/api/v2/persons", { method: "POST", body: { name: "Stale", custom_fields: { [code]: null } } })
      expect(stale.status).toBe(400)
    }))

  it.effect("persons show every field that exists now: an added one as null, a deleted one not at all", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const before = yield* call<Body<V2Person>>(sandbox, "/api/v2/persons/9")
      const doomed = Object.keys(before.body.data.custom_fields ?? {})[0] ?? ""
      const added = yield* call<Body<V2Field>>(sandbox, "/api/v2/personFields", {
        method: "POST",
        body: { field_name: "Shoe size", field_type: "double" }
      })
      const code = added.body.data.field_code
      const removed = yield* call<Body<unknown>>(sandbox, `/api/v2/personFields/${doomed}`, { method: "DELETE" })
      expect(removed.status).toBe(200)
      const after = yield* call<Body<V2Person>>(sandbox, "/api/v2/persons/9")
      expect(after.body.data.custom_fields?.[code]).toBeNull()
      expect(Object.keys(after.body.data.custom_fields ?? {})).not.toContain(doomed)
      const listed = yield* call<Body<ReadonlyArray<V2Person>>>(sandbox, "/api/v2/persons?ids=9")
      expect(Object.keys(listed.body.data[0]?.custom_fields ?? {})).toEqual(Object.keys(after.body.data.custom_fields ?? {}))
    }))

  it.effect("v1 field CRUD and the bulk delete", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const page = yield* call<Body<ReadonlyArray<V1Field>>>(sandbox, "/api/v1/personFields?limit=3")
      expect(page.body.data.map((field) => field.key)).toEqual(["id", "name", "first_name"])
      expect(page.body.additional_data?.pagination?.next_start).toBe(3)
      const added = yield* call<Body<V1Field>>(sandbox, "/api/v1/personFields", {
        method: "POST",
        body: { name: "Visibility", field_type: "visible_to" }
      })
      expect(added.body.data).toMatchObject({ name: "Visibility", field_type: "visible_to", options: null })
      const put = yield* call<ErrorBody>(sandbox, `/api/v1/personFields/${added.body.data.id}`, {
        method: "PUT",
        body: { options: [{ label: "x" }] }
      })
      expect(put.body.error).toContain("options")
      const other = yield* call<Body<V1Field>>(sandbox, "/api/v1/personFields", { method: "POST", body: { name: "Other", field_type: "text" } })
      const missing = yield* call<ErrorBody>(sandbox, `/api/v1/personFields?ids=${added.body.data.id},999999`, { method: "DELETE" })
      expect(missing.status).toBe(404)
      const both = yield* call<Body<{ id: ReadonlyArray<number> }>>(
        sandbox,
        `/api/v1/personFields?ids=${added.body.data.id},${other.body.data.id}`,
        { method: "DELETE" }
      )
      expect(both.body.data.id).toEqual([added.body.data.id, other.body.data.id])
      expect((yield* call<ErrorBody>(sandbox, `/api/v1/personFields/${other.body.data.id}`)).status).toBe(404)
      expect((yield* call<ErrorBody>(sandbox, "/api/v1/personFields/2", { method: "PUT", body: { name: "Full name" } })).status).toBe(400)
    }))
})

describe("CustomFieldValues.fromV1", () => {
  it("folds v1's <hash>_<subfield> keys into v2's objects, and leaves other keys out", () => {
    const seed = Seed.make({ seed: "fold", persons: 0 })
    const key = (name: string) => seed.customFields.find((field) => field.name === name)!.key
    const [money, range, address, source] = ["Contract value", "Availability", "Billing address", "Lead source"].map(key)
    expect(CustomFieldValues.fromV1(seed, {
      name: "Ada",
      [money!]: 10,
      [`${money}_currency`]: "EUR",
      [range!]: "2025-01-01",
      [`${range}_until`]: "2025-01-02",
      [address!]: "1 Main St",
      [`${address}_locality`]: "Tallinn",
      [source!]: "101"
    })).toEqual({
      [money!]: { value: 10, currency: "EUR" },
      [range!]: { value: "2025-01-01", until: "2025-01-02" },
      [address!]: { value: "1 Main St", locality: "Tallinn" },
      [source!]: "101"
    })
    expect(CustomFieldValues.fromV1(seed, { [money!]: null })).toEqual({ [money!]: null })
  })
})
