/**
 * `pipedrive-effect persons dedupe` under Node (built) and Deno (sources) against the sandbox bin,
 * whose seeded persons include duplicates (same primary email, sometimes capitalised differently),
 * plus a few planted over HTTP: the groups printed are exactly those, `--apply` merges exactly the
 * duplicates into the oldest of each group, and a rerun finds nothing left.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { allPersons, type ApiPerson, cli, scratchDirectory } from "./support/cliRuns.ts"
import { run, type RunningSandbox, startSandbox } from "./support/processes.ts"

const directory = scratchDirectory("dedupe")
afterAll(() => rmSync(directory, { recursive: true, force: true }))

const headers = { "x-api-token": "sandbox-token", "content-type": "application/json" }

const key = (person: ApiPerson) => (person.emails.find((email) => email.primary)?.value ?? "").trim().toLowerCase()

/** The duplicates the test expects: per primary email, all but the oldest (add_time, then id). */
const expectedDuplicates = (persons: ReadonlyArray<ApiPerson>) => {
  const groups = new Map<string, Array<ApiPerson>>()
  for (const person of persons) {
    if (key(person) === "") continue
    groups.set(key(person), [...(groups.get(key(person)) ?? []), person])
  }
  const duplicates = [...groups.values()].filter((group) => group.length > 1).map((group) =>
    [...group].sort((a, b) => Date.parse(a.add_time) - Date.parse(b.add_time) || a.id - b.id).slice(1).map((p) => p.id)
  )
  return { groups: duplicates.length, ids: duplicates.flat().sort((a, b) => a - b) }
}

describe.each(Object.entries(cli))("persons dedupe under %s", (runtime, [bin, prefix]) => {
  let sandbox: RunningSandbox
  beforeEach(async () => {
    sandbox = await startSandbox(["--persons", "3000", "--seed", `dedupe-${runtime}`])
  })
  afterEach(() => sandbox.stop())
  const dedupe = (args: ReadonlyArray<string>) =>
    run(bin, [...prefix, "persons", "dedupe", ...args], {
      env: { PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: "sandbox-token" },
      timeoutMs: 50_000
    })

  it("prints exactly the planted groups, merges exactly their duplicates into the oldest, and finds none on a rerun", async () => {
    // Plant three more: later copies of seeded persons' primary emails, in other case and with spaces.
    const seeded = await allPersons(sandbox.url)
    for (const original of [seeded[10]!, seeded[500]!, seeded[2000]!]) {
      const email = original.emails.find((e) => e.primary)!.value
      const response = await fetch(`${sandbox.url}/api/v2/persons`, {
        method: "POST",
        headers,
        body: JSON.stringify({ name: `${original.name} (copy)`, emails: [{ value: ` ${email.toUpperCase()} `, primary: true }] })
      })
      expect(response.status).toBe(200)
    }
    const before = await allPersons(sandbox.url)
    const expected = expectedDuplicates(before)
    // The seed plants about one duplicate in a hundred; with ours there are a few dozen.
    expect(expected.ids.length).toBeGreaterThan(10)

    const dry = await dedupe(["--by", "email"])
    expect(dry.code).toBe(0)
    expect(dry.stdout).toMatch(new RegExp(`^groups\\s+${expected.groups} \\(by email\\), ${expected.ids.length} duplicates$`, "m"))
    expect(dry.stdout.split("\n").filter((line) => line.includes(": keep #")).length).toBe(expected.groups)
    expect((await allPersons(sandbox.url)).length).toBe(before.length)

    const report = join(directory, `${runtime}-report.ndjson`)
    const journal = join(directory, `${runtime}-dedupe.journal`)
    const applied = await dedupe(["--by", "email", "--apply", "--report", report, "--journal", journal])
    expect(applied.stderr).not.toContain("pipedrive-effect:")
    expect(applied.code).toBe(0)
    expect(applied.stdout).toMatch(new RegExp(`^merged\\s+${expected.ids.length}$`, "m"))
    const after = await allPersons(sandbox.url)
    const gone = before.map((p) => p.id).filter((id) => !after.some((p) => p.id === id)).sort((a, b) => a - b)
    expect(gone).toEqual(expected.ids)
    expect(after.length).toBe(before.length - expected.ids.length)
    expect(new Set(after.map(key)).size).toBe(after.length)
    const lines = readFileSync(report, "utf8").trim().split("\n").map((line) => JSON.parse(line))
    expect(lines.length).toBe(expected.groups)
    expect(lines.every((line) => line.duplicates.every((d: { status: string }) => d.status === "merged"))).toBe(true)

    const rerun = await dedupe(["--by", "email", "--apply", "--journal", journal])
    expect(rerun.code).toBe(0)
    expect(rerun.stdout).toMatch(/^groups\s+0 \(by email\), 0 duplicates$/m)
  })
})
