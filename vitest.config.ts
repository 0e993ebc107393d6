import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url))

// Tests import the packages by name; point those names at the TypeScript sources so a test run
// never depends on a stale `dist/`.
const alias = {
  // Tests run on Node: core as Node resolves it (its `node` export condition).
  "@pipedrive-effect/core": fileURLToPath(new URL("./packages/core/src/index.node.ts", import.meta.url)),
  "@pipedrive-effect/sandbox": src("sandbox"),
  "@pipedrive-effect/scripts": src("scripts")
}

// Two pools side by side (vitest runs each pool's files at the same time as the other's): the
// package suites, which mostly compute, in one worker thread; the e2e suites, which mostly wait on
// the CLI and sandbox processes they start (and on the timeouts and rate limits those play), in 2
// forked workers. With vitest's default of one worker on 2 cores (cpus - 1), every e2e file waited
// for the one before it, and the package suites for all of them. `VITEST_E2E_WORKERS` overrides the 2.
const e2eWorkers = Number(process.env["VITEST_E2E_WORKERS"] ?? 2)
// Beside the e2e workers on a loaded 2-core machine a package test can wait seconds for a core
// (vitest's default of 5 s expired on two of them in a run at a load average of 10): a generous
// bound, never a measure of speed (that is bench/).
const unitTimeout = 30_000

export default defineConfig({
  resolve: { alias },
  test: {
    poolOptions: {
      threads: { maxThreads: 1, minThreads: 1 },
      forks: { maxForks: e2eWorkers, minForks: 1 }
    },
    projects: [
      { resolve: { alias }, test: { name: "core", pool: "threads", testTimeout: unitTimeout, hookTimeout: unitTimeout, include: ["packages/core/test/**/*.test.ts"] } },
      { resolve: { alias }, test: { name: "sandbox", pool: "threads", testTimeout: unitTimeout, hookTimeout: unitTimeout, include: ["packages/sandbox/test/**/*.test.ts"] } },
      { resolve: { alias }, test: { name: "scripts", pool: "threads", testTimeout: unitTimeout, hookTimeout: unitTimeout, include: ["packages/scripts/test/**/*.test.ts"] } },
      {
        resolve: { alias },
        test: { name: "e2e", pool: "forks", include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 }
      }
    ]
  }
})
