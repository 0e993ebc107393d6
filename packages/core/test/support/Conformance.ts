/**
 * The machinery of the spec-conformance property tests: a table of rows, one per Pipedrive
 * operation core implements, each checked twice: every response body the spec allows must decode
 * with the schema core uses (pure), and must come through the real client from a loopback server.
 * The bodies come from `fixtures/openapi-persons.json` (`node tools/extract-spec.mjs`).
 *
 * A test file builds its rows with `row({...})` and calls `suite("area", rows)`.
 */
import { FetchHttpClient } from "@effect/platform"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { PipedriveClient, PipedriveError } from "@pipedrive-effect/core"
import * as SchemaGuard from "../../src/internal/SchemaGuard.ts"
import { Effect, Either, Layer, ManagedRuntime, type ParseResult, Redacted, Schema } from "effect"
import fc from "fast-check"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import { fromSchema } from "./OpenApiArbitrary.ts"
import { operation, responseSchema, type SpecKey } from "./OpenApiSpec.ts"

const pureRuns = 100
const httpRuns = 25

/**
 * Pipedrive's spec marks no response field required, not even a person's `id` or the envelope's
 * `data`. Core requires both on purpose: every stored person has an id, and a 2xx single-object
 * response without `data` has no result to return, so decoding it fails as a `Decode` error rather
 * than yielding a person-shaped nothing. The generator therefore always includes them; everything
 * else stays as optional as the spec says.
 */
export const listBody = { "$.data[]": ["id"] }
export const singleBody = { "$": ["data"], "$.data": ["id"] }


export interface Conformance<A, I, R> {
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
  /** Values for the path's `{placeholders}` (default: every one is 1). */
  readonly pathParams?: Readonly<Record<string, string>>
}

/** A row with its types sealed inside, so rows of different shapes sit in one table. */
export interface Row {
  readonly name: string
  readonly method: string
  /** The path the client must request, `{id}` filled in as 1. */
  readonly path: string
  readonly bodies: fc.Arbitrary<unknown>
  readonly decode: (json: unknown) => Either.Either<unknown, ParseResult.ParseError>
  readonly run: (runtime: Runtime, json: unknown) => Promise<void>
}

type Runtime = ManagedRuntime.ManagedRuntime<PipedriveClient.PipedriveClient, unknown>

export const row = <A, I, R>(c: Conformance<A, I, R>): Row => {
  const op = operation(c.spec, c.operationId)
  const decode = Schema.decodeUnknownEither(c.body, { errors: "all" })
  return {
    name: `${c.spec} ${c.operationId} (${op.method} ${op.path})`,
    method: op.method,
    path: `${c.spec === "v2" ? "/api/v2" : "/api/v1"}${
      op.path.replace(/\{(\w+)\}/g, (_, name: string) => c.pathParams?.[name] ?? "1")
    }`,
    // Through JSON once, so the pure check sees exactly what the server will send.
    bodies: fromSchema(responseSchema(op, c.status ?? "200"), { require: c.require }).map((value) =>
      JSON.parse(JSON.stringify(value)) as unknown
    ),
    decode,
    // The client returns what its decoder (`SchemaGuard.decoder`) returns: the body itself when it
    // passes, keys the schema does not list included (the pure property above checks acceptance).
    run: async (runtime, json) => {
      const result = await runtime.runPromise(c.call)
      c.check(result, Effect.runSync(SchemaGuard.decoder(c.body)(json)))
    }
  }
}

/** The two property suites over `operations`. */
export const suite = (area: string, operations: ReadonlyArray<Row>): void => {

describe(`${area}: responses the spec allows decode with core's schemas`, () => {
  for (const op of operations) {
    it(op.name, () => {
      fc.assert(
        fc.property(op.bodies, (json) => {
          const decoded = op.decode(json)
          if (Either.isLeft(decoded)) throw new Error(PipedriveError.formatParseError(decoded.left, 50))
        }),
        { numRuns: pureRuns }
      )
    })
  }
})

describe(`${area}: responses the spec allows come through the client`, () => {
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

}
