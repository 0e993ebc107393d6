/**
 * The machinery of the spec-conformance property tests: a table of rows, one per Pipedrive
 * operation core implements, each checked twice: every response body the spec allows must decode
 * with the schema core uses (pure), and must come through the real client from a loopback server.
 * Both again with noise in `related_objects` and `additional_data` (`Noise`): placeholder and
 * unknown keys are never a failure, and the broken pieces the schema refuses are left out and
 * reported as `skipped`, the rest of the body decoded as strictly as ever.
 * The bodies come from `fixtures/openapi-persons.json` (`node tools/extract-spec.mjs`).
 *
 * A test file builds its rows with `row({...})` and calls `suite("area", rows)`.
 */
import { FetchHttpClient } from "@effect/platform"
import { afterAll, beforeAll, describe, expect, it } from "@effect/vitest"
import { PipedriveClient, PipedriveError, Retry } from "@pipedrive-effect/core"
import * as SchemaGuard from "../../src/internal/SchemaGuard.ts"
import * as Tolerance from "../../src/internal/Tolerance.ts"
import { Effect, Either, Layer, ManagedRuntime, type ParseResult, Redacted, Schema } from "effect"
import fc from "fast-check"
import { createServer, type IncomingMessage, type ServerResponse } from "node:http"
import type { AddressInfo } from "node:net"
import * as Capture from "./Capture.ts"
import * as Noise from "./Noise.ts"
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
  /** What the client's decoder (`Tolerance.decoder`) makes of a body, with the paths it left out. */
  readonly tolerant: (json: unknown) => { readonly body: unknown; readonly skipped: ReadonlyArray<string> }
  /** The strict decoder's result, which keeps unknown keys as `SchemaGuard` does. */
  readonly strict: (json: unknown) => unknown
  /**
   * Calls the operation (the server answering with noise), checks the result against `expected`
   * (the body without the broken pieces core refuses), and returns the paths reported as skipped:
   * in the request spans' `pipedrive.skipped`, and in the result's own `skipped` where it has one.
   */
  readonly runNoisy: (
    runtime: Runtime,
    expected: unknown
  ) => Promise<{ readonly spans: ReadonlyArray<string>; readonly result: ReadonlyArray<string> | undefined }>
}

const skippedPaths = (result: unknown): ReadonlyArray<string> | undefined => {
  if (typeof result !== "object" || result === null || !("skipped" in result) || !Array.isArray(result.skipped)) return undefined
  return result.skipped.map((piece: unknown) =>
    typeof piece === "object" && piece !== null && "path" in piece && typeof piece.path === "string" ? piece.path : "(no path)"
  )
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
    },
    tolerant: (json) => {
      const { body, skipped } = Effect.runSync(Tolerance.decoder(c.body)(json))
      return { body, skipped: skipped.map((piece) => piece.path) }
    },
    strict: (json) => Effect.runSync(SchemaGuard.decoder(c.body)(json)),
    runNoisy: async (runtime, expected) => {
      const [result, spans] = await runtime.runPromise(
        Effect.flatMap(Capture.make, (capture) => Effect.map(capture.observe(c.call), (r) => [r, capture.spans] as const))
      )
      c.check(result, Effect.runSync(SchemaGuard.decoder(c.body)(expected)))
      return {
        spans: spans.flatMap((span) => {
          const paths = span.attributes.get("pipedrive.skipped")
          return Array.isArray(paths) ? paths.map(String) : []
        }),
        result: skippedPaths(result)
      }
    }
  }
}

/**
 * What a noisy body must come to, by Effect's decoder alone: the broken pieces the schema refuses
 * (each tried on its own beside the well-formed noise) are the ones to leave out and report; any
 * other is kept as sent.
 */
const oracle = (op: Row, body: unknown, broken: ReadonlyArray<Noise.Piece>) => {
  const isRefused = (piece: Noise.Piece) => Either.isLeft(op.decode(Noise.withPieces(body, [piece])))
  return {
    sent: Noise.withPieces(body, broken),
    expected: Noise.withPieces(body, broken.filter((piece) => !isRefused(piece))),
    refused: broken.filter(isRefused).map(Noise.pathOf).sort()
  }
}

/** The property suites over `operations`: the spec's bodies as they are, and with noise. */
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
    it(`${op.name}, with noise in related_objects and additional_data`, () => {
      fc.assert(
        fc.property(op.bodies.chain(Noise.noisy), ({ body, broken }) => {
          // Placeholder keys, unknown keys, a placeholder part: never a failure.
          const clean = op.decode(body)
          if (Either.isLeft(clean)) throw new Error(PipedriveError.formatParseError(clean.left, 50))
          const { expected, refused, sent } = oracle(op, body, broken)
          const decoded = op.tolerant(sent)
          expect([...decoded.skipped].sort()).toEqual(refused)
          expect(decoded.body).toEqual(op.strict(expected))
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
      // No retries: a body the client refuses fails at once (a retried Decode would outlast the test's timeout).
      PipedriveClient.layer({ apiToken: Redacted.make("t"), baseUrl: `http://127.0.0.1:${port}` }).pipe(
        Layer.provide([FetchHttpClient.layer, Retry.disabled])
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
    it(`${op.name}, with noise in related_objects and additional_data`, async () => {
      await fc.assert(
        fc.asyncProperty(op.bodies.chain(Noise.noisy), async ({ body: clean, broken }) => {
          if (runtime === undefined) throw new Error("server not started")
          const { expected, refused, sent } = oracle(op, clean, broken)
          body = JSON.stringify(sent)
          // Through JSON, as the client receives it (-0 arrives as 0).
          const reported = await op.runNoisy(runtime, JSON.parse(JSON.stringify(expected)))
          expect([...reported.spans].sort()).toEqual(refused)
          if (reported.result !== undefined) expect([...reported.result].sort()).toEqual(refused)
        }),
        { numRuns: httpRuns }
      )
    })
  }
})

}
