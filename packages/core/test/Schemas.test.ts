/**
 * Core's schemas against what Pipedrive really sends: the seeds' example bodies and the spec's own
 * examples (committed under `fixtures/` by `node tools/extract-spec.mjs`), the deviations from the
 * spec that real accounts show (nulls, `data: null`, pagination in two places, ids as objects or
 * numbers), and the request schemas refusing what Pipedrive would reject.
 */
import { describe, expect, it } from "@effect/vitest"
import { Pagination, Persons, PersonsV1, PipedriveError } from "@pipedrive-effect/core"
import * as RequestBody from "../src/internal/RequestBody.ts"
import { Effect, Either, type ParseResult, Schema } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { examples } from "./support/OpenApiSpec.ts"

const V1List = PersonsV1.ListResponse
/** A v1 single person (get, add, update): the person, maybe `additional_data` and `related_objects`. */
const V1Single = PersonsV1.DetailsResponse
const V2List = Persons.ListResponse
const V2Single = Persons.PersonResponse

/** Decodes or fails the test with every issue Effect found. */
const decode = <A, I>(schema: Schema.Schema<A, I>, input: unknown): A =>
  Either.getOrThrowWith(
    Schema.decodeUnknownEither(schema, { errors: "all" })(input),
    (error) => new Error(PipedriveError.formatParseError(error, 50))
  )

const seedsDir = new URL("./fixtures/seeds/", import.meta.url)
const readJson = (url: URL): unknown => JSON.parse(readFileSync(url, "utf8"))

/** The schema each seed body must decode with, by file name; a new seed without a row fails below. */
const seedSchemas: Readonly<Record<string, Schema.Schema.AnyNoContext>> = {
  "v1-getPersons.json": V1List,
  "v1-addPerson.json": V1Single
}

const seed = (file: string): unknown => readJson(new URL(file, seedsDir))

describe("seed bodies", () => {
  const files = readdirSync(seedsDir).filter((file) => file.endsWith(".json") && file !== "index.json").sort()

  it("there are seed bodies, and a schema for each", () => {
    expect(files.length).toBeGreaterThan(0)
    expect(files.filter((file) => !(file in seedSchemas))).toEqual([])
  })

  for (const file of files) {
    it(`${file} decodes`, () => {
      const schema = seedSchemas[file]
      if (schema === undefined) throw new Error(`no schema for seeds/${file}: add it to seedSchemas`)
      decode(schema, seed(file))
    })
  }

  it("v1 getPersons keeps the owner, organization, picture, contacts and pagination", () => {
    const body = decode(V1List, seed("v1-getPersons.json"))
    const person = body.data?.[0]
    expect(person).toMatchObject({
      id: 1,
      name: "Will Smith",
      owner_id: { id: 123, name: "Jane Doe", value: 123 },
      org_id: { name: "Org Name", value: 1234 },
      picture_id: { item_id: 25, value: 4, pictures: { 128: expect.stringContaining("_128.jpg") } },
      email: [{ value: "12345@email.com", primary: true, label: "work" }],
      phone: [{ value: "12345", primary: true, label: "work" }],
      visible_to: "3",
      label_ids: [1, 2, 3],
      marketing_status: "no_consent"
    })
    expect(body.additional_data?.pagination).toEqual({
      start: 0,
      limit: 100,
      more_items_in_collection: false,
      next_start: 100
    })
    expect(Pagination.nextStart(body.additional_data, 0, 1)).toBeUndefined()
    expect(body.related_objects?.user?.["123"]).toMatchObject({ id: 123, name: "Jane Doe" })
    expect(body.related_objects?.organization?.["1"]).toMatchObject({ name: "Org Name" })
    expect(body.related_objects?.picture?.["1"]?.pictures?.[512]).toContain("_512.jpg")
  })

  it("v1 addPerson keeps the created person and its related user", () => {
    const body = decode(V1Single, seed("v1-addPerson.json"))
    expect(body.data).toMatchObject({ id: 1, owner_id: { value: 123 }, org_id: { value: 1234 } })
    expect(body.related_objects?.user?.["123"]?.email).toBe("jane@pipedrive.com")
  })

  it("v1 persons keep custom fields (40-character hash keys) and fields core does not know yet", () => {
    const hashes = {
      "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567": "Tallinn",
      "ffffffffffffffffffffffffffffffffffffffff": { value: 10, currency: "EUR" },
      "1234567890abcdef1234567890abcdef12345678": null
    }
    const listed = seed("v1-getPersons.json") as { data: ReadonlyArray<object> }
    const withCustom = { ...listed, data: [{ ...listed.data[0], ...hashes, brand_new_field: [1, 2] }] }
    const person = decode(V1List, withCustom).data?.[0]
    if (person === undefined) throw new Error("no person decoded")
    expect(person).toMatchObject({ ...hashes, brand_new_field: [1, 2] })
    expect(PersonsV1.customFieldValues(person)).toEqual(hashes)
  })
})

