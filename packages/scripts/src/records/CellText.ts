/**
 * The text of a multi-valued CSV cell: several values in one cell, exactly reversible.
 *
 * - Values are separated by `;` (written `"; "`); white space around a value is not part of it.
 * - An entry may end in a label in brackets: `ann@x.com [work]`.
 * - A backslash makes the next character literal: `\;`, `\[`, `\]`, `\\`, and `\ ` for a space
 *   at either end of a value (which would otherwise be trimmed).
 *
 * @example
 * ```ts
 * import { CellText } from "@pipedrive-effect/scripts"
 *
 * CellText.formatEntries([{ value: "ann@x.com", label: "work" }, { value: "a;b@y.org", label: null }])
 * // "ann@x.com [work]; a\\;b@y.org"
 * CellText.parseEntries("ann@x.com [work]; a\\;b@y.org") // Right([{ value: "ann@x.com", label: "work" }, { value: "a;b@y.org", label: null }])
 * ```
 *
 * @module
 */
import { Either } from "effect"

/** One value and its optional label, as a cell holds it. */
export interface Entry {
  readonly value: string
  readonly label: string | null
}

/** Escapes `text` so that it reads back as itself inside a list cell. */
export const escape = (text: string): string => {
  const chars = Array.from(text)
  // White space at either end would be trimmed on reading: make it literal.
  return chars.map((ch, i) =>
    /[\\;[\]]/.test(ch) || (/\s/.test(ch) && (i === 0 || i === chars.length - 1)) ? `\\${ch}` : ch
  ).join("")
}

interface Char {
  readonly ch: string
  readonly literal: boolean
}

const tokenize = (cell: string): Either.Either<ReadonlyArray<Char>, string> => {
  const out: Array<Char> = []
  const chars = Array.from(cell)
  for (let i = 0; i < chars.length; i++) {
    const ch = chars[i]!
    if (ch !== "\\") {
      out.push({ ch, literal: false })
      continue
    }
    const next = chars[i + 1]
    if (next === undefined) return Either.left("ends with a lone backslash (write \\\\ for a backslash)")
    out.push({ ch: next, literal: true })
    i++
  }
  return Either.right(out)
}

const isSpace = (c: Char) => !c.literal && /\s/.test(c.ch)

const trim = (chars: ReadonlyArray<Char>): ReadonlyArray<Char> => {
  let start = 0
  let end = chars.length
  while (start < end && isSpace(chars[start]!)) start++
  while (end > start && isSpace(chars[end - 1]!)) end--
  return chars.slice(start, end)
}

const text = (chars: ReadonlyArray<Char>) => chars.map((c) => c.ch).join("")

const split = (chars: ReadonlyArray<Char>): ReadonlyArray<ReadonlyArray<Char>> => {
  const parts: Array<ReadonlyArray<Char>> = []
  let current: Array<Char> = []
  for (const c of chars) {
    if (!c.literal && c.ch === ";") {
      parts.push(trim(current))
      current = []
    } else {
      current.push(c)
    }
  }
  parts.push(trim(current))
  // An empty cell, or a trailing `;`, holds no value.
  return parts.filter((part) => part.length > 0)
}

const bracket = (c: Char) => !c.literal && (c.ch === "[" || c.ch === "]")

/** Writes plain values: escaped, joined with `"; "`. */
export const formatList = (values: ReadonlyArray<string>): string => values.map(escape).join("; ")

/** Reads plain values (the inverse of `formatList`); brackets must be escaped. */
export const parseList = (cell: string): Either.Either<ReadonlyArray<string>, string> =>
  Either.flatMap(tokenize(cell), (chars) => {
    const values: Array<string> = []
    for (const part of split(chars)) {
      if (part.some(bracket)) return Either.left(`"${text(part)}" has an unescaped bracket (write \\[ or \\])`)
      values.push(text(part))
    }
    return Either.right(values)
  })

/** Writes entries as `value [label]`, joined with `"; "`; a `null` label is left out. */
export const formatEntries = (entries: ReadonlyArray<Entry>): string =>
  entries.map((entry) => entry.label === null ? escape(entry.value) : `${escape(entry.value)} [${escape(entry.label)}]`)
    .join("; ")

/** Reads entries (the inverse of `formatEntries`). */
export const parseEntries = (cell: string): Either.Either<ReadonlyArray<Entry>, string> =>
  Either.flatMap(tokenize(cell), (chars) => {
    const entries: Array<Entry> = []
    for (const part of split(chars)) {
      const last = part[part.length - 1]!
      let value = part
      let label: string | null = null
      if (!last.literal && last.ch === "]") {
        let open = part.length - 1
        while (open >= 0 && !(part[open]!.ch === "[" && !part[open]!.literal)) open--
        if (open < 0) return Either.left(`"${text(part)}" has a "]" without "[" (write \\] for a literal one)`)
        value = trim(part.slice(0, open))
        const inner = part.slice(open + 1, -1)
        if (inner.some(bracket)) return Either.left(`"${text(part)}" has a bracket inside its label (write \\[ or \\])`)
        label = text(trim(inner))
      }
      if (value.some(bracket)) {
        return Either.left(`"${text(part)}" has an unescaped bracket in its value (write \\[ or \\]; a label goes last)`)
      }
      if (value.length === 0) return Either.left(`"${text(part)}" has a label but no value`)
      entries.push({ value: text(value), label })
    }
    return Either.right(entries)
  })
