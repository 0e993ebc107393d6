/**
 * The demo `npm start` runs: a sandbox in this process, then what a user does with this library and
 * its CLI, against it: every person through the v2 cursor stream and the v1 offset stream; one
 * person created, updated, read back and deleted; then the bulk workflows on files: an export to
 * CSV, that file edited (some names changed, new persons added), imported back, and the account's
 * duplicates (by email) merged. The files stay in a directory of their own, printed at the end.
 */
import type { FileSystem, Path } from "@effect/platform"
import { HttpTransport, Persons, PersonsV1, PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import type { ServeError } from "@effect/platform/HttpServerError"
import { Chunk, Effect, Layer, Redacted, Stream } from "effect"
import { mkdtempSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import * as Csv from "../files/Csv.ts"
import * as Dedupe from "./Dedupe.ts"
import * as Export from "./Export.ts"
import * as Import from "./Import.ts"
import * as Progress from "./Progress.ts"
import type * as Workflow from "./Workflow.ts"

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
  readonly directory: string
  readonly exported: { readonly file: string; readonly persons: number }
  readonly edited: { readonly file: string; readonly renamed: number; readonly added: number }
  readonly imported: Import.Summary
  readonly dedupe: Dedupe.Summary
  readonly elapsedMillis: number
  /** API tokens the demo's requests spent (against the sandbox, which counts them as Pipedrive would). */
  readonly tokensSpent: number
}

/** Persons the edit renames, and persons it adds. */
const renames = 25
const additions = 10

const count = <A, E, R>(pages: Stream.Stream<{ readonly items: ReadonlyArray<A> }, E, R>) =>
  Stream.runFold(pages, { persons: 0, pages: 0 }, (acc, page) => ({
    persons: acc.persons + page.items.length,
    pages: acc.pages + 1
  }))

/**
 * The exported CSV, edited as a person would in a spreadsheet: the first `renames` persons whose
 * primary email no one else has get a new name (an import by email then finds exactly them; a
 * shared email is what `dedupe` is for), `additions` new persons are added, and only those rows are
 * kept, as the file to import.
 */
const edit = (exported: string, edited: string) =>
  Effect.map(Stream.runCollect(Csv.read(exported)), (records) => {
    const [header, ...rows] = Chunk.toReadonlyArray(records).map((record) => [...record.cells])
    const columns = header ?? []
    const name = columns.indexOf("name")
    const emails = columns.indexOf("emails")
    const primary = (row: ReadonlyArray<string>) => row[emails]?.split("; ")[0]?.replace(/ \[.*\]$/, "") ?? ""
    const owners = new Map<string, number>()
    for (const row of rows) owners.set(primary(row), (owners.get(primary(row)) ?? 0) + 1)
    const changed = rows
      .filter((row) => primary(row) !== "" && owners.get(primary(row)) === 1)
      .slice(0, renames)
      .map((row) => row.map((cell, i) => (i === name ? `${cell} (edited)` : cell)))
    const added = Array.from({ length: additions }, (_, i) =>
      columns.map((column) =>
        column === "name" ? `New Person ${i + 1}` : column === "emails" ? `new.person.${i + 1}@demo.example [work]` : ""
      ))
    writeFileSync(edited, Csv.format([columns, ...changed, ...added]), { mode: 0o600 })
    return { file: edited, renamed: changed.length, added: added.length }
  })

const roundTrip = (options: Options, sandboxUrl: string, directory: string) =>
  Effect.gen(function*() {
    const meter = yield* Progress.meter
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

    const exportFile = join(directory, "persons.csv")
    const exported = yield* Export.run({ out: exportFile, pageSize: options.pageSize })
    const edited = yield* edit(exportFile, join(directory, "persons-edited.csv"))
    const imported = yield* Import.run({ file: edited.file, journal: join(directory, "import.journal") })
    const dedupe = yield* Dedupe.run({ by: "email", dryRun: false, journal: join(directory, "dedupe.journal") })

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
      directory,
      exported: { file: exportFile, persons: exported.persons },
      edited,
      imported,
      dedupe,
      ...(yield* meter.cost)
    } satisfies Summary
  })

