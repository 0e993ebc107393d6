/**
 * `@pipedrive-effect/sandbox`: a local Pipedrive-compatible server for testing Pipedrive code.
 * Each module is a namespace: `PipedriveSandbox.layer`, `PersonStore.PersonStore`, `Seed.make`…
 */
export * as ApiError from "./ApiError.ts"
export * as Auth from "./Auth.ts"
export * as Bitset from "./Bitset.ts"
export * as Cursor from "./Cursor.ts"
export * as CustomFieldValues from "./CustomFieldValues.ts"
export * as OAuth from "./OAuth.ts"
export * as Person from "./Person.ts"
export * as PersonFields from "./PersonFields.ts"
export * as PersonStore from "./PersonStore.ts"
export * as PersonsV1 from "./PersonsV1.ts"
export * as PersonsV1Collection from "./PersonsV1Collection.ts"
export * as PersonsV1Writes from "./PersonsV1Writes.ts"
export * as PersonsV2 from "./PersonsV2.ts"
export * as PipedriveSandbox from "./PipedriveSandbox.ts"
export * as Recents from "./Recents.ts"
export * as SandboxApp from "./SandboxApp.ts"
export * as Search from "./Search.ts"
export * as Seed from "./Seed.ts"
export * as Time from "./Time.ts"
