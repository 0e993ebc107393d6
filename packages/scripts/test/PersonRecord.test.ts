/**
 * The person file format: what the writer writes, the reader reads back equal (CSV through the
 * real CSV library and files, NDJSON), the multi-valued cell syntax, and every problem reported as a
 * value with its line and field.
 */
import { NodeContext } from "@effect/platform-node"
import { afterAll, describe, expect, it } from "@effect/vitest"
import type { CustomFields, Persons } from "@pipedrive-effect/core"
import { CellText, Csv, PersonFile, PersonRecord } from "@pipedrive-effect/scripts"
import { parse } from "csv-parse/sync"
import { Chunk, Effect, Either, FastCheck as fc, Stream } from "effect"
import { mkdtempSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const key = (n: number) => n.toString(16).padStart(40, "a")
const field = (n: number, name: string, type: string, options: ReadonlyArray<{ id: number; label: string }> = []) => ({
  key: key(n),
  name,
  type,
  options
})
const fields: ReadonlyArray<CustomFields.Field> = [
  field(1, "Lead source", "enum", [{ id: 101, label: "Web" }, { id: 102, label: "Referral; partner" }, { id: 103, label: "Dup" }, {
    id: 104,
    label: "Dup"
  }]),
  field(2, "Lifetime value", "double"),
  field(3, "Next renewal", "date"),
  field(4, "LinkedIn profile", "varchar"),
  field(5, "Contract value", "monetary"),
  field(6, "Availability", "daterange"),
  field(7, "Preferred call time", "time"),
  field(8, "Office hours", "timerange"),
  field(9, "Interests", "set", [{ id: 201, label: "Analytics" }, { id: 202, label: "A [b]" }, { id: 203, label: "x\\y" }]),
  field(10, "Account manager", "user"),
  field(11, "Billing address", "address"),
  field(12, "Seat count", "int"),
  // Two fields of one name, and one named like a standard column: both are written under their keys.
  field(13, "Tier", "varchar"),
  field(14, "Tier", "text"),
  field(15, "notes", "varchar")
]
const catalog: CustomFields.Catalog = {
  fields,
  byKey: new Map(fields.map((f) => [f.key, f])),
  byName: fields.reduce((map, f) => map.set(f.name, [...(map.get(f.name) ?? []), f]), new Map<string, Array<CustomFields.Field>>())
}

// Text with every character the cell syntax and CSV treat specially.
const text = fc.string({ unit: fc.constantFrom("a", "B", "7", " ", ";", "[", "]", "\\", "\"", ",", "\n", "é", "#", "/", "\t"), minLength: 1, maxLength: 12 })
const nullable = <A>(arb: fc.Arbitrary<A>) => fc.option(arb, { nil: null })
const date = fc.date({ min: new Date("2000-01-01"), max: new Date("2040-12-31"), noInvalidDate: true }).map((d) => d.toISOString().slice(0, 10))
const time = fc.tuple(fc.integer({ min: 0, max: 23 }), fc.integer({ min: 0, max: 59 }), fc.integer({ min: 0, max: 59 })).map((
  parts
) => parts.map((n) => String(n).padStart(2, "0")).join(":"))
const finite = fc.double({ noNaN: true, noDefaultInfinity: true, min: -1e12, max: 1e12 }).filter((n) => !Object.is(n, -0))

const customValue = (f: CustomFields.Field): fc.Arbitrary<unknown> => {
  switch (f.type) {
    case "enum":
      return fc.constantFrom(...f.options.map((o) => o.id))
    case "set":
      return fc.uniqueArray(fc.constantFrom(...f.options.map((o) => o.id)), { minLength: 1 })
    case "double":
      return finite
    case "int":
      return fc.integer()
    case "date":
      return date
    case "time":
      return time
    case "monetary":
      return fc.record({ value: finite, currency: nullable(fc.constantFrom("EUR", "USD")) })
    case "daterange":
      return fc.tuple(date, date).map(([a, b]) => (a <= b ? { value: a, until: b } : { value: b, until: a }))
    case "timerange":
      return fc.tuple(time, time).map(([a, b]) => ({ value: a, until: b }))
    case "user":
      return fc.integer({ min: 1, max: 1e9 })
    case "address":
      return text.map((value) => ({ value }))
    default:
      return text
  }
}

const entry = fc.record({ value: text, label: nullable(text) })
const entries = fc.array(entry, { maxLength: 3 }).map((list) => list.map((e, i) => ({ ...e, primary: i === 0 })))
const email = fc.tuple(fc.stringMatching(/^[a-z0-9.]{1,8}$/), fc.constantFrom("x.com", "home.org")).map(([local, domain]) => `${local}@${domain}`)
const emails = fc.array(fc.record({ value: email, label: nullable(fc.constantFrom("work", "home")) }), { maxLength: 3 }).map((list) =>
  list.map((e, i) => ({ ...e, primary: i === 0 }))
)
const id = fc.integer({ min: 1, max: 2 ** 31 })

const customFields = fc.tuple(...fields.map((f) => nullable(customValue(f)))).map((values) =>
  Object.fromEntries(fields.map((f, i) => [f.key, values[i]]))
)

/** A person as Pipedrive v2 sends it, in the canonical form a CSV row reads back as. */
const person: fc.Arbitrary<Persons.Person> = fc.record({
  id,
  name: nullable(text),
  first_name: nullable(text),
  last_name: nullable(text),
  emails,
  phones: entries,
  im: entries,
  owner_id: nullable(id),
  org_id: nullable(id),
  visible_to: nullable(fc.constantFrom(1, 3, 5, 7)),
  label_ids: fc.array(id, { maxLength: 3 }),
  picture_id: nullable(id),
  add_time: nullable(fc.constant("2024-01-01T00:00:37Z")),
  update_time: nullable(fc.constant("2024-02-01T10:00:00Z")),
  job_title: nullable(text),
  birthday: nullable(date),
  notes: nullable(text),
  postal_address: nullable(text.map((value) => ({ value }))),
  custom_fields: customFields
})

const header = PersonRecord.csvColumns(catalog)
const columns = Either.getOrThrow(PersonRecord.readHeader(catalog, header))

describe("CellText", () => {
  it("reads back what it writes, for any values and labels", () =>
    fc.assert(fc.property(fc.array(fc.record({ value: text, label: nullable(fc.string({ maxLength: 6 })) })), (list) => {
      expect(Either.getOrThrow(CellText.parseEntries(CellText.formatEntries(list)))).toEqual(list)
    })))

  it("lists: reads back what it writes", () =>
    fc.assert(fc.property(fc.array(text), (list) => {
      expect(Either.getOrThrow(CellText.parseList(CellText.formatList(list)))).toEqual(list)
    })))

  it("writes the documented syntax", () => {
    expect(CellText.formatEntries([{ value: "ann@x.com", label: "work" }, { value: "a;b[1]", label: null }])).toBe(
      "ann@x.com [work]; a\\;b\\[1\\]"
    )
    expect(CellText.parseEntries(" ann@x.com [work] ;ann@home.org;")).toEqual(
      Either.right([{ value: "ann@x.com", label: "work" }, { value: "ann@home.org", label: null }])
    )
  })

  it("refuses what it cannot read exactly", () => {
    expect(CellText.parseEntries("a]")).toEqual(Either.left(expect.stringContaining("without \"[\"")))
    expect(CellText.parseEntries("a [b] c")).toEqual(Either.left(expect.stringContaining("unescaped bracket")))
    expect(CellText.parseEntries("[work]")).toEqual(Either.left(expect.stringContaining("no value")))
    expect(CellText.parseList("x\\")).toEqual(Either.left(expect.stringContaining("lone backslash")))
  })
})

describe("PersonRecord", () => {
  it("CSV: a person's row, through csv-stringify and csv-parse, reads back as the person", () =>
    fc.assert(
      fc.property(person, (p) => {
        const textOf = Csv.format([header, PersonRecord.toCsvCells(catalog, p)])
        // Read as Csv.read does: csv-parse, then the formula guard's apostrophe taken off.
        const [readHeader, cells] = (parse(textOf) as Array<Array<string>>).map((row) => row.map(Csv.restore))
        expect(readHeader).toEqual(header)
        const row = PersonRecord.fromCsvCells(columns, cells!, 2)
        expect(row).toEqual(Either.right(PersonRecord.canonical(catalog, p)))
        expect(PersonRecord.canonical(catalog, p)).toEqual(p)
      }),
      { numRuns: 300 }
    ))

  it("NDJSON: a person's line reads back as the person", () =>
    fc.assert(fc.property(person, (p) => {
      expect(PersonRecord.fromNdjsonLine(PersonRecord.toNdjsonLine(p), 1)).toEqual(Either.right(p))
    })))

  it("both formats give the same draft", () =>
    fc.assert(fc.property(person, (p) => {
      const viaCsv = Either.flatMap(PersonRecord.fromCsvCells(columns, PersonRecord.toCsvCells(catalog, p), 2), (row) =>
        PersonRecord.toDraft(catalog, row, 2))
      const viaNdjson = Either.flatMap(PersonRecord.fromNdjsonLine(PersonRecord.toNdjsonLine(p), 2), (row) =>
        PersonRecord.toDraft(catalog, row, 2))
      expect(viaCsv).toEqual(viaNdjson)
      const blank = (value: string | null | undefined) => value == null || value.trim() === ""
      const writable = !blank(p.name) && [...(p.phones ?? []), ...(p.im ?? [])].every((e) => !blank(e.value))
      if (writable) expect(viaCsv).toEqual(Either.right(expect.objectContaining({ line: 2, id: p.id })))
    })))

  it("names custom columns by name, and ambiguous or clashing ones by key", () => {
    expect(header.slice(0, PersonRecord.standardColumns.length)).toEqual(PersonRecord.standardColumns)
    expect(header).toContain("Lead source")
    expect(header).toContain(key(13))
    expect(header).toContain(key(14))
    expect(header).toContain(key(15))
    expect(header).not.toContain("Tier")
  })

  it("writes enum and set options by label, and by #id when the label is shared", () => {
    const cells = PersonRecord.toCsvCells(catalog, {
      id: 1,
      custom_fields: { [key(1)]: 103, [key(9)]: [201, 202], [key(5)]: { value: 12.5, currency: "EUR" }, [key(6)]: { value: "2025-01-01", until: "2025-03-31" } }
    })
    const at = (name: string) => cells[header.indexOf(name)]
    expect(at("Lead source")).toBe("#103")
    expect(at("Interests")).toBe("Analytics; A \\[b\\]")
    expect(at("Contract value")).toBe("12.5 EUR")
    expect(at("Availability")).toBe("2025-01-01/2025-03-31")
  })

  it("reports every problem of a row, with its line and field", () => {
    const hand = Either.getOrThrow(PersonRecord.readHeader(catalog, ["name", "emails", "Lead source", "Seat count", "owner_id"]))
    const row = PersonRecord.fromCsvCells(hand, ["Ann", "ann@x.com", "Nope", "1.5x", "abc"], 7)
    expect(row).toEqual(Either.left([
      { line: 7, field: "custom_fields.Lead source", reason: expect.stringContaining("\"Nope\" is not an option") },
      { line: 7, field: "custom_fields.Seat count", reason: "\"1.5x\" is not a number" },
      { line: 7, field: "owner_id", reason: "\"abc\" is not a whole number" }
    ]))
    const badEmail = Either.flatMap(PersonRecord.fromCsvCells(hand, ["Ann", "ann-at-x.com; b@y.org", "", "", ""], 8), (r) =>
      PersonRecord.toDraft(catalog, r, 8))
    expect(badEmail).toEqual(Either.left([{ line: 8, field: "emails[0].value", reason: "\"ann-at-x.com\" is not an email address" }]))
    expect(PersonRecord.fromCsvCells(hand, ["Ann"], 9)).toEqual(
      Either.left([{ line: 9, field: "(row)", reason: "has 1 cells, the header 5" }])
    )
  })

  it("refuses an unknown, repeated or ambiguous header column", () => {
    const result = PersonRecord.readHeader(catalog, ["name", "Lead sorce", "Lead source", key(1), "Tier"])
    expect(Either.isLeft(result) && result.left.map((p) => p.field)).toEqual([
      "header column 2 \"Lead sorce\"",
      "header column 4 \"" + key(1) + "\"",
      "header column 5 \"Tier\""
    ])
  })

  it("reports broken NDJSON lines and unknown fields", () => {
    expect(PersonRecord.fromNdjsonLine("{\"id\":1,", 3)).toEqual(
      Either.left([{ line: 3, field: "(line)", reason: expect.stringContaining("not JSON") }])
    )
    const unknown = PersonRecord.fromNdjsonLine("{\"name\":\"Ann\",\"emial\":\"x\"}", 4)
    expect(Either.isLeft(unknown) && unknown.left[0]).toMatchObject({ line: 4, field: "emial" })
  })

  it("turns a draft into a create body, which needs a name", () => {
    const draft = Either.getOrThrow(PersonRecord.toDraft(catalog, { name: "Ann", add_time: "2024-01-01T00:00:00Z", emails: [{ value: "a@x.com", primary: true, label: "work" }] }, 2))
    expect(draft.primaryEmail).toBe("a@x.com")
    expect(PersonRecord.createBody(draft)).toEqual(Either.right({
      name: "Ann",
      emails: [{ value: "a@x.com", primary: true, label: "work" }],
      add_time: "2024-01-01T00:00:00Z"
    }))
    const laterPrimary = Either.getOrThrow(PersonRecord.toDraft(catalog, {
      emails: [{ value: "b@x.com", primary: false }, { value: "a@x.com", primary: true }]
    }, 4))
    expect(laterPrimary.primaryEmail).toBe("a@x.com")
    const nameless = Either.getOrThrow(PersonRecord.toDraft(catalog, { id: 5, org_id: null }, 3))
    expect(nameless.id).toBe(5)
    expect(PersonRecord.createBody(nameless)).toEqual(Either.left({ line: 3, field: "name", reason: "is required to create a person" }))
  })
})

describe("PersonFile", () => {
  const directory = mkdtempSync(join(tmpdir(), "person-file-"))
  // Not a test: nothing to assert, the files are only the suite's fixtures.
  afterAll(() => rmSync(directory, { recursive: true, force: true }))
  const collect = (path: string) =>
    PersonFile.read(path, catalog).pipe(Stream.runCollect, Effect.map(Chunk.toReadonlyArray), Effect.provide(NodeContext.layer))

  it.effect("streams a CSV file's rows with their line numbers (multi-line cells too)", () =>
    Effect.gen(function*() {
      const persons = fc.sample(person, 200)
      const path = join(directory, "people.csv")
      writeFileSync(path, Csv.format([header, ...persons.map((p) => PersonRecord.toCsvCells(catalog, p))]))
      const rows = yield* collect(path)
      expect(rows.map((r) => r.row)).toEqual(persons.map((p) => Either.right(PersonRecord.canonical(catalog, p))))
      expect(rows.every((r, i) => i === 0 || r.line > rows[i - 1]!.line)).toBe(true)
    }))

  it.effect("streams an NDJSON file, numbering a broken line", () =>
    Effect.gen(function*() {
      const path = join(directory, "people.ndjson")
      writeFileSync(path, `{"id":1,"name":"A"}\r\n\n{"id":2,\n{"id":3}\n`)
      const rows = yield* collect(path)
      expect(rows.map((r) => [r.line, Either.isRight(r.row)])).toEqual([[1, true], [3, false], [4, true]])
    }))

  it.effect("fails on a missing file, an empty CSV, a wrong header", () =>
    Effect.gen(function*() {
      const missing = yield* Effect.flip(collect(join(directory, "nope.csv")))
      expect(missing.message).toContain("no such file")
      writeFileSync(join(directory, "empty.csv"), "")
      expect((yield* Effect.flip(collect(join(directory, "empty.csv")))).message).toContain("needs a header row")
      writeFileSync(join(directory, "bad.csv"), "name,Colour\nAnn,red\n")
      const bad = yield* Effect.flip(collect(join(directory, "bad.csv")))
      expect(bad._tag).toBe("InvalidHeader")
      expect(bad.message).toContain("line 1: header column 2 \"Colour\"")
    }))

})
