/**
 * API v1 persons in the v2 shape the files hold (`persons export --api v1`).
 */
import { CustomFields, type Persons, type PersonsV1 } from "@pipedrive-effect/core"
import { Either } from "effect"
import { isRaw } from "./Row.ts"

/** v1 times (`2024-01-01 00:00:37`, UTC) as v2 writes them (`2024-01-01T00:00:37Z`). */
export const v1Time = (time: string | null | undefined): string | null | undefined =>
  time == null ? time : /^\d{4}-\d{2}-\d{2} \d{2}:\d{2}:\d{2}$/.test(time) ? `${time.replace(" ", "T")}Z` : time

const v1Entries = (entries: PersonsV1.Person["email"]) =>
  entries == null ? [] : entries.filter((entry) => entry.value != null && entry.value !== "")

const refId = (ref: unknown): number | null => {
  if (typeof ref === "number") return ref
  if (typeof ref === "object" && ref !== null) {
    const value = "value" in ref ? ref.value : "id" in ref ? ref.id : undefined
    return typeof value === "number" ? value : null
  }
  return null
}

/**
 * A v1 person in the v2 shape the files hold (`persons export --api v1`): `owner_id`/`org_id` as ids,
 * v2 times, no empty contact entries, `visible_to` a number, custom fields under `custom_fields` in
 * v2's shapes (for the catalog's fields).
 */
export const fromV1 = (catalog: CustomFields.Catalog, person: PersonsV1.Person): Persons.Person => {
  const custom: Record<string, unknown> = {}
  for (const field of catalog.fields) {
    if (!(field.key in person)) continue
    const raw = person[field.key]
    const extra: Record<string, unknown> = {}
    for (const [key, value] of Object.entries(person)) {
      if (key.startsWith(`${field.key}_`)) extra[key.slice(field.key.length + 1)] = value
    }
    const typed = CustomFields.readValue(field, raw, extra)
    custom[field.key] = isRaw(typed) ? raw : Either.getOrElse(CustomFields.writeValue(field, typed), () => raw)
  }
  const visible = person.visible_to == null ? null : Number(person.visible_to)
  return {
    id: person.id,
    name: person.name ?? null,
    first_name: person.first_name ?? null,
    last_name: person.last_name ?? null,
    owner_id: refId(person.owner_id),
    org_id: refId(person.org_id),
    add_time: v1Time(person.add_time) ?? null,
    update_time: v1Time(person.update_time) ?? null,
    emails: v1Entries(person.email),
    phones: v1Entries(person.phone),
    is_deleted: person.active_flag == null ? null : !person.active_flag,
    visible_to: Number.isFinite(visible) ? visible : null,
    label_ids: person.label_ids ?? [],
    picture_id: refId(person.picture_id),
    custom_fields: custom
  }
}
