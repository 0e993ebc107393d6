/**
 * Crash and resume, import and dedupe (issue 8, item 2), under Node:
 *
 * - `persons import` killed with SIGKILL at seeded random points of its progress (after a share of
 *   the requests an uninterrupted run makes, see `killAtShare`: always before it ends), then run again: exactly one person
 *   per input row (a row left `started` by the killed run is looked up before it is sent again), and
 *   the journal's last word on every row is `done` with that person's id.
 * - `persons dedupe --apply` killed likewise, then run again: the persons left are exactly those an
 *   uninterrupted run leaves (every duplicate merged into the oldest of its group, nothing else gone).
 *
 * Most of dedupe's requests are merges (6 pages of lookups, then 42 merges), so most of its kill
 * points land among the merges. `npm test`: 3 import and 4 dedupe kill points; `FAULTS_FULL=1`: 20 each.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { readFileSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { run } from "./support/processes.ts"
import {
  allPersons,
  type ApiPerson,
  type Baseline,
  baselineOf,
  killAtShare,
  killCount,
  killPoints,
  ndjson,
  nodeCli,
  primaryEmail,
  record,
  scratch,
  startLoggedSandbox
} from "./support/faults.ts"

const directory = scratch("crash-import")
afterAll(() => rmSync(directory, { recursive: true, force: true }))
const [bin, prefix] = nodeCli
const envOf = (url: string) => ({ PIPEDRIVE_BASE_URL: url, PIPEDRIVE_API_TOKEN: "sandbox-token" })

/** What an uninterrupted run of `args` costs against a fresh sandbox started with `sandboxArgs`. */
const baseline = async (sandboxArgs: ReadonlyArray<string>, args: (url: string) => ReadonlyArray<string>): Promise<Baseline> => {
  const sandbox = await startLoggedSandbox(sandboxArgs)
  try {
    const result = await run(bin, [...prefix, ...args(sandbox.url)], { env: envOf(sandbox.url), timeoutMs: 80_000 })
    expect(result.code).toBe(0)
    return baselineOf(sandbox)
  } finally {
    await sandbox.stop()
  }
}

const ROWS = 200
/** The first half of the rows updates persons planted just before the run (so search, 60 s behind, misses them); the rest create. */
const UPDATES = ROWS / 2
const rowsCsv = (tag: string) =>
  ["name,emails", ...Array.from({ length: ROWS }, (_, i) => `Row ${i},${tag}-${i}@import.example`)].join("\n") + "\n"
/** The sandbox of a kill point: search 60 s behind the data, as Pipedrive's index can be. */
const sandboxArgs = (seed: string) => ["--persons", "0", "--seed", seed, "--search-lag-ms", "60000"]
const importArgs = (file: string, lookup: string) => ["persons", "import", file, "--lookup", lookup, "--settle-ms", "200"]

/** The persons the update rows find: created through the API, named otherwise than their rows. */
const plant = async (url: string, tag: string) => {
  for (let i = 0; i < UPDATES; i++) {
    const response = await fetch(`${url}/api/v2/persons`, {
      method: "POST",
      headers: { "content-type": "application/json", "x-api-token": "sandbox-token" },
      body: JSON.stringify({ name: `Old ${i}`, emails: [{ value: `${tag}-${i}@import.example`, primary: true, label: "work" }] })
    })
    expect(response.status).toBe(200)
  }
}

