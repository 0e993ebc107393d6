/**
 * How every CLI command reaches Pipedrive: the environment contract of DESIGN.md. With
 * `PIPEDRIVE_OAUTH_REFRESH_TOKEN` set, OAuth (`OAuth.layerConfig`: client id and secret, refresh
 * token, optional access token and token URL); otherwise the API token (`PIPEDRIVE_API_TOKEN`).
 * `--base-url` and `--company-domain` flags override the environment's origin. Secrets come only
 * from the environment and are never printed.
 *
 * Requests go over the runtime's `HttpTransport`: `node:http` under Node, `fetch` under Deno.
 *
 * Bulk jobs retry more patiently than core's default (`retry`): a job that runs for an hour should
 * ride out a flaky minute rather than fail a row or a page on a fifth failed read in a row.
 */
import { HttpTransport, OAuth, PipedriveClient, PipedriveConfig, type PipedriveError, Retry } from "@pipedrive-effect/core"
import { Config, type ConfigError, Effect, Layer, Option } from "effect"

/** The client settings commands accept as flags. */
export interface ConnectionFlags {
  readonly baseUrl?: string | undefined
  readonly companyDomain?: string | undefined
}

const withFlags = <A extends PipedriveConfig.Options>(flags: ConnectionFlags) => (options: A): A => ({
  ...options,
  ...(flags.companyDomain === undefined ? {} : { companyDomain: flags.companyDomain, baseUrl: undefined }),
  ...(flags.baseUrl === undefined ? {} : { baseUrl: flags.baseUrl })
})

/**
 * The retries of every command: reads (and writes that provably did not land) up to 8 times, backing
 * off to 10 s between tries, none started after 2 minutes; core's default is 4 and 60 s.
 */
export const retry: Retry.Options = { maxRetries: 8, maxElapsed: "2 minutes" }

/** The `PipedriveClient` a command runs with, from the environment and the flags. */
export const clientLayer = (
  flags: ConnectionFlags
): Layer.Layer<PipedriveClient.PipedriveClient, PipedriveError.ConfigurationError | ConfigError.ConfigError> =>
  Layer.unwrapEffect(
    Effect.map(Config.option(Config.string("PIPEDRIVE_OAUTH_REFRESH_TOKEN")), (refreshToken) =>
      Option.isSome(refreshToken)
        ? OAuth.layerConfig(Config.map(OAuth.config, withFlags(flags)))
        : PipedriveClient.layerConfig(Config.map(PipedriveConfig.config, withFlags(flags))))
  ).pipe(Layer.provide([HttpTransport.layer, Retry.layer(retry)]))
