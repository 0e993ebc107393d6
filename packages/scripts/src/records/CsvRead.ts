/**
 * Reading CSV rows back: the header resolved against the account's custom fields (`readHeader`),
 * then each record as a `Row` (`fromCsvCells`), every cell that does not read one `Problem`.
 */
import { CustomFields } from "@pipedrive-effect/core"
import { Either } from "effect"
import * as CellText from "./CellText.ts"
import { decodeRow, entryColumns, idColumns, isStandard, parseProblems, type Problem, type Row, type StandardColumn, standardColumns } from "./Row.ts"

/** A CSV header, resolved: what each column holds. */
export interface Columns {
  readonly cells: ReadonlyArray<
    | { readonly kind: "standard"; readonly column: StandardColumn }
    | { readonly kind: "custom"; readonly column: string; readonly field: CustomFields.Field }
  >
}

/**
 * Resolves a header row: each cell must be a standard column or name a custom field (by name or
 * key), each at most once. Columns may be left out (a file for import needs only what it sets).
 */
export const readHeader = (
  catalog: CustomFields.Catalog,
  header: ReadonlyArray<string>,
  line = 1
): Either.Either<Columns, ReadonlyArray<Problem>> => {
  const problems: Array<Problem> = []
  const cells: Array<Columns["cells"][number]> = []
  const seen = new Map<string, string>()
  header.forEach((raw, index) => {
    const name = index === 0 ? raw.replace(/^\uFEFF/, "").trim() : raw.trim()
    const fail = (reason: string) => problems.push({ line, field: `header column ${index + 1} "${raw}"`, reason })
    let cell: Columns["cells"][number]
    if (isStandard(name)) {
      cell = { kind: "standard", column: name }
    } else {
      const found = CustomFields.resolve(catalog, name)
      if (Either.isLeft(found)) {
        fail(
          found.left._tag === "AmbiguousFieldName"
            ? found.left.message
            : `not a standard column (${standardColumns.join(", ")}) nor a custom person field of this account`
        )
        return
      }
      cell = { kind: "custom", column: name, field: found.right }
    }
    const identity = cell.kind === "standard" ? cell.column : cell.field.key
    const earlier = seen.get(identity)
    if (earlier !== undefined) {
      fail(`the same field as column "${earlier}"`)
      return
    }
    seen.set(identity, name)
    cells.push(cell)
  })
  if (!cells.some((cell) => cell.kind === "standard" && cell.column === "name") && !cells.some((c) => c.kind === "standard" && c.column === "id")) {
    problems.push({ line, field: "header", reason: `needs a "name" column (or "id" to update by id)` })
  }
  return problems.length > 0 ? Either.left(problems) : Either.right({ cells })
}

const INTEGER = /^-?\d+$/
const NUMBER = /^-?(?:\d+\.?\d*|\.\d+)(?:[eE][-+]?\d+)?$/

const parseOption = (field: CustomFields.Field, text: string): Either.Either<number, string> => {
  const byLabel = field.options.filter((option) => option.label === text)
  if (byLabel.length === 1) return Either.right(byLabel[0]!.id)
  const id = /^#?(\d+)$/.exec(text)?.[1]
  if (id !== undefined && field.options.some((option) => option.id === Number(id))) return Either.right(Number(id))
  const labels = field.options.map((option) => `"${option.label}"`).join(", ")
  return Either.left(
    byLabel.length > 1
      ? `"${text}" labels ${byLabel.length} options; write one as #id (${byLabel.map((o) => `#${o.id}`).join(", ")})`
      : `"${text}" is not an option (${labels === "" ? "the field has none" : labels})`
  )
}

