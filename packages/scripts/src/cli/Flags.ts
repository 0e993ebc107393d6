/**
 * The flags several commands share: how to reach Pipedrive (`--base-url`, `--company-domain`, the
 * rest from the environment: `Connection`), positive integers, and `--concurrency`.
 */
import { Options } from "@effect/cli"
import type { PipedriveClient, PipedriveError } from "@pipedrive-effect/core"
import { type ConfigError, type Layer, Option } from "effect"
import * as Connection from "../workflows/Connection.ts"

/** The `--base-url` and `--company-domain` flags of every command that talks to Pipedrive. */
export const connection = {
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
export interface ConnectionFlags {
  readonly baseUrl: Option.Option<string>
  readonly companyDomain: Option.Option<string>
}

/** The client a command runs with: the environment, overridden by the flags. */
export const clientOf = (
  parsed: ConnectionFlags
): Layer.Layer<PipedriveClient.PipedriveClient, PipedriveError.ConfigurationError | ConfigError.ConfigError> =>
  Connection.clientLayer({ baseUrl: Option.getOrUndefined(parsed.baseUrl), companyDomain: Option.getOrUndefined(parsed.companyDomain) })

/** An integer flag that must be positive, with a default. */
export const positive = (name: string, fallback: number, description: string): Options.Options<number> =>
  Options.integer(name).pipe(
    Options.withDefault(fallback),
    Options.withDescription(description),
    Options.filterMap((n) => (n > 0 ? Option.some(n) : Option.none()), `--${name} must be a positive integer`)
  )

/**
 * `--concurrency N`: an optional cap on the items in flight (a positive integer). Left out, a job
 * follows the client's rate limiter (the import) or its own default (dedupe's 4).
 */
export const concurrency: Options.Options<Option.Option<number>> = Options.integer("concurrency").pipe(
  Options.withDescription("At most N items in flight (default: as many as the rate limit allows)"),
  Options.filterMap((n) => (n >= 1 ? Option.some(n) : Option.none()), "--concurrency must be a positive integer"),
  Options.optional
)
