/**
 * Where the client sends requests and with which credentials: the settings of DESIGN.md's
 * environment contract, and the rules that turn them into one base URL.
 *
 * - `PIPEDRIVE_BASE_URL`: an origin (optionally with a path prefix, for a proxy) that overrides the
 *   domain: the sandbox, a proxy. Plain `http://` is refused unless the host is loopback.
 * - `PIPEDRIVE_COMPANY_DOMAIN`: `acme` (or `acme.pipedrive.com`) gives `https://acme.pipedrive.com`.
 * - neither: `https://api.pipedrive.com`, which Pipedrive serves for every company.
 * - `PIPEDRIVE_API_TOKEN`: sent as the `x-api-token` header; read with `Config.redacted`.
 *   (OAuth's settings are read by `OAuth.config`.)
 *
 * @module
 */
import * as Config from "effect/Config"
import * as Duration from "effect/Duration"
import * as Effect from "effect/Effect"
import * as Either from "effect/Either"
import * as Option from "effect/Option"
import type * as Redacted from "effect/Redacted"
import { ConfigurationError } from "./PipedriveError.ts"

/** The default origin when neither a base URL nor a company domain is given. */
export const defaultBaseUrl = "https://api.pipedrive.com"

/** Requests that take longer than this fail with a `Transport` error of reason `Timeout`. */
export const defaultTimeout: Duration.Duration = Duration.seconds(30)

/** Settings for `PipedriveClient.make` / `PipedriveClient.layer`. */
export interface Options {
  /** The API token (Settings → Personal preferences → API in Pipedrive). */
  readonly apiToken?: Redacted.Redacted<string> | undefined
  /** Your company's subdomain: `acme` for `https://acme.pipedrive.com`. */
  readonly companyDomain?: string | undefined
  /** An origin that overrides the domain, e.g. the sandbox's `http://127.0.0.1:PORT`. */
  readonly baseUrl?: string | undefined
  /** Per-request timeout (default 30 seconds). */
  readonly timeout?: Duration.DurationInput | undefined
}

const loopbackHost = (hostname: string): boolean =>
  hostname === "localhost" ||
  hostname.endsWith(".localhost") ||
  hostname === "[::1]" ||
  /^127(\.\d{1,3}){3}$/.test(hostname)

const domainPattern = /^[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?$/i

/**
 * Checks a URL that credentials are sent to (a base URL, OAuth's token URL, a token's `api_domain`):
 * `https:` (or `http:` to a loopback host only), no credentials, query or fragment. Returns it
 * without a trailing slash; `setting` names it in the error.
 *
 * @example
 * ```ts
 * import { PipedriveConfig } from "@pipedrive-effect/core"
 *
 * PipedriveConfig.checkUrl("http://10.0.0.2/oauth/token", "PIPEDRIVE_OAUTH_TOKEN_URL") // Left: refusing plain http://
 * ```
 */
export const checkUrl = (raw: string, setting: string): Either.Either<string, ConfigurationError> => {
  const fail = (detail: string) => Either.left(new ConfigurationError({ setting, detail }))
  let url: URL
  try {
    url = new URL(raw.trim())
  } catch {
    return fail(`not a URL: expected an origin such as https://acme.pipedrive.com or http://127.0.0.1:8080`)
  }
  if (url.protocol !== "https:" && url.protocol !== "http:") {
    return fail(`unsupported scheme ${url.protocol}; use https:// (or http:// to a loopback host)`)
  }
  if (url.protocol === "http:" && !loopbackHost(url.hostname)) {
    return fail(
      `refusing plain http:// to ${url.hostname}: a token would cross the network unencrypted; use https:// (http:// is allowed only for loopback hosts such as 127.0.0.1)`
    )
  }
  if (url.username !== "" || url.password !== "") return fail("must not contain credentials")
  if (url.search !== "" || url.hash !== "") return fail("must not contain a query or a fragment")
  return Either.right(`${url.origin}${url.pathname.replace(/\/+$/, "")}`)
}

/**
 * The origin every request goes to (no trailing slash), checked: a URL with `https:` (or `http:`
 * to a loopback host only), no credentials, query or fragment.
 */
export const resolveBaseUrl = (
  options: Pick<Options, "baseUrl" | "companyDomain">
): Either.Either<string, ConfigurationError> => {
  const baseUrl = options.baseUrl?.trim()
  if (baseUrl !== undefined && baseUrl !== "") return checkUrl(baseUrl, "PIPEDRIVE_BASE_URL")
  const domain = options.companyDomain?.trim().toLowerCase().replace(/\.pipedrive\.com$/, "")
  if (domain !== undefined && domain !== "") {
    return domainPattern.test(domain)
      ? Either.right(`https://${domain}.pipedrive.com`)
      : Either.left(
        new ConfigurationError({
          setting: "PIPEDRIVE_COMPANY_DOMAIN",
          detail: `"${domain}" is not a company subdomain; expected e.g. acme for https://acme.pipedrive.com`
        })
      )
  }
  return Either.right(defaultBaseUrl)
}

/**
 * The settings every way of authenticating shares (`PIPEDRIVE_COMPANY_DOMAIN`, `PIPEDRIVE_BASE_URL`,
 * `PIPEDRIVE_TIMEOUT`), without the API token: what `OAuth.config` reads beside its own.
 */
export const connectionConfig: Config.Config<Omit<Options, "apiToken">> = Config.all({
  companyDomain: Config.option(Config.string("PIPEDRIVE_COMPANY_DOMAIN")).pipe(Config.map(Option.getOrUndefined)),
  baseUrl: Config.option(Config.string("PIPEDRIVE_BASE_URL")).pipe(Config.map(Option.getOrUndefined)),
  timeout: Config.option(Config.duration("PIPEDRIVE_TIMEOUT")).pipe(Config.map(Option.getOrUndefined))
})

/**
 * The settings read from the environment (or any `ConfigProvider`). The token is required and
 * redacted; the base URL and domain are optional.
 */
export const config: Config.Config<Options> = Config.all({
  apiToken: Config.redacted(Config.nonEmptyString("PIPEDRIVE_API_TOKEN")),
  connection: connectionConfig
}).pipe(Config.map(({ apiToken, connection }): Options => ({ apiToken, ...connection })))

/** `resolveBaseUrl` as an Effect. */
export const baseUrl = (options: Pick<Options, "baseUrl" | "companyDomain">): Effect.Effect<string, ConfigurationError> =>
  Either.match(resolveBaseUrl(options), { onLeft: Effect.fail, onRight: Effect.succeed })
