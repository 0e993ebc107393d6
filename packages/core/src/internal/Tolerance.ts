/**
 * Tolerant where a response is auxiliary, strict where it is primary. A v1 page carries the persons
 * asked for in `data` and, beside them, `related_objects` (the users, organizations… they refer to)
 * and `additional_data`; Pipedrive and servers built from its OpenAPI files are loose there (an
 * entry of the wrong shape, a kind sent as one object instead of a map by id). A bad entry must
 * not cost the user the page, so envelope parts marked `auxiliary` decode by pieces: a piece that
 * fails is dropped and reported as `Skipped`, and everything else, `data` above all, is decoded
 * strictly by the whole schema afterwards. A piece the schema does not describe (an unknown key) is
 * kept as sent, never a failure.
 *
 * This costs nothing on a body that decodes: the pieces are looked at only after the whole failed.
 */
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"
import * as AST from "effect/SchemaAST"
import { formatParseError } from "../PipedriveError.ts"
import * as SchemaGuard from "./SchemaGuard.ts"

/**
 * An auxiliary piece of a response (a `related_objects` entry, an `additional_data` part) that did
 * not decode and was left out, so that the rest, the data asked for, could be returned. Each is also
 * logged as a warning in the request's span.
 */
export interface Skipped {
  /** Dotted, from the body's root: `related_objects.user.USER_ID`. */
  readonly path: string
  /** The decoder's complaint, `field: problem`. */
  readonly reason: string
}

/** A decoded response body and the auxiliary pieces left out of it (none, usually). */
export interface Decoded<A> {
  /** The body, decoded by the request's schema. */
  readonly body: A
  /** What was left out of it. */
  readonly skipped: ReadonlyArray<Skipped>
}

const AuxiliaryId: unique symbol = Symbol.for("@pipedrive-effect/core/internal/Tolerance/Auxiliary")

/**
 * Marks an envelope part as auxiliary, to be decoded by pieces `depth` levels below it when the
 * whole body fails: 2 for `related_objects` (kind, then entry by id), 1 for `additional_data` (each
 * part). Only marks on the envelope's own properties count.
 */
export const auxiliary = <A, I>(schema: Schema.Schema<A, I>, depth: number): Schema.Schema<A, I> =>
  schema.annotations({ [AuxiliaryId]: depth })

interface Part {
  readonly name: string
  readonly type: AST.AST
  readonly depth: number
}

const depthOf = (ast: AST.AST): number | undefined => {
  const own = AST.getAnnotation<number>(ast, AuxiliaryId)
  if (Option.isSome(own)) return own.value
  if (ast._tag === "Union") {
    for (const member of ast.types) {
      const depth = depthOf(member)
      if (depth !== undefined) return depth
    }
  }
  return undefined
}

const partsOf = (ast: AST.AST): ReadonlyArray<Part> => {
  if (ast._tag !== "TypeLiteral") return []
  const parts: Array<Part> = []
  for (const property of ast.propertySignatures) {
    const depth = depthOf(property.type)
    if (depth !== undefined && typeof property.name === "string") parts.push({ name: property.name, type: property.type, depth })
  }
  return parts
}

const acceptsMemo = new WeakMap<AST.AST, (input: unknown) => boolean>()

/** Whether `ast` decodes `input`: the compiled check, or Effect's decoder where that does not compile. */
const accepts = (ast: AST.AST): ((input: unknown) => boolean) => {
  const known = acceptsMemo.get(ast)
  if (known !== undefined) return known
  const decode = Schema.decodeUnknownEither(Schema.make(ast))
  const check = SchemaGuard.compile(ast) ?? ((input: unknown) => Either.isRight(decode(input)))
  acceptsMemo.set(ast, check)
  return check
}

const reasonOf = (ast: AST.AST, input: unknown): string => {
  const result = Schema.decodeUnknownEither(Schema.make(ast))(input)
  return Either.isLeft(result) ? formatParseError(result.left, 3) : "does not decode"
}