/** The input `CustomFields.writeValue` takes, from a custom field's cell (not empty). */
const customInput = (field: CustomFields.Field, cell: string): Either.Either<unknown, string> => {
  if (CustomFields.textTypes.has(field.type)) return Either.right(cell)
  switch (field.type) {
    case "double":
    case "int":
      return NUMBER.test(cell.trim()) ? Either.right(Number(cell)) : Either.left(`"${cell}" is not a number`)
    case "user":
    case "org":
    case "people":
      return INTEGER.test(cell.trim()) ? Either.right(Number(cell)) : Either.left(`"${cell}" is not a ${field.type} id`)
    case "monetary": {
      const match = /^\s*(\S+)(?:\s+(\S+))?\s*$/.exec(cell)
      return match !== null && NUMBER.test(match[1]!)
        ? Either.right({ value: Number(match[1]), currency: match[2] ?? null })
        : Either.left(`"${cell}" is not an amount with an optional currency, such as "1200.50 EUR"`)
    }
    case "daterange":
    case "timerange": {
      const parts = cell.split("/")
      return parts.length === 2
        ? Either.right({ start: parts[0]!.trim(), end: parts[1]!.trim() })
        : Either.left(`"${cell}" is not a range written start/end`)
    }
    case "date":
    case "time":
      return Either.right(cell.trim())
    case "enum":
      return parseOption(field, cell)
    case "set":
      return Either.flatMap(CellText.parseList(cell), (labels) =>
        Either.all(labels.map((label) => parseOption(field, label))))
    case "address":
      return Either.right({ value: cell })
    default:
      try {
        return Either.right(JSON.parse(cell))
      } catch {
        return Either.left(`"${cell}" is not JSON (a ${field.type} field is written as its JSON value)`)
      }
  }
}

/** A custom field's v2 value from its cell (`null` for an empty cell), or why it is not one. */
export const parseCustomCell = (field: CustomFields.Field, cell: string): Either.Either<unknown, string> => {
  if (cell === "") return Either.right(null)
  return Either.flatMap(customInput(field, cell), (input) =>
    Either.mapLeft(CustomFields.writeValue(field, input), (invalid) => `expects ${invalid.expected}`))
}

const parseEntriesCell = (cell: string) =>
  Either.map(
    CellText.parseEntries(cell),
    (entries) => entries.map((entry, index) => ({ value: entry.value, primary: index === 0, label: entry.label }))
  )

const parseStandard = (column: StandardColumn, cell: string): Either.Either<unknown, string> => {
  if (entryColumns.has(column)) return parseEntriesCell(cell)
  if (column === "label_ids") {
    return Either.flatMap(CellText.parseList(cell), (ids) => {
      const bad = ids.find((id) => !INTEGER.test(id))
      return bad === undefined ? Either.right(ids.map(Number)) : Either.left(`"${bad}" is not a label id`)
    })
  }
  if (cell === "") return Either.right(null)
  if (idColumns.has(column)) {
    return INTEGER.test(cell.trim()) ? Either.right(Number(cell)) : Either.left(`"${cell}" is not a whole number`)
  }
  if (column === "postal_address") return Either.right({ value: cell })
  return Either.right(cell)
}

/**
 * One CSV record (after the header) as a row. A record with fewer or more cells than the header is
 * one problem; each cell that does not read is one problem naming its column.
 */
export const fromCsvCells = (
  columns: Columns,
  cells: ReadonlyArray<string>,
  line: number
): Either.Either<Row, ReadonlyArray<Problem>> => {
  if (cells.length !== columns.cells.length) {
    return Either.left([{ line, field: "(row)", reason: `has ${cells.length} cells, the header ${columns.cells.length}` }])
  }
  const problems: Array<Problem> = []
  const row: Record<string, unknown> = {}
  const custom: Record<string, unknown> = {}
  columns.cells.forEach((column, index) => {
    const cell = cells[index]!
    if (column.kind === "standard") {
      const value = parseStandard(column.column, cell)
      if (Either.isLeft(value)) problems.push({ line, field: column.column, reason: value.left })
      else row[column.column] = value.right
    } else {
      const value = parseCustomCell(column.field, cell)
      if (Either.isLeft(value)) problems.push({ line, field: `custom_fields.${column.column}`, reason: value.left })
      else custom[column.field.key] = value.right
    }
  })
  if (columns.cells.some((column) => column.kind === "custom")) row["custom_fields"] = custom
  if (problems.length > 0) return Either.left(problems)
  return Either.mapLeft(decodeRow(row), (error) => parseProblems(line, error))
}
