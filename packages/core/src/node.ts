/**
 * `@pipedrive-effect/core/node`: what only Node runs. `NodeTransport.layer` is the `HttpClient` to
 * give the client on Node (faster and leaner than `FetchHttpClient`); the main entry stays free of
 * `node:` modules, for Deno, Bun and browsers.
 */
export * as NodeTransport from "./NodeTransport.ts"
