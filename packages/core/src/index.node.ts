/**
 * `@pipedrive-effect/core` as Node resolves it (the package's `node` export condition): everything
 * of `index.ts`, with the `HttpTransport` of Node (`node:http`) in place of the `fetch` one. Deno,
 * Bun, browsers and bundlers for them resolve `index.ts` itself, which loads no `node:` module.
 */
export * from "./index.ts"
export * as HttpTransport from "./HttpTransport.node.ts"
