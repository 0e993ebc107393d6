/**
 * `persons import` killed with SIGKILL and run again with its journal under real conditions (issue
 * 15): search 60 s behind the data, 5% of answers lost after the request was applied (writes
 * included), 20 requests per 2 s. Half the rows update persons the account already has, half
 * create new ones; the rerun comes within search's lag of the killed run, so the persons the killed
 * run created or changed are missing from search, or found with their old values. After the rerun
 * every row's person is there exactly once, holds the row's name, and the journal's last word on
 * every row is `done` with that person's id.
 *
 * Kill points are by progress (a share of the requests an uninterrupted walk makes, see
 * `killAtShare`); even points walk the account, odd ones search. `npm test`: 120 rows, two kill
 * points (one of each); `FAULTS_FULL=1`: 2,000 rows (1,000 updates + 1,000 creates), four (two of each).
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
  full,
  killAtShare,
  killPoints,
  ndjson,
  nodeCli,
  primaryEmail,
  record,
  scratch,
  startLoggedSandbox
} from "./support/faults.ts"

const directory = scratch("crash-import-lag")
afterAll(() => rmSync(directory, { recursive: true, force: true }))
const [bin, prefix] = nodeCli
const envOf = (url: string) => ({ PIPEDRIVE_BASE_URL: url, PIPEDRIVE_API_TOKEN: "sandbox-token" })

const UPDATES = full ? 1000 : 60
const CREATES = UPDATES
const ROWS = UPDATES + CREATES
/** Enough seeded persons that `UPDATES` of them have a primary email no other person has. */
const PERSONS = String(Math.round(UPDATES * 1.5))
/** One uninterrupted run, at 10 requests a second and ~3 a row with search, takes minutes at 2,000 rows. */
const runTimeout = full ? 1_500_000 : 120_000

const sandboxArgs = (seed: string) => [
  "--persons", PERSONS, "--seed", seed, "--search-lag-ms", "60000", "--drop-after-rate", "0.05", "--rate-limit", "20"
]
const importArgs = (file: string, lookup: string) => ["persons", "import", file, "--lookup", lookup, "--settle-ms", "200"]

/** The rows: `UPDATES` renaming persons that have a unique primary email, then `CREATES` new ones. */
const rowsFor = (persons: ReadonlyArray<ApiPerson>, tag: string) => {
  const counts = new Map<string, number>()
  for (const person of persons) counts.set(primaryEmail(person), (counts.get(primaryEmail(person)) ?? 0) + 1)
  const unique = persons.map(primaryEmail).filter((email) => email !== "" && counts.get(email) === 1).slice(0, UPDATES)
  expect(unique).toHaveLength(UPDATES)
  return [
    ...unique.map((email, i) => ({ name: `${tag} Updated ${i}`, email })),
    ...Array.from({ length: CREATES }, (_, i) => ({ name: `${tag} New ${i}`, email: `${tag}-new-${i}@lag.example` }))
  ]
}

const writeRows = (file: string, rows: ReadonlyArray<{ readonly name: string; readonly email: string }>) =>
  writeFileSync(file, ["name,emails", ...rows.map((row) => `${row.name},${row.email}`)].join("\n") + "\n")

/** The rows whose email is not held by exactly one person with the row's name. */
const wrongRows = (persons: ReadonlyArray<ApiPerson>, rows: ReadonlyArray<{ readonly name: string; readonly email: string }>) => {
  const held = new Map<string, Array<ApiPerson>>()
  for (const person of persons) held.set(primaryEmail(person), [...(held.get(primaryEmail(person)) ?? []), person])
  return rows.filter((row) => {
    const persons = held.get(row.email) ?? []
    return persons.length !== 1 || persons[0]!.name !== row.name
  })
}

describe("persons import killed with SIGKILL and run again (search 60 s behind, 5% of answers lost after applying, 20 requests / 2 s)", () => {
  let cost: Baseline
  beforeAll(async () => {
    const sandbox = await startLoggedSandbox(sandboxArgs("crash-lag-baseline"))
    try {
      const file = join(directory, "baseline.csv")
      const rows = rowsFor(await allPersons(sandbox.url), "baseline")
      writeRows(file, rows)
      const requests = sandbox.requests().length
      const result = await run(bin, [...prefix, ...importArgs(file, "walk")], { env: envOf(sandbox.url), timeoutMs: runTimeout })
      expect(result.code).toBe(0)
      cost = baselineOf(sandbox, requests)
      expect(wrongRows(await allPersons(sandbox.url), rows)).toEqual([])
    } finally {
      await sandbox.stop()
    }
  }, runTimeout + 60_000)

  it.each(killPoints(15, full ? 4 : 2, 0.3, 0.8).map((share, index) => [index, share, index % 2 === 0 ? "walk" : "search"] as const))(
    "kill point %i (%s of a walk's requests, --lookup %s): each row's person exactly once, up to date, every row done in the journal",
    async (index, share, lookup) => {
      const sandbox = await startLoggedSandbox(sandboxArgs(`crash-lag-${index}`))
      try {
        const tag = `k${index}`
        const file = join(directory, `${tag}.csv`)
        const rows = rowsFor(await allPersons(sandbox.url), tag)
        writeRows(file, rows)
        const killed = await killAtShare(sandbox, importArgs(file, lookup), envOf(sandbox.url), share, cost)
        const doneAtKill = ROWS - wrongRows(await allPersons(sandbox.url), rows).length
        record({ suite: "crash-import-lag", point: index, lookup, ...killed, rowsDoneAtKill: doneAtKill, rows: ROWS })
        expect(killed, "the import ended before its kill point").toMatchObject({ killed: true })
        expect(doneAtKill).toBeLessThan(ROWS)
        const rerun = await run(bin, [...prefix, ...importArgs(file, lookup)], { env: envOf(sandbox.url), timeoutMs: runTimeout })
        expect(rerun.stderr).not.toContain("pipedrive-effect:")
        expect(rerun.code).toBe(0)
        const persons = await allPersons(sandbox.url)
        expect(wrongRows(persons, rows)).toEqual([])
        const [, ...entries] = ndjson<{ item: string; status: string; id?: number }>(readFileSync(`${file}.journal`, "utf8"))
        const last = new Map(entries.map((entry) => [entry.item, entry]))
        const ids = new Map(persons.map((person) => [primaryEmail(person), person.id]))
        expect(rows.filter((row, i) => {
          const entry = last.get(String(i + 2))
          return entry?.status !== "done" || entry.id !== ids.get(row.email)
        })).toEqual([])
      } finally {
        await sandbox.stop()
      }
    },
    2 * runTimeout + 60_000
  )
})
