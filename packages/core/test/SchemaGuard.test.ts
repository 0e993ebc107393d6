/**
 * The compiled check must accept exactly what Effect's decoder accepts, both as generated code and
 * as closures (what a runtime that forbids generated code gets): on values generated from each
 * response schema, and on the same values with one field broken (wrong type, null, removed, an
 * extra key). And the decoder must fail with Effect's own error where it fails.
 */
import { describe, expect, it } from "@effect/vitest"
import { PersonFields, PersonFieldsV1, Persons, PersonsV1 } from "@pipedrive-effect/core"
import * as Envelope from "../src/internal/Envelope.ts"
import * as SchemaGuard from "../src/internal/SchemaGuard.ts"
import { Arbitrary, Effect, Either, Exit, FastCheck as fc, ParseResult, Schema } from "effect"

const schemas: ReadonlyArray<readonly [string, Schema.Schema.AnyNoContext]> = [
  ["v2 person list", Persons.ListResponse],
  ["v2 person", Persons.PersonResponse],
  ["v1 person list", PersonsV1.ListResponse],
  ["v1 person details", PersonsV1.DetailsResponse],
  ["v2 field list", PersonFields.ListResponse],
  ["v1 field list", PersonFieldsV1.ListResponse],
  ["offset pagination", Envelope.OffsetPagination],
  ["positive id", Schema.Struct({ id: Schema.Int.pipe(Schema.positive()), tags: Schema.Array(Schema.Literal("a", "b")) })]
]

const junk = fc.oneof(
  fc.constant(null),
  fc.constant(undefined),
  fc.string(),
  fc.double(),
  fc.integer(),
  fc.boolean(),
  fc.constant([1, "x"]),
  fc.constant({ nested: true })
)

type Json = unknown

/** Replaces, removes or adds one value somewhere in `value`, chosen by `path` (numbers used in turn). */
const mutate = (value: Json, path: ReadonlyArray<number>, replacement: unknown, action: number): Json => {
  const [step, ...rest] = path
  if (step === undefined || typeof value !== "object" || value === null) return replacement
  if (Array.isArray(value)) {
    if (value.length === 0) return [replacement]
    const index = step % value.length
    return value.map((item, i) => (i === index ? mutate(item, rest, replacement, action) : item))
  }
  const keys = Object.keys(value)
  const copy: Record<string, unknown> = { ...value }
  if (keys.length === 0 || action === 0) {
    copy[`extra_${step}`] = replacement
    return copy
  }
  const key = keys[step % keys.length]!
  if (action === 1 && rest.length === 0) delete copy[key]
  else copy[key] = mutate(copy[key], rest, replacement, action)
  return copy
}

describe("SchemaGuard", () => {
  for (const [name, schema] of schemas) for (const closures of [false, true]) {
    it(`${name}: the compiled check (${closures ? "closures" : "generated code"}) agrees with Effect's decoder`, () => {
      const check = SchemaGuard.compile(schema.ast, { closures })
      expect(check).toBeDefined()
      const decodes = (u: unknown) => Either.isRight(ParseResult.decodeUnknownEither(schema)(u))
      // Effect's arbitrary of a struct with an index signature (v1's custom-field keys) can give the
      // record part a named key (`name: {}`), which the schema then rightly refuses: keep the values
      // the decoder accepts (nearly all) and ask that the check accepts each of them.
      const valid = Arbitrary.make(schema).filter(decodes)
      fc.assert(fc.property(valid, (value) => check!(value) === true), { numRuns: 150 })
      fc.assert(
        fc.property(
          valid,
          fc.array(fc.nat(), { minLength: 1, maxLength: 5 }),
          junk,
          fc.nat(3),
          (value, path, replacement, action) => {
            const broken = mutate(value, path, replacement, action)
            expect(check!(broken)).toBe(decodes(broken))
          }
        ),
        { numRuns: 400 }
      )
    })
  }

  it("generated code quotes the schema's names and literals, whatever they hold", () => {
    const odd = 'a"b\\c\n\u2028}); throw 1; ({'
    const schema = Schema.Struct({ [odd]: Schema.Literal(odd, Number.NaN, -1.5), tag: Schema.Literal(null, true) })
    const check = SchemaGuard.compile(schema.ast)!
    expect(check({ [odd]: odd, tag: null })).toBe(true)
    expect(check({ [odd]: -1.5, tag: true })).toBe(true)
    expect(check({ [odd]: "a", tag: null })).toBe(false)
    expect(check({ tag: null })).toBe(false)
  })

  it("gives up on a transformation (and the decoder then is Effect's)", () => {
    expect(SchemaGuard.compile(Schema.NumberFromString.ast)).toBeUndefined()
    expect(SchemaGuard.compile(Schema.Struct({ n: Schema.NumberFromString }).ast)).toBeUndefined()
    const decode = SchemaGuard.decoder(Schema.Struct({ n: Schema.NumberFromString }))
    expect(Effect.runSync(decode({ n: "12" }))).toEqual({ n: 12 })
  })

  it("returns the input itself when it passes, and Effect's ParseError when it does not", () => {
    const decode = SchemaGuard.decoder(Persons.PersonResponse)
    const body = { success: true, data: { id: 7, name: "Ada", emails: [{ value: "a@b.c", primary: true }] } }
    expect(Effect.runSync(decode(body))).toBe(body)
    const bad = { success: true, data: { id: "7", name: "Ada" } }
    const exit = Effect.runSyncExit(decode(bad))
    const expected = Effect.runSyncExit(Schema.decodeUnknown(Persons.PersonResponse)(bad))
    expect(Exit.isFailure(exit)).toBe(true)
    expect(exit).toStrictEqual(expected)
  })

  it("checks recursive schemas", () => {
    interface Tree {
      readonly value: number
      readonly children: ReadonlyArray<Tree>
    }
    const Tree: Schema.Schema<Tree> = Schema.Struct({
      value: Schema.Number,
      children: Schema.Array(Schema.suspend(() => Tree))
    })
    for (const closures of [false, true]) {
      const check = SchemaGuard.compile(Tree.ast, { closures })!
      expect(check({ value: 1, children: [{ value: 2, children: [] }] })).toBe(true)
      expect(check({ value: 1, children: [{ value: "2", children: [] }] })).toBe(false)
      expect(check({ value: 1, children: [{ value: 2, children: [{ value: 3, children: [{}] }] }] })).toBe(false)
    }
  })
})
