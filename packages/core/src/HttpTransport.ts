/**
 * The `HttpClient` to run `PipedriveClient` on, chosen for the runtime by the package's entry: on
 * Node, requests over `node:http` with connections kept alive (a request costs a third of what
 * `fetch` costs there, a page of persons some 40% less CPU: bench/BENCHMARKS.md); on Deno, Bun,
 * browsers and any other runtime, the runtime's `fetch`, with less around it than `@effect/platform`'s
 * `FetchHttpClient` (which doubled a listing's cost under Deno). Under Deno, writes go out on a
 * connection of their own (`PipedriveClient` explains why). This module is the `fetch` one; under
 * Node, `@pipedrive-effect/core` resolves to an entry whose `HttpTransport` is the Node one, with
 * the same `layer`. Any other `HttpClient` layer works too (`FetchHttpClient.layer`, a proxy's).
 *
 * @example
 * ```ts
 * import { HttpTransport, Persons, PipedriveClient } from "@pipedrive-effect/core"
 * import { Effect, Layer } from "effect"
 *
 * const Pipedrive = PipedriveClient.layerConfig().pipe(Layer.provide(HttpTransport.layer))
 * Effect.runPromise(Persons.get(1).pipe(Effect.provide(Pipedrive))).then(console.log)
 * ```
 *
 * @module
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as Layer from "effect/Layer"
import * as FetchTransport from "./internal/FetchTransport.ts"

/** The runtime's best `HttpClient`: `fetch` here (see the module's comment for Node). */
export const layer: Layer.Layer<HttpClient.HttpClient> = FetchTransport.layer
