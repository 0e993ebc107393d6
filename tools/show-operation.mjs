// Prints Pipedrive OpenAPI operations compactly, for developers reading the spec:
//   FULL=1 node tools/show-operation.mjs ../shared/pipedrive-spec/openapi-v2.yaml /persons:get /persons/{id}:patch
import { parse } from "yaml"
import { readFileSync } from "node:fs"
const [file, ...ops] = process.argv.slice(2)
const doc = parse(readFileSync(file, "utf8"), { maxAliasCount: -1 })
const merge = (s) => {
  if (!s) return s
  if (s.allOf) { const out = { type: "object", properties: {}, required: [] }; for (const x of s.allOf) { const m = merge(x); Object.assign(out.properties, m.properties ?? {}); out.required.push(...(m.required ?? [])) ; if (m.additionalProperties) out.additionalProperties = m.additionalProperties } return out }
  return s
}
const show = (s, ind = "") => {
  s = merge(s); if (!s) return "?"
  if (s.type === "object" || s.properties) {
    const req = new Set(s.required ?? [])
    let out = "{" + (s.nullable ? " (nullable)" : "") + (s.additionalProperties ? " +additional" : "") + "\n"
    for (const [k, v] of Object.entries(s.properties ?? {})) out += `${ind}  ${k}${req.has(k) ? "" : "?"}: ${show(v, ind + "  ")}\n`
    return out + ind + "}"
  }
  if (s.type === "array") return `Array<${show(s.items, ind)}>` + (s.nullable ? " | null" : "")
  if (s.oneOf || s.anyOf) return (s.oneOf ?? s.anyOf).map((x) => show(x, ind)).join(" | ")
  return `${s.type}${s.format ? "(" + s.format + ")" : ""}${s.enum ? " enum[" + s.enum.join(",") + "]" : ""}${s.nullable ? " | null" : ""}`
}
for (const o of ops) {
  const [path, method] = o.split(":")
  const op = doc.paths[path]?.[method]
  if (!op) { console.log("missing", o); continue }
  console.log(`\n==== ${method.toUpperCase()} ${path}  op=${op.operationId} cost=${op["x-token-cost"]} deprecated=${!!op.deprecated}`)
  console.log("params:", (op.parameters ?? []).map((p) => `${p.in}:${p.name}${p.required ? "!" : ""}:${p.schema?.type}${p.schema?.enum ? "[" + p.schema.enum.join("|") + "]" : ""}${p.schema?.default !== undefined ? "=" + p.schema.default : ""}${p.schema?.maximum ? " max" + p.schema.maximum : ""}`).join(", "))
  const body = op.requestBody?.content
  if (body) for (const [ct, c] of Object.entries(body)) console.log(`body ${ct}:`, show(c.schema))
  for (const [code, r] of Object.entries(op.responses ?? {})) for (const [ct, c] of Object.entries(r.content ?? {})) console.log(`resp ${code} ${ct}:`, process.env.FULL ? show(c.schema) : show(c.schema).slice(0, +(process.env.MAX ?? 6000)))
}