/** Anything the demo can fail with. */
export type DemoError =
  | PipedriveError.PipedriveError
  | PipedriveError.ConfigurationError
  | ServeError
  | Export.ExportError
  | Import.ImportError
  | Effect.Effect.Error<ReturnType<typeof Dedupe.run>>

/**
 * Starts a sandbox seeded with `options.persons` persons and runs the round trip against it, with
 * its files in a new directory under the system's temporary directory.
 */
export const run = (options: Options): Effect.Effect<Summary, DemoError, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const sandbox = yield* PipedriveSandbox.PipedriveSandbox
    const client = PipedriveClient.layer({ apiToken: Redacted.make(sandbox.token), baseUrl: sandbox.url }).pipe(
      Layer.provide(HttpTransport.layer)
    )
    const directory = mkdtempSync(join(tmpdir(), "pipedrive-effect-demo-"))
    return yield* roundTrip(options, sandbox.url, directory).pipe(Effect.provide(client))
  }).pipe(Effect.provide(PipedriveSandbox.layer({ persons: options.persons, seed: "demo" })))

/** The summary as the lines the CLI prints. */
export const formatSummary = (summary: Summary): ReadonlyArray<string> => [
  `sandbox            ${summary.sandboxUrl} (seeded with ${summary.seeded} persons)`,
  `v2 cursor stream   ${summary.v2.persons} persons in ${summary.v2.pages} pages`,
  `v1 offset stream   ${summary.v1.persons} persons in ${summary.v1.pages} pages`,
  `round trip         created #${summary.roundTrip.createdId}, renamed to "${summary.roundTrip.updatedName}", deleted${
    summary.roundTrip.deletedThenNotFound ? " (then 404 as expected)" : " (but it was still readable!)"
  }`,
  `export             ${summary.exported.persons} persons to ${summary.exported.file}`,
  `edit               ${summary.edited.renamed} renamed, ${summary.edited.added} added: ${summary.edited.file}`,
  `import             ${summary.imported.created} created, ${summary.imported.updated} updated, ${summary.imported.unchanged} unchanged, ${summary.imported.failed} failed (journal ${summary.imported.journal ?? "none"})`,
  `dedupe by email    ${summary.dedupe.groups.length} groups, ${
    summary.dedupe.merges.filter((merge) => merge.status === "merged").length
  } duplicates merged into the oldest person of each`,
  `files              ${summary.directory}`,
  `elapsed            ${Progress.formatDuration(summary.elapsedMillis)}`,
  `API tokens         ${summary.tokensSpent} spent`
]

/** Whether the demo saw what it should: every step did all it was asked. */
const succeeded = (summary: Summary): boolean =>
  summary.v2.persons === summary.seeded && summary.v1.persons === summary.seeded &&
  summary.roundTrip.updatedName === "Ada King" && summary.roundTrip.deletedThenNotFound &&
  summary.exported.persons === summary.seeded &&
  summary.imported.created === summary.edited.added && summary.imported.updated === summary.edited.renamed &&
  summary.imported.failed === 0 && Dedupe.shortfall(summary.dedupe) === undefined &&
  summary.dedupe.merges.length === summary.dedupe.groups.reduce((n, group) => n + group.duplicates.length, 0)

/** What the demo did not see that it should have, in one line; `undefined` when its round trip held. */
export const shortfall = (summary: Summary): string | undefined =>
  succeeded(summary) ? undefined : "the demo's round trip did not hold"

/** `demo` as a `Workflow`. */
export const workflow: Workflow.Workflow<Options, Summary, DemoError, FileSystem.FileSystem | Path.Path> = {
  name: "demo",
  run,
  formatSummary,
  shortfall
}
