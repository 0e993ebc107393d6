/**
 * Fault matrix, export side (issue 8, item 1): `persons export` under Node against a sandbox bin
 * that answers 5% of requests 503, drops 2% of connections after or before processing, answers 2%
 * later than the client's timeout, cuts 2% of bodies in half, each alone and all at once, with
 * fixed seeds. Each export must equal, byte for byte, the export of a fault-free sandbox with the
 * same seed (the same persons): no person missing, none twice; and the sandbox never answered 403.
 *
 * `npm test` runs one seed per scenario (the first seed that injects the scenario's faults within
 * the first requests); `FAULTS_FULL=1` runs three per scenario, every format, at 20 persons a page.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { CustomFields, type PersonFields } from "@pipedrive-effect/core"
import { Csv, PersonRecord } from "@pipedrive-effect/scripts"
import { parse } from "csv-parse/sync"
import { Either } from "effect"
import { readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { run } from "./support/processes.ts"
import {
  allPersons,
  type ApiPerson,
  clientTimeout,
  draws,
  faultArgs,
  forbidden,
  full,
  getJson,
  kindsOf,
  ndjson,
  nodeCli,
  record,
  scenarios,
  scratch,
  seedsWith,
  startLoggedSandbox,
  tally
} from "./support/faults.ts"

const PERSONS = 2_000
// 40 a page (20 in the full run): 50 (100) pages, so a 2% fault rate meets a fault or a few per export.
const PAGE = full ? 20 : 40
const directory = scratch("faults-export")
afterAll(() => rmSync(directory, { recursive: true, force: true }))

const [bin, prefix] = nodeCli
const exporting = (url: string, args: ReadonlyArray<string>) =>
  run(bin, [...prefix, "persons", "export", "--page-size", String(PAGE), ...args], {
    env: { PIPEDRIVE_BASE_URL: url, PIPEDRIVE_API_TOKEN: "sandbox-token", PIPEDRIVE_TIMEOUT: clientTimeout },
    timeoutMs: 80_000
  })

type Variant = "ndjson" | "csv with state" | "v1 ndjson"

/** NDJSON always; CSV with a state file too when all faults are on; every variant in the full run. */
const variants = (all: boolean): ReadonlyArray<Variant> =>
  full ? ["ndjson", "csv with state", "v1 ndjson"] : all ? ["ndjson", "csv with state"] : ["ndjson"]

const argsOf = (variant: Variant, base: string): ReadonlyArray<string> => {
  switch (variant) {
    case "ndjson":
      return ["--out", `${base}.ndjson`]
    case "csv with state":
      return ["--out", `${base}.csv`, "--state", `${base}.state.json`]
    case "v1 ndjson":
      return ["--out", `${base}.ndjson`, "--api", "v1"]
  }
}

/** What the file must hold: the persons as the API sends them (NDJSON), or rows that read back as them (CSV). */
const check = async (variant: Variant, base: string, url: string, reference: ReadonlyArray<ApiPerson>) => {
  if (variant === "csv with state") {
    const fields: { data: ReadonlyArray<PersonFields.PersonField> } = await getJson(`${url}/api/v2/personFields?limit=500`)
    const catalog = CustomFields.catalog(fields.data)
    // The cells as the project's reader sees them (a formula-looking cell is written with an apostrophe).
    const [header, ...rows] = (parse(readFileSync(`${base}.csv`, "utf8")) as Array<Array<string>>).map((cells) => cells.map(Csv.restore))
    expect(header).toEqual(PersonRecord.csvColumns(catalog))
    const columns = Either.getOrThrow(PersonRecord.readHeader(catalog, header!))
    expect(rows.map((cells, index) => Either.getOrThrow(PersonRecord.fromCsvCells(columns, cells, index + 2)))).toEqual(
      reference.map((person) => PersonRecord.canonical(catalog, person as never))
    )
    return
  }
  const persons = ndjson<ApiPerson>(readFileSync(`${base}.ndjson`, "utf8"))
  const ids = persons.map((person) => person.id)
  expect(new Set(ids).size).toBe(ids.length)
  expect([...ids].sort((a, b) => a - b)).toEqual(reference.map((person) => person.id))
  // v1 persons are converted to the v2 shape; the ids are what must match there.
  if (variant === "ndjson") expect(persons).toEqual(reference)
}

describe.concurrent.each(scenarios)("persons export under %s", (scenario, faults) => {
  const all = scenario === "all at once"
  const seeds = seedsWith(`export-${scenario.replace(/\W+/g, "-")}`, faults, kindsOf(faults), PERSONS / PAGE, full ? 3 : 1)

  it.each(seeds)("seed %s: the file holds every person exactly once, as the API sends them", async (seed) => {
    const sandbox = await startLoggedSandbox(["--persons", String(PERSONS), "--seed", seed, ...faultArgs(faults)])
    try {
      for (const variant of variants(all)) {
        const base = join(directory, `${seed}-${variant.replace(/\W+/g, "-")}`)
        const before = draws(sandbox)
        const answeredBefore = sandbox.requests().length
        const result = await exporting(sandbox.url, argsOf(variant, base))
        // The CLI's answers only (the test's own reads come after): not one 403.
        expect(forbidden(sandbox, answeredBefore, sandbox.requests().length)).toEqual([])
        const requests = draws(sandbox) - before
        const injected = tally(faults, seed, before, before + requests)
        record({ suite: "faults-export", scenario, seed, variant, exit: result.code, requests, injected })
        expect(result.stderr).not.toContain("pipedrive-effect:")
        expect(result.code).toBe(0)
        // The scenario's faults did happen during this export (the seed was chosen so).
        if (variant === "ndjson") for (const kind of kindsOf(faults)) expect(injected[kind]).toBeGreaterThan(0)
        // The server's set, read after the export with plain fetch (the sandbox's persons are fixed by the seed).
        const reference = await allPersons(sandbox.url)
        expect(reference.length).toBe(PERSONS)
        await check(variant, base, sandbox.url, reference)
      }
    } finally {
      await sandbox.stop()
    }
  }, full ? 600_000 : 120_000)
})
