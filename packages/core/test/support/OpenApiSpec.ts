/**
 * The persons operations of Pipedrive's OpenAPI files, as `tools/extract-spec.mjs` committed them to
 * `fixtures/` (the specs themselves live in `../shared/`, which a clone of this repository lacks).
 * Regenerate with `node tools/extract-spec.mjs`.
 */
import { readFileSync } from "node:fs"
import type { OpenApiSchema } from "./OpenApiArbitrary.ts"

/** `v2`; `v1` as of 2026-08 (no person CRUD any more); `v1-2026-01-14`, the last with the v1 person endpoints. */
export type SpecKey = "v2" | "v1" | "v1-2026-01-14"

export interface Parameter {
  readonly name: string
  readonly in: "path" | "query" | "header" | "cookie"
  readonly required: boolean
  readonly schema: OpenApiSchema
}

export interface Operation {
  readonly operationId: string
  readonly method: string
  /** As the spec writes it, e.g. `/persons/{id}`, below `/api/v2` or `/v1`. */
  readonly path: string
  readonly "x-token-cost": number | null
  readonly deprecated: boolean
  readonly parameters: ReadonlyArray<Parameter>
  readonly requestBody?: { readonly required: boolean; readonly content: Readonly<Record<string, OpenApiSchema>> }
  /** JSON response schemas by status. */
  readonly responses: Readonly<Record<string, OpenApiSchema>>
}

interface SpecFile {
  readonly source: { readonly file: string; readonly sha256: string; readonly version: string | null }
  readonly operations: Readonly<Record<string, Operation>>
}

const fixture = (name: string): unknown => JSON.parse(readFileSync(new URL(`../fixtures/${name}`, import.meta.url), "utf8"))

/** Every extracted spec: `spec.v2.operations.getPersons`. */
export const spec = fixture("openapi-persons.json") as Readonly<Record<SpecKey, SpecFile>>

/** Pipedrive's own example response bodies: `examples.v2.getPersons["200"]`. */
export const examples = fixture("openapi-persons-examples.json") as Readonly<
  Record<SpecKey, Readonly<Record<string, Readonly<Record<string, unknown>>>>>
>

/** One operation; throws (failing the test that asked) when the fixture does not have it. */
export const operation = (key: SpecKey, operationId: string): Operation => {
  const found = spec[key].operations[operationId]
  if (found === undefined) throw new Error(`no operation ${operationId} in fixtures/openapi-persons.json under ${key}`)
  return found
}

/** The JSON schema of an operation's response with `status`. */
export const responseSchema = (op: Operation, status: string): OpenApiSchema => {
  const schema = op.responses[status]
  if (schema === undefined) throw new Error(`${op.operationId} has no JSON ${status} response in the spec`)
  return schema
}
