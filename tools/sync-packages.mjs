#!/usr/bin/env node
/**
 * Keeps what JSR and the CLI read in step with each package's package.json, the one place a version
 * or a dependency range is written (changesets bumps it there):
 *
 * - `packages/NAME/deno.json`: the JSR package (name, version, licence, exports, the files to
 *   publish), and an import map of its npm dependencies as `npm:` specifiers at the ranges of
 *   package.json, so the published package needs neither package.json nor node_modules. Its sibling
 *   packages resolve through the Deno workspace (JSR `@pipedrive-effect/*` at the same version).
 * - `packages/scripts/src/cli/Version.ts`: what `pipedrive-effect --version` prints.
 *
 * It also fails when a package has no CHANGELOG.md.
 *
 *   node tools/sync-packages.mjs           # write them (`npm run version-packages` runs it after changesets)
 *   node tools/sync-packages.mjs --check   # exit 1 if any is stale (a test runs this)
 */
import { readFileSync, writeFileSync } from "node:fs"
import { fileURLToPath } from "node:url"

const repo = fileURLToPath(new URL("..", import.meta.url))
const packages = ["core", "sandbox", "scripts"]

const readJson = (path) => JSON.parse(readFileSync(`${repo}${path}`, "utf8"))

/** The files each package's deno.json should hold, by path from the repository root. */
export const expectedFiles = () => {
  const files = new Map()
  for (const name of packages) {
    const pkg = readJson(`packages/${name}/package.json`)
    const imports = {}
    for (const [dependency, range] of Object.entries(pkg.dependencies ?? {}).sort(([a], [b]) => a.localeCompare(b))) {
      if (dependency.startsWith("@pipedrive-effect/")) continue // the workspace member
      imports[dependency] = `npm:${dependency}@${range}`
      imports[`${dependency}/`] = `npm:/${dependency}@${range}/`
    }
    const exports = pkg.bin === undefined ? "./src/index.ts" : { ".": "./src/index.ts", "./bin": "./src/bin.ts" }
    const deno = {
      name: pkg.name,
      version: pkg.version,
      license: pkg.license,
      exports,
      imports,
      publish: { include: ["LICENSE", "README.md", "src/**/*.ts"] }
    }
    files.set(`packages/${name}/deno.json`, `${JSON.stringify(deno, null, 2)}\n`)
  }
  const version = readJson("packages/scripts/package.json").version
  files.set(
    "packages/scripts/src/cli/Version.ts",
    `// Written by tools/sync-packages.mjs from package.json (\`npm run version-packages\`); do not edit.\n` +
      `/** What \`pipedrive-effect --version\` prints: the version of @pipedrive-effect/scripts. */\n` +
      `export const version = ${JSON.stringify(version)}\n`
  )
  return files
}

const main = () => {
  const check = process.argv.includes("--check")
  const stale = []
  for (const [path, text] of expectedFiles()) {
    let current
    try {
      current = readFileSync(`${repo}${path}`, "utf8")
    } catch {
      current = undefined
    }
    if (current === text) continue
    stale.push(path)
    if (!check) writeFileSync(`${repo}${path}`, text)
  }
  // Changesets prepends each release to it; a package without one would start a changelog mid-way.
  const noChangelog = packages.filter((name) => {
    try {
      return !readFileSync(`${repo}packages/${name}/CHANGELOG.md`, "utf8").startsWith(`# @pipedrive-effect/${name}\n`)
    } catch {
      return true
    }
  })
  if (noChangelog.length > 0) {
    console.error(`no CHANGELOG.md (starting "# @pipedrive-effect/NAME") in: ${noChangelog.join(", ")}`)
    process.exit(1)
  }
  if (check && stale.length > 0) {
    console.error(`stale, run node tools/sync-packages.mjs: ${stale.join(", ")}`)
    process.exit(1)
  }
  if (!check) console.log(stale.length === 0 ? "up to date" : `wrote ${stale.join(", ")}`)
}

main()
