/**
 * Writing a person as a CSV row: the header (`csvColumns`) and the cells (`toCsvCells`), by the
 * table in `PersonRecord`'s description.
 */
import { CustomFields, type Persons } from "@pipedrive-effect/core"
import * as CellText from "./CellText.ts"
import { isRaw, isStandard, standardColumns } from "./Row.ts"

/** The header of a CSV export: the standard columns, then the custom fields' column names. */
export const csvColumns = (catalog: CustomFields.Catalog): ReadonlyArray<string> => [
  ...standardColumns,
  ...catalog.fields.map((field) => customColumn(catalog, field))
]

/** The column a custom field is written under: its name, or its key when the name is ambiguous. */
export const customColumn = (catalog: CustomFields.Catalog, field: CustomFields.Field): string => {
  const name = CustomFields.readName(catalog, field)
  return isStandard(name) ? field.key : name
}

/** Contact entries in the order a cell holds them: those with a value, the first primary one first. */
export const orderedEntries = (
  entries: ReadonlyArray<
    { readonly value?: string | null | undefined; readonly primary?: boolean | null | undefined; readonly label?: string | null | undefined }
  >
): ReadonlyArray<CellText.Entry> => {
  const withValue = entries.filter((entry) => entry.value != null && entry.value !== "")
  const primary = withValue.findIndex((entry) => entry.primary === true)
  const ordered = primary <= 0 ? withValue : [withValue[primary]!, ...withValue.filter((_, i) => i !== primary)]
  return ordered.map((entry) => ({ value: entry.value ?? "", label: entry.label ?? null }))
}

export const optionText = (field: CustomFields.Field, option: CustomFields.OptionValue): string =>
  option.label !== null && field.options.filter((o) => o.label === option.label).length === 1
    ? option.label
    : `#${option.id}`

/** The cell of one custom field value (as Pipedrive v2 sends it). */
export const customCell = (field: CustomFields.Field, wire: unknown): string => {
  const value = CustomFields.readValue(field, wire)
  if (value === null) return ""
  if (isRaw(value)) return JSON.stringify(value.raw) ?? ""
  if (typeof value === "string") return value
  if (typeof value === "number") return String(value)
  if (Array.isArray(value)) return CellText.formatList(value.map((option) => optionText(field, option)))
  if ("start" in value && "end" in value) return `${value.start}/${value.end}`
  if ("currency" in value) return value.currency === null ? String(value.value) : `${value.value} ${value.currency}`
  if ("id" in value) return optionText(field, value as CustomFields.OptionValue)
  if ("value" in value && typeof value["value"] === "string") return value["value"]
  return JSON.stringify(value)
}

const idCell = (value: number | null | undefined) => value == null ? "" : String(value)

/** The CSV cells of a person, in `csvColumns(catalog)` order. Values of fields the catalog lacks are left out. */
export const toCsvCells = (catalog: CustomFields.Catalog, person: Persons.Person): ReadonlyArray<string> => {
  const standard = standardColumns.map((column): string => {
    switch (column) {
      case "emails":
      case "phones":
      case "im":
        return CellText.formatEntries(orderedEntries(person[column] ?? []))
      case "label_ids":
        return CellText.formatList((person.label_ids ?? []).map(String))
      case "postal_address":
        return person.postal_address?.value ?? ""
      case "id":
      case "owner_id":
      case "org_id":
      case "visible_to":
      case "picture_id":
        return idCell(person[column])
      default:
        return person[column] ?? ""
    }
  })
  const custom = catalog.fields.map((field) => customCell(field, person.custom_fields?.[field.key]))
  return [...standard, ...custom]
}
