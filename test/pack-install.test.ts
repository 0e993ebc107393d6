/**
 * The packages as a user gets them from npm: each package `npm pack`ed from its build, the three
 * tarballs installed into an empty ESM project (dependencies from the registry, or npm's cache), and
 * there:
 * - the first TypeScript example of each README (the root one and each package's) compiles against
 *   the installed packages' `.d.ts` and runs under Node, against a sandbox started from the installed
 *   `pipedrive-sandbox` bin (the examples read PIPEDRIVE_BASE_URL and PIPEDRIVE_API_TOKEN);
 * - the installed `pipedrive-effect` bin prints `--help` and `--version`, and exports every person.
 * Needs the build (`npm test` builds first).
 */
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { root, run, type RunningSandbox, startSandbox } from "./support/processes.ts"

const packages = ["core", "sandbox", "scripts"] as const
const readmes = { root: "README.md", core: "packages/core/README.md", sandbox: "packages/sandbox/README.md", scripts: "packages/scripts/README.md" }
const persons = 40

/** The first ```ts block of a README: what a reader tries first. */
const firstExample = (readme: string): string => {
  const match = /^```ts\n([\s\S]*?)^```$/m.exec(readFileSync(join(root, readme), "utf8"))
  if (match?.[1] === undefined) throw new Error(`${readme} has no \`\`\`ts example`)
  return match[1]
}

let dir = ""
let project = ""
let sandbox: RunningSandbox | undefined
const bin = (name: string) => join(project, "node_modules", ".bin", name)

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "pipedrive-effect-pack-"))
  project = join(dir, "project")
  mkdirSync(project)
  const tarballs: Array<string> = []
  for (const name of packages) {
    const packed = await run("npm", ["pack", "--json", "--pack-destination", dir], { cwd: join(root, "packages", name) })
    expect(packed.code, packed.stderr).toBe(0)
    const [info] = JSON.parse(packed.stdout) as Array<{ filename: string }>
    tarballs.push(join(dir, info!.filename))
  }
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "user-project", private: true, type: "module" }))
  const installed = await run(
    "npm",
    ["install", "--no-audit", "--no-fund", "--prefer-offline", "--no-package-lock", ...tarballs],
    { cwd: project, timeoutMs: 240_000 }
  )
  expect(installed.code, installed.stderr).toBe(0)
  sandbox = await startSandbox(["--persons", String(persons)], bin("pipedrive-sandbox"))
}, 300_000)

afterAll(async () => {
  await sandbox?.stop()
  if (dir !== "") rmSync(dir, { recursive: true, force: true })
})

describe("the packed packages, installed into an empty project", () => {
  it("the installed pipedrive-effect prints --help and --version, and exports every person", async () => {
    const help = await run(bin("pipedrive-effect"), ["--help"], { cwd: project })
    expect(help.code, help.stderr).toBe(0)
    expect(help.stdout).toContain("persons")
    expect(help.stdout).toContain("Exit codes")

    const version = await run(bin("pipedrive-effect"), ["--version"], { cwd: project })
    const packageJson = JSON.parse(readFileSync(join(root, "packages/scripts/package.json"), "utf8")) as { version: string }
    expect(version.stdout.trim()).toBe(packageJson.version)

    const exported = await run(
      bin("pipedrive-effect"),
      ["persons", "export", "--out", "cli-persons.csv", "--base-url", sandbox!.url],
      { cwd: project, env: { PIPEDRIVE_API_TOKEN: "sandbox-token" } }
    )
    expect(exported.code, exported.stderr).toBe(0)
    // A header line and one line a person.
    expect(readFileSync(join(project, "cli-persons.csv"), "utf8").trim().split("\n")).toHaveLength(persons + 1)
  }, 120_000)

  it("run the first example of each README (compiled against the installed types)", async () => {
    const examples = join(project, "examples")
    mkdirSync(examples)
    for (const [name, readme] of Object.entries(readmes)) writeFileSync(join(examples, `${name}.ts`), firstExample(readme))
    writeFileSync(
      join(project, "tsconfig.json"),
      JSON.stringify({
        compilerOptions: {
          target: "ES2022",
          module: "NodeNext",
          moduleResolution: "NodeNext",
          strict: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: true,
          // The project has no @types/node of its own; the workspace's stands in.
          typeRoots: [join(root, "node_modules", "@types")],
          types: ["node"],
          rootDir: "examples",
          outDir: "dist"
        },
        include: ["examples"]
      })
    )
    const compiled = await run("node", [join(root, "node_modules", "typescript", "bin", "tsc"), "-p", project], { cwd: project })
    expect(compiled.stdout + compiled.stderr).toBe("")
    expect(compiled.code).toBe(0)

    const env = { PIPEDRIVE_BASE_URL: sandbox!.url, PIPEDRIVE_API_TOKEN: "sandbox-token" }
    // One at a time, the root README's (which creates a person) last, so the counts are the seed's.
    const runs: Record<string, { code: number | null; stdout: string; stderr: string }> = {}
    for (const name of ["core", "sandbox", "scripts", "root"]) {
      const result = await run("node", [join(project, "dist", `${name}.js`)], { cwd: project, env })
      expect(result.code, `${name}: ${result.stderr}`).toBe(0)
      runs[name] = result
    }
    expect(runs["core"]!.stdout).toContain(`${persons} persons`)
    expect(runs["root"]!.stderr + runs["root"]!.stdout).toContain(`${persons + 1} persons`)
    expect(runs["sandbox"]!.stdout).toMatch(/^10 of 100 persons, the first \S/)
    expect(runs["scripts"]!.stdout).toContain(`${persons} persons`)
    expect(readFileSync(join(project, "persons.ndjson"), "utf8").trim().split("\n")).toHaveLength(persons)
  }, 180_000)
})
