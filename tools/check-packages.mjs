#!/usr/bin/env node
/**
 * `npm run check:packages` (also run by `npm test`): are the packages fit to publish? Needs the
 * build (`npm run build`). Each check prints one line, and its tool's output when it fails:
 *
 * - files:    what `npm pack` would ship is the package's README, LICENSE and package.json, its bins,
 *             and `dist/**` as `.js`, `.js.map` and `.d.ts` (plus the CLI bundle): no sources, tests
 *             or tsbuildinfo; and the entry point, its types and every bin are there.
 * - publint:  `publint --strict` on each package (as packed).
 * - attw:     `attw --pack --profile esm-only` on each package: the types resolve for ESM users
 *             (node16 and bundler resolution).
 * - jsr:      `deno publish --dry-run` without `--allow-slow-types`: every export has an explicit
 *             type, every import resolves for JSR, the licence is there.
 * - examples: every `@example` in the sources compiles (tools/check-doc-examples.mjs).
 * - docs:     `typedoc --emit none`: every export has a doc comment, every `{@link}` resolves, and
 *             every type the API names is exported (typedoc.json's validation, warnings as errors).
 * - sync:     the deno.json files and the CLI's version agree with package.json
 *             (tools/sync-packages.mjs --check).
 *
 *   node tools/check-packages.mjs                          # the workspace's packages
 *   node tools/check-packages.mjs --only jsr,examples      # some checks
 *   node tools/check-packages.mjs --root DIR --packages .  # another project (the failing-check test)
 */
import { spawnSync } from "node:child_process"
import { existsSync, readFileSync } from "node:fs"
import { join, resolve } from "node:path"
import { fileURLToPath } from "node:url"

const repo = fileURLToPath(new URL("..", import.meta.url))
const bin = (name) => join(repo, "node_modules", ".bin", name)

const args = process.argv.slice(2)
const option = (name) => {
  const i = args.indexOf(name)
  return i < 0 ? undefined : args[i + 1]
}
const root = resolve(option("--root") ?? repo)
const packageDirs = (option("--packages")?.split(",") ?? ["packages/core", "packages/sandbox", "packages/scripts"])
  .map((dir) => resolve(root, dir))
const only = option("--only")?.split(",")

/** Runs a command; its output is kept, to print if the check fails. */
const exec = (command, commandArgs, cwd) => {
  const result = spawnSync(command, commandArgs, {
    cwd,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    maxBuffer: 64 * 1024 * 1024
  })
  const output = `${result.stdout ?? ""}${result.stderr ?? ""}${result.error ? String(result.error) : ""}`
  return { ok: result.status === 0, output: output.replace(/\u001b\[[0-9;]*m/g, "") }
}

const allowed = /^(package\.json|README\.md|LICENSE|bin\/[^/]+\.mjs|dist\/.+\.(js|js\.map|d\.ts)|dist\/cli\.cjs)$/

/** The files `npm pack` would put in the tarball of `dir`, checked against what belongs there. */
const packedFiles = (dir) => {
  const packed = exec("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], dir)
  if (!packed.ok) return packed
  const files = JSON.parse(packed.output.slice(packed.output.indexOf("["))).flatMap((p) => p.files.map((f) => f.path))
  const pkg = JSON.parse(readFileSync(join(dir, "package.json"), "utf8"))
  const entry = pkg.exports?.["."] ?? {}
  const required = [
    "package.json",
    "README.md",
    "LICENSE",
    ...[entry.default, entry.types].filter((path) => typeof path === "string"),
    ...Object.values(pkg.bin ?? {})
  ].map((path) => path.replace(/^\.\//, ""))
  const problems = [
    ...files.filter((file) => !allowed.test(file)).map((file) => `ships ${file}, which does not belong in the package`),
    ...required.filter((file) => !files.includes(file)).map((file) => `does not ship ${file}`)
  ]
  return { ok: problems.length === 0, output: problems.map((p) => `${pkg.name}: ${p}`).join("\n") }
}

const perPackage = (check) => () => {
  const results = packageDirs.map(check)
  return { ok: results.every((r) => r.ok), output: results.filter((r) => !r.ok).map((r) => r.output).join("\n") }
}

const checks = {
  files: perPackage(packedFiles),
  publint: perPackage((dir) => exec(bin("publint"), ["--strict", "--pack", "npm", dir], root)),
  attw: perPackage((dir) => exec(bin("attw"), ["--pack", dir, "--profile", "esm-only", "--no-color"], root)),
  jsr: () => exec(bin("deno"), ["publish", "--dry-run", "--allow-dirty", "--no-check=remote"], root),
  examples: () =>
    exec(process.execPath, [
      join(repo, "tools", "check-doc-examples.mjs"),
      "--root",
      root,
      ...packageDirs.map((dir) => join(dir, "src"))
    ], root),
  docs: () => exec(bin("typedoc"), ["--emit", "none", "--logLevel", "Warn"], root),
  sync: () => (root === resolve(repo) ? exec(process.execPath, [join(repo, "tools", "sync-packages.mjs"), "--check"], root) : { ok: true, output: "" })
}

let failed = 0
for (const [name, check] of Object.entries(checks)) {
  if (only !== undefined && !only.includes(name)) continue
  const started = Date.now()
  const result = check()
  const seconds = ((Date.now() - started) / 1000).toFixed(1)
  if (result.ok) console.log(`check:packages ${name}: ok (${seconds} s)`)
  else {
    failed++
    console.log(`check:packages ${name}: FAILED (${seconds} s)\n${result.output.trim()}`)
  }
}
if (!existsSync(join(packageDirs[0], "dist"))) console.log("(no dist/: run npm run build first)")
process.exit(failed === 0 ? 0 : 1)
