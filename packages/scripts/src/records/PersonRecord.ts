/**
 * The one definition of the person file format that `persons export` writes, `persons import`
 * reads and `persons delete` backs up into. Both directions live here, so they cannot drift.
 *
 * **NDJSON**: one API v2 person a line, exactly as `Persons.stream` decodes it, encoded back with
 * `Persons.Person` (custom fields under `custom_fields`, keyed by the field's 40-character key, in
 * Pipedrive's v2 shapes).
 *
 * **CSV**: a header row, then one row per person. The columns are `standardColumns` in that order,
 * then one column per custom field, named by the field's name (`csvColumns`). A custom field whose
 * name is shared by another custom field, or equals a standard column's name, is named by its key
 * instead (so a column always means one field; the key is also accepted for any field on reading).
 * Cells:
 *
 * | column | cell |
 * | --- | --- |
 * | `emails`, `phones`, `im` | `value [label]` entries joined by `"; "`, the primary one first (see `CellText`); reading makes the first entry primary |
 * | `label_ids` | ids joined by `"; "` |
 * | ids, `visible_to` | the number |
 * | `postal_address` | the formatted address (`value`); its parts are kept in NDJSON only |
 * | text and times | as Pipedrive sent them |
 * | custom text, date, time | as is |
 * | custom number (`double`, `int`), `user`, `org`, `people` | the number |
 * | custom `monetary` | `1200.5 EUR` (the amount, a space, the currency; the currency may be left out) |
 * | custom `daterange`, `timerange` | `start/end`, e.g. `2025-01-01/2025-03-31` |
 * | custom `enum` | the option's label (its id as `#101` when the label is missing or shared) |
 * | custom `set` | the options, as for `enum`, joined by `"; "` |
 * | custom `address` | the formatted address (`value`) |
 * | custom of another type | the JSON value |
 *
 * An empty cell is an empty field: `null`, or `[]` for the lists. A CSV row therefore reads back as
 * the person it was written from, with absent fields as `null` (`canonical`), lists as `[]`, contact
 * entries without a value left out, and addresses reduced to their `value`.
 *
 * Reading gives a `Row` (a person whose fields may all be missing: a hand-written file has only the
 * columns it needs) and `toDraft` turns a row into the body of a create or update. Every problem is a
 * value (`Problem`: line, field, reason), never an exception, so an import can list all of them.
 *
 * This module is the format's one name for users; each part lives in a small module of its own
 * (`Row`, `NdjsonRow`, `CsvWrite`, `CsvRead`, `Canonical`, `FromV1`, `Draft`).
 *
 * @module
 */
export { canonical, canonicalCustom } from "./Canonical.ts"
export { type Columns, fromCsvCells, parseCustomCell, readHeader } from "./CsvRead.ts"
export { csvColumns, customCell, customColumn, toCsvCells } from "./CsvWrite.ts"
export { createBody, type Draft, toDraft } from "./Draft.ts"
export { fromV1, v1Time } from "./FromV1.ts"
export { fromNdjsonLine, toNdjsonLine } from "./NdjsonRow.ts"
export { type Format, formatOf, formatProblem, type Problem, Row, type StandardColumn, standardColumns } from "./Row.ts"
