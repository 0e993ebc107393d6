/**
 * Deno's fetch re-sent a POST by itself when a reused keep-alive connection was reset after the
 * request had been applied (denoland/deno#35610): 40 creates against a sandbox dropping 10% of
 * connections after the write made 43 persons, with no error. Core now sends writes on a
 * connection of their own under Deno; each dropped one is reported as AmbiguousWrite instead.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { deno, run, type RunningSandbox, startSandbox } from "./support/processes.ts"

describe("under deno, a write whose connection drops after it was applied", () => {
  let sandbox: RunningSandbox
  beforeAll(async () => {
    sandbox = await startSandbox(["--persons", "0", "--drop-after-rate", "0.1", "--seed", "deno-writes"])
  })
  afterAll(() => sandbox.stop())

  it("is never sent twice: one person per create, the dropped ones reported as AmbiguousWrite", async () => {
    const result = await run(deno, ["run", "-A", "test/support/create-under-faults.ts", sandbox.url, "40"])
    expect(result.stderr).toBe("")
    expect(result.code).toBe(0)
    const outcome = JSON.parse(result.stdout) as { ok: number; ambiguous: number; persons: number; unique: number }
    expect(outcome.ok + outcome.ambiguous).toBe(40)
    expect(outcome.ambiguous).toBeGreaterThan(0)
    expect(outcome.persons).toBe(40)
    expect(outcome.unique).toBe(40)
  })
})
