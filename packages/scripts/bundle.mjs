// Bundles the built CLI (dist/bin.js and everything it imports: core, the demo's sandbox, Effect,
// the CSV libraries) into one CommonJS file, dist/cli.cjs, which bin/pipedrive-effect.mjs runs with
// V8's code cache. Node then starts the CLI without resolving and compiling some 900 ES modules one
// by one, and from the second run on without compiling the bundle either: 1.5 s to about 0.35 s
// (bench/BENCHMARKS.md, "Start-up"). The library entry (dist/index.js) stays unbundled ES modules.
// Run by `npm run build` after `tsc -b`; under Deno the CLI runs from src/ and needs none of this.
import { build } from "esbuild"
import { readFileSync, writeFileSync } from "node:fs"
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

// ASCII only: esbuild escapes other characters in strings, but not in the comments it keeps, and a
// single "…" there makes V8 hold the whole 3.8 MB source (which the bin's Script keeps for as long
// as the process runs) as a two-byte string: 7.6 MB of heap instead of 3.8. In a comment the escape
// is as good as the character.
const outfile = here("dist/cli.cjs")
const source = readFileSync(outfile, "utf8")
const ascii = source.replace(/[^\x00-\x7f]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`)
if (ascii !== source) writeFileSync(outfile, ascii)
