#!/usr/bin/env node
/**
 * Extracts the persons part of Pipedrive's OpenAPI files, and the example bodies of the seeds, into
 * fixtures that core's tests read. The sources live in `../shared/` (next to this repository on
 * developer machines and CI), which a user who clones the repository does not have, so the tests read
 * these committed fixtures instead and never `../shared` itself.
 *
 * Run by hand from the repository root after the specs or seeds change, then commit the result:
 *
 *   node tools/extract-spec.mjs           # write the fixtures
 *   node tools/extract-spec.mjs --check   # exit 1 if the committed fixtures are stale (for CI)
 *
 * Inputs (override with PIPEDRIVE_SPEC_DIR / PIPEDRIVE_SEEDS_DIR):
 *   ../shared/pipedrive-spec/openapi-v2.yaml, openapi-v1.yaml, openapi-v1-2026-01-14.yaml
 *   ../shared/seeds/*.txt
 *
 * Outputs:
 *   packages/core/test/fixtures/openapi-persons.json
 *     { "v2" | "v1" | "v1-2026-01-14": { source: { file, sha256, version },
 *         operations: { [operationId]: { operationId, method, path, "x-token-cost", deprecated,
 *           parameters: [{ name, in, required, schema }],
 *           requestBody?: { required, content: { [contentType]: schema } },
 *           responses: { [status]: schema } } } } }
 *     Every operation whose path contains `/persons` or `/personFields`. Schemas are OpenAPI 3.0
 *     schema objects with every `$ref` resolved inline (a reference back into itself becomes
 *     `{ "x-circular-ref": "#/..." }`) and without descriptions, examples and titles. Responses keep
 *     only JSON bodies.
 *   packages/core/test/fixtures/openapi-persons-examples.json
 *     { "v2" | "v1" | "v1-2026-01-14": { [operationId]: { [status]: body } } }: the example response
 *     bodies the spec gives for those operations (`[status:name]` where it names several).
 *   packages/core/test/fixtures/seeds/<api>-<operationId>.json
 *     Each JSON response body a seed shows after "RESPONSES" / "status: ...", as Pipedrive sent it.
 *     The operation is the one of the spec whose method and path match the seed's request line and
 *     whose parameters and request body fields cover the seed's (that tells v1 from v2).
 *   packages/core/test/fixtures/seeds/index.json
 *     Where each body came from: { [file]: { seed, api, spec, operationId, method, path, status } }.
 *
 * Output is deterministic (operations sorted by path then method, keys in spec order, 2-space JSON
 * with short values kept on one line, trailing newline), so regenerating unchanged inputs changes nothing.
 */
