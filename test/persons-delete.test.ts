/**
 * `pipedrive-effect persons delete` as a user runs it, under Node (built) and Deno (sources),
 * against the sandbox bin: the backup holds exactly the server's records from before the deletion,
 * the persons are gone, and `persons import BACKUP` restores their fields (as new persons); without
 * a terminal and without `--yes` nothing is deleted.
 */
import { afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { cli } from "./support/cliRuns.ts"
import { run, type RunningSandbox, startSandbox } from "./support/processes.ts"

interface ApiPerson {
  readonly id: number
  readonly [key: string]: unknown
}

const get = async (url: string, path: string) => {
  const response = await fetch(`${url}${path}`, { headers: { "x-api-token": "sandbox-token" } })
  return (await response.json()) as { data: Array<ApiPerson> | null }
}

/** The persons with these ids, straight from the sandbox's API (100 ids a request). */
const byIds = async (url: string, ids: ReadonlyArray<number>): Promise<ReadonlyArray<ApiPerson>> => {
  const persons: Array<ApiPerson> = []
  for (let i = 0; i < ids.length; i += 100) {
    persons.push(...(await get(url, `/api/v2/persons?limit=500&ids=${ids.slice(i, i + 100).join(",")}`)).data ?? [])
  }
  return persons
}

/** What a restore gives back: everything but the id and the times Pipedrive sets. */
const fields = ({ id: _id, update_time: _updated, ...rest }: ApiPerson) => rest

describe.each(Object.entries(cli))("under %s", (runtime, [bin, prefix]) => {
  let sandbox: RunningSandbox
  let directory: string
  beforeEach(async () => {
    sandbox = await startSandbox(["--persons", "1000", "--seed", `delete-e2e-${runtime}`])
    directory = mkdtempSync(join(tmpdir(), "persons-delete-e2e-"))
  })
  afterEach(async () => {
    await sandbox.stop()
    rmSync(directory, { recursive: true, force: true })
  })
  const env = () => ({ PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: "sandbox-token" })
  const persons = (...args: ReadonlyArray<string>) => run(bin, [...prefix, "persons", ...args], { env: env() })

  it("writes a backup of the server's records, deletes, and an import of the backup restores the fields", async () => {
    // Persons whose primary email no other person shares: `persons import` matches by email, and
    // would update a living duplicate (the seed plants some) instead of creating the person again.
    const everyone = await byIds(sandbox.url, Array.from({ length: 1000 }, (_, i) => i + 1))
    const primary = (person: ApiPerson) =>
      String((person["emails"] as ReadonlyArray<{ readonly value: string }>)[0]?.value ?? "").toLowerCase()
    const counts = new Map<string, number>()
    for (const person of everyone) counts.set(primary(person), (counts.get(primary(person)) ?? 0) + 1)
    const ids = everyone.filter((person, i) => i % 3 === 1 && counts.get(primary(person)) === 1).slice(0, 250).map((p) => p.id)
    expect(ids).toHaveLength(250)
    const idsFile = join(directory, "ids.txt")
    writeFileSync(idsFile, `${ids.join("\n")}\n`)
    const before = await byIds(sandbox.url, ids)
    expect(before.map((person) => person.id)).toEqual(ids)

    const backup = join(directory, "backup.ndjson")
    const deleted = await persons("delete", "--ids", idsFile, "--backup", backup, "--yes")
    expect(deleted.code).toBe(0)
    expect(deleted.stdout).toMatch(/^deleted +250 of 250 persons$/m)
    const lines = readFileSync(backup, "utf8").trim().split("\n")
    expect(lines.map((line) => JSON.parse(line))).toEqual(before)
    expect(await byIds(sandbox.url, ids)).toEqual([])

    const imported = await persons("import", backup, "--journal", join(directory, "restore.journal"))
    expect(imported.code).toBe(0)
    expect(imported.stdout).toMatch(/created\s+250\n/)
    const restored = (await get(sandbox.url, "/api/v2/persons?limit=500&sort_by=id&sort_direction=desc")).data!
      .filter((person) => person.id > 1000)
      // Created concurrently, so in any order: put them in the original order (add_time is restored).
      .sort((a, b) => String(a["add_time"]).localeCompare(String(b["add_time"])))
    expect(restored.map(fields)).toEqual(before.map(fields))
  })

  it("without a terminal and without --yes: refuses in one line, deletes nothing, writes no backup", async () => {
    writeFileSync(join(directory, "ids.txt"), "1\n2\n3\n")
    const result = await persons("delete", "--ids", join(directory, "ids.txt"), "--backup", join(directory, "b.ndjson"))
    expect(result.code).not.toBe(0)
    expect(result.stderr.trim()).toBe(
      "pipedrive-effect: not on a terminal, so nobody can confirm: add --yes to delete without asking (nothing was deleted)"
    )
    expect(readdirSync(directory)).toEqual(["ids.txt"])
    expect(await byIds(sandbox.url, [1, 2, 3])).toHaveLength(3)
  })
})
