/**
 * Random JSON values that conform to an OpenAPI 3.0 schema object, as fast-check arbitraries: the
 * responses Pipedrive's spec allows, for property tests of core's schemas.
 *
 * What the spec leaves optional is sometimes absent, what it marks `nullable` is sometimes `null`,
 * and an object open to `additionalProperties` gets keys shaped like custom field hashes (40 hex
 * characters). Sizes stay small (arrays of 0 to 3 items, at most 3 extra keys) so a hundred runs take
 * milliseconds.
 *
 * @example
 * ```ts
 * const body = fromSchema(spec.v2.operations.getPersons.responses["200"], { require: { "$.data[]": ["id"] } })
 * fc.assert(fc.property(body, (json) => Either.isRight(Schema.decodeUnknownEither(PersonList)(json))))
 * ```
 */
import fc from "fast-check"

/** The part of an OpenAPI 3.0 schema object this generator understands (after `$ref` resolution). */
export interface OpenApiSchema {
  readonly type?: string | ReadonlyArray<string>
  readonly format?: string
  readonly enum?: ReadonlyArray<unknown>
  readonly nullable?: boolean
  readonly properties?: Readonly<Record<string, OpenApiSchema>>
  readonly required?: ReadonlyArray<string>
  readonly additionalProperties?: boolean | OpenApiSchema
  readonly items?: OpenApiSchema
  readonly allOf?: ReadonlyArray<OpenApiSchema>
  readonly oneOf?: ReadonlyArray<OpenApiSchema>
  readonly anyOf?: ReadonlyArray<OpenApiSchema>
  readonly minimum?: number
  readonly maximum?: number
  readonly exclusiveMinimum?: boolean
  readonly exclusiveMaximum?: boolean
  readonly minLength?: number
  readonly maxLength?: number
  readonly pattern?: string
  readonly minItems?: number
  readonly maxItems?: number
  /** Left by tools/extract-spec.mjs where a schema contains itself. */
  readonly "x-circular-ref"?: string
}

export interface Options {
  /**
   * Properties to generate although the spec leaves them optional, by the path of their object:
   * `$` is the root, `$.data` a property, `$.data[]` the items of an array, `$.custom_fields.*` the
   * values of `additionalProperties`. Forced properties are never absent, and never `null` unless
   * the spec marks them nullable.
   */
  readonly require?: Readonly<Record<string, ReadonlyArray<string>>>
  /** The longest array to generate (default 3; a schema's own `maxItems` can only lower it). */
  readonly maxItems?: number
}

/** An arbitrary of the JSON values `schema` allows. */
export const fromSchema = (schema: OpenApiSchema, options: Options = {}): fc.Arbitrary<unknown> =>
  build(schema, "$", { require: options.require ?? {}, maxItems: options.maxItems ?? 3 })

interface Context {
  readonly require: Readonly<Record<string, ReadonlyArray<string>>>
  readonly maxItems: number
}

/** A 40-character lowercase hex key, as Pipedrive names custom fields. */
export const customFieldKey: fc.Arbitrary<string> = fc.stringMatching(/^[0-9a-f]{40}$/)

const text: fc.Arbitrary<string> = fc.oneof(
  { arbitrary: fc.string({ maxLength: 12 }), weight: 3 },
  { arbitrary: fc.string({ maxLength: 12, unit: "grapheme" }), weight: 1 }
)

