/**
 * Fast decoding of response bodies. Effect's `Schema` interpreter walks each value generically and
 * rebuilds every object it checks, which made decoding, not the network, the cost of listing persons
 * (about 40,000 v2 persons per second). For a schema without transformations, a decoded value is
 * the checked input itself, so this module compiles the schema's AST once into a plain JavaScript
 * predicate (typeof checks, loops, the schema's own refinement filters) and returns the input when
 * it passes. When it does not pass, Effect's decoder runs to say why: the errors are Effect's own.
 *
 * The predicate is generated as JavaScript source (`new Function`): each struct becomes one function
 * that reads its properties by name (`input["name"]`), which V8 turns into fast monomorphic loads,
 * where a loop over property names would make each load a dictionary lookup; 4 times as many v2
 * persons a second (3.0 million against 0.75 million, on the same pages). Only names and literals of
 * the schema (quoted by `JSON.stringify`) go into the source, never a response's data. Where code
 * cannot be generated (a content security policy), the same checks are built from closures.
 *
 * Only what response schemas use is compiled (structs, records, arrays, unions, literals, keywords,
 * refinements, suspensions); any other node (a transformation, a declaration) makes `compile` give
 * up, and `decoder` then uses Effect's decoder alone. A property test checks that both compiled
 * predicates agree with `Schema.is` on generated and mutated values.
 *
 * One difference: a passing value keeps keys the schema does not list (Effect's decoder drops them).
 * Encode with the schema where only its keys may appear (`Schema.encodeSync(Person)(person)`).
 */
import * as Effect from "effect/Effect"
import { identity } from "effect/Function"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"

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

// ---- generated source ------------------------------------------------------------------------

/** A JavaScript expression checking the value held by the variable `value`. */
type Expression = (value: string) => string

/** Whether this runtime lets code be generated; a content security policy may forbid `new Function`. */
const canGenerate: boolean = (() => {
  try {
    return new Function("return 1")() === 1
  } catch {
    return false
  }
})()

const generatedMemo = new WeakMap<AST.AST, Check | null>()

/**
 * The expression checking a value of `ast`: keywords and literals inline, any other node a call of
 * its own function, kept in `deps` (the generated code's `d`).
 */
const expression = (ast: AST.AST, deps: Array<unknown>, pending: Map<AST.AST, { check: Check | undefined }>): Expression | undefined => {
  switch (ast._tag) {
    case "StringKeyword":
      return (value) => `typeof ${value} === "string"`
    case "NumberKeyword":
      return (value) => `typeof ${value} === "number"`
    case "BooleanKeyword":
      return (value) => `typeof ${value} === "boolean"`
    case "UndefinedKeyword":
      return (value) => `${value} === undefined`
    case "UnknownKeyword":
    case "AnyKeyword":
      return () => "true"
    case "Literal": {
      const literal = ast.literal
      // JSON would turn NaN or Infinity into null: those (and bigints) are compared as values.
      if (typeof literal === "string" || typeof literal === "boolean" || literal === null || (typeof literal === "number" && Number.isFinite(literal))) {
        const source = JSON.stringify(literal)
        return (value) => `${value} === ${source}`
      }
      const index = deps.push(literal) - 1
      return (value) => `${value} === d[${index}]`
    }
    case "Union": {
      const members: Array<Expression> = []
      for (const member of ast.types) {
        const check = expression(member, deps, pending)
        if (check === undefined) return undefined
        members.push(check)
      }
      return (value) => `(${members.map((member) => member(value)).join(" || ")})`
    }
    case "TupleType":
    case "TypeLiteral":
    case "Refinement":
    case "Suspend": {
      const check = generated(ast, pending)
      if (check === undefined) return undefined
      const index = deps.push(check) - 1
      return (value) => `d[${index}](${value})`
    }
    default:
      return undefined
  }
}

/** The function checking a value of `ast`, generated once per node; `undefined`: not compiled. */
const generated = (ast: AST.AST, pending: Map<AST.AST, { check: Check | undefined }>): Check | undefined => {
  const known = generatedMemo.get(ast)
  if (known !== undefined) return known ?? undefined
  if (ast._tag === "Suspend") {
    const inProgress = pending.get(ast)
    if (inProgress !== undefined) return (input) => inProgress.check !== undefined && inProgress.check(input)
    const slot: { check: Check | undefined } = { check: undefined }
    pending.set(ast, slot)
    slot.check = generated(ast.f(), pending)
    return slot.check
  }
  const deps: Array<unknown> = []
  const body = source(ast, deps, pending)
  if (body === undefined) {
    generatedMemo.set(ast, null)
    return undefined
  }
  // The source is built above from the schema alone; the function it makes is a `Check`.
  const check = new Function("d", `"use strict"; return function check(input) {\n${body}\n}`)(deps) as Check
  generatedMemo.set(ast, check)
  return check
}

