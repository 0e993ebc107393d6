// Bundles the built CLI (dist/bin.js and everything it imports: core, the demo's sandbox, Effect,
// the CSV libraries) into one CommonJS file, dist/cli.cjs, which bin/pipedrive-effect.mjs runs with
// V8's code cache. Node then starts the CLI without resolving and compiling some 900 ES modules one
// by one, and from the second run on without compiling the bundle either: 1.5 s to about 0.35 s
// (bench/BENCHMARKS.md, "Start-up"). The library entry (dist/index.js) stays unbundled ES modules.
// Run by `npm run build` after `tsc -b`; under Deno the CLI runs from src/ and needs none of this.
import { build } from "esbuild"
import { fileURLToPath } from "node:url"

const here = (path) => fileURLToPath(new URL(path, import.meta.url))

await build({
  entryPoints: [here("dist/bin.js")],
  outfile: here("dist/cli.cjs"),
  bundle: true,
  platform: "node",
  format: "cjs",
  target: "node20",
  logLevel: "warning"
})
