/** A sandbox in this process and a `PipedriveClient` pointed at it: the environment of endpoint tests. */
import { FetchHttpClient } from "@effect/platform"
import { PipedriveClient, type PipedriveError, RateLimit } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import type { ServeError } from "@effect/platform/HttpServerError"
import { Effect, Layer, Redacted } from "effect"

export const layer = (
  options: {
    readonly persons: number
    readonly seed?: string
    readonly token?: string
    /** Real conditions and limits, passed to the sandbox as they are. */
    readonly sandbox?: Pick<PipedriveSandbox.Options, "latencyMs" | "rateLimit" | "bulkUpdateShare">
    /** The client's rate limiter; default: the client's own default one. */
    readonly limiter?: RateLimit.Options
  }
): Layer.Layer<
  PipedriveClient.PipedriveClient | PipedriveSandbox.PipedriveSandbox,
  ServeError | PipedriveError.ConfigurationError
> =>
  Layer.unwrapEffect(
    Effect.map(PipedriveSandbox.PipedriveSandbox, (sandbox) =>
      PipedriveClient.layer({ apiToken: Redacted.make(options.token ?? sandbox.token), baseUrl: sandbox.url }).pipe(
        Layer.provide(options.limiter === undefined ? Layer.empty : RateLimit.layer(options.limiter))
      ))
  ).pipe(
    Layer.provideMerge(PipedriveSandbox.layer({ ...options.sandbox, persons: options.persons, seed: options.seed ?? "core-tests" })),
    Layer.provide(FetchHttpClient.layer)
  )
