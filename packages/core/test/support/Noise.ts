/**
 * The looseness of Pipedrive's auxiliary envelope parts, added to a response body the spec allows:
 * in `related_objects`, entries under the spec's placeholder keys (`USER_ID`…), unknown keys at
 * every level, and entries of the wrong shape; in `additional_data`, unknown keys, a placeholder
 * part (`ASSIGNED_TO_USER_ID`, as `activity_distribution` has) and a documented part of the wrong
 * type. The well-formed noise goes into `body`; each broken piece is listed apart, for the test to
 * decide (with Effect's decoder alone) which ones core's schema refuses.
 */
import fc from "fast-check"
import { customFieldKey, jsonScalar } from "./OpenApiArbitrary.ts"

/** One broken piece: where it goes, and what. */
export interface Piece {
  readonly path: readonly [string, ...Array<string>]
  readonly value: unknown
}

export interface Noisy {
  /** The body with only well-formed noise: it must decode as it is. */
  readonly body: unknown
  readonly broken: ReadonlyArray<Piece>
}

/** The id-keyed kinds of `related_objects`, with the spec's placeholder for their keys. */
const kinds = { user: "USER_ID", organization: "ORGANIZATION_ID", person: "PERSON_ID", picture: "PICTURE_ID", deal: "DEAL_ID" }

type Json = Record<string, unknown>

const isObject = (value: unknown): value is Json => typeof value === "object" && value !== null && !Array.isArray(value)

const extraKeys = fc.dictionary(customFieldKey, jsonScalar, { maxKeys: 2, noNullPrototype: true })

/** An entry every related kind's schema takes: an id, unknown keys beside it. */
const validEntry = fc.tuple(fc.integer({ min: 1, max: 1_000_000 }), extraKeys).map(([id, extra]) => ({ ...extra, id }))

/** An entry no related kind's schema takes: its id is the placeholder, its name a number. */
const brokenEntry = (placeholder: string) => ({ id: placeholder, name: 7 })

const kindNoise = fc.record({
  /** An entry under a numeric key. */
  valid: fc.option(validEntry, { nil: undefined }),
  /** Under the placeholder key: a well-formed entry, or a broken one. */
  placeholder: fc.oneof(validEntry.map((entry) => ({ entry, broken: false })), fc.constant({ entry: undefined, broken: true }))
})

const noiseModel = fc.record({
  kinds: fc.subarray(Object.keys(kinds) as Array<keyof typeof kinds>, { minLength: 1 }).chain((chosen) =>
    fc.tuple(...chosen.map((kind) => kindNoise.map((noise) => ({ kind, ...noise }))))
  ),
  relatedExtra: extraKeys,
  additionalExtra: extraKeys,
  activity: fc.option(fc.record({ name: fc.string({ maxLength: 8 }), activity_count: fc.nat(9) }), { nil: undefined }),
  brokenAdditional: fc.boolean()
})

/** `body` (a JSON body the spec allows) with noise in its auxiliary parts. */
export const noisy = (body: unknown): fc.Arbitrary<Noisy> =>
  noiseModel.map((model): Noisy => {
    if (!isObject(body)) return { body, broken: [] }
    const broken: Array<Piece> = []
    const out: Json = { ...body }

    const related: Json = isObject(body["related_objects"]) ? { ...body["related_objects"] } : {}
    Object.assign(related, model.relatedExtra)
    for (const { kind, placeholder, valid } of model.kinds) {
      const existing = related[kind]
      // A kind the spec sends as one object (or null) is left as generated.
      if (existing !== undefined && !isObject(existing)) continue
      const entries: Json = { ...existing }
      if (valid !== undefined) entries[String(valid.id)] = valid
      const key = kinds[kind]
      // A key of its own: the generated body may have an entry under the placeholder already.
      if (placeholder.broken) broken.push({ path: ["related_objects", kind, `${key}_2`], value: brokenEntry(key) })
      else entries[key] = placeholder.entry
      related[kind] = entries
    }
    out["related_objects"] = related

    const additional: Json = isObject(body["additional_data"]) ? { ...body["additional_data"] } : {}
    Object.assign(additional, model.additionalExtra)
    if (model.activity !== undefined) additional["ASSIGNED_TO_USER_ID"] = model.activity
    out["additional_data"] = additional
    if (model.brokenAdditional) {
      // Documented (v1 details): the body without it is what must come back.
      delete additional["dropbox_email"]
      broken.push({ path: ["additional_data", "dropbox_email"], value: 42 })
    }

    return { body: out, broken }
  })

/** `body` with `pieces` put in place (a copy; the objects on the way are copied, not changed). */
export const withPieces = (body: unknown, pieces: ReadonlyArray<Piece>): unknown => {
  let out = body
  for (const piece of pieces) out = setPath(out, piece.path, piece.value)
  return out
}

const setPath = (value: unknown, path: ReadonlyArray<string>, replacement: unknown): unknown => {
  const [head, ...rest] = path
  if (head === undefined) return replacement
  const copy: Json = isObject(value) ? { ...value } : {}
  copy[head] = setPath(copy[head], rest, replacement)
  return copy
}

/** The dotted path `skipped` reports for a piece. */
export const pathOf = (piece: Piece): string => piece.path.join(".")
