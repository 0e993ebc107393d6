/**
 * `pipedrive-effect persons import` under Node (built) and Deno (sources) against the sandbox bin:
 * an import stopped with Ctrl-C (SIGINT: in-flight rows finish, exit 130), then killed with SIGKILL,
 * and run again ends with exactly the expected persons. Bad input: persons-import-bad-input.test.ts.
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { spawn } from "node:child_process"
import { once } from "node:events"
import { existsSync, readFileSync, rmSync } from "node:fs"
import { allPersons, cli, fileWriter, importCsv, primaryEmails, scratchDirectory } from "./support/cliRuns.ts"
import { root, run, type RunningSandbox, startSandbox } from "./support/processes.ts"

const directory = scratchDirectory("import-resume")
afterAll(() => rmSync(directory, { recursive: true, force: true }))




const file = fileWriter(directory)

describe.each(Object.entries(cli))("persons import (resume) under %s", (runtime, [bin, prefix]) => {
  let sandbox: RunningSandbox
  beforeEach(async () => {
    sandbox = await startSandbox(["--persons", "0", "--seed", `import-${runtime}`])
  })
  afterEach(() => sandbox.stop())
  const env = () => ({ PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: "sandbox-token" })
  const importing = (args: ReadonlyArray<string>) => run(bin, [...prefix, "persons", "import", ...args], { env: env(), timeoutMs: 50_000 })

  /** Starts an import of `path` and sends `signal` once the journal shows `done` rows done; resolves with its exit code. */
  const stopAfter = async (path: string, done: number, signal: NodeJS.Signals) => {
    const journal = `${path}.journal`
    const child = spawn(bin, [...prefix, "persons", "import", path], { cwd: root, env: { ...process.env, ...env() }, stdio: "ignore" })
    const exited = once(child, "exit") as Promise<[number | null, NodeJS.Signals | null]>
    const deadline = Date.now() + 40_000
    for (;;) {
      const count = existsSync(journal) ? readFileSync(journal, "utf8").split("\n").filter((line) => line.includes(`"status":"done"`)).length : 0
      if (count >= done || Date.now() > deadline || child.exitCode !== null) break
      await new Promise((resolve) => setTimeout(resolve, 20))
    }
    child.kill(signal)
    const [code] = await exited
    return code
  }

  /** Each row's last journal status. */
  const lastStatuses = (journal: string) => {
    const last = new Map<string, string>()
    for (const line of readFileSync(journal, "utf8").trim().split("\n").slice(1)) {
      const entry = JSON.parse(line) as { item: string; status: string }
      last.set(entry.item, entry.status)
    }
    return [...last.values()]
  }

  it("stopped by Ctrl-C, then killed with SIGKILL, then run again: ends with exactly the expected persons", async () => {
    const rows = 500
    const path = file("stopped.csv", importCsv(rows, `${runtime}-k`))
    const journal = `${path}.journal`

    // Ctrl-C: the rows in flight finish and are journaled, the lock is released, the exit code says "interrupted".
    expect(await stopAfter(path, 60, "SIGINT")).toBe(130)
    expect(lastStatuses(journal).filter((status) => status === "started")).toEqual([])
    expect(existsSync(`${journal}.lock`)).toBe(false)
    const afterInterrupt = (await allPersons(sandbox.url)).length
    expect(afterInterrupt).toBeLessThan(rows)

    // SIGKILL: nothing is cleaned up; rows may be left started and the lock stays behind.
    await stopAfter(path, afterInterrupt + 100, "SIGKILL")
    const afterKill = (await allPersons(sandbox.url)).length
    expect(afterKill).toBeGreaterThan(afterInterrupt)
    expect(afterKill).toBeLessThan(rows)
    expect(existsSync(`${journal}.lock`)).toBe(true)

    const rerun = await importing([path])
    expect(rerun.stderr).not.toContain("pipedrive-effect:")
    expect(rerun.code).toBe(0)
    expect(rerun.stdout).toMatch(/^failed\s+0$/m)
    // The journal was used: the rows done before were skipped, not looked up again.
    expect(rerun.stdout).toMatch(/^skipped\s+[1-9]\d* \(done by an earlier run\)$/m)
    const persons = await allPersons(sandbox.url)
    expect(primaryEmails(persons)).toEqual(Array.from({ length: rows }, (_, i) => `${runtime}-k${i}@import.example`).sort())
  })
})
