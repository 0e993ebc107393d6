/**
 * `npm run check:packages` can fail: a small package made here, clean, passes every check, and each
 * planted break fails the check meant to catch it (and only it stops the run). The breaks are
 * the ones a change to the real packages could bring: an export without an explicit type (JSR's
 * slow types), a doc example that does not compile, an export without a doc comment, sources in the
 * npm tarball, and `exports` naming types that are not there.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { root, run } from "./support/processes.ts"

const dir = mkdtempSync(join(tmpdir(), "pipedrive-effect-checks-"))
afterAll(() => rmSync(dir, { recursive: true, force: true }))

const source = `/**
 * Adds one.
 *
 * @example
 * \`\`\`ts
 * import { addOne } from "./index.ts"
 *
 * const two: number = addOne(1)
 * \`\`\`
 */
export function addOne(n: number): number {
  return n + 1
}
`
const packageJson = {
  name: "@fixture/checked",
  version: "0.0.1",
  description: "A package for the checks to look at",
  type: "module",
  license: "MIT",
  exports: { ".": { types: "./dist/index.d.ts", default: "./dist/index.js" } },
  files: ["dist/**/*.js", "dist/**/*.d.ts"]
}

/**
 * The clean package, laid out as the workspace is: a root with typedoc.json and a Deno workspace,
 * and the package in `pkg/`. Returns the root; breaks are planted under `pkg/`.
 */
const clean = (name: string): string => {
  const at = join(dir, name)
  const pkg = join(at, "pkg")
  mkdirSync(join(pkg, "src"), { recursive: true })
  mkdirSync(join(pkg, "dist"))
  writeFileSync(join(pkg, "src", "index.ts"), source)
  writeFileSync(join(pkg, "dist", "index.js"), "export function addOne(n) {\n  return n + 1\n}\n")
  writeFileSync(join(pkg, "dist", "index.d.ts"), "/** Adds one. */\nexport declare function addOne(n: number): number\n")
  writeFileSync(join(pkg, "package.json"), JSON.stringify(packageJson, null, 2))
  writeFileSync(join(pkg, "README.md"), "# @fixture/checked\n")
  cpSync(join(root, "LICENSE"), join(pkg, "LICENSE"))
  writeFileSync(
    join(pkg, "deno.json"),
    JSON.stringify({ name: packageJson.name, version: packageJson.version, license: "MIT", exports: "./src/index.ts" })
  )
  writeFileSync(
    join(pkg, "tsconfig.json"),
    JSON.stringify({ compilerOptions: { strict: true, module: "NodeNext", allowImportingTsExtensions: true, noEmit: true }, include: ["src"] })
  )
  writeFileSync(join(at, "deno.json"), JSON.stringify({ workspace: ["./pkg"] }))
  writeFileSync(join(at, "package.json"), JSON.stringify({ name: "fixture-root", private: true, type: "module" }))
  // The workspace's typedoc.json as it is (its per-package options too), pointed at this package.
  const typedoc = JSON.parse(readFileSync(join(root, "typedoc.json"), "utf8")) as Record<string, unknown>
  writeFileSync(join(at, "typedoc.json"), JSON.stringify({ ...typedoc, entryPoints: ["pkg"] }))
  return at
}

const edit = (path: string, change: (text: string) => string) => writeFileSync(path, change(readFileSync(path, "utf8")))

/** Runs every check on the package at `at`; returns the checks that failed. */
const failedChecks = async (at: string): Promise<Array<string>> => {
  const result = await run("node", [join(root, "tools", "check-packages.mjs"), "--root", at, "--packages", "pkg"], { timeoutMs: 120_000 })
  const failed = [...result.stdout.matchAll(/^check:packages (\w+): FAILED/gm)].map((m) => m[1]!)
  expect(result.code, result.stdout).toBe(failed.length === 0 ? 0 : 1)
  return failed
}

describe("check:packages", () => {
  it("passes the clean package, and fails each planted break in the check meant for it", async () => {
    const breaks: Record<string, { plant: (at: string) => void; caughtBy: Array<string> }> = {
      "an export without an explicit type": {
        plant: (at) => edit(join(at, "pkg", "src", "index.ts"), (s) => s.replace("(n: number): number {", "(n: number) {")),
        caughtBy: ["jsr"]
      },
      "a doc example that does not compile": {
        plant: (at) => edit(join(at, "pkg", "src", "index.ts"), (s) => s.replace("const two: number", "const two: string")),
        caughtBy: ["examples"]
      },
      "an export without a doc comment": {
        plant: (at) => edit(join(at, "pkg", "src", "index.ts"), (s) => s.slice(s.indexOf("export function"))),
        caughtBy: ["docs"]
      },
      "sources in the npm package": {
        plant: (at) => edit(join(at, "pkg", "package.json"), (s) => s.replace(`"dist/**/*.d.ts"`, `"dist/**/*.d.ts", "src"`)),
        caughtBy: ["files"]
      },
      "exports naming types that are not there": {
        plant: (at) => edit(join(at, "pkg", "package.json"), (s) => s.replace("./dist/index.d.ts", "./dist/types.d.ts")),
        caughtBy: ["files", "publint", "attw"]
      }
    }
    const names = Object.keys(breaks)
    const results = await Promise.all([
      failedChecks(clean("clean")),
      ...names.map((name, i) => {
        const at = clean(`broken-${i}`)
        breaks[name]!.plant(at)
        return failedChecks(at)
      })
    ])
    expect(results[0]).toEqual([])
    names.forEach((name, i) => expect({ [name]: results[i + 1] }).toEqual({ [name]: breaks[name]!.caughtBy }))
  }, 240_000)
})