/** A JSON scalar, for values the schema does not describe. */
export const jsonScalar: fc.Arbitrary<unknown> = fc.oneof(
  text,
  fc.integer(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.boolean(),
  fc.constant(null)
)

const extraKeys = (values: fc.Arbitrary<unknown>): fc.Arbitrary<Record<string, unknown>> =>
  fc.dictionary(customFieldKey, values, { maxKeys: 3, noNullPrototype: true })

/** Dates in the range Pipedrive stores, away from the edges where `Date` stops being printable. */
const date = fc.date({ min: new Date("1900-01-01T00:00:00Z"), max: new Date("2199-12-31T23:59:59Z"), noInvalidDate: true })

const typesOf = (schema: OpenApiSchema): ReadonlyArray<string> => {
  if (typeof schema.type === "string") return [schema.type]
  if (Array.isArray(schema.type)) return schema.type as ReadonlyArray<string>
  if (schema.properties !== undefined || schema.additionalProperties !== undefined) return ["object"]
  if (schema.items !== undefined) return ["array"]
  return []
}

/**
 * Folds `allOf` into one schema: the union of the members' properties and required names (a property
 * several members declare must satisfy all of them), the first `type`, nullable only if every part
 * that speaks of it allows null.
 */
const mergeAllOf = (schema: OpenApiSchema): OpenApiSchema => {
  if (schema.allOf === undefined) return schema
  const { allOf, ...rest } = schema
  const parts = [rest, ...allOf.map(mergeAllOf)]
  const properties: Record<string, OpenApiSchema> = {}
  const required = new Set<string>()
  let merged: OpenApiSchema = {}
  for (const part of parts) {
    for (const [name, property] of Object.entries(part.properties ?? {})) {
      const before = properties[name]
      properties[name] = before === undefined ? property : { allOf: [before, property] }
    }
    for (const name of part.required ?? []) required.add(name)
    const { properties: _p, required: _r, ...scalars } = part
    merged = { ...scalars, ...merged }
  }
  const nullables = parts.flatMap((part) => (part.nullable === undefined ? [] : [part.nullable]))
  return {
    ...merged,
    ...(nullables.length === 0 ? {} : { nullable: nullables.every(Boolean) }),
    ...(Object.keys(properties).length === 0 ? {} : { properties }),
    ...(required.size === 0 ? {} : { required: [...required] })
  }
}

const build = (raw: OpenApiSchema, path: string, ctx: Context): fc.Arbitrary<unknown> => {
  const schema = mergeAllOf(raw)
  const value = buildNonNull(schema, path, ctx)
  return schema.nullable === true ? fc.option(value, { nil: null, freq: 4 }) : value
}

const buildNonNull = (schema: OpenApiSchema, path: string, ctx: Context): fc.Arbitrary<unknown> => {
  if (schema["x-circular-ref"] !== undefined) return fc.constant({})
  const alternatives = schema.oneOf ?? schema.anyOf
  if (alternatives !== undefined) {
    const { oneOf: _o, anyOf: _a, nullable: _n, ...siblings } = schema
    const shared = Object.keys(siblings).length > 0
    return fc.oneof(
      ...alternatives.map((alternative) => build(shared ? { allOf: [siblings, alternative] } : alternative, path, ctx))
    )
  }
  if (schema.enum !== undefined) {
    const values = schema.enum.filter((v) => v !== null)
    return values.length === 0 ? fc.constant(null) : fc.constantFrom(...values)
  }
  const types = typesOf(schema)
  if (types.length === 0) return jsonScalar
  return fc.oneof(...types.map((type) => byType(type, schema, path, ctx)))
}

const byType = (type: string, schema: OpenApiSchema, path: string, ctx: Context): fc.Arbitrary<unknown> => {
  switch (type) {
    case "string":
      return string(schema)
    case "integer":
      return fc.integer(bounds(schema, 1))
    case "number":
      return fc.double({ ...bounds(schema, Number.EPSILON), noNaN: true, noDefaultInfinity: true })
    case "boolean":
      return fc.boolean()
    case "array":
      return fc.array(build(schema.items ?? {}, `${path}[]`, ctx), {
        minLength: schema.minItems ?? 0,
        maxLength: Math.max(schema.minItems ?? 0, Math.min(schema.maxItems ?? ctx.maxItems, ctx.maxItems))
      })
    case "object":
      return object(schema, path, ctx)
    case "null":
      return fc.constant(null)
    default:
      throw new Error(`${path}: unsupported OpenAPI type ${JSON.stringify(type)}`)
  }
}

/** `minimum`/`maximum` with OpenAPI 3.0's boolean `exclusiveMinimum`/`exclusiveMaximum`. */
const bounds = (schema: OpenApiSchema, step: number): { min?: number; max?: number } => ({
  ...(schema.minimum === undefined ? {} : { min: schema.minimum + (schema.exclusiveMinimum === true ? step : 0) }),
  ...(schema.maximum === undefined ? {} : { max: schema.maximum - (schema.exclusiveMaximum === true ? step : 0) })
})

const string = (schema: OpenApiSchema): fc.Arbitrary<string> => {
  switch (schema.format) {
    case "date":
      return date.map((d) => d.toISOString().slice(0, 10))
    case "date-time":
      return date.map((d) => d.toISOString())
    case "uuid":
      return fc.uuid()
    case "email":
      return fc.emailAddress()
  }
  if (schema.pattern !== undefined) return fc.stringMatching(new RegExp(schema.pattern))
  if (schema.minLength !== undefined || schema.maxLength !== undefined) {
    const minLength = schema.minLength ?? 0
    return fc.string({ minLength, maxLength: Math.max(minLength, Math.min(schema.maxLength ?? 12, minLength + 12)) })
  }
  return text
}

const object = (schema: OpenApiSchema, path: string, ctx: Context): fc.Arbitrary<unknown> => {
  const properties = schema.properties ?? {}
  const forced = ctx.require[path] ?? []
  const required = new Set([...(schema.required ?? []), ...forced])
  const model: Record<string, fc.Arbitrary<unknown>> = {}
  for (const [name, property] of Object.entries(properties)) model[name] = build(property, `${path}.${name}`, ctx)
  for (const name of required) model[name] ??= jsonScalar
  const declared = fc.record(model, { requiredKeys: [...required], noNullPrototype: true })
  // OpenAPI's default is `additionalProperties: true`, but a described object gets no extra keys
  // unless the spec says so: Pipedrive's spec writes it out where extra keys really come (custom fields).
  const additional = schema.additionalProperties
  const open = additional === true || (typeof additional === "object") ||
    (additional === undefined && Object.keys(properties).length === 0)
  if (!open) return declared
  const values = typeof additional === "object" ? build(additional, `${path}.*`, ctx) : jsonScalar
  return fc.tuple(extraKeys(values), declared).map(([extra, known]) => ({ ...extra, ...known }))
}
