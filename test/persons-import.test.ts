/**
 * `pipedrive-effect persons import` run as a user runs it, under Node (built) and Deno (sources),
 * against the sandbox bin: a 2,000-row import run twice creates 2,000 persons, then none (the
 * journal skips every row). Resuming after SIGKILL and bad input: persons-import-resume.test.ts.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { rmSync } from "node:fs"
import { allPersons, cli, fileWriter, importCsv, primaryEmails, scratchDirectory } from "./support/cliRuns.ts"
import { run, type RunningSandbox, startSandbox } from "./support/processes.ts"

const directory = scratchDirectory("import")
afterAll(() => rmSync(directory, { recursive: true, force: true }))




const file = fileWriter(directory)

describe.each(Object.entries(cli))("persons import under %s", (runtime, [bin, prefix]) => {
  let sandbox: RunningSandbox
  beforeEach(async () => {
    sandbox = await startSandbox(["--persons", "0", "--seed", `import-${runtime}`])
  })
  afterEach(() => sandbox.stop())
  const env = () => ({ PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: "sandbox-token" })
  const importing = (args: ReadonlyArray<string>) => run(bin, [...prefix, "persons", "import", ...args], { env: env(), timeoutMs: 110_000 })

  it("2,000 rows run twice: 2,000 persons created the first time, none the second", async () => {
    const path = file("people.csv", importCsv(2000, runtime))
    const first = await importing([path])
    expect(first.stderr).not.toContain("pipedrive-effect:")
    expect(first.code).toBe(0)
    expect(first.stdout).toMatch(/^created\s+2000$/m)
    expect(first.stdout).toMatch(/^failed\s+0$/m)
    const second = await importing([path])
    expect(second.code).toBe(0)
    expect(second.stdout).toMatch(/^created\s+0$/m)
    expect(second.stdout).toMatch(/^skipped\s+2000 /m)
    const persons = await allPersons(sandbox.url)
    expect(persons.length).toBe(2000)
    expect(new Set(primaryEmails(persons)).size).toBe(2000)
  })
})
