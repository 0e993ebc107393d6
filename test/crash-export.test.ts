/**
 * Crash and resume, export (issue 8, item 2): `persons export --state` under Node, killed with
 * SIGKILL at seeded random moments, then run again with the same flags: the rerun succeeds and the
 * file is byte for byte the file of an uninterrupted run, and the state file is gone. A kill before
 * the first checkpoint simply starts over; one mid-page leaves a torn page that the resume cuts off.
 *
 * `npm test`: 3 kill points; `FAULTS_FULL=1`: 20.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { run } from "./support/processes.ts"
import { killAfter, killCount, killPoints, nodeCli, record, scratch, startLoggedSandbox, type LoggedSandbox } from "./support/faults.ts"

const directory = scratch("crash-export")
let sandbox: LoggedSandbox
let reference: string
let baselineMillis: number

const env = () => ({ PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: "sandbox-token" })
// 20 a page: 100 pages, so most kill points land mid-walk.
const args = (name: string) => ["persons", "export", "--out", join(directory, `${name}.csv`), "--state", join(directory, `${name}.state.json`), "--page-size", "20"]

beforeAll(async () => {
  sandbox = await startLoggedSandbox(["--persons", "2000", "--seed", "crash-export"])
  const [bin, prefix] = nodeCli
  const started = Date.now()
  const result = await run(bin, [...prefix, ...args("reference")], { env: env(), timeoutMs: 60_000 })
  baselineMillis = Date.now() - started
  expect(result.code).toBe(0)
  reference = readFileSync(join(directory, "reference.csv"), "utf8")
})
afterAll(async () => {
  await sandbox.stop()
  rmSync(directory, { recursive: true, force: true })
})

describe("persons export killed with SIGKILL and run again", () => {
  const points = killPoints(8, killCount, 0.3, 1)
  it.each(points.map((share, index) => [index, share] as const))("kill point %i: the resumed file equals an uninterrupted export", async (index, share) => {
    const name = `killed-${index}`
    const delay = Math.round(share * baselineMillis)
    const killed = await killAfter(args(name), env(), delay)
    const state = join(directory, `${name}.state.json`)
    const checkpoint = existsSync(state) ? (JSON.parse(readFileSync(state, "utf8")) as { pages: number }).pages : 0
    record({ suite: "crash-export", point: index, delayMs: delay, killed: killed.killed, pagesCheckpointed: checkpoint })
    if (killed.killed) expect(existsSync(join(directory, `${name}.csv`))).toBe(false)
    const [bin, prefix] = nodeCli
    const rerun = await run(bin, [...prefix, ...args(name)], { env: env(), timeoutMs: 60_000 })
    expect(rerun.stderr).not.toContain("pipedrive-effect:")
    expect(rerun.code).toBe(0)
    expect(readFileSync(join(directory, `${name}.csv`), "utf8")).toBe(reference)
    expect(existsSync(state)).toBe(false)
    expect(existsSync(`${state}.lock`)).toBe(false)
  })
})
