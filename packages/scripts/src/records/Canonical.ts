/**
 * A person as its CSV row reads back (`canonical`): what a round trip through `toCsvCells` and
 * `fromCsvCells` must give, so tests and imports can compare a person with a row.
 */
import { CustomFields, type Persons } from "@pipedrive-effect/core"
import { Either } from "effect"
import { orderedEntries } from "./CsvWrite.ts"
import { isRaw, type Row } from "./Row.ts"

/**
 * A custom value as its CSV cell reads back: typed by `CustomFields.readValue`, written back by
 * `CustomFields.writeValue`, an address reduced to `{ value }`; a value that does not suit its field
 * is kept as sent (its cell will not read back).
 */
export const canonicalCustom = (field: CustomFields.Field, wire: unknown): unknown => {
  const typed = CustomFields.readValue(field, wire)
  if (typed === null) return null
  if (isRaw(typed)) return typed.raw
  if (field.type === "address" && typeof typed === "object" && "value" in typed && typeof typed.value === "string") {
    return { value: typed.value }
  }
  return Either.getOrElse(CustomFields.writeValue(field, typed), () => wire)
}

/**
 * A person as a CSV row reads back: the CSV columns' fields only, absent ones `null`, lists `[]`,
 * entries as `canonicalEntries`, addresses as `{ value }`, custom values in their written shape.
 * `fromCsvCells(columns, toCsvCells(catalog, p))` equals `canonical(catalog, p)`.
 */
export const canonical = (catalog: CustomFields.Catalog, person: Persons.Person): Row => {
  const custom: Record<string, unknown> = {}
  for (const field of catalog.fields) custom[field.key] = canonicalCustom(field, person.custom_fields?.[field.key])
  const entries = (list: Persons.Person["emails"]) =>
    orderedEntries(list ?? []).map((entry, index) => ({ value: entry.value, primary: index === 0, label: entry.label }))
  return {
    id: person.id,
    name: person.name || null,
    first_name: person.first_name || null,
    last_name: person.last_name || null,
    emails: entries(person.emails),
    phones: entries(person.phones),
    im: entries(person.im),
    owner_id: person.owner_id ?? null,
    org_id: person.org_id ?? null,
    visible_to: person.visible_to ?? null,
    label_ids: person.label_ids ?? [],
    picture_id: person.picture_id ?? null,
    add_time: person.add_time || null,
    update_time: person.update_time || null,
    job_title: person.job_title || null,
    birthday: person.birthday || null,
    notes: person.notes || null,
    postal_address: person.postal_address?.value ? { value: person.postal_address.value } : null,
    ...(catalog.fields.length > 0 ? { custom_fields: custom } : {})
  }
}
