/**
 * Crash and resume, delete (issue 8, item 2): `persons delete --ids FILE --backup FILE --yes` under
 * Node, killed with SIGKILL at seeded random points of its progress (after a share of the requests an
 * uninterrupted run makes, see `killAtShare`: always before it ends; its 10 lookups come first, then
 * the backup, then its 10 deletions, so they land in all three), then run again with the same flags: the
 * persons left are exactly those an uninterrupted run leaves, and the backup holds every deleted
 * person's full record (as the API sent it before the deletion), whichever run wrote it. A backup of
 * other persons is still never overwritten.
 *
 * `npm test`: 3 kill points; `FAULTS_FULL=1`: 20.
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
  record,
  scratch,
  startLoggedSandbox
} from "./support/faults.ts"

const directory = scratch("crash-delete")
afterAll(() => rmSync(directory, { recursive: true, force: true }))
const [bin, prefix] = nodeCli
const envOf = (url: string) => ({ PIPEDRIVE_BASE_URL: url, PIPEDRIVE_API_TOKEN: "sandbox-token" })

const PERSONS = 2_000
// Every other person: 1,000 ids, 10 bulk deletes of 100.
const doomed = Array.from({ length: PERSONS / 2 }, (_, i) => 2 * i + 1)
const idsFile = join(directory, "ids.txt")
writeFileSync(idsFile, `${doomed.join("\n")}\n`)
const deleting = (backup: string) => ["persons", "delete", "--ids", idsFile, "--backup", backup, "--yes"]

let cost: Baseline
beforeAll(async () => {
  const sandbox = await startLoggedSandbox(["--persons", String(PERSONS), "--seed", "crash-delete"])
  try {
    const result = await run(bin, [...prefix, ...deleting(join(directory, "baseline.ndjson"))], { env: envOf(sandbox.url), timeoutMs: 60_000 })
    expect(result.code).toBe(0)
    cost = baselineOf(sandbox)
  } finally {
    await sandbox.stop()
  }
})

describe("persons delete killed with SIGKILL and run again", () => {
  // Even points among the lookups (the first half of the requests), odd ones from the backup on
  // (after the last lookup) to 0.8, where 2 of the 10 deletions are still to make.
  const shares = killPoints(13, Math.max(killCount, 4), 0, 1).map((share, index) => index % 2 === 0 ? share * 0.5 : 0.5 + share * 0.3)
  it.each(shares.map((share, index) => [index, share] as const))(
    "kill point %i: the persons left and the backup are those of an uninterrupted run",
    async (index, share) => {
      const sandbox = await startLoggedSandbox(["--persons", String(PERSONS), "--seed", "crash-delete"])
      try {
        const before = await allPersons(sandbox.url)
        const backup = join(directory, `backup-${index}.ndjson`)
        const killed = await killAtShare(sandbox, deleting(backup), envOf(sandbox.url), share, cost)
        const atKill = (await allPersons(sandbox.url)).length
        record({ suite: "crash-delete", point: index, ...killed, personsAtKill: atKill, persons: PERSONS })
        expect(killed, "the deletion ended before its kill point").toMatchObject({ killed: true })
        expect(atKill).toBeGreaterThan(PERSONS - doomed.length)
        const rerun = await run(bin, [...prefix, ...deleting(backup)], { env: envOf(sandbox.url), timeoutMs: 60_000 })
        expect(rerun.stderr).not.toContain("pipedrive-effect:")
        expect(rerun.code).toBe(0)
        expect(rerun.stdout).toMatch(new RegExp(`^deleted\\s+${doomed.length} of ${doomed.length} persons`, "m"))
        const doomedSet = new Set(doomed)
        expect((await allPersons(sandbox.url)).map((person) => person.id)).toEqual(
          before.map((person) => person.id).filter((id) => !doomedSet.has(id))
        )
        expect(ndjson<ApiPerson>(readFileSync(backup, "utf8"))).toEqual(before.filter((person) => doomedSet.has(person.id)))
      } finally {
        await sandbox.stop()
      }
    }
  )

  it("refuses an existing backup of other persons, deleting nothing", async () => {
    const sandbox = await startLoggedSandbox(["--persons", "50", "--seed", "crash-delete-other"])
    try {
      const backup = join(directory, "other.ndjson")
      writeFileSync(backup, `${JSON.stringify({ id: 1, name: "Someone else" })}\n`)
      const ids = join(directory, "few.txt")
      writeFileSync(ids, "2\n3\n")
      const result = await run(bin, [...prefix, "persons", "delete", "--ids", ids, "--backup", backup, "--yes"], {
        env: envOf(sandbox.url),
        timeoutMs: 60_000
      })
      expect(result.code).not.toBe(0)
      expect(result.stderr.trim()).toBe(
        `pipedrive-effect: ${backup}: already exists and is the backup of other persons; choose another backup file (nothing was deleted)`
      )
      expect((await allPersons(sandbox.url)).length).toBe(50)
      expect(readFileSync(backup, "utf8")).toBe(`${JSON.stringify({ id: 1, name: "Someone else" })}\n`)
    } finally {
      await sandbox.stop()
    }
  })
})
