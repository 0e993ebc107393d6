/**
 * Core's schemas against Pipedrive's OpenAPI files: every response body the spec allows for an
 * operation core implements must decode, first with the schema alone, then end to end through
 * `PipedriveClient` from a loopback server. The bodies come from `fixtures/openapi-persons.json`
 * (`node tools/extract-spec.mjs` makes it from `../shared/pipedrive-spec/`).
 *
 * To cover another operation, add a row to `operations`: the spec operation, the schema core decodes
 * its body with, and the core call that sends it.
 */
import { FetchHttpClient } from "@effect/platform"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { Persons, PersonsV1, PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import { Effect, Either, Layer, ManagedRuntime, ParseResult, Redacted, Schema } from "effect"
import fc from "fast-check"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { fromSchema, type OpenApiSchema } from "./support/OpenApiArbitrary.ts"
import { operation, responseSchema, type SpecKey } from "./support/OpenApiSpec.ts"

const pureRuns = 100
const httpRuns = 25

/**
 * Pipedrive's spec marks no response field required, not even a person's `id` or the envelope's
 * `data`. Core requires both on purpose: every stored person has an id, and a 2xx single-object
 * response without `data` has no result to return, so decoding it fails as a `Decode` error rather
 * than yielding a person-shaped nothing. The generator therefore always includes them; everything
 * else stays as optional as the spec says.
 */
const listBody = { "$.data[]": ["id"] }
const singleBody = { "$": ["data"], "$.data": ["id"] }


interface Conformance<A, I, R> {
  readonly spec: SpecKey
  readonly operationId: string
  /** The response to generate (default `200`). */
  readonly status?: string
  /** What core decodes the whole body with: the endpoint's envelope around its item schema. */
  readonly body: Schema.Schema<A, I>
  /** Optional properties to generate anyway, by path (see `OpenApiArbitrary.Options.require`). */
  readonly require: Readonly<Record<string, ReadonlyArray<string>>>
  /** The core call that fetches this operation; the server answers it with the generated body. */
  readonly call: Effect.Effect<R, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient>
  /** Checks what `call` returned against the body decoded by `body`. */
  readonly check: (result: R, decoded: A) => void
}

/** A row with its types sealed inside, so rows of different shapes sit in one table. */
interface Row {
  readonly name: string
  readonly method: string
  /** The path the client must request, `{id}` filled in as 1. */
  readonly path: string
  readonly bodies: fc.Arbitrary<unknown>
  readonly decode: (json: unknown) => Either.Either<unknown, ParseResult.ParseError>
  readonly run: (runtime: Runtime, json: unknown) => Promise<void>
}

type Runtime = ManagedRuntime.ManagedRuntime<PipedriveClient.PipedriveClient, unknown>

const row = <A, I, R>(c: Conformance<A, I, R>): Row => {
  const op = operation(c.spec, c.operationId)
  const decode = Schema.decodeUnknownEither(c.body, { errors: "all" })
  return {
    name: `${c.spec} ${c.operationId} (${op.method} ${op.path})`,
    method: op.method,
    path: `${c.spec === "v2" ? "/api/v2" : "/api/v1"}${op.path.replace("{id}", "1")}`,
    // Through JSON once, so the pure check sees exactly what the server will send.
    bodies: fromSchema(responseSchema(op, c.status ?? "200"), { require: c.require }).map((value) =>
      JSON.parse(JSON.stringify(value)) as unknown
    ),
    decode,
    run: async (runtime, json) => {
      const result = await runtime.runPromise(c.call)
      c.check(result, Either.getOrThrowWith(decode(json), (error) => error))
    }
  }
}

const operations: ReadonlyArray<Row> = [
  row({
    spec: "v2",
    operationId: "getPersons",
    body: Persons.ListResponse,
    require: listBody,
    call: Persons.list(),
    check: (page, body) => {
      expect(page.items).toEqual(body.data ?? [])
      expect(page.nextCursor).toEqual(body.additional_data?.next_cursor ?? undefined)
    }
  }),
  row({
    spec: "v2",
    operationId: "getPerson",
    body: Persons.PersonResponse,
    require: singleBody,
    call: Persons.get(1),
    check: (person, body) => expect(person).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "addPerson",
    body: Persons.PersonResponse,
    require: singleBody,
    call: Persons.create({ name: "Ada Lovelace" }),
    check: (person, body) => expect(person).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "updatePerson",
    body: Persons.PersonResponse,
    require: singleBody,
    call: Persons.update(1, { job_title: "Analyst" }),
    check: (person, body) => expect(person).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "deletePerson",
    body: Persons.DeleteResponse,
    require: singleBody,
    call: Persons.remove(1),
    check: (deleted, body) => expect(deleted).toEqual(body.data)
  }),
  row({
    spec: "v1-2026-01-14",
    operationId: "getPersons",
    body: PersonsV1.ListResponse,
    require: listBody,
    call: PersonsV1.list(),
    check: (page, body) => {
      expect(page.items).toEqual(body.data ?? [])
      expect(page.relatedObjects).toEqual(body.related_objects ?? undefined)
    }
  }),
  row({
    spec: "v1-2026-01-14",
    operationId: "getPerson",
    body: PersonsV1.DetailsResponse,
    require: singleBody,
    call: PersonsV1.get(1),
    check: (person, body) => expect(person).toEqual(body.data)
  })
]

/** Names every path that failed, so a counterexample says at once which field core rejected. */
const describeError = (error: ParseResult.ParseError): string => {
  const issues = ParseResult.ArrayFormatter.formatErrorSync(error)
  // Each optional field also reports that it is neither null nor undefined; the real cause is elsewhere.
  const causes = issues.filter((issue) => !/^Expected (null|undefined), actual/.test(issue.message))
  return (causes.length > 0 ? causes : issues)
    .map((issue) => `${issue.path.map(String).join(".") || "(body)"}: ${issue.message}`)
    .join("\n")
}

describe("responses the spec allows decode with core's schemas", () => {
  for (const op of operations) {
    it(op.name, () => {
      fc.assert(
        fc.property(op.bodies, (json) => {
          const decoded = op.decode(json)
          if (Either.isLeft(decoded)) throw new Error(describeError(decoded.left))
        }),
        { numRuns: pureRuns }
      )
    })
  }
})

describe("responses the spec allows come through the client", () => {
  let body = "{}"
  const requests: Array<{ readonly method: string; readonly path: string }> = []
  const server = createServer((req: IncomingMessage, res: ServerResponse) => {
    requests.push({ method: req.method ?? "", path: new URL(req.url ?? "/", "http://x").pathname })
    req.resume()
    req.on("end", () => {
      res.writeHead(200, { "content-type": "application/json" })
      res.end(body)
    })
  })
  let runtime: Runtime | undefined

  beforeAll(async () => {
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve))
    const { port } = server.address() as AddressInfo
    runtime = ManagedRuntime.make(
      PipedriveClient.layer({ apiToken: Redacted.make("t"), baseUrl: `http://127.0.0.1:${port}` }).pipe(
        Layer.provide(FetchHttpClient.layer)
      )
    )
  })

  afterAll(async () => {
    await runtime?.dispose()
    server.closeAllConnections()
    await new Promise<void>((resolve) => server.close(() => resolve()))
  })

  for (const op of operations) {
    it(op.name, async () => {
      await fc.assert(
        fc.asyncProperty(op.bodies, async (json) => {
          if (runtime === undefined) throw new Error("server not started")
          body = JSON.stringify(json)
          requests.length = 0
          await op.run(runtime, json)
          expect(requests).toEqual([{ method: op.method, path: op.path }])
        }),
        { numRuns: httpRuns }
      )
    })
  }
})

