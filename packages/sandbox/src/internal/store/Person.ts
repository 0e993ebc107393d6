/**
 * The sandbox's own model of a person, independent of how API v1 or v2 spells it.
 *
 * Times are milliseconds since the epoch, always whole seconds (Pipedrive stores seconds), so they
 * print the same in both APIs and survive a round trip through a cursor (see `Time`).
 */

/** One email address or phone number of a person. */
export interface ContactEntry {
  readonly value: string
  readonly primary: boolean
  readonly label: string
}

/**
 * A custom field's value in API v2's spelling: text, dates and times are strings, numbers, option
 * and reference ids are numbers, a set is an array of option ids, and composite values are objects
 * (`{ value, currency }`, `{ value, until }`, `{ value, …address parts }`).
 */
export type CustomFieldValue =
  | string
  | number
  | null
  | ReadonlyArray<number>
  | { readonly [part: string]: string | number | null }

/** A person as the store holds it. */
export interface Person {
  readonly id: number
  readonly name: string
  readonly firstName: string | null
  readonly lastName: string | null
  readonly ownerId: number
  readonly orgId: number | null
  readonly emails: ReadonlyArray<ContactEntry>
  readonly phones: ReadonlyArray<ContactEntry>
  readonly visibleTo: number
  readonly labelIds: ReadonlyArray<number>
  /** Keyed by the custom field's 40-character hash; every field of the company is present. */
  readonly customFields: Readonly<Record<string, CustomFieldValue>>
  readonly addTime: number
  readonly updateTime: number
}

/**
 * Pipedrive's split of a full name: the first word, then the rest (`null` when there is none).
 *
 * @example
 * ```ts
 * import { splitName } from "./Person.ts"
 *
 * splitName("Mary Ann Smith") // { firstName: "Mary", lastName: "Ann Smith" }
 * ```
 */
export const splitName = (name: string): { readonly firstName: string | null; readonly lastName: string | null } => {
  const trimmed = name.trim()
  const space = trimmed.search(/\s/)
  if (space === -1) return { firstName: trimmed === "" ? null : trimmed, lastName: null }
  return { firstName: trimmed.slice(0, space), lastName: trimmed.slice(space).trim() || null }
}

/** The key persons are sorted and filtered by when the order is by name: case-insensitive. */
export const nameKey = (name: string): string => name.toLowerCase()

/** The email Pipedrive calls primary: the one marked so, else the first. */
export const primaryEmail = (person: Person): string | null =>
  (person.emails.find((entry) => entry.primary) ?? person.emails[0])?.value ?? null
