/**
 * Custom field values by type: the checks a person body's values must pass (returning them in API
 * v2's spelling, which the store holds), and their v1 spelling: composite values as `<hash>` plus
 * `<hash>_<subfield>` keys, sets as comma-separated ids, single options as id strings, user and
 * organization references as objects.
 */
import { Either } from "effect"
import type { CustomFieldValue } from "./Person.ts"
import type { CustomField, CustomFieldType, Seed } from "./Seed.ts"

/** Subfields of composite types: v1 key suffixes (and v2 `field_code` suffixes), names, types. */
export const SUBFIELDS: Partial<Record<CustomFieldType, ReadonlyArray<readonly [string, string, string]>>> = {
  monetary: [["currency", "Currency", "varchar"]],
  daterange: [["until", "End date", "date"]],
  timerange: [["until", "End time", "time"]],
  address: [
    ["subpremise", "Apartment/suite no", "varchar"],
    ["street_number", "House number", "varchar"],
    ["route", "Street/road name", "varchar"],
    ["sublocality", "District/sublocality", "varchar"],
    ["locality", "City/town/village/locality", "varchar"],
    ["admin_area_level_1", "State/county", "varchar"],
    ["admin_area_level_2", "Region", "varchar"],
    ["country", "Country", "varchar"],
    ["postal_code", "ZIP/Postal code", "varchar"],
    ["formatted_address", "Full/combined address", "varchar"]
  ]
}

/** The address parts a value may carry besides `value`. */
const ADDRESS_PARTS = new Set((SUBFIELDS.address ?? []).map(([part]) => part))

const isRecord = (value: unknown): value is Readonly<Record<string, unknown>> =>
  typeof value === "object" && value !== null && !Array.isArray(value)

/** A real calendar date as YYYY-MM-DD (so not 2025-02-30; an invalid month must not throw). */
const validDate = (value: unknown): value is string => {
  if (typeof value !== "string" || !/^\d{4}-\d{2}-\d{2}$/.test(value)) return false
  const date = new Date(`${value}T00:00:00Z`)
  return !Number.isNaN(date.getTime()) && date.toISOString().slice(0, 10) === value
}

const time = (value: unknown): string | undefined => {
  if (typeof value !== "string") return undefined
  const match = /^(\d{2}):(\d{2})(?::(\d{2}))?$/.exec(value)
  if (match === null || Number(match[1]) > 23 || Number(match[2]) > 59 || Number(match[3] ?? 0) > 59) return undefined
  return `${match[1]}:${match[2]}:${match[3] ?? "00"}`
}

/** An option id given as a number or (as v1 sends them) a numeric string. */
const optionId = (field: CustomField, value: unknown): number | undefined => {
  const id = typeof value === "string" && /^\d+$/.test(value) ? Number(value) : value
  return typeof id === "number" && field.options?.some((option) => option.id === id) === true ? id : undefined
}

const optionIds = (field: CustomField) => (field.options ?? []).map((option) => option.id).join(", ")

/**
 * Checks a value against its field's type and returns it in v2's spelling (`null` clears). Accepts
 * v1's spellings too: option ids as strings, sets as comma-separated ids.
 */
