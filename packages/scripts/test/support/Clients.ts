/**
 * The environment of workflow tests: an in-process sandbox, a `PipedriveClient` (and
 * `CustomFields`) pointed at it, and a client wrapper that loses the answer of chosen writes.
 */
import { FetchHttpClient } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import type { ServeError } from "@effect/platform/HttpServerError"
import { CustomFields, PipedriveClient, PipedriveError } from "@pipedrive-effect/core"
import { type PersonStore, PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Effect, Layer, Option, Redacted, Ref } from "effect"
import { mkdirSync, mkdtempSync, rmSync } from "node:fs"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

/**
 * A client that, for the first `times` requests of `operation`, throws the answer away (or, with
 * `send: false`, does not send the request) and fails with `AmbiguousWrite`: the caller cannot know
 * whether the write happened. `counter` counts the requests of `operation` asked for. This
 * is the one response the sandbox cannot produce on demand (its dropped connections are drawn at
 * random over all requests).
 */
export const losingAnswers = (
  operation: string,
  times: number,
  counter: Ref.Ref<number>,
  /** `false`: the request is not sent at all (a write lost before it reached Pipedrive). */
  send = true
): Layer.Layer<PipedriveClient.PipedriveClient, never, PipedriveClient.PipedriveClient> =>
  Layer.effect(
    PipedriveClient.PipedriveClient,
    Effect.map(PipedriveClient.PipedriveClient, (client) =>
      PipedriveClient.PipedriveClient.of({
        ...client,
        request: (options) =>
          options.operation !== operation
            ? client.request(options)
            : Effect.flatMap(Ref.getAndUpdate(counter, (n) => n + 1), (n) =>
              Effect.flatMap(send || n >= times ? Effect.map(client.request(options), Option.some) : Effect.succeedNone, (answer) =>
                n < times || Option.isNone(answer)
                  ? Effect.fail(
                    new PipedriveError.AmbiguousWrite({
                      operation: options.operation,
                      method: options.method,
                      path: options.path,
                      failure: new PipedriveError.Transport({
                        operation: options.operation,
                        method: options.method,
                        path: options.path,
                        reason: "Network",
                        detail: "connection reset (test)"
                      })
                    })
                  )
                  : Effect.succeed(answer.value)))
      }))
  )

/** A client that counts the requests of each operation in `counts` (by operationId). */
export const counting = (
  counts: Map<string, number>
): Layer.Layer<PipedriveClient.PipedriveClient, never, PipedriveClient.PipedriveClient> =>
  Layer.effect(
    PipedriveClient.PipedriveClient,
    Effect.map(PipedriveClient.PipedriveClient, (client) =>
      PipedriveClient.PipedriveClient.of({
        ...client,
        request: (options) => {
          counts.set(options.operation, (counts.get(options.operation) ?? 0) + 1)
          return client.request(options)
        }
      }))
  )

/** A client whose requests of `operation` fail with `Unauthorized` (a token revoked mid-run), unsent. */
export const revokedFor = (
  operation: string
): Layer.Layer<PipedriveClient.PipedriveClient, never, PipedriveClient.PipedriveClient> =>
  Layer.effect(
    PipedriveClient.PipedriveClient,
    Effect.map(PipedriveClient.PipedriveClient, (client) =>
      PipedriveClient.PipedriveClient.of({
        ...client,
        request: (options) =>
          options.operation !== operation
            ? client.request(options)
            : Effect.fail(
              new PipedriveError.Unauthorized({
                operation: options.operation,
                method: options.method,
                path: options.path,
                status: 401,
                error: "unauthorized access"
              })
            )
      }))
  )

/**
 * A sandbox with `persons` seeded persons, a client and `CustomFields` over it, and the Node
 * platform. The other options go to `PipedriveSandbox.layer` (search lag, rate limit, faults, latency).
 */
export const sandboxLayer = (options: PipedriveSandbox.Options & { readonly persons: number; readonly seed?: string }): Layer.Layer<
  | PipedriveClient.PipedriveClient
  | CustomFields.CustomFields
  | PipedriveSandbox.PipedriveSandbox
  | PersonStore.PersonStore
  | NodeContext.NodeContext,
  ServeError | PipedriveError.ConfigurationError
> =>
  Layer.unwrapEffect(
    Effect.map(PipedriveSandbox.PipedriveSandbox, (sandbox) =>
      PipedriveClient.layer({ apiToken: Redacted.make(sandbox.token), baseUrl: sandbox.url }))
  ).pipe(
    Layer.provide(FetchHttpClient.layer),
    Layer.provideMerge(PipedriveSandbox.layer({ ...options, seed: options.seed ?? "scripts-tests" })),
    (client) => Layer.provideMerge(CustomFields.layer, client),
    Layer.merge(NodeContext.layer)
  )

/** A fresh directory under `test/generated/`, removed by the returned function. */
export const tempDirectory = (prefix: string): { readonly path: string; readonly remove: () => void } => {
  const root = join(dirname(fileURLToPath(import.meta.url)), "..", "generated")
  mkdirSync(root, { recursive: true })
  const path = mkdtempSync(join(root, `${prefix}-`))
  return { path, remove: () => rmSync(path, { recursive: true, force: true }) }
}
