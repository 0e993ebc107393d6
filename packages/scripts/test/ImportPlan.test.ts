/**
 * The pure decisions of an import: match keys, the checks a draft must pass, and which fields an
 * update must send (equal values are not re-sent).
 */
import { describe, expect, it } from "@effect/vitest"
import { CustomFields, type PersonFields, type Persons } from "@pipedrive-effect/core"
import type { PersonRecord } from "@pipedrive-effect/scripts"
import * as ImportPlan from "../src/workflows/ImportPlan.ts"

const field = (
  field_name: string,
  code: string,
  field_type: string,
  options: ReadonlyArray<{ readonly id: number; readonly label: string }> = []
): PersonFields.PersonField => ({
  field_name,
  field_code: code.repeat(40),
  field_type,
  options,
  is_custom_field: true,
  is_optional_response_field: false
})

const catalog = CustomFields.catalog([
  field("Lead source", "a", "enum", [{ id: 101, label: "Website" }, { id: 102, label: "Referral" }]),
  field("Interests", "b", "set", [{ id: 201, label: "A" }, { id: 202, label: "B" }]),
  field("Billing address", "c", "address")
])

const draft = (body: Persons.PersonUpdate, id?: number): PersonRecord.Draft => ({
  line: 2,
  id,
  body,
  addTime: undefined,
  primaryEmail: undefined
})

const person = (over: Partial<Persons.Person>): Persons.Person => ({ id: 9, ...over })

describe("ImportPlan", () => {
  it("keys rows by primary email (the flagged one, else the first) or by id", () => {
    expect(ImportPlan.keyOf("email", draft({ emails: [{ value: "x@y.z" }, { value: " Ann@X.com ", primary: true }] }))).toBe("ann@x.com")
    expect(ImportPlan.keyOf("email", draft({ emails: [{ value: "First@x.com" }, { value: "b@x.com" }] }))).toBe("first@x.com")
    expect(ImportPlan.keyOf("email", draft({ name: "No Email" }))).toBeUndefined()
    expect(ImportPlan.keyOf("id", draft({ name: "x" }, 42))).toBe("42")
  })

  it("checks names for --match email, ids for --match id, and real birthdays", () => {
    expect(ImportPlan.check("email", draft({ emails: [{ value: "a@b.c" }] })).map((p) => p.field)).toEqual(["name"])
    expect(ImportPlan.check("id", draft({ name: "x" })).map((p) => p.field)).toEqual(["id"])
    expect(ImportPlan.check("id", draft({}, 3))).toEqual([])
    expect(ImportPlan.check("email", draft({ name: "x", birthday: "1990-02-30" }))[0]?.reason).toBe(`"1990-02-30" is not a calendar date`)
    expect(ImportPlan.check("email", draft({ name: "x", birthday: "1992-02-29" }))).toEqual([])
  })

  it("only the PRIMARY email makes a match", () => {
    expect(ImportPlan.isEmailMatch("ann@x.com", person({ emails: [{ value: "ANN@x.com", primary: true }] }))).toBe(true)
    expect(ImportPlan.isEmailMatch("ann@x.com", person({ emails: [{ value: "bob@x.com", primary: true }, { value: "ann@x.com", primary: false }] })))
      .toBe(false)
    expect(ImportPlan.isEmailMatch("ann@x.com", person({ emails: null }))).toBe(false)
  })

  it("sends only the fields that differ; empty equals empty", () => {
    const current = person({
      name: "Ann",
      owner_id: 5,
      org_id: null,
      label_ids: [1, 3],
      emails: [{ value: "b@x.com", primary: false, label: "home" }, { value: "a@x.com", primary: true, label: "work" }],
      phones: [],
      custom_fields: { ["a".repeat(40)]: 102, ["b".repeat(40)]: [202, 201], ["c".repeat(40)]: { value: "1 Main St", locality: "Springfield" } }
    })
    const same: Persons.PersonUpdate = {
      name: "Ann",
      owner_id: 5,
      org_id: null,
      label_ids: [3, 1],
      emails: [{ value: "a@x.com", primary: true }, { value: "b@x.com" }],
      phones: [],
      notes: null,
      im: [],
      custom_fields: { ["a".repeat(40)]: 102, ["b".repeat(40)]: [201, 202], ["c".repeat(40)]: { value: "1 Main St" } }
    }
    expect(ImportPlan.changes(catalog, same, current)).toEqual({})
    const changed = ImportPlan.changes(catalog, {
      ...same,
      name: "Ann B",
      org_id: 4,
      emails: [{ value: "b@x.com", primary: true }, { value: "a@x.com" }],
      custom_fields: { ["a".repeat(40)]: 101, ["b".repeat(40)]: [201, 202] }
    }, current)
    expect(changed).toEqual({
      name: "Ann B",
      org_id: 4,
      emails: [{ value: "b@x.com", primary: true }, { value: "a@x.com" }],
      custom_fields: { ["a".repeat(40)]: 101 }
    })
    expect(ImportPlan.changedFields(catalog, changed)).toEqual(["name", "org_id", "emails", "Lead source"])
  })

  it("compares entry labels only when the row gives them", () => {
    const have = [{ value: "a@x.com", primary: true, label: "work" }]
    expect(ImportPlan.sameEntries([{ value: "a@x.com" }], have)).toBe(true)
    expect(ImportPlan.sameEntries([{ value: "a@x.com", label: "home" }], have)).toBe(false)
    expect(ImportPlan.sameEntries([{ value: "A@x.com" }], have)).toBe(false)
    expect(ImportPlan.sameEntries([], null)).toBe(true)
  })
})
