/**
 * Security (issue 8, item 4, first part): every command of the CLI run under Node with a distinctive
 * API token (the sandbox bin's `--token`), and once with OAuth settings, and every byte they produce
 * searched for the secrets: stdout, stderr, and every file created in the run's directory (exports,
 * partial files, state files, journals, lock files, reports, the backup, the generated module).
 * Also: every file the commands create that holds personal data has mode 0600.
 *
 * Runs: export to CSV with a state file (killed once it checkpointed, leaving state and partial file
 * behind, then resumed), export to NDJSON with a state file, export via API v1, import with journal
 * and report (once with a row that fails), dedupe --apply with journal and report, delete with a
 * backup, fields list and codegen, a run with a wrong token (401), a run with OAuth (client secret
 * and refresh token from the environment), a run with a spent refresh token, and a run with a stale
 * access token.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { existsSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { type Finished, run } from "./support/processes.ts"
import { allPersons, killAfterReady, nodeCli, scratch, startLoggedSandbox, type LoggedSandbox } from "./support/faults.ts"

const TOKEN = "pd-token-Zq7Xw3Kv9Rm2Tn8Ly4Hb"
const WRONG = "pd-wrong-Jc5Gf1Ds6Ap0Ue3Wi9Ok"
// The sandbox bin's OAuth app (its defaults): the secret and the first refresh token.
const CLIENT_SECRET = "sandbox-client-secret"
const REFRESH_TOKEN = "sandbox-refresh-token"
const STALE_ACCESS = "pd-access-Mv4Nb8Qx2Ze6Rt1Yp5"
const SECRETS = [TOKEN, WRONG, CLIENT_SECRET, REFRESH_TOKEN, STALE_ACCESS]
// Pieces of the token too: a secret cut short or wrapped (a truncated log line, a header dump) still leaks.
const PIECES = [TOKEN.slice(0, 12), TOKEN.slice(9, 21), TOKEN.slice(-12)]

const directory = scratch("security-token")
const [bin, prefix] = nodeCli
const outputs: Array<{ readonly command: string; readonly result: Finished }> = []
const inputs = new Set<string>()
let sandbox: LoggedSandbox

const cli = async (args: ReadonlyArray<string>, env: Record<string, string> = {}) => {
  const result = await run(bin, [...prefix, ...args], {
    env: { PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: TOKEN, ...env },
    timeoutMs: 60_000
  })
  outputs.push({ command: args.join(" "), result })
  return result
}
const file = (name: string) => join(directory, name)
const input = (name: string, text: string) => {
  writeFileSync(file(name), text)
  inputs.add(name)
  return file(name)
}

beforeAll(async () => {
  sandbox = await startLoggedSandbox(["--persons", "1500", "--seed", "security-token", "--token", TOKEN])
  const env = { PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: TOKEN }

  // Export with state, killed after its first checkpoints (state file and partial file left), then resumed.
  const state = file("persons.state.json")
  const exportCsv = ["persons", "export", "--out", file("persons.csv"), "--state", state, "--page-size", "50"]
  await killAfterReady(exportCsv, env, () => existsSync(state), 150)
  expect(readdirSync(directory).some((name) => /\.partial(\.|$)/.test(name))).toBe(true)
  for (const name of readdirSync(directory)) checkSecrets(`after the kill: ${name}`, readFileSync(file(name)))
  expect((await cli(exportCsv)).code).toBe(0)
  expect((await cli(["persons", "export", "--out", file("persons.ndjson"), "--state", file("ndjson.state.json")])).code).toBe(0)
  expect((await cli(["persons", "export", "--out", file("persons-v1.ndjson"), "--api", "v1"])).code).toBe(0)

  const persons = await allPersons(sandbox.url, TOKEN)
  const rows = input("rows.csv", ["name,emails", ...Array.from({ length: 20 }, (_, i) => `Secure ${i},secure${i}@import.example`)].join("\n") + "\n")
  expect((await cli(["persons", "import", rows, "--journal", file("rows.journal"), "--report", file("rows.report.ndjson")])).code).toBe(0)
  const byId = input("by-id.csv", `id,name\n${persons[0]!.id},Renamed\n999999,Nobody\n`)
  expect((await cli(["persons", "import", byId, "--match", "id", "--journal", file("by-id.journal"), "--report", file("by-id.report.ndjson")])).code).toBe(1)
  expect(readFileSync(file("by-id.report.ndjson"), "utf8")).toContain("999999")

  expect((await cli(["persons", "dedupe", "--apply", "--journal", file("dedupe.journal"), "--report", file("dedupe.report.ndjson")])).code).toBe(0)
  const ids = input("ids.txt", `${persons.slice(100, 130).map((person) => person.id).join("\n")}\n`)
  expect((await cli(["persons", "delete", "--ids", ids, "--backup", file("backup.ndjson"), "--yes"])).code).toBe(0)
  expect((await cli(["fields", "list", "--format", "json"])).code).toBe(0)
  expect((await cli(["fields", "codegen", "--out", file("PersonCustomFields.ts")])).code).toBe(0)

  // Failing runs: a wrong token, then OAuth (a good refresh token, then the same one again: spent), a stale access token.
  const wrong = await cli(["persons", "export", "--out", file("wrong.ndjson")], { PIPEDRIVE_API_TOKEN: WRONG })
  expect(wrong.code).not.toBe(0)
  const oauth = {
    PIPEDRIVE_API_TOKEN: "",
    PIPEDRIVE_OAUTH_CLIENT_ID: "sandbox-client-id",
    PIPEDRIVE_OAUTH_CLIENT_SECRET: CLIENT_SECRET,
    PIPEDRIVE_OAUTH_REFRESH_TOKEN: REFRESH_TOKEN,
    PIPEDRIVE_OAUTH_TOKEN_URL: `${sandbox.url}/oauth/token`
  }
  expect((await cli(["persons", "export", "--out", file("oauth.ndjson")], oauth)).code).toBe(0)
  expect((await cli(["persons", "export", "--out", file("oauth-spent.ndjson")], oauth)).code).not.toBe(0)
  await cli(["persons", "export", "--out", file("oauth-stale.ndjson")], { ...oauth, PIPEDRIVE_OAUTH_ACCESS_TOKEN: STALE_ACCESS })
}, 300_000)
afterAll(async () => {
  await sandbox?.stop()
  rmSync(directory, { recursive: true, force: true })
})

function checkSecrets(where: string, bytes: Uint8Array | string) {
  const text = typeof bytes === "string" ? bytes : Buffer.from(bytes).toString("latin1")
  const found = [...SECRETS, ...PIECES].filter((secret) => text.includes(secret))
  expect(found, where).toEqual([])
}

describe("no secret in anything the CLI produces", () => {
  it("ran every command", () => {
    expect(outputs.length).toBe(13)
  })

  it("stdout and stderr of every run hold neither the token nor the OAuth secrets", () => {
    for (const { command, result } of outputs) {
      checkSecrets(`stdout of ${command}`, result.stdout)
      checkSecrets(`stderr of ${command}`, result.stderr)
    }
    // The failures said what was wrong without the secrets.
    expect(outputs.find((output) => output.command.includes("wrong.ndjson"))?.result.stderr).toMatch(/^pipedrive-effect: .*401|Unauthorized/m)
  })

  it("no file created in the run's directory holds them, whatever it is", () => {
    const names = readdirSync(directory)
    expect(names.length).toBeGreaterThan(10)
    for (const name of names) checkSecrets(name, readFileSync(file(name)))
  })

  it("every file created with personal data is readable by its owner only (0600)", () => {
    const created = readdirSync(directory).filter((name) => !inputs.has(name) && name !== "PersonCustomFields.ts")
    const modes = Object.fromEntries(created.map((name) => [name, (statSync(file(name)).mode & 0o777).toString(8)]))
    expect(Object.keys(modes)).toEqual(expect.arrayContaining([
      "persons.csv",
      "persons.ndjson",
      "persons-v1.ndjson",
      "rows.journal",
      "rows.report.ndjson",
      "by-id.report.ndjson",
      "dedupe.journal",
      "dedupe.report.ndjson",
      "backup.ndjson",
      "oauth.ndjson"
    ]))
    expect(Object.entries(modes).filter(([, mode]) => mode !== "600")).toEqual([])
  })
})
