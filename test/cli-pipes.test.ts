/**
 * The CLI in a pipe: no ANSI escape codes in help or errors when stdout/stderr is not a terminal or
 * NO_COLOR is set, nor a progress bar on a terminal under NO_COLOR; `--version`, and the exit codes
 * `--help` lists.
 */
import { describe, expect, it } from "@effect/vitest"
import { Progress } from "@pipedrive-effect/scripts"
import { mkdtempSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { run, root, startSandbox } from "./support/processes.ts"
import * as PlainConsole from "../packages/scripts/src/cli/PlainConsole.ts"

const bin = `${root}packages/scripts/bin/pipedrive-effect.mjs`
const escape = "\u001b["

describe("pipedrive-effect in a pipe", () => {
  it("--help piped into a file has no escape codes, and lists the exit codes", async () => {
    // NO_COLOR empty: not set, so only the pipe decides.
    const help = await run("node", [bin, "--help"], { env: { NO_COLOR: "" } })
    expect(help.code).toBe(0)
    expect(help.stdout).toContain("USAGE")
    expect(help.stdout).not.toContain(escape)
    for (const code of ["0 the job did all it was asked", "1 the job failed", "2 a usage error", "130 stopped by Ctrl-C"]) {
      expect(help.stdout).toContain(code)
    }
  })

  it("with NO_COLOR=1, help and a usage error have no escape codes; a usage error exits 2", async () => {
    const help = await run("node", [bin, "persons", "export", "--help"], { env: { NO_COLOR: "1" } })
    expect(help.stdout).toContain("--out")
    expect(help.stdout + help.stderr).not.toContain(escape)
    const usage = await run("node", [bin, "persons", "export", "--no-such-flag"], { env: { NO_COLOR: "1" } })
    expect(usage.code).toBe(2)
    expect(usage.stdout + usage.stderr).not.toContain(escape)
    expect(usage.stdout + usage.stderr).toContain("--out")
  })

  it("--version prints the version alone", async () => {
    const version = await run("node", [bin, "--version"])
    expect(version.code).toBe(0)
    expect(version.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/)
  })
})

describe("pipedrive-effect on a terminal", () => {
  // `script` (util-linux) gives the command a pseudo-terminal for stdout and stderr.
  const onTerminal = (command: string, env: Record<string, string>) =>
    run("script", ["-qec", command, "/dev/null"], { env: { PIPEDRIVE_API_TOKEN: "sandbox-token", ...env } })

  it("under NO_COLOR draws no progress bar (its cursor codes); without it, it does", async () => {
    const sandbox = await startSandbox(["--persons", "300"])
    const dir = mkdtempSync(join(tmpdir(), "pipedrive-effect-tty-"))
    try {
      const exportTo = (file: string) =>
        `node ${bin} persons export --out ${join(dir, file)} --base-url ${sandbox.url} --page-size 50`
      const plain = await onTerminal(exportTo("plain.ndjson"), { NO_COLOR: "1" })
      expect(plain.code, plain.stdout).toBe(0)
      expect(plain.stdout).toContain("exported      300 persons")
      expect(plain.stdout).not.toContain(escape)
      // The control: the same run with colour allowed draws the bar, so the terminal is real.
      const drawn = await onTerminal(exportTo("drawn.ndjson"), { NO_COLOR: "" })
      expect(drawn.code, drawn.stdout).toBe(0)
      expect(drawn.stdout).toContain(escape)
    } finally {
      await sandbox.stop()
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it("Progress.wantsBar: a bar only on a terminal without NO_COLOR", () => {
    expect(Progress.wantsBar({ isTTY: true }, {})).toBe(true)
    expect(Progress.wantsBar({ isTTY: true }, { NO_COLOR: "" })).toBe(true)
    expect(Progress.wantsBar({ isTTY: true }, { NO_COLOR: "1" })).toBe(false)
    expect(Progress.wantsBar({ isTTY: false }, {})).toBe(false)
    expect(Progress.wantsBar({}, {})).toBe(false)
  })
})

describe("PlainConsole", () => {
  it("strips colours and cursor moves, keeps the text", () => {
    expect(PlainConsole.strip("\u001b[0;1m\u001b[0;37;1mUSAGE\u001b[0m plain \u001b[2K\u001b[1A")).toBe("USAGE plain ")
  })

  it("wants plain text under NO_COLOR or off a terminal, colour only on a terminal without it", () => {
    expect(PlainConsole.wantsPlain({ isTTY: true }, {})).toBe(false)
    expect(PlainConsole.wantsPlain({ isTTY: true }, { NO_COLOR: "" })).toBe(false)
    expect(PlainConsole.wantsPlain({ isTTY: true }, { NO_COLOR: "1" })).toBe(true)
    expect(PlainConsole.wantsPlain({ isTTY: false }, {})).toBe(true)
    expect(PlainConsole.wantsPlain({}, {})).toBe(true)
  })
})
