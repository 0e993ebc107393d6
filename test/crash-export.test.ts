/**
 * Crash and resume, export (issue 8, item 2): `persons export --state` under Node, killed with
 * SIGKILL at seeded random points of its progress (after a share of the requests an uninterrupted
 * run makes, see `killAtShare`: always before it ends), then run again with the same flags: the
 * rerun succeeds and the file is byte for byte the file of an uninterrupted run, and the state file
 * is gone. A kill mid-page leaves a torn page that the resume cuts off.
 *
 * `npm test`: 3 kill points; `FAULTS_FULL=1`: 20.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { join } from "node:path"
import { run } from "./support/processes.ts"
import { type Baseline, baselineOf, full, killAtShare, killCount, killPoints, nodeCli, record, scratch, startLoggedSandbox, type LoggedSandbox } from "./support/faults.ts"

const directory = scratch("crash-export")
let sandbox: LoggedSandbox
let reference: string
let baseline: Baseline

const env = () => ({ PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: "sandbox-token" })
// 20 a page: 100 pages, so most kill points land mid-walk.
const args = (name: string) => ["persons", "export", "--out", join(directory, `${name}.csv`), "--state", join(directory, `${name}.state.json`), "--page-size", "20"]

beforeAll(async () => {
  sandbox = await startLoggedSandbox(["--persons", "2000", "--seed", "crash-export"])
  const [bin, prefix] = nodeCli
  const requests = sandbox.requests().length
  const result = await run(bin, [...prefix, ...args("reference")], { env: env(), timeoutMs: 60_000 })
  baseline = baselineOf(sandbox, requests)
  expect(result.code).toBe(0)
  reference = readFileSync(join(directory, "reference.csv"), "utf8")
})
afterAll(async () => {
  await sandbox.stop()
  rmSync(directory, { recursive: true, force: true })
})

describe("persons export killed with SIGKILL and run again", () => {
  // Up to 0.8: a fifth of the pages are still to come at the last kill point.
  const points = killPoints(8, killCount, 0.3, 0.8)
  it.each(points.map((share, index) => [index, share] as const))("kill point %i: the resumed file equals an uninterrupted export", async (index, share) => {
    const name = `killed-${index}`
    const killed = await killAtShare(sandbox, args(name), env(), share, baseline)
    const state = join(directory, `${name}.state.json`)
    const checkpoint = existsSync(state) ? (JSON.parse(readFileSync(state, "utf8")) as { pages: number }).pages : 0
    record({ suite: "crash-export", point: index, ...killed, pagesCheckpointed: checkpoint })
    expect(killed, "the export ended before its kill point").toMatchObject({ killed: true })
    expect(existsSync(join(directory, `${name}.csv`))).toBe(false)
    const [bin, prefix] = nodeCli
    const rerun = await run(bin, [...prefix, ...args(name)], { env: env(), timeoutMs: 60_000 })
    expect(rerun.stderr).not.toContain("pipedrive-effect:")
    expect(rerun.code).toBe(0)
    expect(readFileSync(join(directory, `${name}.csv`), "utf8")).toBe(reference)
    expect(existsSync(state)).toBe(false)
    expect(existsSync(`${state}.lock`)).toBe(false)
  })
})

/**
 * The same under real conditions (issue 2/5): 30,000 persons, 40% of them in one `update_time`
 * second (a bulk update), answers 400-600 ms late, 20 requests / 2 s. The export walks time windows
 * at once; killed and resumed, the file is byte for byte the uninterrupted one (in `update_time`
 * order, each person once). `npm test`: 1 kill point; `FAULTS_FULL=1`: 4.
 */
describe("persons export at 400-600 ms and 20 requests / 2 s, killed with SIGKILL and run again", () => {
  const slow = scratch("crash-export-slow")
  let server: LoggedSandbox
  let whole: string
  let measured: Baseline
  const slowEnv = () => ({ PIPEDRIVE_BASE_URL: server.url, PIPEDRIVE_API_TOKEN: "sandbox-token" })
  const slowArgs = (name: string) => ["persons", "export", "--out", join(slow, `${name}.ndjson`), "--state", join(slow, `${name}.state.json`)]

  beforeAll(async () => {
    server = await startLoggedSandbox([
      "--persons", "30000", "--seed", "crash-export-slow", "--bulk-update-share", "0.4", "--latency-ms", "400-600", "--rate-limit", "20"
    ])
    const [bin, prefix] = nodeCli
    const requests = server.requests().length
    const result = await run(bin, [...prefix, ...slowArgs("reference")], { env: slowEnv(), timeoutMs: 110_000 })
    measured = baselineOf(server, requests)
    expect(result.stderr).not.toContain("pipedrive-effect:")
    expect(result.code).toBe(0)
    whole = readFileSync(join(slow, "reference.ndjson"), "utf8")
    const ids = whole.split("\n").filter((line) => line !== "").map((line) => (JSON.parse(line) as { id: number }).id)
    expect(new Set(ids).size).toBe(30_000)
    expect(Math.min(...ids)).toBe(1)
    expect(Math.max(...ids)).toBe(30_000)
  }, 120_000)
  afterAll(async () => {
    await server.stop()
    rmSync(slow, { recursive: true, force: true })
  })

  const points = killPoints(14, full ? 4 : 1, 0.2, 0.8)
  it.each(points.map((share, index) => [index, share] as const))("kill point %i: the resumed file equals an uninterrupted export", async (index, share) => {
    const name = `killed-${index}`
    const killed = await killAtShare(server, slowArgs(name), slowEnv(), share, measured)
    expect(killed, "the export ended before its kill point").toMatchObject({ killed: true })
    const [bin, prefix] = nodeCli
    const rerun = await run(bin, [...prefix, ...slowArgs(name)], { env: slowEnv(), timeoutMs: 110_000 })
    expect(rerun.stderr).not.toContain("pipedrive-effect:")
    expect(rerun.code).toBe(0)
    expect(readFileSync(join(slow, `${name}.ndjson`), "utf8")).toBe(whole)
  }, 240_000)
})
