/**
 * `pipedrive-effect persons import` against a sandbox bin that drops connections after applying the
 * request (so the client sees `AmbiguousWrite` for writes that did happen) and answers some requests
 * 503: every row still ends as exactly one person.
 *
 * Under Node and Deno. Deno's `fetch` (2.9.6) sends a request again by itself when a pooled
 * keep-alive connection is reset after the request was sent (denoland/deno#35610), which applied
 * POSTs twice; core sends writes on a connection of their own under Deno (test/deno-writes.test.ts).
 */
import { afterAll, afterEach, beforeEach, describe, expect, it } from "@effect/vitest"
import { rmSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { cli, scratchDirectory } from "./support/cliRuns.ts"
import { run, type RunningSandbox, startSandbox } from "./support/processes.ts"

const directory = scratchDirectory("import-faults")
afterAll(() => rmSync(directory, { recursive: true, force: true }))

const primaryEmails = async (url: string): Promise<ReadonlyArray<string>> => {
  const emails: Array<string> = []
  let cursor: string | null = null
  do {
    const query: string = cursor === null ? "" : `&cursor=${encodeURIComponent(cursor)}`
    // Reads are retried here too: the sandbox drops some of them.
    let body: { data: Array<{ emails: Array<{ value: string; primary: boolean }> }>; additional_data: { next_cursor: string | null } } | undefined
    for (let attempt = 0; body === undefined; attempt++) {
      try {
        const response = await fetch(`${url}/api/v2/persons?limit=500${query}`, { headers: { "x-api-token": "sandbox-token" } })
        if (response.status === 200) body = await response.json() as typeof body
      } catch (error) {
        if (attempt > 20) throw error
      }
    }
    emails.push(...body.data.map((person) => person.emails.find((email) => email.primary)?.value ?? ""))
    cursor = body.additional_data.next_cursor
  } while (cursor !== null)
  return emails.sort()
}

describe.each(Object.entries(cli))("persons import with dropped connections under %s", (runtime, [bin, prefix]) => {
  let sandbox: RunningSandbox
  beforeEach(async () => {
    sandbox = await startSandbox(["--persons", "0", "--seed", `faults-${runtime}`, "--drop-after-rate", "0.1", "--fail-rate", "0.05"])
  })
  afterEach(() => sandbox.stop())

  it("creates each row's person exactly once although some answers to applied writes are lost", async () => {
    const rows = 200
    const path = join(directory, `${runtime}.csv`)
    writeFileSync(path, ["name,emails", ...Array.from({ length: rows }, (_, i) => `Faulty ${i},${runtime}-f${i}@import.example`)].join("\n") + "\n")
    const report = join(directory, `${runtime}-report.ndjson`)
    const result = await run(bin, [...prefix, "persons", "import", path, "--report", report], {
      env: { PIPEDRIVE_BASE_URL: sandbox.url, PIPEDRIVE_API_TOKEN: "sandbox-token" },
      timeoutMs: 100_000
    })
    expect(result.stdout).toMatch(/^failed\s+0$/m)
    expect(result.code).toBe(0)
    expect(await primaryEmails(sandbox.url)).toEqual(Array.from({ length: rows }, (_, i) => `${runtime}-f${i}@import.example`).sort())
  })
})