describe("the spec's own examples", () => {
  const cases: ReadonlyArray<readonly [string, unknown, Schema.Schema.AnyNoContext]> = [
    ["v2 getPersons", examples.v2["getPersons"]?.["200"], V2List],
    ["v2 getPerson", examples.v2["getPerson"]?.["200"], V2Single],
    ["v2 addPerson", examples.v2["addPerson"]?.["200"], V2Single],
    ["v2 updatePerson", examples.v2["updatePerson"]?.["200"], V2Single],
    ["v2 deletePerson", examples.v2["deletePerson"]?.["200"], Persons.DeleteResponse],
    ["v1 getPersons", examples["v1-2026-01-14"]["getPersons"]?.["200"], V1List],
    ["v1 getPerson", examples["v1-2026-01-14"]["getPerson"]?.["200"], V1Single],
    ["v1 addPerson", examples["v1-2026-01-14"]["addPerson"]?.["201"], V1Single],
    ["v1 updatePerson", examples["v1-2026-01-14"]["updatePerson"]?.["200"], V1Single]
  ]
  for (const [name, example, schema] of cases) {
    it(`${name} decodes`, () => {
      expect(example).toBeDefined()
      decode(schema, example)
    })
  }

  it("a v2 person keeps its contacts, address, custom fields and the cursor", () => {
    const body = decode(V2List, examples.v2["getPersons"]?.["200"])
    expect(body.data?.[0]).toMatchObject({
      id: 1,
      owner_id: 1,
      org_id: 1,
      visible_to: 7,
      emails: [{ value: "email1@email.com", primary: true, label: "work" }, { value: "email2@email.com" }],
      im: [{ value: "skypeusername", label: "skype" }, { value: "whatsappusername" }],
      postal_address: { locality: "Sunnyvale", postal_code: "94085" },
      custom_fields: {}
    })
    expect(body.additional_data?.next_cursor).toEqual(expect.any(String))
  })
})