import { createHash } from "node:crypto"
import { mkdirSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import { parse } from "yaml"

const root = join(dirname(fileURLToPath(import.meta.url)), "..")
const specDir = process.env.PIPEDRIVE_SPEC_DIR ?? join(root, "..", "shared", "pipedrive-spec")
const seedsDir = process.env.PIPEDRIVE_SEEDS_DIR ?? join(root, "..", "shared", "seeds")
const fixturesDir = join(root, "packages", "core", "test", "fixtures")
const check = process.argv.includes("--check")

const specs = [
  { key: "v2", api: "v2", file: "openapi-v2.yaml" },
  { key: "v1", api: "v1", file: "openapi-v1.yaml" },
  { key: "v1-2026-01-14", api: "v1", file: "openapi-v1-2026-01-14.yaml" }
]

const methods = ["get", "post", "put", "patch", "delete", "head", "options", "trace"]
const isPersonsPath = (path) => path.includes("/persons") || path.includes("/personFields")

// ---------------------------------------------------------------------------------------------
// Schemas: resolve $refs, drop documentation

/** Keys of a schema object that only document it. */
const documentation = new Set(["description", "example", "examples", "title", "externalDocs", "xml"])
/** Keys whose value is a schema. */
const schemaKeys = new Set(["items", "not", "additionalProperties"])
/** Keys whose value is a list of schemas. */
const schemaListKeys = new Set(["allOf", "oneOf", "anyOf"])

const pointer = (doc, ref) => {
  if (!ref.startsWith("#/")) throw new Error(`external $ref not supported: ${ref}`)
  let node = doc
  for (const raw of ref.slice(2).split("/")) {
    const part = raw.replaceAll("~1", "/").replaceAll("~0", "~")
    node = node?.[part]
    if (node === undefined) throw new Error(`unresolved $ref: ${ref}`)
  }
  return node
}

/**
 * Resolves `$ref` and strips documentation. `refs` holds the references being expanded on the way
 * down, so a schema that contains itself stops there instead of recursing forever; `seen` does the
 * same for YAML aliases that make the parsed document itself cyclic.
 */
const cleanSchema = (doc, schema, refs = [], seen = new Set()) => {
  if (schema === null || typeof schema !== "object") return schema
  if (Array.isArray(schema)) return schema.map((s) => cleanSchema(doc, s, refs, seen))
  if (typeof schema.$ref === "string") {
    if (refs.includes(schema.$ref)) return { "x-circular-ref": schema.$ref }
    return cleanSchema(doc, pointer(doc, schema.$ref), [...refs, schema.$ref], seen)
  }
  if (seen.has(schema)) return { "x-circular-ref": "(yaml alias)" }
  const inner = new Set(seen).add(schema)
  const out = {}
  for (const [key, value] of Object.entries(schema)) {
    if (documentation.has(key) || key.startsWith("x-")) continue
    if (key === "properties") {
      out.properties = Object.fromEntries(
        Object.entries(value).map(([name, s]) => [name, cleanSchema(doc, s, refs, inner)])
      )
    } else if (schemaKeys.has(key) && typeof value === "object" && value !== null) {
      out[key] = cleanSchema(doc, value, refs, inner)
    } else if (schemaListKeys.has(key)) {
      out[key] = value.map((s) => cleanSchema(doc, s, refs, inner))
    } else {
      out[key] = value
    }
  }
  return out
}

const resolve = (doc, node) => (node && typeof node.$ref === "string" ? resolve(doc, pointer(doc, node.$ref)) : node)

const isJson = (contentType) => contentType === "application/json" || /\+json$/.test(contentType)

const operationOf = (doc, path, method, op, pathParameters) => {
  const parameters = [...(pathParameters ?? []), ...(op.parameters ?? [])].map((p) => resolve(doc, p))
  // An operation's parameter overrides a path-level one of the same name and location.
  const byKey = new Map()
  for (const p of parameters) byKey.set(`${p.in}:${p.name}`, p)
  const out = {
    operationId: op.operationId,
    method: method.toUpperCase(),
    path,
    "x-token-cost": op["x-token-cost"] ?? null,
    deprecated: op.deprecated === true,
    parameters: [...byKey.values()].map((p) => ({
      name: p.name,
      in: p.in,
      required: p.required === true,
      schema: cleanSchema(doc, p.schema ?? {})
    }))
  }
  const body = resolve(doc, op.requestBody)
  if (body !== undefined) {
    out.requestBody = {
      required: body.required === true,
      content: Object.fromEntries(
        Object.entries(body.content ?? {}).map(([ct, media]) => [ct, cleanSchema(doc, media.schema ?? {})])
      )
    }
  }
  out.responses = {}
  for (const [status, raw] of Object.entries(op.responses ?? {})) {
    const response = resolve(doc, raw)
    const json = Object.entries(response?.content ?? {}).filter(([ct]) => isJson(ct))
    const media = json.find(([ct]) => ct === "application/json") ?? json[0]
    if (media !== undefined) out.responses[status] = cleanSchema(doc, media[1].schema ?? {})
  }
  return out
}

/**
 * The example bodies the spec gives for an operation's JSON responses, by status (`200`), or by
 * status and name (`200:withCustomFields`) where it gives several. Kept apart from the schemas: they
 * are Pipedrive's own sample responses, which core's schemas must decode as they are.
 */
const examplesOf = (doc, op) => {
  const out = {}
  for (const [status, raw] of Object.entries(op.responses ?? {})) {
    const response = resolve(doc, raw)
    for (const [ct, media] of Object.entries(response?.content ?? {})) {
      if (!isJson(ct)) continue
      const example = media.example ?? resolve(doc, media.schema)?.example
      if (example !== undefined) out[status] = example
      for (const [name, ex] of Object.entries(media.examples ?? {})) {
        const value = resolve(doc, ex)?.value
        if (value !== undefined) out[`${status}:${name}`] = value
      }
    }
  }
  return out
}

const extractSpec = ({ file }) => {
  const text = readFileSync(join(specDir, file), "utf8")
  const doc = parse(text, { maxAliasCount: -1 })
  const found = []
  const examplesById = {}
  for (const [path, rawItem] of Object.entries(doc.paths ?? {})) {
    if (!isPersonsPath(path)) continue
    const item = resolve(doc, rawItem)
    for (const method of methods) {
      const op = item[method]
      if (op === undefined) continue
      found.push(operationOf(doc, path, method, op, item.parameters))
      const examples = examplesOf(doc, op)
      if (Object.keys(examples).length > 0) examplesById[op.operationId] = examples
    }
  }
  found.sort((a, b) =>
    a.path < b.path ? -1 : a.path > b.path ? 1 : methods.indexOf(a.method.toLowerCase()) - methods.indexOf(b.method.toLowerCase())
  )
  const operations = {}
  for (const op of found) {
    if (typeof op.operationId !== "string") throw new Error(`${file}: ${op.method} ${op.path} has no operationId`)
    if (op.operationId in operations) throw new Error(`${file}: duplicate operationId ${op.operationId}`)
    operations[op.operationId] = op
  }
  const examples = {}
  for (const id of Object.keys(operations)) if (id in examplesById) examples[id] = examplesById[id]
  return {
    source: { file, sha256: createHash("sha256").update(text).digest("hex"), version: doc.info?.version ?? null },
    operations,
    examples
  }
}

// ---------------------------------------------------------------------------------------------
// Seeds: JSON response bodies

/** The JSON value that starts at `text[start]` (an object or array), found by balancing brackets. */
const jsonAt = (text, start) => {
  let depth = 0
  let inString = false
  for (let i = start; i < text.length; i++) {
    const c = text[i]
    if (inString) {
      if (c === "\\") i++
      else if (c === "\"") inString = false
    } else if (c === "\"") inString = true
    else if (c === "{" || c === "[") depth++
    else if (c === "}" || c === "]") {
      depth--
      if (depth === 0) return { value: JSON.parse(text.slice(start, i + 1)), end: i + 1 }
    }
  }
  throw new Error("unterminated JSON")
}

/** `user_id`, `limit`… from a request line like `GET {{baseUrl}}/persons?user_id=<integer>&start=0`. */
const requestOf = (text) => {
  const m = /^(GET|POST|PUT|PATCH|DELETE)\s+\{\{baseUrl\}\}(\/[^\s?]*)(?:\?(\S*))?/m.exec(text)
  if (m === null) return undefined
  const query = (m[3] ?? "").split("&").filter(Boolean).map((kv) => kv.split("=")[0])
  // Postman prints the body as a Ruby-style hash: {"name"=>"<string>", ...}; its top-level keys suffice.
  const bodyLine = /Request Body\s*\n(\{.*\})\s*$/m.exec(text)?.[1]
  const bodyKeys = bodyLine === undefined ? [] : topLevelKeys(bodyLine)
  return { method: m[1], path: m[2], query, bodyKeys }
}

const topLevelKeys = (hash) => {
  const keys = []
  let depth = 0
  for (const m of hash.matchAll(/"((?:[^"\\]|\\.)*)"\s*=>|[{}[\]]/g)) {
    if (m[0] === "{" || m[0] === "[") depth++
    else if (m[0] === "}" || m[0] === "]") depth--
    else if (depth === 1) keys.push(m[1])
  }
  return keys
}

