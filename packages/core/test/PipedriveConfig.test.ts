import { describe, expect, it } from "@effect/vitest"
import { FetchHttpClient } from "@effect/platform"
import { PipedriveClient, PipedriveConfig } from "@pipedrive-effect/core"
import { ConfigProvider, Effect, Either, Layer, Redacted } from "effect"

const resolve = (options: { baseUrl?: string; companyDomain?: string }) => PipedriveConfig.resolveBaseUrl(options)

describe("PipedriveConfig.resolveBaseUrl", () => {
  it("uses the company domain, with or without .pipedrive.com", () => {
    expect(resolve({ companyDomain: "acme" })).toEqual(Either.right("https://acme.pipedrive.com"))
    expect(resolve({ companyDomain: "Acme.pipedrive.com" })).toEqual(Either.right("https://acme.pipedrive.com"))
  })

  it("defaults to api.pipedrive.com", () => {
    expect(resolve({})).toEqual(Either.right("https://api.pipedrive.com"))
  })

  it("lets a base URL override the domain and keeps a proxy's path prefix", () => {
    expect(resolve({ baseUrl: "https://proxy.example.com/pd/", companyDomain: "acme" })).toEqual(
      Either.right("https://proxy.example.com/pd")
    )
  })

  it.each(["http://127.0.0.1:8080", "http://localhost:3000", "http://[::1]:9000", "http://127.10.0.3"])(
    "allows plain http to loopback %s",
    (baseUrl) => {
      expect(Either.isRight(resolve({ baseUrl }))).toBe(true)
    }
  )

  it.each([
    ["http://acme.pipedrive.com", "refusing plain http:// to acme.pipedrive.com"],
    ["http://192.168.1.10:8080", "refusing plain http://"],
    ["http://127.0.0.1.example.com", "refusing plain http://"],
    ["ftp://127.0.0.1", "unsupported scheme"],
    ["not a url", "not a URL"],
    ["https://user:pw@acme.pipedrive.com", "credentials"],
    ["https://acme.pipedrive.com?api_token=x", "query"]
  ])("refuses %s with a clear configuration error", (baseUrl, detail) => {
    const result = resolve({ baseUrl })
    expect(Either.isLeft(result)).toBe(true)
    if (Either.isLeft(result)) {
      expect(result.left._tag).toBe("ConfigurationError")
      expect(result.left.setting).toBe("PIPEDRIVE_BASE_URL")
      expect(result.left.message).toContain(detail)
    }
  })

  it("refuses a domain that is not a subdomain", () => {
    const result = resolve({ companyDomain: "acme/evil" })
    expect(Either.isLeft(result) && result.left.setting).toBe("PIPEDRIVE_COMPANY_DOMAIN")
  })
})

describe("PipedriveConfig.config", () => {
  it.effect("reads the environment contract, with the token redacted", () =>
    Effect.gen(function*() {
      const options = yield* PipedriveConfig.config.pipe(
        Effect.withConfigProvider(
          ConfigProvider.fromMap(
            new Map([
              ["PIPEDRIVE_API_TOKEN", "secret-token-value"],
              ["PIPEDRIVE_COMPANY_DOMAIN", "acme"],
              ["PIPEDRIVE_TIMEOUT", "5 seconds"]
            ])
          )
        )
      )
      expect(options.companyDomain).toBe("acme")
      expect(options.baseUrl).toBeUndefined()
      expect(options.apiToken && Redacted.value(options.apiToken)).toBe("secret-token-value")
      expect(String(options.apiToken)).not.toContain("secret-token-value")
    }))

  it.effect("refuses an empty token instead of sending a blank header", () =>
    Effect.gen(function*() {
      const error = yield* PipedriveConfig.config.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map([["PIPEDRIVE_API_TOKEN", ""]]))),
        Effect.flip
      )
      expect(String(error)).toContain("PIPEDRIVE_API_TOKEN")
    }))

  it.effect("fails clearly without a token", () =>
    Effect.gen(function*() {
      const error = yield* PipedriveConfig.config.pipe(
        Effect.withConfigProvider(ConfigProvider.fromMap(new Map())),
        Effect.flip
      )
      expect(String(error)).toContain("PIPEDRIVE_API_TOKEN")
    }))
})

describe("PipedriveClient layers refuse a bad configuration when built", () => {
  it.effect("layer: plain http to a remote host fails with ConfigurationError, before any request", () =>
    Effect.gen(function*() {
      const error = yield* Layer.build(
        PipedriveClient.layer({ apiToken: Redacted.make("t"), baseUrl: "http://acme.pipedrive.com" })
      ).pipe(Effect.scoped, Effect.provide(FetchHttpClient.layer), Effect.flip)
      expect(error).toMatchObject({ _tag: "ConfigurationError", setting: "PIPEDRIVE_BASE_URL" })
    }))

  it.effect("layerConfig: the same refusal from the environment", () =>
    Effect.gen(function*() {
      const error = yield* Layer.build(PipedriveClient.layerConfig()).pipe(
        Effect.scoped,
        Effect.provide(FetchHttpClient.layer),
        Effect.withConfigProvider(
          ConfigProvider.fromMap(
            new Map([["PIPEDRIVE_API_TOKEN", "t"], ["PIPEDRIVE_BASE_URL", "http://10.0.0.8:8080"]])
          )
        ),
        Effect.flip
      )
      expect(error._tag).toBe("ConfigurationError")
      expect(error.message).toContain("refusing plain http://")
    }))
})
