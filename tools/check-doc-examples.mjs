#!/usr/bin/env node
/**
 * Type-checks every `@example` in the doc comments of the packages' sources, the way a user would
 * paste it: each example is a whole module (its own imports, by package name), written to a file of
 * its own and compiled with the project's strict options against what the packages publish
 * (`@pipedrive-effect/*` resolve through node_modules to the built `dist/*.d.ts`, so run it after
 * `npm run build`). Examples are compiled, never run: most of them talk to Pipedrive.
 *
 *   node tools/check-doc-examples.mjs                     # packages/*\/src
 *   node tools/check-doc-examples.mjs --root DIR SRC…     # other sources (the failing-check test)
 *
 * An `@example` holds one or more ```ts fences (or, without a fence, its whole text until the next
 * tag). An example in an internal module, which users cannot import, imports it by relative path
 * (`import { costOf } from "./OperationCost.ts"`), resolved from the module's folder. Prints each error at the example's place in the source; exits 1 if any example fails.
 */
import { mkdirSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const repo = fileURLToPath(new URL("..", import.meta.url))

/** Every `.ts` file under `dir`, sorted. */
const sourcesUnder = (dir) =>
  readdirSync(dir).sort().flatMap((name) => {
    const path = join(dir, name)
    if (statSync(path).isDirectory()) return sourcesUnder(path)
    return name.endsWith(".ts") && !name.endsWith(".d.ts") ? [path] : []
  })

const lineOf = (text, offset) => text.slice(0, offset).split("\n").length

/** The examples of one file: `{ file, line, code }`, `line` being where the code starts. */
export const examplesOf = (file) => {
  const text = readFileSync(file, "utf8")
  const examples = []
  for (const comment of text.matchAll(/\/\*\*[\s\S]*?\*\//g)) {
    // The comment's lines without their ` * ` margin, each with its line number in the file.
    const first = lineOf(text, comment.index)
    const lines = comment[0].replace(/^\/\*\*|\*\/$/g, "").split("\n").map((raw, i) => ({
      line: first + i,
      text: raw.replace(/^\s*\* ?/, "")
    }))
    for (let i = 0; i < lines.length; i++) {
      if (!/^\s*@example\b/.test(lines[i].text)) continue
      // The tag's body: up to the next block tag.
      let end = i + 1
      while (end < lines.length && !/^\s*@\w+/.test(lines[end].text)) end++
      const body = lines.slice(i + 1, end)
      const fences = []
      let open = -1
      body.forEach((l, j) => {
        if (/^\s*```/.test(l.text)) {
          if (open < 0) open = j
          else {
            fences.push(body.slice(open + 1, j))
            open = -1
          }
        }
      })
      if (fences.length === 0 && body.some((l) => l.text.trim() !== "")) fences.push(body)
      for (const fence of fences) {
        if (fence.length === 0) continue
        const code = fence.map((l) => l.text).join("\n") + "\n"
        // An example in an internal module imports it by relative path, as its neighbours do.
        const absolute = code.replace(/(from\s+|import\s*\(\s*)"(\.\.?\/[^"]+)"/g, (_, lead, path) => `${lead}"${resolve(dirname(file), path)}"`)
        examples.push({ file, line: fence[0].line, code: absolute })
      }
      i = end - 1
    }
  }
  return examples
}

/** Compiles `examples` in `workDir` (which must see the packages' node_modules); returns the errors. */
export const checkExamples = (examples, workDir) => {
  rmSync(workDir, { recursive: true, force: true })
  mkdirSync(workDir, { recursive: true })
  const byFile = new Map()
  examples.forEach((example, i) => {
    const path = join(workDir, `example-${String(i).padStart(4, "0")}.ts`)
    writeFileSync(path, example.code)
    byFile.set(path, example)
  })
  const options = {
    target: ts.ScriptTarget.ES2022,
    lib: ["lib.es2022.d.ts", "lib.dom.d.ts", "lib.dom.iterable.d.ts"],
    module: ts.ModuleKind.NodeNext,
    moduleResolution: ts.ModuleResolutionKind.NodeNext,
    strict: true,
    exactOptionalPropertyTypes: true,
    noUncheckedIndexedAccess: true,
    verbatimModuleSyntax: true,
    isolatedModules: true,
    allowImportingTsExtensions: true,
    skipLibCheck: true,
    noEmit: true,
    types: ["node"],
    typeRoots: [join(repo, "node_modules", "@types")],
    // A module with no import or export is a script to TypeScript: its top-level names would clash
    // with other examples'; every example is a module, as in a user's file.
    moduleDetection: ts.ModuleDetectionKind.Force
  }
  const program = ts.createProgram([...byFile.keys()], options)
  const errors = []
  for (const diagnostic of ts.getPreEmitDiagnostics(program)) {
    const message = ts.flattenDiagnosticMessageText(diagnostic.messageText, "\n")
    const example = diagnostic.file ? byFile.get(resolve(diagnostic.file.fileName)) : undefined
    if (example === undefined) {
      errors.push(`${diagnostic.file ? relative(repo, diagnostic.file.fileName) : "(options)"}: ${message}`)
      continue
    }
    const { line, character } = diagnostic.file.getLineAndCharacterOfPosition(diagnostic.start ?? 0)
    errors.push(`${relative(process.cwd(), example.file)}:${example.line + line}:${character + 1}: @example: ${message}`)
  }
  rmSync(workDir, { recursive: true, force: true })
  return errors
}

const main = () => {
  const args = process.argv.slice(2)
  let root = repo
  if (args[0] === "--root") {
    root = resolve(args[1])
    args.splice(0, 2)
  }
  const dirs = args.length > 0
    ? args.map((dir) => resolve(dir))
    : ["core", "sandbox", "scripts"].map((name) => join(repo, "packages", name, "src"))
  const examples = dirs.flatMap(sourcesUnder).flatMap(examplesOf)
  const errors = checkExamples(examples, join(root, "tmp", `doc-examples-${process.pid}`))
  for (const error of errors) console.error(error)
  console.log(`doc examples: ${examples.length} checked, ${errors.length === 0 ? "all compile" : `${errors.length} errors`}`)
  process.exit(errors.length === 0 ? 0 : 1)
}

if (process.argv[1] !== undefined && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main()
