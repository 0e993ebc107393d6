/**
 * Fast decoding of response bodies. Effect's `Schema` interpreter walks each value generically and
 * rebuilds every object it checks, which made decoding, not the network, the cost of listing persons
 * (about 40,000 v2 persons per second). For a schema without transformations, a decoded value is
 * the checked input itself, so this module compiles the schema's AST once into a plain JavaScript
 * predicate (typeof checks, loops, the schema's own refinement filters) and returns the input when
 * it passes. When it does not pass, Effect's decoder runs to say why: the errors are Effect's own.
 *
 * Only what response schemas use is compiled (structs, records, arrays, unions, literals, keywords,
 * refinements, suspensions); any other node (a transformation, a declaration) makes `compile` give
 * up, and `decoder` then uses Effect's decoder alone. A property test checks that the compiled
 * predicate agrees with `Schema.is` on generated and mutated values.
 *
 * One difference: a passing value keeps keys the schema does not list (Effect's decoder drops them).
 * Encode with the schema where only its keys may appear (`Schema.encodeSync(Person)(person)`).
 */
import { Effect, Option, ParseResult, Schema, SchemaAST as AST } from "effect"

type Check = (input: unknown) => boolean

const always: Check = () => true

const compileMemo = new WeakMap<AST.AST, Check | null>()

// `undefined`: this node (or one below it) cannot be compiled.
const go = (ast: AST.AST, pending: Map<AST.AST, { check: Check | undefined }>): Check | undefined => {
  const known = compileMemo.get(ast)
  if (known !== undefined) return known ?? undefined
  switch (ast._tag) {
    case "StringKeyword":
      return (input) => typeof input === "string"
    case "NumberKeyword":
      return (input) => typeof input === "number"
    case "BooleanKeyword":
      return (input) => typeof input === "boolean"
    case "UndefinedKeyword":
      return (input) => input === undefined
    case "UnknownKeyword":
    case "AnyKeyword":
      return always
    case "Literal": {
      const literal = ast.literal
      return (input) => input === literal
    }
    case "Union": {
      const members: Array<Check> = []
      for (const member of ast.types) {
        const check = go(member, pending)
        if (check === undefined) return undefined
        members.push(check)
      }
      return (input) => {
        for (let i = 0; i < members.length; i++) if (members[i]!(input)) return true
        return false
      }
    }
    case "TupleType": {
      // Arrays only (`Schema.Array`): no fixed elements, one rest type.
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return undefined
      const item = go(ast.rest[0]!.type, pending)
      if (item === undefined) return undefined
      if (item === always) return Array.isArray
      return (input) => {
        if (!Array.isArray(input)) return false
        for (let i = 0; i < input.length; i++) if (!item(input[i])) return false
        return true
      }
    }
    case "TypeLiteral": {
      const properties: Array<{ readonly name: string; readonly check: Check; readonly optional: boolean }> = []
      for (const property of ast.propertySignatures) {
        if (typeof property.name !== "string") return undefined
        const check = go(property.type, pending)
        if (check === undefined) return undefined
        properties.push({ name: property.name, check, optional: property.isOptional })
      }
      const records: Array<{ readonly key: Check; readonly value: Check }> = []
      for (const signature of ast.indexSignatures) {
        if (signature.parameter._tag !== "StringKeyword") return undefined
        const value = go(signature.type, pending)
        if (value === undefined) return undefined
        // A record of unknown values accepts every object: nothing to check per key.
        if (value !== always) records.push({ key: always, value })
      }
      return (input) => {
        if (typeof input !== "object" || input === null || Array.isArray(input)) return false
        for (let i = 0; i < properties.length; i++) {
          const property = properties[i]!
          const value = (input as Record<string, unknown>)[property.name]
          if (value === undefined && property.optional && !Object.hasOwn(input, property.name)) continue
          if (!property.check(value)) return false
        }
        for (const record of records) {
          for (const key of Object.keys(input)) {
            if (!record.value((input as Record<string, unknown>)[key])) return false
          }
        }
        return true
      }
    }
    case "Refinement": {
      const from = go(ast.from, pending)
      if (from === undefined) return undefined
      const refinement = ast
      return (input) => from(input) && Option.isNone(refinement.filter(input, AST.defaultParseOption, refinement))
    }
    case "Suspend": {
      const inProgress = pending.get(ast)
      if (inProgress !== undefined) return (input) => inProgress.check !== undefined && inProgress.check(input)
      const slot: { check: Check | undefined } = { check: undefined }
      pending.set(ast, slot)
      slot.check = go(ast.f(), pending)
      return slot.check
    }
    default:
      return undefined
  }
}

/**
 * The schema's check as a plain predicate, or `undefined` when the schema has nodes this module
 * does not compile (transformations among them: then a decoded value is not the input).
 */
export const compile = (ast: AST.AST): ((input: unknown) => boolean) | undefined => {
  const known = compileMemo.get(ast)
  if (known !== undefined) return known ?? undefined
  const check = go(ast, new Map())
  compileMemo.set(ast, check ?? null)
  return check
}

/**
 * A decoder of `schema` for JSON bodies: the compiled check, falling back to Effect's decoder
 * (which then fails with its full `ParseError`) for values that do not pass or schemas that do not
 * compile.
 */
export const decoder = <A, I>(schema: Schema.Schema<A, I>): (input: unknown) => Effect.Effect<A, ParseResult.ParseError> => {
  const slow = Schema.decodeUnknown(schema)
  const check = compile(schema.ast)
  if (check === undefined) return slow
  // The check is the schema's own, node for node, and the schema transforms nothing: a value that
  // passes is a value of the schema's type.
  const is = check as (input: unknown) => input is A
  return (input) => (is(input) ? Effect.succeed(input) : slow(input))
}