describe("what Pipedrive sends beyond its spec", () => {
  it("v2: null for every unset value the spec types as a value, kept as null", () => {
    const unset = {
      name: null,
      first_name: null,
      last_name: null,
      owner_id: null,
      org_id: null,
      picture_id: null,
      emails: null,
      phones: null,
      label_ids: null,
      postal_address: null,
      notes: null,
      im: null,
      birthday: null,
      job_title: null,
      custom_fields: null,
      visible_to: null
    }
    const person = decode(V2Single, { success: true, data: { id: 5, ...unset } }).data
    expect(person).toEqual({ id: 5, ...unset })
  })

  it("v2: null inside contacts, postal address and custom fields", () => {
    const person = decode(V2Single, {
      data: {
        id: 5,
        emails: [{ value: "a@example.com", primary: null, label: null }],
        postal_address: { value: null, locality: "Tartu", postal_code: null },
        custom_fields: { "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567": null, "1234567890abcdef1234567890abcdef12345678": [3, 4] }
      }
    }).data
    expect(person.emails?.[0]).toEqual({ value: "a@example.com", primary: null, label: null })
    expect(person.postal_address).toEqual({ value: null, locality: "Tartu", postal_code: null })
    expect(person.custom_fields).toEqual({
      "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567": null,
      "1234567890abcdef1234567890abcdef12345678": [3, 4]
    })
  })

  it("v2: the last page's next_cursor is null", () => {
    const body = decode(V2List, { success: true, data: [], additional_data: { next_cursor: null } })
    expect(body.additional_data?.next_cursor).toBeNull()
  })

  it("v1: null for an unset organization, picture, owner and activity fields", () => {
    const unset = {
      org_id: null,
      picture_id: null,
      owner_id: null,
      next_activity_date: null,
      next_activity_time: null,
      next_activity_id: null,
      last_activity_id: null,
      last_activity_date: null,
      last_incoming_mail_time: null,
      last_outgoing_mail_time: null,
      label: null,
      label_ids: null,
      org_name: null,
      cc_email: null,
      marketing_status: null,
      email: null,
      phone: null
    }
    const person = decode(V1Single, { success: true, data: { id: 9, name: "Ada", ...unset } }).data
    expect(person).toEqual({ id: 9, name: "Ada", ...unset })
  })

  it("v1: data is null on an empty list", () => {
    const body = decode(V1List, {
      success: true,
      data: null,
      additional_data: { pagination: { start: 0, limit: 100, more_items_in_collection: false } },
      related_objects: null
    })
    expect(body.data).toBeNull()
    expect(body.related_objects).toBeNull()
    expect(Pagination.nextStart(body.additional_data, 0, 0)).toBeUndefined()
  })

  it("v1: pagination directly under additional_data", () => {
    const body = decode(V1List, {
      success: true,
      data: [{ id: 1 }, { id: 2 }],
      additional_data: { start: 0, limit: 2, more_items_in_collection: true, next_start: 2 }
    })
    expect(body.additional_data).toMatchObject({ start: 0, limit: 2, more_items_in_collection: true, next_start: 2 })
    expect(Pagination.nextStart(body.additional_data, 0, 2)).toBe(2)
  })

  it("v1: visible_to as a string (the spec) and as a number (older responses)", () => {
    const body = decode(V1List, { data: [{ id: 1, visible_to: "3" }, { id: 2, visible_to: 7 }] })
    expect(body.data?.map((person) => person.visible_to)).toEqual(["3", 7])
  })

  it("v1: owner_id, org_id and picture_id as objects and as plain ids", () => {
    const body = decode(V1List, {
      data: [
        { id: 1, owner_id: { id: 123, name: "Jane Doe", value: 123 }, org_id: { name: "Org", value: 5 }, picture_id: { id: 8 } },
        { id: 2, owner_id: 123, org_id: 5, picture_id: 8 }
      ]
    })
    const [asObjects, asIds] = body.data ?? []
    expect(asObjects).toMatchObject({ owner_id: { value: 123 }, org_id: { value: 5 }, picture_id: { id: 8 } })
    expect(asIds).toMatchObject({ owner_id: 123, org_id: 5, picture_id: 8 })
  })

  it("v1: related users with a null pic_hash (the spec marks it nullable)", () => {
    const body = decode(V1List, { data: [], related_objects: { user: { 123: { id: 123, pic_hash: null } } } })
    expect(body.related_objects?.user?.["123"]?.pic_hash).toBeNull()
  })
})

/**
 * Pipedrive's spec marks these properties optional, and core accepts them missing: the smallest body
 * the spec allows decodes, and keeps what it did say (the entry is not dropped, nothing is made up).
 * SpecConformance.test.ts finds the same through generated responses.
 */
describe("fields the spec leaves optional", () => {
  it("v2: an email, phone or IM entry without value", () => {
    const emails = decode(V2Single, { data: { id: 1, emails: [{ primary: true, label: "work" }] } }).data?.emails
    expect(emails).toEqual([{ primary: true, label: "work" }])
    const phones = decode(V2Single, { data: { id: 1, phones: [{ label: "mobile" }] } }).data?.phones
    expect(phones).toEqual([{ label: "mobile" }])
    const im = decode(V2Single, { data: { id: 1, im: [{}] } }).data?.im
    expect(im).toEqual([{}])
  })

  it("v1: an email or phone entry without value", () => {
    expect(decode(V1Single, { data: { id: 1, email: [{ primary: true }] } }).data?.email).toEqual([{ primary: true }])
    expect(decode(V1Single, { data: { id: 1, phone: [{}] } }).data?.phone).toEqual([{}])
  })

  it("v1: owner_id as an object without value", () => {
    const person = decode(V1Single, { data: { id: 1, owner_id: { id: 123, name: "Jane Doe" } } }).data
    expect(person?.owner_id).toEqual({ id: 123, name: "Jane Doe" })
    expect(PersonsV1.ownerId(person!)).toBe(123)
  })

  it("v1: org_id as an object without value", () => {
    const person = decode(V1Single, { data: { id: 1, org_id: { name: "Org Name" } } }).data
    expect(person?.org_id).toEqual({ name: "Org Name" })
    // No id anywhere: none is made up.
    expect(PersonsV1.orgId(person!)).toBeUndefined()
  })
})

