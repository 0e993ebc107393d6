/**
 * Checks shared by every API's person bodies: the schema decode with Pipedrive-style messages,
 * contact lists, references to users and organizations, and custom field values.
 */
import { Effect, Either, ParseResult, Schema } from "effect"
import { ValidationFailed } from "./ApiError.ts"
import type { ContactEntry, CustomFieldValue } from "../store/Person.ts"
import * as CustomFieldValues from "../store/CustomFieldValues.ts"
import type { CustomField, Seed } from "../store/Seed.ts"

/** Decodes a body with a schema; the first problem becomes a `ValidationFailed` naming its field. */
export const decode = <A, I>(schema: Schema.Schema<A, I>, body: unknown): Effect.Effect<A, ValidationFailed> => {
  const result = Schema.decodeUnknownEither(schema, { errors: "first", onExcessProperty: "ignore" })(body)
  if (Either.isRight(result)) return Effect.succeed(result.right)
  const issue = ParseResult.ArrayFormatter.formatErrorSync(result.left)[0]
  const field = issue === undefined ? "body" : formatPath(issue.path)
  const reason = issue === undefined ? "is invalid" : issue._tag === "Missing" ? "is required" : issue.message
  return Effect.fail(new ValidationFailed({ field, reason }))
}

const formatPath = (path: ReadonlyArray<PropertyKey>): string =>
  path.length === 0
    ? "body"
    : path.map((key, index) => (typeof key === "number" ? `[${key}]` : index === 0 ? String(key) : `.${String(key)}`)).join("")

/** A name that is not blank. */
export const Name = Schema.String.pipe(
  Schema.filter((name) => name.trim() !== "", { message: () => "must not be empty" })
)

/** A positive integer id. */
export const Id = Schema.Int.pipe(Schema.positive())

/** An email or phone as clients send it: only `value` is required. */
export const ContactInput = Schema.Struct({
  value: Schema.String.pipe(Schema.filter((value) => value.trim() !== "", { message: () => "must not be empty" })),
  primary: Schema.optional(Schema.Boolean),
  label: Schema.optional(Schema.String)
})

/** Pipedrive's normalisation: exactly one primary entry (the first marked, else the first), a label. */
export const normalizeContacts = (
  entries: ReadonlyArray<typeof ContactInput.Type>,
  defaultLabel: string
): ReadonlyArray<ContactEntry> => {
  const primaryIndex = Math.max(0, entries.findIndex((entry) => entry.primary === true))
  return entries.map((entry, index) => ({
    value: entry.value.trim(),
    primary: index === primaryIndex,
    label: entry.label ?? defaultLabel
  }))
}

/** Fails unless the owner is a user of the company. */
export const checkOwner = (seed: Seed, field: string, ownerId: number | undefined): Effect.Effect<void, ValidationFailed> =>
  ownerId === undefined || seed.user(ownerId) !== undefined
    ? Effect.void
    : Effect.fail(new ValidationFailed({ field, reason: `user ${ownerId} does not exist` }))

/** Fails unless the organization exists (`null` clears it and is fine). */
export const checkOrganization = (
  seed: Seed,
  field: string,
  orgId: number | null | undefined
): Effect.Effect<void, ValidationFailed> =>
  orgId === undefined || orgId === null || seed.organization(orgId) !== undefined
    ? Effect.void
    : Effect.fail(new ValidationFailed({ field, reason: `organization ${orgId} does not exist` }))

/**
 * Checks custom field values against the company's fields: unknown keys are refused (as Pipedrive
 * does), and each value must suit its field's type; `null` clears a value.
 */
export const customFields = (
  seed: Seed,
  values: Readonly<Record<string, unknown>>,
  fieldPrefix: string
): Effect.Effect<Readonly<Record<string, CustomFieldValue>>, ValidationFailed> => {
  const checked: Record<string, CustomFieldValue> = {}
  for (const [key, value] of Object.entries(values)) {
    const field = seed.customFields.find((candidate) => candidate.key === key)
    const name = `${fieldPrefix}${key}`
    if (field === undefined) {
      return Effect.fail(new ValidationFailed({ field: name, reason: "is not a custom field of persons" }))
    }
    const result = customValue(seed, field, value)
    if (Either.isLeft(result)) return Effect.fail(new ValidationFailed({ field: name, reason: result.left }))
    checked[key] = result.right
  }
  return Effect.succeed(checked)
}

// The checks by type live with the fields they belong to.
const customValue = (seed: Seed, field: CustomField, value: unknown): Either.Either<CustomFieldValue, string> =>
  CustomFieldValues.checkValue(seed, field, value)