export const checkValue = (seed: Seed, field: CustomField, value: unknown): Either.Either<CustomFieldValue, string> => {
  if (value === null) return Either.right(null)
  switch (field.field_type) {
    case "varchar":
    case "varchar_auto":
    case "text":
    case "phone":
      return typeof value === "string" ? Either.right(value) : Either.left("must be a string or null")
    case "double":
      return typeof value === "number" && Number.isFinite(value) ? Either.right(value) : Either.left("must be a number or null")
    case "monetary":
      return isRecord(value) && typeof value["value"] === "number" && Number.isFinite(value["value"]) &&
          (value["currency"] === undefined || value["currency"] === null ||
            (typeof value["currency"] === "string" && /^[A-Z]{3}$/.test(value["currency"])))
        ? Either.right({ value: value["value"], currency: typeof value["currency"] === "string" ? value["currency"] : null })
        : Either.left("must be { value: number, currency: 3-letter code } or null")
    case "date":
      return validDate(value) ? Either.right(value) : Either.left("must be a date as YYYY-MM-DD or null")
    case "time": {
      const t = time(isRecord(value) ? value["value"] : value)
      return t === undefined ? Either.left("must be a time as HH:MM:SS or null") : Either.right(t)
    }
    case "daterange":
      return isRecord(value) && validDate(value["value"]) && validDate(value["until"]) && value["value"] <= value["until"]
        ? Either.right({ value: value["value"], until: value["until"] })
        : Either.left("must be { value: YYYY-MM-DD, until: YYYY-MM-DD } with value not after until, or null")
    case "timerange": {
      const start = isRecord(value) ? time(value["value"]) : undefined
      const end = isRecord(value) ? time(value["until"]) : undefined
      return start !== undefined && end !== undefined
        ? Either.right({ value: start, until: end })
        : Either.left("must be { value: HH:MM:SS, until: HH:MM:SS } or null")
    }
    case "enum": {
      const id = optionId(field, value)
      return id === undefined ? Either.left(`must be one of the option ids ${optionIds(field)} or null`) : Either.right(id)
    }
    case "set": {
      const items = typeof value === "string" ? value.split(",").map((s) => s.trim()) : Array.isArray(value) ? value : undefined
      const ids = items?.map((item) => optionId(field, item))
      return ids !== undefined && ids.every((id) => id !== undefined)
        ? Either.right([...new Set(ids)])
        : Either.left(`must be an array of the option ids ${optionIds(field)} or null`)
    }
    case "user":
      return typeof value === "number" && seed.user(value) !== undefined
        ? Either.right(value)
        : Either.left("must be the id of a user of the company or null")
    case "org":
      return typeof value === "number" && seed.organization(value) !== undefined
        ? Either.right(value)
        : Either.left("must be the id of an organization or null")
    case "people":
      return typeof value === "number" && Number.isInteger(value) && value > 0
        ? Either.right(value)
        : Either.left("must be a person id or null")
    case "address": {
      if (typeof value === "string") return Either.right({ value })
      if (!isRecord(value) || typeof value["value"] !== "string") {
        return Either.left("must be an address string or { value: string, …parts } or null")
      }
      const out: Record<string, string | null> = { value: value["value"] }
      for (const [part, partValue] of Object.entries(value)) {
        if (part === "value") continue
        if (!ADDRESS_PARTS.has(part)) return Either.left(`has an unknown address part ${JSON.stringify(part)}`)
        if (typeof partValue !== "string" && partValue !== null) return Either.left(`.${part} must be a string or null`)
        out[part] = partValue
      }
      return Either.right(out)
    }
    case "visible_to":
      return value === 1 || value === 3 || value === 5 || value === 7 || value === "1" || value === "3" || value === "5" || value === "7"
        ? Either.right(Number(value))
        : Either.left("must be 1, 3, 5 or 7 or null")
  }
}

/** The custom field values of a person in v1's top-level spelling, written into `body`. */
export const renderV1Values = (
  seed: Seed,
  values: Readonly<Record<string, CustomFieldValue>>,
  body: Record<string, unknown>
): void => {
  for (const field of seed.customFields) {
    const value = values[field.key] ?? null
    const subfields = SUBFIELDS[field.field_type] ?? []
    for (const [suffix] of subfields) body[`${field.key}_${suffix}`] = null
    if (value === null) {
      body[field.key] = null
      continue
    }
    switch (field.field_type) {
      case "enum":
      case "visible_to":
        body[field.key] = String(value)
        break
      case "set":
        body[field.key] = Array.isArray(value) ? value.join(",") : value
        break
      case "user": {
        const user = typeof value === "number" ? seed.user(value) : undefined
        body[field.key] = user === undefined ? value : { id: user.id, name: user.name, email: user.email, value: user.id }
        break
      }
      case "org": {
        const org = typeof value === "number" ? seed.organization(value) : undefined
        body[field.key] = org === undefined ? value : { name: org.name, owner_id: org.owner_id, value: org.id }
        break
      }
      case "people":
        body[field.key] = { value }
        break
      default:
        if (typeof value === "object" && !Array.isArray(value) && "value" in value) {
          for (const [part, partValue] of Object.entries(value)) body[part === "value" ? field.key : `${field.key}_${part}`] = partValue
        } else {
          body[field.key] = value
        }
    }
  }
}

/**
 * The custom field values of a v1 person body, folded into v2's spelling for `checkValue`: a
 * composite value arrives as `<hash>` plus `<hash>_<subfield>` keys (`_currency`, `_until`, address
 * parts) and leaves as one object. Keys of no custom field are left out.
 *
 * @example
 * ```ts
 * import { fromV1 } from "./CustomFieldValues.ts"
 * import type { Seed } from "./Seed.ts"
 *
 * declare const seed: Seed
 * const money = seed.customFields.find((field) => field.field_type === "monetary")!.key
 * fromV1(seed, { [money]: 10, [`${money}_currency`]: "EUR" }) // { [money]: { value: 10, currency: "EUR" } }
 * ```
 */
export const fromV1 = (seed: Seed, body: Readonly<Record<string, unknown>>): Record<string, unknown> => {
  const values: Record<string, unknown> = {}
  for (const field of seed.customFields) {
    const subfields = SUBFIELDS[field.field_type] ?? []
    const parts = subfields.filter(([suffix]) => `${field.key}_${suffix}` in body)
    if (!(field.key in body) && parts.length === 0) continue
    const value = body[field.key]
    if (subfields.length === 0 || value === null || value === undefined || isRecord(value)) {
      values[field.key] = value ?? null
      continue
    }
    const folded: Record<string, unknown> = { value }
    for (const [suffix] of parts) folded[suffix] = body[`${field.key}_${suffix}`]
    values[field.key] = folded
  }
  return values
}
