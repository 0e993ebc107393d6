#!/usr/bin/env node
/**
 * Writes the explicit types JSR asks for (`deno publish` without `--allow-slow-types`), with
 * TypeScript's own quick fixes for `isolatedDeclarations` ("Add annotation of type …", "Add return
 * type …", "Extract base class to variable"): the type written is the one tsc infers and puts in
 * the `.d.ts`, so nothing changes for a user. Only the places `deno publish --dry-run` reports are
 * touched, one fix at a time, until it reports none (or nothing more can be fixed).
 *
 *   node tools/explicit-types.mjs [packages/NAME …]    # default: every package
 *   node tools/explicit-types.mjs --simplify packages/NAME …
 *       # then: where an annotation spells out another annotated schema, `typeof ThatSchema`
 *
 * Review what it writes: an inferred type can be long or name `import("…")` types, and a shorter
 * hand-written one (an interface, `Schema.Schema<A, I>`) often reads better.
 */
import { spawnSync } from "node:child_process"
import { readFileSync, writeFileSync } from "node:fs"
import { dirname, join, relative, resolve } from "node:path"
import { fileURLToPath } from "node:url"
import ts from "typescript"

const repo = fileURLToPath(new URL("..", import.meta.url))
const only = process.argv.slice(2).filter((arg) => !arg.startsWith("--")).map((dir) => resolve(dir))

