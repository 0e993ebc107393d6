/**
 * The Node bin's compile cache (packages/scripts/bin/pipedrive-effect.mjs): the first run writes
 * V8's code cache of the bundled CLI into the user's own cache directory, later runs read it, and a
 * cache that is damaged or not the user's never breaks a run.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { existsSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { scratchDirectory } from "./support/cliRuns.ts"
import { root, run } from "./support/processes.ts"

const bin = `${root}packages/scripts/bin/pipedrive-effect.mjs`
const home = scratchDirectory("compile-cache")
afterAll(() => rmSync(home, { recursive: true, force: true }))

const version = (cacheHome: string) => run("node", [bin, "--version"], { env: { XDG_CACHE_HOME: cacheHome } })
const cacheFiles = (cacheHome: string) => {
  const directory = join(cacheHome, "pipedrive-effect")
  return existsSync(directory) ? readdirSync(directory).map((name) => join(directory, name)) : []
}

describe("the Node bin's compile cache", () => {
  it("is written by the first run, private to the user, and kept by the next", async () => {
    const first = await version(home)
    expect(first.stdout.trim()).toBe("0.1.0")
    const [file, ...others] = cacheFiles(home)
    expect(others).toEqual([])
    expect(file).toMatch(/cli-v\d+\.\d+\.\d+-\w+\.v8cache$/)
    expect(statSync(join(home, "pipedrive-effect")).mode & 0o777).toBe(0o700)
    expect(statSync(file!).mode & 0o777).toBe(0o600)
    const written = statSync(file!).mtimeMs
    const second = await version(home)
    expect(second.stdout.trim()).toBe("0.1.0")
    // Accepted by V8: not written again.
    expect(statSync(file!).mtimeMs).toBe(written)
  })

  it("a damaged cache is rejected by V8, the run goes on, and the cache is written anew", async () => {
    const [file] = cacheFiles(home)
    writeFileSync(file!, "not a code cache")
    const result = await version(home)
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe("0.1.0")
    expect(readFileSync(file!).length).toBeGreaterThan(100_000)
  })

  it("a cache directory that cannot be written costs only the compile", async () => {
    const blocked = join(home, "not-a-directory")
    writeFileSync(blocked, "")
    const result = await version(blocked)
    expect(result.code).toBe(0)
    expect(result.stdout.trim()).toBe("0.1.0")
  })
})