/** The property tests are only as strong as the generator; these pin down what it produces. */
describe("the OpenAPI generator", () => {
  const schema: OpenApiSchema = {
    type: "object",
    required: ["kind"],
    properties: {
      id: { type: "integer", minimum: 1, maximum: 10 },
      kind: { type: "string", enum: ["a", "b"] },
      day: { type: "string", format: "date" },
      at: { type: "string", format: "date-time" },
      note: { type: "string", nullable: true },
      custom_fields: { type: "object", additionalProperties: true },
      tags: { type: "array", items: { type: "integer" } },
      both: {
        allOf: [
          { type: "object", required: ["x"], properties: { x: { type: "boolean" } } },
          { type: "object", properties: { y: { type: "number" } } }
        ]
      },
      either: { oneOf: [{ type: "string" }, { type: "integer" }] }
    }
  }
  const samples = (options = {}) =>
    fc.sample(fromSchema(schema, options), { numRuns: 300, seed: 7 }) as ReadonlyArray<Record<string, unknown>>

  it("keeps to types, enums, formats and bounds", () => {
    for (const value of samples()) {
      expect(["a", "b"]).toContain(value["kind"])
      if ("id" in value) expect(Number.isInteger(value["id"]) && Number(value["id"]) >= 1 && Number(value["id"]) <= 10).toBe(true)
      if ("day" in value) expect(value["day"]).toMatch(/^\d{4}-\d{2}-\d{2}$/)
      if ("at" in value) expect(new Date(String(value["at"])).toISOString()).toBe(value["at"])
      if ("tags" in value) expect((value["tags"] as ReadonlyArray<unknown>).length).toBeLessThanOrEqual(3)
      if ("both" in value) expect(typeof (value["both"] as { x: unknown }).x).toBe("boolean")
      if ("either" in value) expect(typeof value["either"] === "string" || Number.isInteger(value["either"])).toBe(true)
    }
  })

  it("leaves optional properties out sometimes, and only nullable ones null", () => {
    const all = samples()
    expect(all.some((value) => !("id" in value))).toBe(true)
    expect(all.some((value) => "id" in value)).toBe(true)
    expect(all.some((value) => value["note"] === null)).toBe(true)
    expect(all.some((value) => typeof value["note"] === "string")).toBe(true)
    for (const value of all) {
      for (const [key, field] of Object.entries(value)) if (key !== "note") expect(field).not.toBeNull()
    }
  })

  it("fills additionalProperties with custom-field-like keys", () => {
    const keys = samples().flatMap((value) => Object.keys((value["custom_fields"] as object | undefined) ?? {}))
    expect(keys.length).toBeGreaterThan(0)
    for (const key of keys) expect(key).toMatch(/^[0-9a-f]{40}$/)
  })

  it("always generates what `require` forces", () => {
    for (const value of samples({ require: { "$": ["id"], "$.both": ["y"] } })) {
      expect(value["id"]).toEqual(expect.any(Number))
      if ("both" in value) expect((value["both"] as { y: unknown }).y).toEqual(expect.any(Number))
    }
  })
})
