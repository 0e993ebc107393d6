/**
 * A corpus of malformed and hostile inputs for the CLI (under Node, against the sandbox bin): each
 * gets a clear error naming the file and the line, a non-zero exit, no stack trace, and nothing sent
 * to the account (the sandbox's request log shows no write). The CSV and NDJSON files a user
 * writes by hand go wrong in these ways; the settings too.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { existsSync, rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { cli, scratchDirectory } from "./support/cliRuns.ts"
import { startLoggedSandbox } from "./support/faults.ts"
import { run } from "./support/processes.ts"

const directory = scratchDirectory("bad-input")
afterAll(() => rmSync(directory, { recursive: true, force: true }))

const [bin, prefix] = cli.node

/** Files, each with what its one-line error must say. */
const corpus: ReadonlyArray<readonly [name: string, content: string | Buffer, expected: RegExp]> = [
  ["empty.csv", "", /empty\.csv: line 1: .*empty/],
  ["only-bom.csv", "\uFEFF", /only-bom\.csv: line 1: .*empty/],
  ["duplicate-header.csv", "name,emails,name\nAnn,ann@x.example,Ann\n", /duplicate-header\.csv: line 1: header column 3 "name"/],
  ["unknown-column.csv", "name,emails,Shoe size\nAnn,ann@x.example,44\n", /unknown-column\.csv: line 1: header column 3 "Shoe size"/],
  ["unclosed-quote.csv", "name,emails\n\"Ann,ann@x.example\n", /unclosed-quote\.csv: line 2: not valid CSV/],
  [
    "latin1.csv",
    Buffer.concat([Buffer.from("name,emails\nJos"), Buffer.from([0xe9]), Buffer.from(",jose@x.example\n")]),
    /latin1\.csv: line 2: not UTF-8/
  ],
  ["bad-email.csv", "name,emails\nAnn,ann-at-x.example [work]\n", /bad-email\.csv: .*line 2: emails/],
  ["too-many-cells.csv", "name,emails\nAnn,ann@x.example,extra\n", /too-many-cells\.csv: .*line 2/],
  ["broken.ndjson", "{\"name\":\"Ann\"}\n{\"name\": \n", /broken\.ndjson: .*line 2: .*not JSON/],
  ["wrong-type.ndjson", "{\"name\": 5}\n", /wrong-type\.ndjson: .*line 1: name/],
  ["array.ndjson", "[1, 2]\n", /array\.ndjson: .*line 1/],
  ["unknown-key.ndjson", "{\"name\":\"Ann\",\"shoe_size\":44}\n", /unknown-key\.ndjson: .*line 1: .*shoe_size/],
  // 2 MB in one cell, or one line: refused by line, never read into memory whole.
  ["huge-cell.csv", `name,emails\nAnn,ann@x.example\n"${"x".repeat(2_000_000)}",bo@x.example\n`, /huge-cell\.csv: line 3: a row longer than 1,000,000 characters/],
  ["no-line-breaks.ndjson", `{"name":"${"x ".repeat(1_000_000)}"}`, /no-line-breaks\.ndjson: line 1: a line longer than 1,000,000 characters/],
  ["ids-out-of-range.csv", "name,emails,owner_id\nAnn,ann@x.example,99999999999999999999\n", /ids-out-of-range\.csv: line 2: owner_id/],
  ["ids-out-of-range.ndjson", "{\"name\":\"Ann\",\"org_id\":-1}\n", /ids-out-of-range\.ndjson: line 1: org_id/]
]

describe("bad input: one clear line, non-zero exit, no stack trace, nothing sent", () => {
  let sandbox: Awaited<ReturnType<typeof startLoggedSandbox>>
  beforeAll(async () => {
    sandbox = await startLoggedSandbox(["--persons", "5", "--seed", "bad-input"])
  })
  afterAll(() => sandbox.stop())
  const env = () => ({ PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: "sandbox-token" })
  const writes = () => sandbox.requests().filter((request) => request.method !== "GET")

  for (const [name, content, expected] of corpus) {
    it(`persons import ${name}`, async () => {
      const file = join(directory, name)
      writeFileSync(file, content)
      const result = await run(bin, [...prefix, "persons", "import", file], { env: env() })
      expect(result.code).not.toBe(0)
      const last = result.stderr.trim().split("\n").at(-1) ?? ""
      expect(last).toMatch(/^pipedrive-effect: /)
      expect(result.stderr).toMatch(expected)
      expect(result.stderr).not.toMatch(/^\s+at /m)
      expect(writes()).toEqual([])
    })
  }

  const settings: ReadonlyArray<readonly [string, Record<string, string>, ReadonlyArray<string>, RegExp]> = [
    ["plain http to a non-loopback host", { PIPEDRIVE_BASE_URL: "http://crm.example.com" }, [], /PIPEDRIVE_BASE_URL: .*http/],
    ["a timeout that is not a duration", { PIPEDRIVE_TIMEOUT: "soon" }, [], /PIPEDRIVE_TIMEOUT/],
    ["an empty token", { PIPEDRIVE_API_TOKEN: "" }, [], /PIPEDRIVE_API_TOKEN is not set/],
    ["a concurrency of 0", {}, ["--concurrency", "0"], /concurrency/],
    ["a page size of 501", {}, ["--page-size", "501"], /page-size|1 to 500/]
  ]
  for (const [what, extraEnv, flags, expected] of settings) {
    it(`refuses ${what}`, async () => {
      const command = flags[0] === "--page-size" ? "export" : "import"
      const file = join(directory, "fine.csv")
      writeFileSync(file, "name,emails\nAnn,ann@x.example\n")
      const args = command === "export" ? ["--out", join(directory, "out.ndjson")] : [file]
      const result = await run(bin, [...prefix, "persons", command, ...args, ...flags], { env: { ...env(), ...extraEnv } })
      expect(result.code).not.toBe(0)
      expect(result.stdout + result.stderr).toMatch(expected)
      expect(result.stderr).not.toMatch(/^\s+at /m)
      expect(writes()).toEqual([])
    })
  }

  const concurrencies: ReadonlyArray<readonly [command: "export" | "dedupe", value: string]> = [
    ["export", "0"],
    ["export", "lots"],
    ["export", "2.5"],
    ["dedupe", "lots"]
  ]
  for (const [command, value] of concurrencies) {
    it(`persons ${command} refuses --concurrency ${value} in one line naming it, before sending anything`, async () => {
      const out = join(directory, `concurrency-${command}-${value}.ndjson`)
      const before = sandbox.requests().length
      const args = command === "export" ? ["--out", out] : []
      const result = await run(bin, [...prefix, "persons", command, ...args, "--concurrency", value], { env: env() })
      expect(result.code).not.toBe(0)
      expect(result.stdout.trim()).toBe("")
      expect(result.stderr.trim()).toBe(`--concurrency: must be a positive whole number, got ${value}`)
      expect(sandbox.requests().length).toBe(before)
      expect(existsSync(out)).toBe(false)
    })
  }
})
