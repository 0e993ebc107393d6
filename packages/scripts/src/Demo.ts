/**
 * The demo `npm start` runs: a sandbox in this process, then a full round trip through the core
 * client: every person through the v2 cursor stream and the v1 offset stream, and one person
 * created, updated, read back and deleted.
 */
import { FetchHttpClient } from "@effect/platform"
import { Persons, PersonsV1, PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import type { ServeError } from "@effect/platform/HttpServerError"
import { Clock, Effect, Layer, Redacted, Stream } from "effect"

/** Options of the demo. */
export interface Options {
  /** How many persons the sandbox is seeded with. */
  readonly persons: number
  /** Page size for both streams. */
  readonly pageSize: number
}

/** What the demo did, for the summary. */
export interface Summary {
  readonly sandboxUrl: string
  readonly seeded: number
  readonly v2: { readonly persons: number; readonly pages: number }
  readonly v1: { readonly persons: number; readonly pages: number }
  readonly roundTrip: {
    readonly createdId: number
    readonly updatedName: string
    readonly deletedThenNotFound: boolean
  }
  readonly elapsedMillis: number
}

const count = <A, E, R>(pages: Stream.Stream<{ readonly items: ReadonlyArray<A> }, E, R>) =>
  Stream.runFold(pages, { persons: 0, pages: 0 }, (acc, page) => ({
    persons: acc.persons + page.items.length,
    pages: acc.pages + 1
  }))

/** Runs the demo against the client in context. */
const roundTrip = (options: Options, sandboxUrl: string) =>
  Effect.gen(function*() {
    const started = yield* Clock.currentTimeMillis
    const v2 = yield* count(Persons.pages({ limit: options.pageSize }))
    const v1 = yield* count(PersonsV1.pages({ limit: options.pageSize }))
    const created = yield* Persons.create({
      name: "Ada Lovelace",
      emails: [{ value: "ada@example.com", primary: true, label: "work" }],
      phones: [{ value: "+44 20 7946 0000", primary: true, label: "mobile" }]
    })
    // Fields every account returns (job_title and notes come back only with contact sync on).
    const updated = yield* Persons.update(created.id, { name: "Ada King", label_ids: [1] })
    const readBack = yield* Persons.get(created.id)
    yield* Persons.remove(created.id)
    const deletedThenNotFound = yield* Persons.get(created.id).pipe(
      Effect.as(false),
      Effect.catchTag("NotFound", () => Effect.succeed(true))
    )
    const elapsedMillis = (yield* Clock.currentTimeMillis) - started
    return {
      sandboxUrl,
      seeded: options.persons,
      v2,
      v1,
      roundTrip: {
        createdId: created.id,
        updatedName: readBack.name ?? updated.name ?? "",
        deletedThenNotFound
      },
      elapsedMillis
    } satisfies Summary
  })

/** Starts a sandbox seeded with `options.persons` persons and runs the round trip against it. */
export const run = (
  options: Options
): Effect.Effect<Summary, PipedriveError.PipedriveError | PipedriveError.ConfigurationError | ServeError> =>
  Effect.gen(function*() {
    const sandbox = yield* PipedriveSandbox.PipedriveSandbox
    const client = PipedriveClient.layer({ apiToken: Redacted.make(sandbox.token), baseUrl: sandbox.url }).pipe(
      Layer.provide(FetchHttpClient.layer)
    )
    return yield* roundTrip(options, sandbox.url).pipe(Effect.provide(client))
  }).pipe(Effect.provide(PipedriveSandbox.layer({ persons: options.persons })))

/** The summary as the lines the CLI prints. */
export const format = (summary: Summary): ReadonlyArray<string> => [
  `sandbox            ${summary.sandboxUrl} (seeded with ${summary.seeded} persons)`,
  `v2 cursor stream   ${summary.v2.persons} persons in ${summary.v2.pages} pages`,
  `v1 offset stream   ${summary.v1.persons} persons in ${summary.v1.pages} pages`,
  `round trip         created #${summary.roundTrip.createdId}, renamed to "${summary.roundTrip.updatedName}", deleted${
    summary.roundTrip.deletedThenNotFound ? " (then 404 as expected)" : " (but it was still readable!)"
  }`,
  `elapsed            ${summary.elapsedMillis} ms`
]

/** Whether the demo saw what it should: both streams saw every person and the round trip held. */
export const succeeded = (summary: Summary): boolean =>
  summary.v2.persons === summary.seeded && summary.v1.persons === summary.seeded &&
  summary.roundTrip.updatedName === "Ada King" && summary.roundTrip.deletedThenNotFound
