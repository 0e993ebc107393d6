// `npm test`: type-check every project, check the imports (no circles, the packages' architecture:
// .dependency-cruiser.cjs) and that the packages are fit to publish (`npm run check:packages`: npm
// tarballs, publint, attw, JSR without slow types, doc examples, doc comments), then run every
// vitest suite (the package suites and the cross-package ones in test/, which include the Deno runs),
// and end with one plain summary line. A failed check counts as one failed test and fails the run,
// but the suites still run.
import { spawnSync } from "node:child_process"
import { mkdtempSync, readFileSync, rmSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const run = (cmd, args) => spawnSync(cmd, args, { stdio: "inherit", shell: false }).status ?? 1

const npx = process.platform === "win32" ? "npx.cmd" : "npx"
console.log("> tsc -b")
if (run(npx, ["tsc", "-b"]) !== 0) {
  console.log("tests: 0 passed, 1 failed (type check)")
  process.exit(1)
}
// The Node CLI the e2e suites run is the bundle of what tsc just built.
if (run(process.execPath, ["packages/scripts/bundle.mjs"]) !== 0) {
  console.log("tests: 0 passed, 1 failed (bundling the CLI)")
  process.exit(1)
}

// Import circles and architecture rules, over every package's sources (`npm run check:deps`).
console.log("> npm run check:deps")
const depsFailed = run(npx, [
  "depcruise", "--config", ".dependency-cruiser.cjs", "--output-type", "err",
  "packages/core/src", "packages/sandbox/src", "packages/scripts/src"
]) !== 0
if (depsFailed) console.log("dependency check FAILED: import circles or architecture rules broken (see above; npm run check:deps)")

// The packages as they would be published (tools/check-packages.mjs).
console.log("> npm run check:packages")
const packagesFailed = run(process.execPath, ["tools/check-packages.mjs"]) !== 0
if (packagesFailed) console.log("package check FAILED (see above; npm run check:packages)")

const dir = mkdtempSync(join(tmpdir(), "pipedrive-effect-test-"))
const report = join(dir, "vitest.json")
const extra = process.argv.slice(2)
console.log("> vitest run")
const status = run(npx, [
  "vitest", "run", "--reporter=default", "--reporter=json", `--outputFile.json=${report}`, ...extra
])
let passed = 0
let failed = 0
let skipped = 0
try {
  const json = JSON.parse(readFileSync(report, "utf8"))
  passed = json.numPassedTests
  failed = json.numFailedTests
  skipped = json.numPendingTests + json.numTodoTests
} catch {
  failed = Math.max(failed, 1)
}
rmSync(dir, { recursive: true, force: true })
if (status !== 0 && failed === 0) failed = 1
if (depsFailed) failed += 1
if (packagesFailed) failed += 1
const checksFailed = [depsFailed && "the dependency check", packagesFailed && "the package check"].filter(Boolean)
const notes = checksFailed.length > 0 ? ` (counting ${checksFailed.join(" and ")})` : ""
console.log(`tests: ${passed} passed, ${failed} failed${skipped > 0 ? `, ${skipped} skipped` : ""}${notes}`)
process.exit(status === 0 && failed === 0 ? 0 : 1)