/** Postman's status text to the code the spec uses. */
const statusCodes = { OK: "200", Created: "201", Accepted: "202", "No Content": "204" }

/** Postman paths use `:id`; the spec's `{id}`. */
const samePath = (seedPath, specPath) =>
  seedPath.replace(/\/:[^/]+/g, "/{}") === specPath.replace(/\/\{[^}]+\}/g, "/{}")

/** The property names an object schema declares, through `allOf`/`oneOf`/`anyOf`. */
const propertyNames = (schema, names = new Set()) => {
  if (schema === undefined) return names
  for (const name of Object.keys(schema.properties ?? {})) names.add(name)
  for (const key of schemaListKeys) for (const s of schema[key] ?? []) propertyNames(s, names)
  return names
}

const matchOperation = (request, extracted) => {
  const candidates = []
  for (const spec of specs) {
    for (const op of Object.values(extracted[spec.key].operations)) {
      if (op.method !== request.method || !samePath(request.path, op.path)) continue
      const params = new Set(op.parameters.map((p) => p.name))
      const bodyProps = propertyNames(op.requestBody?.content["application/json"])
      const fits = request.query.every((q) => params.has(q)) && request.bodyKeys.every((k) => bodyProps.has(k))
      if (fits) candidates.push({ spec, op })
    }
  }
  // The same operation in both v1 files is one match; prefer the file that still documents it fully.
  const apis = new Set(candidates.map((c) => `${c.spec.api}:${c.op.operationId}`))
  if (apis.size !== 1) return undefined
  return candidates.find((c) => c.spec.key === "v1-2026-01-14") ?? candidates[0]
}

