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

/** A person as the v2 list sends it (the fields the suites look at). */
export interface ApiPerson {
  readonly id: number
  readonly name: string | null
  readonly add_time: string
  readonly emails: ReadonlyArray<{ readonly value: string; readonly primary: boolean }>
  readonly [key: string]: unknown
}

/**
 * A GET of the sandbox's API as parsed JSON, requested again until a 200 arrives whole: the sandbox
 * under test may drop, fail, delay (past 2 s: asked again) or cut any answer. Plain `fetch`, not the
 * client under test.
 */
export const getJson = async <A>(url: string, token = "sandbox-token"): Promise<A> => {
  for (let attempt = 0; ; attempt++) {
    let wait = 50
    try {
      const response = await fetch(url, { headers: { "x-api-token": token }, signal: AbortSignal.timeout(2_000) })
      if (response.status === 200) return (await response.json()) as A
      await response.arrayBuffer()
      // Under a rate limit, wait out the window rather than hammer (which the sandbox answers 403).
      if (response.status === 429 || response.status === 403) wait = 2_100
      if (attempt > 50) throw new Error(`GET ${url}: ${response.status} after ${attempt} attempts`)
    } catch (error) {
      if (attempt > 50) throw error
    }
    await new Promise((resolve) => setTimeout(resolve, wait))
  }
}

/** Every person of the sandbox (v2 list, 500 a page), through `getJson` (so also under the sandbox's faults). */
export const allPersons = async (url: string, token = "sandbox-token"): Promise<ReadonlyArray<ApiPerson>> => {
  const persons: Array<ApiPerson> = []
  let cursor: string | null = null
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`
    const body: { data: Array<ApiPerson>; additional_data: { next_cursor: string | null } } = await getJson(
      `${url}/api/v2/persons?limit=500${query}`,
      token
    )
    persons.push(...body.data)
    cursor = body.additional_data.next_cursor
  } while (cursor !== null)
  return persons
}

/** The primary emails of `persons`, sorted. */
export const primaryEmails = (persons: ReadonlyArray<ApiPerson>): ReadonlyArray<string> =>
  persons.map((person) => person.emails.find((email) => email.primary)?.value ?? "").sort()

/** An import CSV of `rows` new persons, with emails tagged by `tag`, a phone and two custom fields. */
export const importCsv = (rows: number, tag: string): string =>
  [
    "name,emails,phones,Lead source,Next renewal",
    ...Array.from({ length: rows }, (_, i) => `Person ${i},${tag}${i}@import.example [work],+1 555 02${String(i).padStart(4, "0")},Website,2026-06-30`)
  ].join("\n") + "\n"
