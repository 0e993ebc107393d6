import { fileURLToPath } from "node:url"
import { defineConfig } from "vitest/config"

const src = (pkg: string) => fileURLToPath(new URL(`./packages/${pkg}/src/index.ts`, import.meta.url))

// Tests import the packages by name; point those names at the TypeScript sources so a test run
// never depends on a stale `dist/`.
const alias = {
  "@pipedrive-effect/core": src("core"),
  "@pipedrive-effect/sandbox": src("sandbox"),
  "@pipedrive-effect/scripts": src("scripts")
}

export default defineConfig({
  resolve: { alias },
  test: {
    projects: [
      { resolve: { alias }, test: { name: "core", include: ["packages/core/test/**/*.test.ts"] } },
      { resolve: { alias }, test: { name: "sandbox", include: ["packages/sandbox/test/**/*.test.ts"] } },
      { resolve: { alias }, test: { name: "scripts", include: ["packages/scripts/test/**/*.test.ts"] } },
      {
        resolve: { alias },
        test: { name: "e2e", include: ["test/**/*.test.ts"], testTimeout: 120_000, hookTimeout: 120_000 }
      }
    ]
  }
})
