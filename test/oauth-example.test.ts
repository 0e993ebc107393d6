/**
 * `examples/oauth.ts` as a user runs it, under Node (built) and Deno (sources), against the sandbox
 * bin's token endpoint (its default OAuth app): lists 5 persons and saves the rotated refresh token.
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { mkdtempSync, readFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { deno, root, run, type RunningSandbox, startSandbox } from "./support/processes.ts"

const runtimes = {
  node: (args: ReadonlyArray<string>) => ["node", [`${root}examples/dist/oauth.js`, ...args]] as const,
  deno: (args: ReadonlyArray<string>) => [deno, ["run", "-A", "examples/oauth.ts", ...args]] as const
}

describe.each(Object.entries(runtimes))("examples/oauth under %s", (_, command) => {
  let sandbox: RunningSandbox
  beforeAll(async () => {
    sandbox = await startSandbox(["--persons", "12", "--seed", "oauth-example"])
  })
  afterAll(() => sandbox.stop())
  const env = (refreshToken: string) => ({
    PIPEDRIVE_OAUTH_CLIENT_ID: "sandbox-client-id",
    PIPEDRIVE_OAUTH_CLIENT_SECRET: "sandbox-client-secret",
    PIPEDRIVE_OAUTH_REFRESH_TOKEN: refreshToken,
    PIPEDRIVE_OAUTH_TOKEN_URL: `${sandbox.url}/oauth/token`
  })

  it("lists 5 persons, saves the rotated refresh token, and a spent one fails clearly", async () => {
    const file = join(mkdtempSync(join(tmpdir(), "oauth-example-")), "refresh-token")
    const [bin, args] = command([file])
    const first = await run(bin, args, { env: env("sandbox-refresh-token") })
    expect(first.code).toBe(0)
    expect(first.stdout.trim().split("\n")).toHaveLength(5)
    const rotated = readFileSync(file, "utf8")
    expect(rotated).not.toBe("sandbox-refresh-token")

    const second = await run(bin, args, { env: env(rotated) })
    expect(second.code).toBe(0)

    const spent = await run(bin, args, { env: env(rotated) })
    expect(spent.code).toBe(1)
    // Effect's default logger writes the error to stdout.
    expect(spent.stdout + spent.stderr).toContain("invalid_grant")
    expect(spent.stdout + spent.stderr).toContain("re-authorise")
    expect(spent.stdout + spent.stderr).not.toContain("sandbox-client-secret")
    expect(spent.stdout + spent.stderr).not.toContain(rotated)
  })
})
