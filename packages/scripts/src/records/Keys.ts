/**
 * The keys persons are matched and grouped by, normalised one way for every job: `persons dedupe`
 * groups by them and `persons import` matches rows by them, so a row and a person that dedupe would
 * call the same are the same to the import too.
 *
 * - `email`: the primary email, trimmed and lower-cased;
 * - `phone`: the primary phone's digits, a leading `+` or `00` dropped, at least 6;
 * - `name`: lower-cased, accents removed, white space collapsed.
 */
import type { Persons } from "@pipedrive-effect/core"

/** What persons are compared by. */
export type By = "email" | "phone" | "name"

/** A contact entry (email, phone, IM) as both API versions send it. */
export interface Entry {
  readonly value?: string | null | undefined
  readonly primary?: boolean | null | undefined
  readonly label?: string | null | undefined
}

/** The primary entry's value: the one flagged primary, else the first with a value. */
export const primaryValue = (entries: ReadonlyArray<Entry> | null | undefined): string | undefined => {
  const withValue = (entries ?? []).filter((entry) => entry.value != null && entry.value.trim() !== "")
  return (withValue.find((entry) => entry.primary === true) ?? withValue[0])?.value ?? undefined
}

/** A person's primary email as a key: trimmed, lower-cased. */
export const emailKey = (email: string): string | undefined => {
  const key = email.trim().toLowerCase()
  return key === "" ? undefined : key
}

/** A phone number as a key: its digits, without a leading `+` or `00`; none under 6 digits. */
export const phoneKey = (phone: string): string | undefined => {
  const digits = phone.replace(/\D/g, "")
  const international = phone.trim().startsWith("00") ? digits.slice(2) : digits
  return international.length >= 6 ? international : undefined
}

/** A name as a key: lower-cased, accents removed, white space collapsed. */
export const nameKey = (name: string): string | undefined => {
  const key = name.normalize("NFKD").replace(/\p{M}/gu, "").toLowerCase().replace(/\s+/g, " ").trim()
  return key === "" ? undefined : key
}

/** The key of a person under `by`, or `undefined` when it has none. */
export const keyOf = (by: By, person: Persons.Person): string | undefined => {
  switch (by) {
    case "email": {
      const email = primaryValue(person.emails)
      return email === undefined ? undefined : emailKey(email)
    }
    case "phone": {
      const phone = primaryValue(person.phones)
      return phone === undefined ? undefined : phoneKey(phone)
    }
    case "name":
      return person.name == null ? undefined : nameKey(person.name)
  }
}
