// Bundles the built CLI (dist/bin.js and everything it imports: core, Effect, the CSV libraries)
// into dist/cli/, which the bin runs: Node then starts the CLI without resolving and compiling some
// 900 ES modules one by one, a third of the start-up time it had (bench/BENCHMARKS.md, "Start-up").
// What only `demo` needs (the embedded sandbox) is split into a chunk of its own, loaded by `demo`.
// The library entry (dist/index.js) stays unbundled. Run by `npm run build` after `tsc -b`; under
// Deno the CLI runs from src/ and needs none of this.
import { build } from "esbuild"
import { rmSync } from "node:fs"
import { fileURLToPath } from "node:url"

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
const outdir = here("dist/cli")

rmSync(outdir, { recursive: true, force: true })
await build({
  entryPoints: [here("dist/bin.js")],
  outdir,
  outExtension: { ".js": ".mjs" },
  bundle: true,
  splitting: true,
  platform: "node",
  format: "esm",
  target: "node20",
  // CommonJS dependencies call `require`, which an ES module lacks.
  banner: { js: "import { createRequire as __pipedriveEffectRequire } from \"node:module\"; const require = __pipedriveEffectRequire(import.meta.url);" },
  logLevel: "warning"
})
