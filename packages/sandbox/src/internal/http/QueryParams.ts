/**
 * Query parameter parsing that fails with a `ValidationFailed` naming the parameter.
 *
 * Each reader returns `undefined` when the parameter is absent or empty, so that `?limit=` behaves
 * like no `limit` at all. Only the first occurrence of a repeated parameter counts.
 */
import { HttpRouter } from "@effect/platform"
import { Effect } from "effect"
import { ValidationFailed } from "./ApiError.ts"
import * as Time from "../store/Time.ts"

/** The parsed query of a request URL (`/path?query`). */
export const fromUrl = (url: string): URLSearchParams => {
  const question = url.indexOf("?")
  return new URLSearchParams(question === -1 ? "" : url.slice(question + 1))
}

const raw = (params: URLSearchParams, name: string): string | undefined => {
  const value = params.get(name)
  return value === null || value === "" ? undefined : value
}

const fail = (field: string, reason: string) => Effect.fail(new ValidationFailed({ field, reason }))

/** Parses a whole number, as Pipedrive's integer parameters are. */
export const parseInteger = (text: string): number | undefined => {
  if (!/^-?\d{1,15}$/.test(text.trim())) return undefined
  return Number(text.trim())
}

/** An integer within `[min, max]`. */
export const integer = (
  params: URLSearchParams,
  name: string,
  bounds: { readonly min?: number; readonly max?: number } = {}
): Effect.Effect<number | undefined, ValidationFailed> => {
  const text = raw(params, name)
  if (text === undefined) return Effect.succeed(undefined)
  const value = parseInteger(text)
  const { max, min } = bounds
  if (value === undefined || (min !== undefined && value < min) || (max !== undefined && value > max)) {
    const range = min !== undefined && max !== undefined
      ? ` from ${min} to ${max}`
      : min !== undefined
      ? ` greater than or equal to ${min}`
      : max !== undefined
      ? ` less than or equal to ${max}`
      : ""
    return fail(name, `must be an integer${range}, got ${JSON.stringify(text)}`)
  }
  return Effect.succeed(value)
}

/** One of a fixed set of strings. */
export const literal = <const A extends string>(
  params: URLSearchParams,
  name: string,
  values: ReadonlyArray<A>
): Effect.Effect<A | undefined, ValidationFailed> => {
  const text = raw(params, name)
  if (text === undefined) return Effect.succeed(undefined)
  const value = values.find((candidate) => candidate === text)
  return value === undefined
    ? fail(name, `must be one of ${values.join(", ")}, got ${JSON.stringify(text)}`)
    : Effect.succeed(value)
}

/** `true`/`false` (also `1`/`0`). */
export const boolean = (params: URLSearchParams, name: string): Effect.Effect<boolean | undefined, ValidationFailed> => {
  const text = raw(params, name)
  if (text === undefined) return Effect.succeed(undefined)
  if (text === "true" || text === "1") return Effect.succeed(true)
  if (text === "false" || text === "0") return Effect.succeed(false)
  return fail(name, `must be true or false, got ${JSON.stringify(text)}`)
}

/**
 * An RFC 3339 date-time in whole seconds. Pipedrive refuses fractional seconds (what
 * `Date.prototype.toISOString` prints), and so does the sandbox, so that clients meet it here first.
 */
export const rfc3339 = (params: URLSearchParams, name: string): Effect.Effect<number | undefined, ValidationFailed> => {
  const text = raw(params, name)
  if (text === undefined) return Effect.succeed(undefined)
  const millis = Time.parse(text)
  return millis === undefined
    ? fail(name, `must be an RFC 3339 date-time in whole seconds, like 2025-01-01T10:20:00Z, got ${JSON.stringify(text)}`)
    : Effect.succeed(millis)
}

/** A comma-separated list of non-empty strings, at most `max` of them. */
export const list = (
  params: URLSearchParams,
  name: string,
  max: number
): Effect.Effect<ReadonlyArray<string> | undefined, ValidationFailed> => {
  const text = raw(params, name)
  if (text === undefined) return Effect.succeed(undefined)
  const items = text.split(",").map((item) => item.trim()).filter((item) => item !== "")
  return items.length > max ? fail(name, `must list at most ${max} values, got ${items.length}`) : Effect.succeed(items)
}

/** A comma-separated list of positive integers, at most `max` of them. */
export const integerList = (
  params: URLSearchParams,
  name: string,
  max: number
): Effect.Effect<ReadonlyArray<number> | undefined, ValidationFailed> =>
  Effect.flatMap(list(params, name, max), (items) => {
    if (items === undefined) return Effect.succeed(undefined)
    const numbers = items.map(parseInteger)
    const bad = items.find((_, index) => numbers[index] === undefined || numbers[index]! < 1)
    return bad === undefined
      ? Effect.succeed(numbers.filter((value): value is number => value !== undefined))
      : fail(name, `must be a comma-separated list of positive integers, got ${JSON.stringify(bad)}`)
  })

/** A positive integer from the path (`{id}`, `{follower_id}`…), or a 400 naming it. */
export const pathInteger = (name: string) =>
  Effect.flatMap(HttpRouter.params, (params) => {
    const value = params[name] === undefined ? undefined : parseInteger(params[name])
    return value === undefined || value < 1
      ? Effect.fail(new ValidationFailed({ field: name, reason: `must be a positive integer, got ${JSON.stringify(params[name])}` }))
      : Effect.succeed(value)
  })
