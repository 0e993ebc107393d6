/**
 * What the `persons …` end-to-end tests share: the CLI under each runtime, a scratch directory,
 * files written into it, and the sandbox's persons read back with raw fetch (independent of the
 * client under test).
 */
import { existsSync, mkdirSync, mkdtempSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { deno, root } from "./processes.ts"

// The deno binary itself, not the npm wrapper that spawns it: SIGKILL must reach the process that works.
const denoExe = existsSync(`${root}node_modules/deno/deno`) ? `${root}node_modules/deno/deno` : deno

/** The CLI as each runtime runs it: the built bin under Node, the sources under Deno. */
export const cli = {
  node: ["node", [`${root}packages/scripts/bin/pipedrive-effect.mjs`]],
  deno: [denoExe, ["run", "-A", "packages/scripts/src/bin.ts"]]
} as const

/** A new directory under test/generated (removed by the caller's `afterAll`). */
export const scratchDirectory = (prefix: string): string => {
  mkdirSync(`${root}test/generated`, { recursive: true })
  return mkdtempSync(`${root}test/generated/${prefix}-`)
}

/** Writes `text` to a new numbered file in `directory`. */
export const fileWriter = (directory: string) => {
  let count = 0
  return (name: string, text: string): string => {
    const path = join(directory, `${++count}-${name}`)
    writeFileSync(path, text)
    return path
  }
}

/** A person as the tests look at it. */
export interface Person {
  readonly id: number
  readonly name: string | null
  readonly add_time: string
  readonly emails: ReadonlyArray<{ readonly value: string; readonly primary: boolean }>
}

/** Every person of the sandbox, through the v2 cursor list. */
export const allPersons = async (url: string): Promise<ReadonlyArray<Person>> => {
  const persons: Array<Person> = []
  let cursor: string | null = null
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`
    const response = await fetch(`${url}/api/v2/persons?limit=500${query}`, { headers: { "x-api-token": "sandbox-token" } })
    const body = (await response.json()) as { data: Array<Person>; additional_data: { next_cursor: string | null } }
    persons.push(...body.data)
    cursor = body.additional_data.next_cursor
  } while (cursor !== null)
  return persons
}

/** The primary emails of `persons`, sorted. */
export const primaryEmails = (persons: ReadonlyArray<Person>): ReadonlyArray<string> =>
  persons.map((person) => person.emails.find((email) => email.primary)?.value ?? "").sort()

/** An import CSV of `rows` new persons, with emails tagged by `tag`, a phone and two custom fields. */
export const importCsv = (rows: number, tag: string): string =>
  [
    "name,emails,phones,Lead source,Next renewal",
    ...Array.from({ length: rows }, (_, i) => `Person ${i},${tag}${i}@import.example [work],+1 555 02${String(i).padStart(4, "0")},Website,2026-06-30`)
  ].join("\n") + "\n"