/** The schema of `key` inside a value of `ast`: a property, else a record's values; `undefined`: not described. */
const schemaOfKey = (ast: AST.AST, key: string): AST.AST | undefined => {
  switch (ast._tag) {
    case "Union": {
      for (const member of ast.types) {
        const found = schemaOfKey(member, key)
        if (found !== undefined) return found
      }
      return undefined
    }
    case "Suspend":
      return schemaOfKey(ast.f(), key)
    case "Refinement":
      return schemaOfKey(ast.from, key)
    case "Transformation":
      return schemaOfKey(ast.from, key)
    case "TypeLiteral": {
      const property = ast.propertySignatures.find((signature) => signature.name === key)
      if (property !== undefined) return property.type
      return ast.indexSignatures.find((signature) => signature.parameter._tag === "StringKeyword")?.type
    }
    default:
      return undefined
  }
}

const isObject = (input: unknown): input is Readonly<Record<string, unknown>> =>
  typeof input === "object" && input !== null && !Array.isArray(input)

const drop: unique symbol = Symbol("drop")

/**
 * `input` with the pieces `ast` refuses left out, `depth` levels down; `drop` when even the
 * remainder is refused. A piece refused with a deeper piece dropped is reported once, as itself.
 */
const repair = (
  ast: AST.AST,
  input: unknown,
  path: ReadonlyArray<string>,
  depth: number,
  skipped: Array<Skipped>
): unknown => {
  const ok = accepts(ast)
  if (ok(input)) return input
  const before = skipped.length
  if (depth > 0 && isObject(input)) {
    const kept: Record<string, unknown> = {}
    for (const key of Object.keys(input)) {
      const sub = schemaOfKey(ast, key)
      const value = input[key]
      if (sub === undefined) {
        kept[key] = value
        continue
      }
      const repaired = repair(sub, value, [...path, key], depth - 1, skipped)
      if (repaired !== drop) kept[key] = repaired
    }
    if (ok(kept)) return kept
    skipped.length = before
  }
  skipped.push({ path: path.join("."), reason: reasonOf(ast, input) })
  return drop
}

const none: ReadonlyArray<Skipped> = []

type Decoder<A> = (input: unknown) => Effect.Effect<Decoded<A>, ParseResult.ParseError>

// One decoder per schema, made on its first request: making one compiles the schema's check and
// builds Effect's decoder, which took longer than decoding a small body.
const decoders = new WeakMap<object, Decoder<unknown>>()

/**
 * A decoder of response bodies that drops the auxiliary pieces that fail (see `auxiliary`) and
 * reports them; the rest of the body is decoded by `schema` as it is, so a broken `data` still
 * fails with Effect's error. A schema without auxiliary parts decodes as `SchemaGuard.decoder` does.
 * Made once per schema and kept as long as the schema is.
 */
export const decoder = <A, I>(schema: Schema.Schema<A, I>): Decoder<A> => {
  const known = decoders.get(schema)
  // Made below from this very schema, so its values are `A`s.
  if (known !== undefined) return known as Decoder<A>
  const made = make(schema)
  decoders.set(schema, made)
  return made
}

const make = <A, I>(schema: Schema.Schema<A, I>): Decoder<A> => {
  const decode = SchemaGuard.decoderAs(schema, (body: A): Decoded<A> => ({ body, skipped: none }))
  const parts = partsOf(schema.ast)
  if (parts.length === 0) return decode
  return (input) =>
    Effect.catchAll(decode(input), (error) => {
      if (!isObject(input)) return Effect.fail(error)
      const skipped: Array<Skipped> = []
      const repaired: Record<string, unknown> = { ...input }
      for (const part of parts) {
        if (!Object.hasOwn(input, part.name)) continue
        const value = repair(part.type, input[part.name], [part.name], part.depth, skipped)
        if (value === drop) delete repaired[part.name]
        else repaired[part.name] = value
      }
      // Nothing auxiliary was wrong: the failure is the primary part's, reported as it was.
      if (skipped.length === 0) return Effect.fail(error)
      return Effect.map(decode(repaired), ({ body }): Decoded<A> => ({ body, skipped }))
    })
}
