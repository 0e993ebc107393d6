/**
 * `pipedrive-effect persons import` under Node (built) and Deno (sources) against the sandbox bin:
 * bad input (a missing file, a wrong header, an unknown custom field, bad emails or dates, a journal
 * of another input file) is one clear message, a non-zero exit, and nothing sent.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { allPersons, cli, fileWriter, importCsv, primaryEmails, scratchDirectory } from "./support/cliRuns.ts"
import { run, type RunningSandbox, startSandbox } from "./support/processes.ts"

const directory = scratchDirectory("import-bad")
afterAll(() => rmSync(directory, { recursive: true, force: true }))




const file = fileWriter(directory)

describe.each(Object.entries(cli))("persons import (bad input) under %s", (runtime, [bin, prefix]) => {
  let sandbox: RunningSandbox
  beforeEach(async () => {
    sandbox = await startSandbox(["--persons", "0", "--seed", `import-${runtime}`])
  })
  afterEach(() => sandbox.stop())
  const env = () => ({ PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: "sandbox-token" })
  const importing = (args: ReadonlyArray<string>) => run(bin, [...prefix, "persons", "import", ...args], { env: env(), timeoutMs: 50_000 })

  it("bad input: one clear message, a non-zero exit, nothing sent", async () => {
    const missing = await importing([join(directory, "no-such-file.csv")])
    expect(missing.code).not.toBe(0)
    expect(missing.stderr.trim()).toBe(`pipedrive-effect: ${join(directory, "no-such-file.csv")}: no such file or directory`)

    const header = await importing([file("header.csv", "name,emails,Shoe size\nAnn,ann@example.com,42\n")])
    expect(header.code).not.toBe(0)
    expect(header.stderr).toContain(`"Shoe size"`)
    expect(header.stderr).toContain("not a standard column")

    const report = join(directory, "bad-rows.ndjson")
    const bad = await importing([
      file(
        "bad-rows.csv",
        "name,emails,Next renewal\nGood,good@example.com,2026-01-01\nBad Email,ann(at)example.com,\nBad Date,date@example.com,2026-02-31\n"
      ),
      "--report",
      report
    ])
    expect(bad.code).not.toBe(0)
    expect(bad.stderr).toMatch(/line 3: emails\[0\]\.value: "ann\(at\)example\.com" is not an email address/)
    expect(bad.stderr).toMatch(/line 4: custom_fields\.Next renewal: /)
    expect(bad.stderr).toMatch(/pipedrive-effect: .*bad-rows\.csv: 2 of 3 rows are invalid, nothing was sent/)
    expect(readFileSync(report, "utf8").trim().split("\n").map((line) => JSON.parse(line).line)).toEqual([3, 4])

    const good = file("good.csv", importCsv(3, `${runtime}-g`))
    const ok = await importing([good, "--journal", join(directory, `${runtime}-shared.journal`)])
    expect(ok.code).toBe(0)
    const other = await importing([file("other.csv", importCsv(4, `${runtime}-o`)), "--journal", join(directory, `${runtime}-shared.journal`)])
    expect(other.code).not.toBe(0)
    expect(other.stderr).toMatch(/^pipedrive-effect: the journal .*shared\.journal belongs to another run: it was written for the input file .*good\.csv/)
    // Only the three good rows were ever created.
    expect(primaryEmails(await allPersons(sandbox.url))).toEqual([0, 1, 2].map((i) => `${runtime}-g${i}@import.example`))
  })
})