/** The body of `ast`'s function, over its argument `input`. */
const source = (ast: AST.AST, deps: Array<unknown>, pending: Map<AST.AST, { check: Check | undefined }>): string | undefined => {
  switch (ast._tag) {
    case "TupleType": {
      // Arrays only (`Schema.Array`): no fixed elements, one rest type.
      if (ast.elements.length !== 0 || ast.rest.length !== 1) return undefined
      const item = expression(ast.rest[0]!.type, deps, pending)
      if (item === undefined) return undefined
      return `if (!Array.isArray(input)) return false;
for (let i = 0; i < input.length; i++) { const item = input[i]; if (!(${item("item")})) return false }
return true`
    }
    case "TypeLiteral": {
      const lines = [`if (typeof input !== "object" || input === null || Array.isArray(input)) return false;`]
      for (const [index, property] of ast.propertySignatures.entries()) {
        if (typeof property.name !== "string") return undefined
        const check = expression(property.type, deps, pending)
        if (check === undefined) return undefined
        const name = JSON.stringify(property.name)
        const value = `p${index}`
        lines.push(`const ${value} = input[${name}];`)
        lines.push(
          property.isOptional
            ? `if (!(${value} === undefined && !Object.hasOwn(input, ${name})) && !(${check(value)})) return false;`
            : `if (!(${check(value)})) return false;`
        )
      }
      for (const [index, signature] of ast.indexSignatures.entries()) {
        if (signature.parameter._tag !== "StringKeyword") return undefined
        const check = expression(signature.type, deps, pending)
        if (check === undefined) return undefined
        // A record of unknown values accepts every object: nothing to check per key.
        if (check("x") === "true") continue
        lines.push(`for (const key of Object.keys(input)) { const r${index} = input[key]; if (!(${check(`r${index}`)})) return false }`)
      }
      lines.push("return true")
      return lines.join("\n")
    }
    case "Refinement": {
      const from = expression(ast.from, deps, pending)
      if (from === undefined) return undefined
      const refinement = ast
      const index = deps.push((input: unknown) => Option.isNone(refinement.filter(input, AST.defaultParseOption, refinement))) - 1
      return `return ${from("input")} && d[${index}](input)`
    }
    default: {
      const check = expression(ast, deps, pending)
      return check === undefined ? undefined : `return ${check("input")}`
    }
  }
}

/**
 * The schema's check as a plain predicate, or `undefined` when the schema has nodes this module
 * does not compile (transformations among them: then a decoded value is not the input). Generated
 * code where the runtime allows it; `closures: true` builds it from closures (what a runtime that
 * forbids generated code gets).
 */
export const compile = (ast: AST.AST, options?: { readonly closures?: boolean }): ((input: unknown) => boolean) | undefined => {
  if (canGenerate && options?.closures !== true) return generated(ast, new Map())
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
export const decoder = <A, I>(schema: Schema.Schema<A, I>): (input: unknown) => Effect.Effect<A, ParseResult.ParseError> =>
  decoderAs(schema, identity)

/**
 * `decoder`, succeeding with `as(value)`: on the checked path without an `Effect.map` (two Effect
 * operations a body fewer; `Tolerance` wraps each body this way).
 */
export const decoderAs = <A, I, B>(
  schema: Schema.Schema<A, I>,
  as: (value: A) => B
): (input: unknown) => Effect.Effect<B, ParseResult.ParseError> => {
  const decode = Schema.decodeUnknown(schema)
  const slow = (input: unknown) => Effect.map(decode(input), as)
  const check = compile(schema.ast)
  if (check === undefined) return slow
  // The check is the schema's own, node for node, and the schema transforms nothing: a value that
  // passes is a value of the schema's type.
  const is = check as (input: unknown) => input is A
  return (input) => (is(input) ? Effect.succeed(as(input)) : slow(input))
}