describe("request bodies", () => {
  const encodeCreate = Schema.encodeUnknownEither(Persons.PersonCreate, { onExcessProperty: "error", errors: "all" })
  const encodeUpdate = Schema.encodeUnknownEither(Persons.PersonUpdate, { onExcessProperty: "error", errors: "all" })

  /** The message a refused body gets (what `InvalidRequest.detail` shows). */
  const refusal = (result: Either.Either<unknown, ParseResult.ParseError>): string => {
    if (Either.isRight(result)) throw new Error(`expected a refusal, encoded ${JSON.stringify(result.right)}`)
    return PipedriveError.formatParseError(result.left)
  }

  it("PersonCreate accepts a name alone and a full body", () => {
    expect(encodeCreate({ name: "Ada" })).toEqual(Either.right({ name: "Ada" }))
    const full = {
      name: "Ada Lovelace",
      owner_id: 3,
      org_id: null,
      emails: [{ value: "ada@example.com", primary: true, label: "work" }],
      phones: [{ value: "+372 555 0100" }],
      visible_to: 3,
      label_ids: [1, 2],
      birthday: "1815-12-10",
      job_title: "Analyst",
      marketing_status: "subscribed",
      custom_fields: { "0a1b2c3d4e5f60718293a4b5c6d7e8f901234567": "x" }
    }
    expect(encodeCreate(full)).toEqual(Either.right(full))
  })

  it("PersonCreate refuses a missing name", () => {
    expect(refusal(encodeCreate({ owner_id: 3 }))).toMatch(/^name: is missing/)
  })

  it("PersonCreate refuses a blank name", () => {
    expect(refusal(encodeCreate({ name: "  " }))).toMatch(/^name: must not be empty/)
    expect(refusal(encodeCreate({ name: "" }))).toMatch(/^name: must not be empty/)
  })

  it("PersonCreate refuses a non-integer or non-positive owner_id", () => {
    expect(refusal(encodeCreate({ name: "Ada", owner_id: 1.5 }))).toMatch(/^owner_id: /)
    expect(refusal(encodeCreate({ name: "Ada", owner_id: "3" }))).toMatch(/^owner_id: /)
    expect(refusal(encodeCreate({ name: "Ada", owner_id: 0 }))).toMatch(/^owner_id: must be a positive integer id/)
  })

  it("PersonCreate refuses an unknown key (a typo would otherwise be dropped silently)", () => {
    expect(refusal(encodeCreate({ name: "Ada", emial: [] }))).toMatch(/^emial: is not a field of this request/)
  })

  it("PersonCreate names every bad field at once", () => {
    const message = refusal(encodeCreate({ owner_id: -1, visible_to: 2, birthday: "10.12.1815" }))
    for (const field of ["name", "owner_id", "visible_to", "birthday"]) expect(message).toContain(`${field}: `)
  })

  it("PersonUpdate accepts an empty change and refuses a blank name", () => {
    expect(encodeUpdate({})).toEqual(Either.right({}))
    expect(refusal(encodeUpdate({ name: " " }))).toMatch(/^name: must not be empty/)
  })

  it.effect("Persons.create refuses a bad body before sending, naming the field", () =>
    Effect.gen(function*() {
      const where = { operation: "addPerson", method: "POST", path: "/api/v2/persons" }
      const error = yield* RequestBody.encodeBody(Persons.PersonCreate, where)({ name: "Ada", owner_id: 1.5 }).pipe(Effect.flip)
      expect(error).toBeInstanceOf(PipedriveError.InvalidRequest)
      expect(error.detail).toMatch(/^owner_id: /)
    }))
})