const extractSeeds = (extracted) => {
  const bodies = {}
  const index = {}
  const skipped = []
  for (const seed of readdirSync(seedsDir).filter((f) => f.endsWith(".txt")).sort()) {
    const text = readFileSync(join(seedsDir, seed), "utf8")
    const responses = text.indexOf("RESPONSES")
    const request = requestOf(text)
    if (responses < 0 || request === undefined) {
      skipped.push(`${seed}: no request line and RESPONSES section`)
      continue
    }
    const match = matchOperation(request, extracted)
    if (match === undefined) throw new Error(`${seed}: ${request.method} ${request.path} matches no single spec operation`)
    const statusRe = /^status:\s*(.+?)\s*$/gm
    statusRe.lastIndex = responses
    let m
    const bodiesHere = []
    while ((m = statusRe.exec(text)) !== null) {
      const start = text.slice(m.index + m[0].length).search(/[{[]/)
      if (start < 0) break
      const { value, end } = jsonAt(text, m.index + m[0].length + start)
      bodiesHere.push({ statusText: m[1], value })
      statusRe.lastIndex = end
    }
    bodiesHere.forEach(({ statusText, value }, i) => {
      const suffix = bodiesHere.length > 1 ? `-${i + 1}` : ""
      const file = `${match.spec.api}-${match.op.operationId}${suffix}.json`
      if (file in bodies) throw new Error(`${seed}: ${file} already written by ${index[file].seed}`)
      bodies[file] = value
      index[file] = {
        seed,
        api: match.spec.api,
        spec: match.spec.key,
        operationId: match.op.operationId,
        method: match.op.method,
        path: match.op.path,
        status: statusCodes[statusText] ?? statusText
      }
    })
    if (bodiesHere.length === 0) skipped.push(`${seed}: RESPONSES without a JSON body`)
  }
  return { bodies, index, skipped }
}

// ---------------------------------------------------------------------------------------------

/**
 * JSON with 2-space indentation, except that a value whose one-line form fits within 100 columns stays
 * on one line: diffs stay line-per-property where it matters, and the file a third of the size.
 */
const format = (value, indent) => {
  const flat = JSON.stringify(value)
  if (value === null || typeof value !== "object" || indent.length + flat.length <= 100) return flat
  const inner = `${indent}  `
  const entries = Array.isArray(value)
    ? value.map((v) => `${inner}${format(v, inner)}`)
    : Object.entries(value).map(([k, v]) => `${inner}${JSON.stringify(k)}: ${format(v, inner)}`)
  if (entries.length === 0) return flat
  const [open, close] = Array.isArray(value) ? ["[", "]"] : ["{", "}"]
  return `${open}\n${entries.join(",\n")}\n${indent}${close}`
}
const json = (value) => `${format(value, "")}\n`

const extracted = Object.fromEntries(specs.map((spec) => [spec.key, extractSpec(spec)]))
const seeds = extractSeeds(extracted)

const schemasOnly = Object.fromEntries(
  Object.entries(extracted).map(([key, { source, operations }]) => [key, { source, operations }])
)
const examplesOnly = Object.fromEntries(Object.entries(extracted).map(([key, { examples }]) => [key, examples]))
const outputs = new Map([
  [join(fixturesDir, "openapi-persons.json"), json(schemasOnly)],
  [join(fixturesDir, "openapi-persons-examples.json"), json(examplesOnly)]
])
const seedsOut = join(fixturesDir, "seeds")
for (const [file, body] of Object.entries(seeds.bodies)) outputs.set(join(seedsOut, file), json(body))
outputs.set(join(seedsOut, "index.json"), json(seeds.index))

if (check) {
  const stale = []
  for (const [file, content] of outputs) {
    let current
    try {
      current = readFileSync(file, "utf8")
    } catch {
      current = undefined
    }
    if (current !== content) stale.push(file)
  }
  let present = []
  try {
    present = readdirSync(seedsOut).map((f) => join(seedsOut, f))
  } catch {
    // no seeds directory yet: every seed output is already listed as stale
  }
  for (const file of present) if (!outputs.has(file)) stale.push(`${file} (no longer produced)`)
  if (stale.length > 0) {
    console.error(`stale fixtures, run \`node tools/extract-spec.mjs\`:\n  ${stale.join("\n  ")}`)
    process.exit(1)
  }
  console.log("fixtures are up to date")
} else {
  rmSync(seedsOut, { recursive: true, force: true })
  mkdirSync(seedsOut, { recursive: true })
  for (const [file, content] of outputs) writeFileSync(file, content)
  for (const [key, { operations }] of Object.entries(extracted)) {
    console.log(`${key}: ${Object.keys(operations).length} operations`)
  }
  for (const [file, where] of Object.entries(seeds.index)) console.log(`seed ${where.seed} -> seeds/${file}`)
  for (const line of seeds.skipped) console.log(`skipped ${line}`)
}
