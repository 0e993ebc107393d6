/**
 * `@pipedrive-effect/sandbox`: a local Pipedrive-compatible server for testing Pipedrive code.
 *
 * - `PipedriveSandbox`: the server (`start`), its layer (`layer`) and its options.
 * - `PersonStore`: the persons it serves, for a test to plant or inspect data directly.
 *
 * Routes, data structures and traffic shaping live in `internal/` and are not part of the API.
 */
export * as PersonStore from "./PersonStore.ts"
export * as PipedriveSandbox from "./PipedriveSandbox.ts"
