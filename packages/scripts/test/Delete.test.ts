/**
 * `Delete.run` against an in-process sandbox: the backup holds the full records and is on disk
 * before anything is deleted, a restore from it gives the persons' fields back, and every refusal
 * (unknown ids, an existing backup, no confirmation, a bad ids file) deletes nothing.
 */
import { FetchHttpClient } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { CustomFields, Persons, PipedriveClient } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Delete, PersonRecord, WorkflowError } from "@pipedrive-effect/scripts"
import { Chunk, Effect, Either, Layer, Redacted, Ref, Stream } from "effect"
import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"
import { losingAnswers } from "./support/Clients.ts"

const withSandbox = <A, E>(
  persons: number,
  body: (sandbox: PipedriveSandbox.Service, directory: string) => Effect.Effect<A, E, PipedriveClient.PipedriveClient | NodeContext.NodeContext>
) =>
  Effect.scoped(Effect.gen(function*() {
    const sandbox = yield* PipedriveSandbox.start({ persons, seed: "delete-tests" })
    const directory = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "delete-"))),
      (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
    )
    const client = PipedriveClient.layer({ apiToken: Redacted.make(sandbox.token), baseUrl: sandbox.url }).pipe(
      Layer.provide(FetchHttpClient.layer)
    )
    return yield* body(sandbox, directory).pipe(Effect.provide(Layer.merge(client, NodeContext.layer)))
  }))

const byIds = (ids: ReadonlyArray<number>) =>
  Effect.map(
    Effect.forEach(Array.from({ length: Math.ceil(ids.length / 100) }, (_, i) => ids.slice(i * 100, i * 100 + 100)), (chunk) =>
      Stream.runCollect(Persons.stream({ ids: chunk, limit: 500 }))),
    (chunks) => chunks.flatMap(Chunk.toReadonlyArray)
  )

/** What a restore should give back: everything but the id, the times and derived names. */
const fields = (person: Persons.Person) => {
  const { add_time: _a, first_name: _f, id: _i, last_name: _l, update_time: _u, ...rest } = person
  return rest
}

describe("Delete.run", () => {
  it.live("writes the backup, then deletes 100 a call; importing the backup restores the fields", () =>
    withSandbox(400, (sandbox, directory) =>
      Effect.gen(function*() {
        const ids = Array.from({ length: 150 }, (_, i) => 2 * i + 7)
        writeFileSync(join(directory, "ids.txt"), `# to delete\n${ids.join("\n")}\n\n${ids[0]}\n`)
        const before = yield* byIds(ids)
        const backup = join(directory, "backup.ndjson")
        let backupOnDisk = false
        const summary = yield* Delete.run({
          ids: join(directory, "ids.txt"),
          backup,
          confirm: (plan) =>
            Effect.sync(() => {
              expect(plan).toEqual({ count: 150, backup })
              backupOnDisk = existsSync(backup)
            })
        })
        expect(backupOnDisk).toBe(false)
        expect(summary).toMatchObject({ requested: 150, deleted: 150 })
        expect(yield* sandbox.store.count).toBe(250)
        expect(statSync(backup).mode & 0o777).toBe(0o600)
        expect(readFileSync(backup, "utf8")).toBe(before.map((p) => `${PersonRecord.toNdjsonLine(p)}\n`).join(""))

        // Restore: what `persons import backup.ndjson` does, from the same format functions.
        const catalog = yield* CustomFields.load
        const restored = yield* Effect.forEach(readFileSync(backup, "utf8").trim().split("\n"), (line, index) => {
          const draft = Either.getOrThrow(Either.flatMap(PersonRecord.fromNdjsonLine(line, index + 1), (row) =>
            PersonRecord.toDraft(catalog, row, index + 1)))
          return Persons.create(Either.getOrThrow(PersonRecord.createBody(draft)))
        })
        expect(restored.map(fields)).toEqual(before.map(fields))
        expect(restored.map((p) => p.add_time)).toEqual(before.map((p) => p.add_time))
      })))

  for (const applied of [true, false]) {
    it.live(`a bulk delete whose answer was lost (${applied ? "applied" : "never sent"}) is checked, and only the ids still there are sent again`, () =>
      withSandbox(300, (sandbox, directory) =>
        Effect.gen(function*() {
          const ids = Array.from({ length: 150 }, (_, i) => i + 11)
          writeFileSync(join(directory, "ids.txt"), `${ids.join("\n")}\n`)
          const calls = yield* Ref.make(0)
          const summary = yield* Delete.run({ ids: join(directory, "ids.txt"), backup: join(directory, "b.ndjson"), confirm: Delete.confirmed }).pipe(
            Effect.provide(losingAnswers("deletePersons", 1, calls, applied))
          )
          expect(summary).toMatchObject({ requested: 150, deleted: 150 })
          expect(yield* sandbox.store.count).toBe(150)
          // Two chunks; the first answer lost: sent again only when its persons were still there.
          expect(yield* Ref.get(calls)).toBe(applied ? 2 : 3)
        })))
  }

  it.live("--filter-id deletes the filter's persons", () =>
    withSandbox(120, (sandbox, directory) =>
      Effect.gen(function*() {
        const summary = yield* Delete.run({ filterId: 40, backup: join(directory, "b.ndjson"), confirm: Delete.confirmed })
        expect(summary).toMatchObject({ requested: 3, deleted: 3 })
        expect(yield* sandbox.store.count).toBe(117)
        expect(readFileSync(join(directory, "b.ndjson"), "utf8").trim().split("\n").map((l) => JSON.parse(l).id)).toEqual([40, 80, 120])
      })))

  it.live("deletes nothing when an id is no person, the backup exists, the ids file is bad, or it is not confirmed", () =>
    withSandbox(50, (sandbox, directory) =>
      Effect.gen(function*() {
        const ids = join(directory, "ids.txt")
        const backup = join(directory, "backup.ndjson")
        writeFileSync(ids, "1\n2\n999\n")
        const missing = yield* Effect.flip(Delete.run({ ids, backup, confirm: Delete.confirmed }))
        expect(missing.message).toBe("1 of the ids are not persons of this account (999); nothing was deleted")

        writeFileSync(ids, "1\nx2\n3\n4.5\n")
        const bad = yield* Effect.flip(Delete.run({ ids, backup, confirm: Delete.confirmed }))
        expect(bad.message).toBe(`${ids}: lines 2, 4 are not a person id (one positive whole number a line)`)

        writeFileSync(ids, "1\n2\n")
        const refused = yield* Effect.flip(Delete.run({ ids, backup, confirm: () => Effect.fail(new WorkflowError.Refused({ reason: "no" })) }))
        expect(refused._tag).toBe("Refused")
        expect(readdirSync(directory)).toEqual(["ids.txt"])

        writeFileSync(backup, "older backup\n")
        const exists = yield* Effect.flip(Delete.run({ ids, backup, confirm: Delete.confirmed }))
        expect(exists.message).toContain("already exists")
        expect(readFileSync(backup, "utf8")).toBe("older backup\n")
        expect(yield* sandbox.store.count).toBe(50)
      })))

  it.effect("refuses without a terminal instead of asking", () =>
    Effect.gen(function*() {
      // Under vitest stdin is not a terminal, as in a script or CI.
      const refused = yield* Effect.flip(Delete.askOnTerminal({ count: 3, backup: "b.ndjson" }))
      expect(refused.message).toContain("add --yes")
    }).pipe(Effect.provide(NodeContext.layer)))
})
