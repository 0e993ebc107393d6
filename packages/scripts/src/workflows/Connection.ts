/**
 * How every CLI command reaches Pipedrive: the environment contract of DESIGN.md. With
 * `PIPEDRIVE_OAUTH_REFRESH_TOKEN` set, OAuth (`OAuth.layerConfig`: client id and secret, refresh
 * token, optional access token and token URL); otherwise the API token (`PIPEDRIVE_API_TOKEN`).
 * `--base-url` and `--company-domain` flags override the environment's origin. Secrets come only
 * from the environment and are never printed.
 *
 * Bulk jobs retry more patiently than core's default (`retry`): a job that runs for an hour should
 * ride out a flaky minute rather than fail a row or a page on a fifth failed read in a row.
 */
import { Options } from "@effect/cli"
import { FetchHttpClient } from "@effect/platform"
import { OAuth, PipedriveClient, PipedriveConfig, type PipedriveError, Retry } from "@pipedrive-effect/core"
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
  ).pipe(Layer.provide([FetchHttpClient.layer, Retry.layer(retry)]))

/** The `--base-url` and `--company-domain` flags of every command that talks to Pipedrive. */
export const options = {
  baseUrl: Options.text("base-url").pipe(
    Options.optional,
    Options.withDescription("Origin to send requests to (overrides PIPEDRIVE_BASE_URL / PIPEDRIVE_COMPANY_DOMAIN)")
  ),
  companyDomain: Options.text("company-domain").pipe(
    Options.optional,
    Options.withDescription("Company subdomain, e.g. acme (overrides PIPEDRIVE_COMPANY_DOMAIN)")
  )
}

/** Those flags as parsed. */
export interface ParsedOptions {
  readonly baseUrl: Option.Option<string>
  readonly companyDomain: Option.Option<string>
}

/** The client layer of those flags as parsed. */
export const layerOfOptions = (
  parsed: ParsedOptions
): Layer.Layer<PipedriveClient.PipedriveClient, PipedriveError.ConfigurationError | ConfigError.ConfigError> =>
  clientLayer({ baseUrl: Option.getOrUndefined(parsed.baseUrl), companyDomain: Option.getOrUndefined(parsed.companyDomain) })
