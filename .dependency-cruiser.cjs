/**
 * `npm run check:deps` (and a step of `npm test`): no import circles in any package's sources, and
 * the packages' architecture.
 *
 * - core is the client: it never imports the sandbox or the scripts;
 * - the sandbox plays Pipedrive: it never imports core (it must not share the client's view of the
 *   API) or the scripts;
 * - in packages/scripts/src, the layers cli/ > workflows/ > records/ and files/: cli may import
 *   workflows, records and files; workflows may import records and files (not cli); records and
 *   files never import workflows or cli; and nothing imports cli/ but src/bin.ts and src/index.ts.
 *
 * A package imported by name (`@pipedrive-effect/core`) resolves through node_modules to the
 * package's folder (its dist/, built by `tsc -b`), so the cross-package rules match both the
 * resolved path and the bare name (in case it does not resolve).
 */
const pkg = (names) => [`^packages/(${names})/`, `^(node_modules/)?@pipedrive-effect/(${names})($|/)`]
const scripts = (folders) => `^packages/scripts/src/(${folders})/`

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: "no-circular",
      severity: "error",
      comment: "An import circle: the modules on it can only be understood (and initialised) together.",
      from: { path: "^packages/[^/]+/src/" },
      to: { circular: true }
    },
    {
      name: "core-imports-no-sandbox-or-scripts",
      severity: "error",
      comment: "packages/core/src is the client; it never depends on the sandbox or the scripts.",
      from: { path: "^packages/core/src/" },
      to: { path: pkg("sandbox|scripts") }
    },
    {
      name: "sandbox-imports-no-core-or-scripts",
      severity: "error",
      comment: "packages/sandbox/src plays Pipedrive on its own; it never depends on core or the scripts.",
      from: { path: "^packages/sandbox/src/" },
      to: { path: pkg("core|scripts") }
    },
    {
      name: "scripts-workflows-import-no-cli",
      severity: "error",
      comment: "workflows/ may import records/ and files/, never cli/.",
      from: { path: scripts("workflows") },
      to: { path: scripts("cli") }
    },
    {
      name: "scripts-records-files-import-no-workflows-or-cli",
      severity: "error",
      comment: "records/ and files/ are the bottom layer: they never import workflows/ or cli/.",
      from: { path: scripts("records|files") },
      to: { path: scripts("workflows|cli") }
    },
    {
      name: "scripts-only-bin-and-index-import-cli",
      severity: "error",
      comment: "Nothing imports cli/ but src/bin.ts and src/index.ts (and cli/ itself).",
      from: {
        path: "^packages/scripts/src/",
        pathNot: ["^packages/scripts/src/(bin|index)\\.ts$", scripts("cli")]
      },
      to: { path: scripts("cli") }
    }
  ],
  options: {
    doNotFollow: { path: ["node_modules", "^packages/[^/]+/dist/"] },
    includeOnly: { path: ["^packages/", "^node_modules/@pipedrive-effect/", "^@pipedrive-effect/"] },
    tsPreCompilationDeps: true,
    // `import type` counts too: a circle of types is still a circle to read.
    tsConfig: { fileName: "tsconfig.base.json" },
    enhancedResolveOptions: {
      exportsFields: ["exports"],
      conditionNames: ["import", "require", "node", "default", "types"],
      extensions: [".ts", ".js", ".mjs", ".cjs", ".d.ts"]
    }
  }
}
