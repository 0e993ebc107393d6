/**
 * `@pipedrive-effect/core`: the Pipedrive Persons API as typed `Effect`s and `Stream`s.
 * Each module is a namespace: `PipedriveClient.layer`, `Persons.stream`, `PersonsV1.get`…
 * The request pipeline's parts (bodies, envelope, decoders, token costs) live in `internal/`.
 * Under Node the package resolves to `index.node.ts` instead, whose `HttpTransport` is Node's.
 */
export * as CustomFields from "./CustomFields.ts"
export * as HttpTransport from "./HttpTransport.ts"
export * as OAuth from "./OAuth.ts"
export * as Pagination from "./Pagination.ts"
export * as PersonFields from "./PersonFields.ts"
export * as PersonFieldsV1 from "./PersonFieldsV1.ts"
export * as Persons from "./Persons.ts"
export * as PersonsV1 from "./PersonsV1.ts"
export * as PipedriveClient from "./PipedriveClient.ts"
export * as PipedriveConfig from "./PipedriveConfig.ts"
export * as PipedriveError from "./PipedriveError.ts"
export * as RateLimit from "./RateLimit.ts"
export * as Retry from "./Retry.ts"