describe("persons import killed with SIGKILL and run again (search 60 s behind)", () => {
  // Each lookup's own uninterrupted run: a search run makes more requests than a walk (one search
  // a row), so shares of the walk's cost put every search kill point among its searches.
  const cost = new Map<string, Baseline>()
  beforeAll(async () => {
    for (const lookup of ["walk", "search"]) {
      const file = join(directory, `baseline-${lookup}.csv`)
      writeFileSync(file, rowsCsv("baseline"))
      const sandbox = await startLoggedSandbox(sandboxArgs("crash-baseline"))
      try {
        await plant(sandbox.url, "baseline")
        const requests = sandbox.requests().length
        const result = await run(bin, [...prefix, ...importArgs(file, lookup)], { env: envOf(sandbox.url), timeoutMs: 80_000 })
        expect(result.code).toBe(0)
        cost.set(lookup, baselineOf(sandbox, requests))
      } finally {
        await sandbox.stop()
      }
    }
  })

  // Up to 0.8: a fifth of the rows are still to send at the last kill point. Even points walk the
  // account; odd ones search (beside the list of recent changes).
  it.each(killPoints(11, killCount, 0.3, 0.8).map((share, index) => [index, share, index % 2 === 0 ? "walk" : "search"] as const))(
    "kill point %i (%s of a run's requests, --lookup %s): one person per row holding the row's name, every row done in the journal",
    async (index, share, lookup) => {
      const sandbox = await startLoggedSandbox(sandboxArgs(`crash-import-${index}`))
      try {
        const tag = `k${index}`
        const file = join(directory, `${tag}.csv`)
        writeFileSync(file, rowsCsv(tag))
        await plant(sandbox.url, tag)
        const killed = await killAtShare(sandbox, importArgs(file, lookup), envOf(sandbox.url), share, cost.get(lookup)!)
        const before = (await allPersons(sandbox.url)).length
        record({ suite: "crash-import", point: index, lookup, ...killed, personsAtKill: before, rows: ROWS })
        expect(killed, "the import ended before its kill point").toMatchObject({ killed: true })
        expect(before).toBeLessThan(ROWS)
        const rerun = await run(bin, [...prefix, ...importArgs(file, lookup)], { env: envOf(sandbox.url), timeoutMs: 80_000 })
        expect(rerun.stderr).not.toContain("pipedrive-effect:")
        expect(rerun.code).toBe(0)
        const persons = await allPersons(sandbox.url)
        expect(persons.map(primaryEmail).sort()).toEqual(Array.from({ length: ROWS }, (_, i) => `${tag}-${i}@import.example`).sort())
        const names = new Map(persons.map((person) => [primaryEmail(person), person.name]))
        expect(Array.from({ length: ROWS }, (_, i) => i).filter((i) => names.get(`${tag}-${i}@import.example`) !== `Row ${i}`)).toEqual([])
        const [, ...entries] = ndjson<{ item: string; status: string; id?: number }>(readFileSync(`${file}.journal`, "utf8"))
        const last = new Map(entries.map((entry) => [entry.item, entry]))
        const ids = new Map(persons.map((person) => [primaryEmail(person), person.id]))
        const wrong = Array.from({ length: ROWS }, (_, i) => i).filter((i) => {
          const entry = last.get(String(i + 2))
          return entry?.status !== "done" || entry.id !== ids.get(`${tag}-${i}@import.example`)
        })
        expect(wrong).toEqual([])
      } finally {
        await sandbox.stop()
      }
    }
  )
})

/** The ids an uninterrupted `dedupe --by email --apply` leaves: all but the duplicates (each group keeps its oldest). */
const survivors = (persons: ReadonlyArray<ApiPerson>): ReadonlyArray<number> => {
  const groups = new Map<string, Array<ApiPerson>>()
  for (const person of persons) {
    const key = primaryEmail(person)
    if (key !== "") groups.set(key, [...(groups.get(key) ?? []), person])
  }
  const merged = new Set(
    [...groups.values()].flatMap((group) =>
      [...group].sort((a, b) => Date.parse(a.add_time) - Date.parse(b.add_time) || a.id - b.id).slice(1).map((person) => person.id)
    )
  )
  return persons.map((person) => person.id).filter((id) => !merged.has(id))
}

describe("persons dedupe --apply killed with SIGKILL and run again", () => {
  const PERSONS = "3000"
  let cost: Baseline
  beforeAll(async () => {
    cost = await baseline(["--persons", PERSONS, "--seed", "crash-dedupe"], () => [
      "persons", "dedupe", "--apply", "--journal", join(directory, "baseline-dedupe.journal")
    ])
  })

  // From the lookups to 0.8: a fifth of the merges are still to make at the last kill point.
  it.each(killPoints(12, Math.max(killCount, 4), 0, 0.8).map((share, index) => [index, share] as const))(
    "kill point %i: the persons left are those an uninterrupted run leaves",
    async (index, share) => {
      const sandbox = await startLoggedSandbox(["--persons", PERSONS, "--seed", "crash-dedupe"])
      try {
        const expected = survivors(await allPersons(sandbox.url))
        const journal = join(directory, `dedupe-${index}.journal`)
        const args = ["persons", "dedupe", "--apply", "--journal", journal]
        const killed = await killAtShare(sandbox, args, envOf(sandbox.url), share, cost)
        const left = (await allPersons(sandbox.url)).length
        record({ suite: "crash-dedupe", point: index, ...killed, personsAtKill: left, expected: expected.length })
        expect(killed, "the dedupe ended before its kill point").toMatchObject({ killed: true })
        expect(left).toBeGreaterThan(expected.length)
        const rerun = await run(bin, [...prefix, ...args], { env: envOf(sandbox.url), timeoutMs: 80_000 })
        expect(rerun.stderr).not.toContain("pipedrive-effect:")
        expect(rerun.code).toBe(0)
        expect((await allPersons(sandbox.url)).map((person) => person.id)).toEqual(expected)
      } finally {
        await sandbox.stop()
      }
    }
  )
})
