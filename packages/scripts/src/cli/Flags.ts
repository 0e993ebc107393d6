/**
 * The flags several commands share: how to reach Pipedrive (`--base-url`, `--company-domain`, the
 * rest from the environment: `Connection`), positive integers, and `--concurrency`.
 */
import { HelpDoc, Options, ValidationError } from "@effect/cli"
import type { PipedriveClient, PipedriveError } from "@pipedrive-effect/core"
import { type ConfigError, Effect, type Layer, Option } from "effect"
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
 * `--concurrency N` with a job's own description: an optional cap (a positive whole number). Read
 * as text, so that `--concurrency lots` is refused in one line naming the flag (an integer
 * option's own message names neither).
 */
export const concurrencyOf = (description: string): Options.Options<Option.Option<number>> =>
  Options.text("concurrency").pipe(
    Options.withDescription(description),
    Options.mapEffect((text) => {
      const n = Number(text)
      return /^\d+$/.test(text.trim()) && Number.isSafeInteger(n) && n >= 1
        ? Effect.succeed(n)
        : Effect.fail(ValidationError.invalidValue(HelpDoc.p(`--concurrency: must be a positive whole number, got ${text}`)))
    }),
    Options.optional
  )

/**
 * `--concurrency N`: an optional cap on the items in flight. Left out, a job follows the client's
 * rate limiter.
 */
export const concurrency: Options.Options<Option.Option<number>> = concurrencyOf(
  "At most N items in flight (default: as many as the rate limit allows)"
)