/** The slow-type problems deno reports: `{ file, line }` (1-based). */
const denoProblems = () => {
  const result = spawnSync(join(repo, "node_modules", ".bin", "deno"), ["publish", "--dry-run", "--allow-dirty"], {
    cwd: repo,
    encoding: "utf8",
    env: { ...process.env, NO_COLOR: "1" },
    maxBuffer: 64 * 1024 * 1024
  })
  const text = `${result.stdout}${result.stderr}`.replace(/\u001b\[[0-9;]*m/g, "")
  const problems = []
  for (const match of text.matchAll(/^error\[([\w-]+)\][^\n]*\n\s*--> (\/[^:]+):(\d+):(\d+)/gm)) {
    const file = match[2]
    if (only.length > 0 && !only.some((dir) => file.startsWith(`${dir}/`))) continue
    problems.push({ kind: match[1], file, line: Number(match[3]) })
  }
  return problems
}

/** A language service over one package's sources, with `isolatedDeclarations` on. */
const serviceFor = (tsconfig) => {
  const parsed = ts.getParsedCommandLineOfConfigFile(tsconfig, { isolatedDeclarations: true }, {
    ...ts.sys,
    onUnRecoverableConfigFileDiagnostic: (d) => {
      throw new Error(ts.flattenDiagnosticMessageText(d.messageText, "\n"))
    }
  })
  const versions = new Map()
  const host = {
    getScriptFileNames: () => parsed.fileNames,
    getScriptVersion: (file) => String(versions.get(file) ?? 0),
    getScriptSnapshot: (file) => (ts.sys.fileExists(file) ? ts.ScriptSnapshot.fromString(ts.sys.readFile(file)) : undefined),
    getCurrentDirectory: () => dirname(tsconfig),
    getCompilationSettings: () => parsed.options,
    getDefaultLibFileName: ts.getDefaultLibFilePath,
    fileExists: ts.sys.fileExists,
    readFile: ts.sys.readFile,
    readDirectory: ts.sys.readDirectory,
    directoryExists: ts.sys.directoryExists,
    getDirectories: ts.sys.getDirectories,
    getProjectReferences: () => parsed.projectReferences
  }
  const service = ts.createLanguageService(host, ts.createDocumentRegistry())
  return { service, touched: (file) => versions.set(file, (versions.get(file) ?? 0) + 1) }
}

const services = new Map()
const packageOf = (file) => {
  const dir = file.slice(0, file.indexOf("/src/"))
  if (!services.has(dir)) services.set(dir, serviceFor(join(dir, "tsconfig.json")))
  return services.get(dir)
}

const preferences = { quotePreference: "double", includeCompletionsForModuleExports: false }
const format = { ...ts.getDefaultFormatCodeSettings(), indentSize: 2, tabSize: 2, convertTabsToSpaces: true, semicolons: ts.SemicolonPreference.Remove }

/** Applies TypeScript's first isolatedDeclarations fix on `line` of `file`; true if it changed something. */
const fixAt = ({ file, line }) => {
  const { service, touched } = packageOf(file)
  const diagnostics = service.getSemanticDiagnostics(file).concat(service.getSyntacticDiagnostics(file))
  const source = service.getProgram().getSourceFile(file)
  for (const diagnostic of diagnostics) {
    if (diagnostic.start === undefined || diagnostic.code < 9007 || diagnostic.code > 9039) continue
    if (source.getLineAndCharacterOfPosition(diagnostic.start).line + 1 !== line) continue
    const fixes = service.getCodeFixesAtPosition(file, diagnostic.start, diagnostic.start + (diagnostic.length ?? 0), [diagnostic.code], format, preferences)
    const fix = fixes.find((f) => /annotation|return type|Extract base class/i.test(f.description)) ?? fixes[0]
    if (fix === undefined) continue
    for (const change of fix.changes) {
      let text = readFileSync(change.fileName, "utf8")
      for (const edit of [...change.textChanges].sort((a, b) => b.span.start - a.span.start)) {
        text = text.slice(0, edit.span.start) + edit.newText + text.slice(edit.span.start + edit.span.length)
      }
      writeFileSync(change.fileName, text)
      touched(change.fileName)
    }
    console.log(`${file.slice(repo.length)}:${line}: ${fix.description.slice(0, 120)}`)
    return true
  }
  return false
}

// ---- shorter types: `typeof Name` for a schema the annotation spells out again ------------------

const squeeze = (text) => {
  // The text without whitespace, and for each of its characters the offset in `text`…
  // …and without comments: a type printed from another file has lost its members' doc comments.
  let out = ""
  const at = []
  for (let i = 0; i < text.length; i++) {
    if (text.startsWith("/*", i)) {
      i = text.indexOf("*/", i + 2) + 1
      continue
    }
    if (/\s/.test(text[i])) continue
    out += text[i]
    at.push(i)
  }
  return { out, at }
}

/** Every `const NAME: TYPE = …` of the package's sources: `{ file, name, type, start, end }`. */
const annotatedConstants = (dir) => {
  const found = []
  const walk = (node, file, sourceFile) => {
    if (ts.isVariableDeclaration(node) && ts.isIdentifier(node.name) && node.type !== undefined && node.initializer !== undefined) {
      const statement = node.parent?.parent
      const exported = statement !== undefined && ts.isVariableStatement(statement) &&
        (statement.modifiers ?? []).some((m) => m.kind === ts.SyntaxKind.ExportKeyword)
      found.push({ file, name: node.name.text, exported, type: node.type.getText(sourceFile), start: node.type.getStart(sourceFile), end: node.type.end })
    }
    ts.forEachChild(node, (child) => walk(child, file, sourceFile))
  }
  for (const file of ts.sys.readDirectory(join(dir, "src"), [".ts"])) {
    const sourceFile = ts.createSourceFile(file, readFileSync(file, "utf8"), ts.ScriptTarget.Latest, true)
    walk(sourceFile, file, sourceFile)
  }
  return found
}

/**
 * How `file` can name the constant `name` of `owner` in a type: `{ reference }` (`Name`,
 * `Module.Name`), with `{ addImport }` when a type-only import must bring it (`typeof` accepts one),
 * or undefined.
 */
const referenceIn = (file, owner, name, exported) => {
  if (file === owner) return { reference: name }
  const text = readFileSync(file, "utf8")
  const sourceFile = ts.createSourceFile(file, text, ts.ScriptTarget.Latest, true)
  for (const statement of sourceFile.statements) {
    if (!ts.isImportDeclaration(statement) || statement.importClause === undefined) continue
    const target = resolve(dirname(file), statement.moduleSpecifier.text)
    if (target !== owner) continue
    const bindings = statement.importClause.namedBindings
    if (bindings === undefined) continue
    if (ts.isNamespaceImport(bindings)) return { reference: `${bindings.name.text}.${name}` }
    for (const element of bindings.elements) {
      if ((element.propertyName ?? element.name).text === name) return { reference: element.name.text }
    }
  }
  // Only an exported constant of the same package.
  if (!exported || !owner.startsWith(file.slice(0, file.indexOf("/src/") + 5))) return undefined
  // The name must be free in the file.
  if (new RegExp(`\\b${name}\\b`).test(text)) return undefined
  let path = relative(dirname(file), owner)
  if (!path.startsWith(".")) path = `./${path}`
  return { reference: name, addImport: `import type { ${name} } from "${path}"\n` }
}

const simplify = (dir) => {
  let changed = 0
  for (let pass = 0; pass < 5000; pass++) {
    const constants = annotatedConstants(dir)
    let edit
    search: for (const target of constants) {
      const squeezed = squeeze(target.type)
      // The longest other schema spelled out inside this annotation.
      const candidates = constants
        .filter((c) => c !== target && c.type.length >= 40 && c.type.length < target.type.length)
        .sort((a, b) => b.type.length - a.type.length)
      for (const candidate of candidates) {
        const needle = squeeze(candidate.type).out
        const index = squeezed.out.indexOf(needle)
        if (index < 0) continue
        const found = referenceIn(target.file, candidate.file, candidate.name, candidate.exported)
        if (found === undefined) continue
        // A small shape (`{ id }`) is no sign of a schema shared on purpose: only one the file
        // already imports stands in for it.
        if (found.addImport !== undefined && needle.length < 150) continue
        const from = target.start + squeezed.at[index]
        const to = target.start + squeezed.at[index + needle.length - 1] + 1
        edit = { file: target.file, from, to, text: `typeof ${found.reference}`, addImport: found.addImport }
        break search
      }
    }
    if (edit === undefined) break
    let text = readFileSync(edit.file, "utf8")
    text = text.slice(0, edit.from) + edit.text + text.slice(edit.to)
    if (edit.addImport !== undefined) {
      // After the last import.
      const sourceFile = ts.createSourceFile(edit.file, text, ts.ScriptTarget.Latest, true)
      const imports = sourceFile.statements.filter(ts.isImportDeclaration)
      const at = imports.length === 0 ? 0 : imports[imports.length - 1].end + 1
      text = text.slice(0, at) + edit.addImport + text.slice(at)
    }
    writeFileSync(edit.file, text)
    changed++
  }
  return changed
}

if (process.argv[2] === "--simplify") {
  for (const dir of process.argv.slice(3)) console.log(`${dir}: ${simplify(resolve(dir))} annotations shortened`)
  process.exit(0)
}

for (let round = 1; round <= 50; round++) {
  const problems = denoProblems()
  if (problems.length === 0) {
    console.log("no slow types left")
    break
  }
  // Bottom-up within a file, so earlier lines keep their numbers.
  problems.sort((a, b) => (a.file === b.file ? b.line - a.line : a.file.localeCompare(b.file)))
  let fixed = 0
  const done = new Set()
  for (const problem of problems) {
    const key = `${problem.file}:${problem.line}`
    if (done.has(key)) continue
    done.add(key)
    if (fixAt(problem)) fixed++
  }
  console.log(`round ${round}: ${problems.length} problems, ${fixed} fixed`)
  if (fixed === 0) {
    for (const p of problems) console.log(`  not fixed: ${p.file.slice(repo.length)}:${p.line} ${p.kind}`)
    break
  }
}
