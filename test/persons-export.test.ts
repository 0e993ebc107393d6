/**
 * `pipedrive-effect persons export` as a user runs it, under Node (built) and Deno (sources),
 * against the sandbox bin: the file holds exactly the sandbox's 10,000 persons (NDJSON: the API's
 * objects; CSV: rows that read back as them), an export killed midway and resumed gives the same
 * file, `--since` picks exactly the changed persons, and bad input fails in one line with nothing
 * written.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { CustomFields, type PersonFields } from "@pipedrive-effect/core"
import { Csv, PersonRecord } from "@pipedrive-effect/scripts"
import { parse } from "csv-parse/sync"
import { Either } from "effect"
import { spawn } from "node:child_process"
import { once } from "node:events"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { allPersons, type ApiPerson, cli } from "./support/cliRuns.ts"
import { root, run, type RunningSandbox, startSandbox } from "./support/processes.ts"

const fetchCatalog = async (url: string) => {
  const response = await fetch(`${url}/api/v2/personFields?limit=500`, { headers: { "x-api-token": "sandbox-token" } })
  const body = (await response.json()) as { data: ReadonlyArray<PersonFields.PersonField> }
  return CustomFields.catalog(body.data)
}

const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter((line) => line !== "")

let sandbox: RunningSandbox
let reference: ReadonlyArray<ApiPerson>
let catalog: CustomFields.Catalog
const directory = mkdtempSync(join(tmpdir(), "persons-export-e2e-"))

beforeAll(async () => {
  sandbox = await startSandbox(["--persons", "10000", "--seed", "export-e2e"])
  reference = await allPersons(sandbox.url)
  catalog = await fetchCatalog(sandbox.url)
})
afterAll(async () => {
  await sandbox.stop()
  rmSync(directory, { recursive: true, force: true })
})

const env = () => ({ PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: "sandbox-token" })

describe.each(Object.entries(cli))("under %s", (runtime, [bin, prefix]) => {
  const exportArgs = (...args: ReadonlyArray<string>) => [...prefix, "persons", "export", ...args]
  const file = (name: string) => join(directory, `${runtime}-${name}`)

  it("exports all 10,000 persons to NDJSON: exactly the API's objects, in id order", async () => {
    const out = file("all.ndjson")
    const result = await run(bin, exportArgs("--out", out), { env: env() })
    // Progress lines only (one every 5 s without a terminal), never an error.
    expect(result.stderr.split("\n").filter((line) => line !== "" && !line.startsWith("export: "))).toEqual([])
    expect(result.code).toBe(0)
    expect(result.stdout).toContain(`exported      10000 persons to ${out} (ndjson)`)
    expect(lines(out).map((line) => JSON.parse(line))).toEqual(reference)
  })

  it("exports all 10,000 persons to CSV: rows that read back as the persons", async () => {
    const out = file("all.csv")
    const result = await run(bin, exportArgs("--out", out), { env: env() })
    expect(result.code).toBe(0)
    // Read as the importer reads (`Csv.read`): formula-looking cells carry a guard apostrophe.
    const [header, ...rows] = (parse(readFileSync(out, "utf8")) as Array<Array<string>>).map((row) => row.map(Csv.restore))
    expect(header).toEqual(PersonRecord.csvColumns(catalog))
    const columns = Either.getOrThrow(PersonRecord.readHeader(catalog, header!))
    expect(rows.map((cells, index) => Either.getOrThrow(PersonRecord.fromCsvCells(columns, cells, index + 2)))).toEqual(
      reference.map((person) => PersonRecord.canonical(catalog, person as never))
    )
    expect(rows.map((cells) => Number(cells[0]))).toEqual(reference.map((person) => person.id))
  })

  it("an export killed midway (SIGKILL) and resumed from its state yields the same file", async () => {
    const out = file("resumed.csv")
    const state = file("resumed.state.json")
    const [command, args] = [bin, exportArgs("--out", out, "--state", state, "--page-size", "200")]
    const child = spawn(command, args, { cwd: root, env: { ...process.env, ...env() }, stdio: "ignore" })
    let pages = 0
    while (pages < 3 && child.exitCode === null) {
      await new Promise((resolve) => setTimeout(resolve, 5))
      try {
        pages = (JSON.parse(readFileSync(state, "utf8")) as { pages: number }).pages
      } catch {
        // not written yet, or being renamed into place
      }
    }
    child.kill("SIGKILL")
    await once(child, "close")
    expect(existsSync(out)).toBe(false)
    const saved = JSON.parse(readFileSync(state, "utf8")) as { pages: number; persons: number; account: string }
    expect(saved.account).toBe(sandbox.url)
    expect(saved.pages).toBeGreaterThanOrEqual(3)
    expect(saved.persons).toBeLessThan(10000)

    // The same state, as if left by an export from another account: refused, nothing touched.
    const foreign = file("foreign.state.json")
    writeFileSync(foreign, readFileSync(state, "utf8").replace(sandbox.url, "https://other-company.pipedrive.com"))
    const refused = await run(bin, exportArgs("--out", out, "--state", foreign), { env: env() })
    expect(refused.code).not.toBe(0)
    expect(refused.stderr.trim()).toBe(
      `pipedrive-effect: state file ${foreign}: belongs to an export from https://other-company.pipedrive.com, not ${sandbox.url}; use another --state file or delete this one`
    )
    expect(existsSync(out)).toBe(false)
    expect(JSON.parse(readFileSync(state, "utf8"))).toEqual(saved)

    const resumed = await run(bin, args, { env: env() })
    expect(resumed.code).toBe(0)
    expect(resumed.stdout).toContain("(resumed from the state file)")
    expect(readFileSync(out, "utf8")).toBe(readFileSync(join(directory, `${runtime}-all.csv`), "utf8"))
    expect(existsSync(state)).toBe(false)
  })

  it("refuses a missing directory and a bad --since in one line, writing nothing", async () => {
    const before = readdirSync(directory).sort()
    const missing = await run(bin, exportArgs("--out", join(directory, "nope", "p.ndjson")), { env: env() })
    expect(missing.code).not.toBe(0)
    expect(missing.stderr.trim()).toBe(`pipedrive-effect: ${join(directory, "nope", "p.ndjson")}: the directory ${join(directory, "nope")} does not exist`)
    const since = await run(bin, exportArgs("--out", file("x.ndjson"), "--since", "2025-02-30T00:00:00Z"), { env: env() })
    expect(since.code).not.toBe(0)
    expect(since.stderr.trim()).toBe(`pipedrive-effect: --since: "2025-02-30T00:00:00Z" is not an RFC 3339 time such as 2025-03-01T12:00:00Z`)
    const ahead = await run(bin, exportArgs("--out", file("x.ndjson"), "--since", "2099-01-01T00:00:00Z"), { env: env() })
    expect(ahead.code).not.toBe(0)
    expect(ahead.stderr.trim()).toBe("pipedrive-effect: --since: 2099-01-01T00:00:00Z is in the future; nobody was updated then yet")
    expect(readdirSync(directory).sort()).toEqual(before)

  })
})

describe.each(Object.entries(cli))("--since under %s", (runtime, [bin, prefix]) => {
  it("picks exactly the persons changed at or after --since", async () => {
    const small = await startSandbox(["--persons", "2000", "--seed", `since-${runtime}`])
    try {
      const since = new Date(Math.floor(Date.now() / 1000) * 1000).toISOString()
      const changed = [1999, 5, 1200, 77]
      for (const id of changed) {
        const response = await fetch(`${small.url}/api/v2/persons/${id}`, {
          method: "PATCH",
          headers: { "x-api-token": "sandbox-token", "content-type": "application/json" },
          body: JSON.stringify({ name: `Changed ${id}` })
        })
        expect(response.status).toBe(200)
      }
      const out = join(directory, `${runtime}-since.ndjson`)
      const result = await run(bin, [...prefix, "persons", "export", "--out", out, "--since", since], {
        env: { PIPEDRIVE_BASE_URL: small.url, PIPEDRIVE_API_TOKEN: "sandbox-token" }
      })
      expect(result.code).toBe(0)
      const exported = lines(out).map((line) => JSON.parse(line) as ApiPerson)
      expect(exported.map((person) => person.id).sort((a, b) => a - b)).toEqual([...changed].sort((a, b) => a - b))
      expect(exported.every((person) => person["name"] === `Changed ${person.id}`)).toBe(true)
    } finally {
      await small.stop()
    }
  })
})
