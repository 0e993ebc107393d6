/**
 * `Export.run` against an in-process sandbox: the file holds exactly the account's persons (NDJSON,
 * CSV, v1 and v2), a run stopped midway resumes to the same file (also past a torn page), `since`
 * picks exactly the changed persons, and bad options, state files and directories are refused with
 * nothing written.
 */
import { FetchHttpClient } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { CustomFields, Persons, PipedriveClient } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Export, PersonFile, PersonRecord, Progress } from "@pipedrive-effect/scripts"
import { Chunk, Duration, Effect, Either, Fiber, Layer, Redacted, Schedule, Stream } from "effect"
import { appendFileSync, existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const withSandbox = <A, E>(
  persons: number,
  body: (sandbox: PipedriveSandbox.Service, directory: string) => Effect.Effect<A, E, PipedriveClient.PipedriveClient | NodeContext.NodeContext>,
  options: Omit<PipedriveSandbox.Options, "persons" | "seed"> = {}
) =>
  Effect.scoped(Effect.gen(function*() {
    const sandbox = yield* PipedriveSandbox.start({ ...options, persons, seed: "export-tests" })
    const directory = yield* Effect.acquireRelease(
      Effect.sync(() => mkdtempSync(join(tmpdir(), "export-"))),
      (path) => Effect.sync(() => rmSync(path, { recursive: true, force: true }))
    )
    const client = PipedriveClient.layer({ apiToken: Redacted.make(sandbox.token), baseUrl: sandbox.url }).pipe(
      Layer.provide(FetchHttpClient.layer)
    )
    return yield* body(sandbox, directory).pipe(Effect.provide(Layer.merge(client, NodeContext.layer)))
  }))

const all = Effect.map(Stream.runCollect(Persons.stream({ limit: 500 })), Chunk.toReadonlyArray)
const lines = (path: string) => readFileSync(path, "utf8").split("\n").filter((line) => line !== "")
const readBack = (path: string, catalog: CustomFields.Catalog) =>
  PersonFile.read(path, catalog).pipe(
    Stream.map((parsed) => Either.getOrThrow(parsed.row)),
    Stream.runCollect,
    Effect.map(Chunk.toReadonlyArray)
  )

describe("Export.run", () => {
  it.live("NDJSON: one line per person, each the person as the API sends it; the file is 0600 and no temporary file is left", () =>
    withSandbox(1234, (_, directory) =>
      Effect.gen(function*() {
        const out = join(directory, "persons.ndjson")
        const summary = yield* Export.run({ out, pageSize: 500 })
        expect(summary).toMatchObject({ persons: 1234, format: "ndjson", resumed: false })
        // Windows walked at once end in pages of their own: a few more than 1234 / 500.
        expect(summary.pages).toBeGreaterThanOrEqual(3)
        const expected = yield* all
        expect(lines(out)).toEqual(expected.map(PersonRecord.toNdjsonLine))
        expect(statSync(out).mode & 0o777).toBe(0o600)
        expect(readdirSync(directory)).toEqual(["persons.ndjson"])
      })), 60_000)

  it.live("CSV: the header, then one row per person that reads back as the person", () =>
    withSandbox(700, (_, directory) =>
      Effect.gen(function*() {
        const out = join(directory, "persons.csv")
        yield* Export.run({ out })
        const catalog = yield* CustomFields.load
        const expected = yield* all
        expect(lines(out)[0]).toBe(PersonRecord.csvColumns(catalog).join(","))
        expect(yield* readBack(out, catalog)).toEqual(expected.map((person) => PersonRecord.canonical(catalog, person)))
      })), 60_000)

  it.live("--api v1 writes the same NDJSON as v2", () =>
    withSandbox(600, (_, directory) =>
      Effect.gen(function*() {
        yield* Export.run({ out: join(directory, "v2.ndjson") })
        const summary = yield* Export.run({ out: join(directory, "v1.ndjson"), api: "v1", pageSize: 250 })
        expect(summary.pages).toBe(3)
        expect(lines(join(directory, "v1.ndjson"))).toEqual(lines(join(directory, "v2.ndjson")))
      })), 60_000)

  it.live("an export stopped midway resumes from its state to the same file, dropping a torn page", () =>
    withSandbox(2000, (_, directory) =>
      Effect.gen(function*() {
        const reference = join(directory, "reference.csv")
        yield* Export.run({ out: reference })
        const out = join(directory, "persons.csv")
        const state = join(directory, "state.json")
        const fiber = yield* Effect.fork(Export.run({ out, state, pageSize: 100 }))
        // Wait until a few pages are checkpointed, then stop it as Ctrl-C would.
        yield* Effect.repeat(
          Effect.sync(() => existsSync(state) ? JSON.parse(readFileSync(state, "utf8")).pages as number : 0),
          { until: (pages) => pages >= 3, schedule: Schedule.spaced(Duration.millis(5)) }
        )
        yield* Fiber.interrupt(fiber)
        expect(existsSync(out)).toBe(false)
        const saved = JSON.parse(readFileSync(state, "utf8")) as {
          temp: string
          persons: number
          segments: ReadonlyArray<{ path: string }>
        }
        expect(saved.persons).toBeLessThan(2000)
        expect(saved.segments.length).toBeGreaterThan(0)
        // A crash in the middle of a page leaves bytes the state does not count.
        appendFileSync(saved.segments[0]!.path, "999999,Torn Pa")
        const summary = yield* Export.run({ out, state, pageSize: 100 })
        expect(summary).toMatchObject({ resumed: true, persons: 2000 })
        expect(readFileSync(out, "utf8")).toBe(readFileSync(reference, "utf8"))
        expect(existsSync(state)).toBe(false)
        expect(existsSync(saved.temp)).toBe(false)
      })), 60_000)

  it.live("--since picks exactly the persons updated at or after it, each once", () =>
    withSandbox(900, (sandbox, directory) =>
      Effect.gen(function*() {
        const since = Date.parse("2026-01-01T00:00:00Z")
        const changed = [17, 450, 3, 899]
        for (const [index, id] of changed.entries()) {
          yield* sandbox.store.update(id, { name: `Changed ${id}`, updateTime: since + index * 1000 })
        }
        // A second before the boundary: not exported.
        yield* sandbox.store.update(5, { name: "Too early", updateTime: since - 1000 })
        const out = join(directory, "changed.ndjson")
        const summary = yield* Export.run({ out, since: "2026-01-01T02:00:00+02:00", pageSize: 2 })
        expect(summary.persons).toBe(4)
        expect(lines(out).map((line) => JSON.parse(line).id)).toEqual(changed)
        expect(lines(out).map((line) => JSON.parse(line).name)).toEqual(changed.map((id) => `Changed ${id}`))
      })), 60_000)

  it.live("refuses a state file of other options or of another account; nothing is written", () =>
    withSandbox(300, (_, directory) =>
      Effect.gen(function*() {
        const out = join(directory, "persons.ndjson")
        const state = join(directory, "state.json")
        const fiber = yield* Effect.fork(Export.run({ out, state, pageSize: 10 }))
        yield* Effect.repeat(Effect.sync(() => existsSync(state)), { until: (found) => found, schedule: Schedule.spaced(Duration.millis(5)) })
        yield* Fiber.interrupt(fiber)
        const other = yield* Effect.flip(Export.run({ out, state, format: "csv", pageSize: 10 }))
        expect(other.message).toMatch(/belongs to an export with other options \(--format ndjson, not csv\)/)
        const otherAccount = yield* Effect.flip(withSandbox(5, () => Export.run({ out, state, pageSize: 10 })))
        expect(otherAccount.message).toMatch(/belongs to an export from http:\/\/127\.0\.0\.1:\d+, not http:\/\/127\.0\.0\.1:\d+/)
        expect(existsSync(out)).toBe(false)
      })), 60_000)

  it.live("refuses a second run on a state file in use", () =>
    withSandbox(300, (_, directory) =>
      Effect.gen(function*() {
        const state = join(directory, "state.json")
        const first = yield* Effect.fork(Export.run({ out: join(directory, "a.ndjson"), state, pageSize: 1 }))
        yield* Effect.repeat(Effect.sync(() => existsSync(state)), { until: (found) => found, schedule: Schedule.spaced(Duration.millis(5)) })
        const second = yield* Effect.flip(Export.run({ out: join(directory, "a.ndjson"), state, pageSize: 1 }))
        expect(second._tag).toBe("LockHeld")
        expect(second.message).toContain("another run is using the same file")
        yield* Fiber.interrupt(first)
        expect(existsSync(`${state}.lock`)).toBe(false)
      })), 60_000)

  it.live("refuses a missing directory, a bad --since, --since with v1", () =>
    withSandbox(3, (_, directory) =>
      Effect.gen(function*() {
        const missing = yield* Effect.flip(Export.run({ out: join(directory, "nope", "persons.ndjson") }))
        expect(missing.message).toContain("does not exist")
        const badSince = yield* Effect.flip(Export.run({ out: join(directory, "p.ndjson"), since: "yesterday" }))
        expect(badSince.message).toBe("--since: \"yesterday\" is not an RFC 3339 time such as 2025-03-01T12:00:00Z")
        const future = new Date(Date.now() + 3_600_000).toISOString()
        const ahead = yield* Effect.flip(Export.run({ out: join(directory, "p.ndjson"), since: future }))
        expect(ahead.message).toBe(`--since: ${future} is in the future; nobody was updated then yet`)
        const v1 = yield* Effect.flip(Export.run({ out: join(directory, "p.ndjson"), since: "2025-01-01T00:00:00Z", api: "v1" }))
        expect(v1._tag).toBe("InvalidOption")
        expect(readdirSync(directory)).toEqual([])
      })), 60_000)
})

describe("Export.run with the partitioned walk (API v2)", () => {
  const ids = (path: string) => lines(path).map((line) => JSON.parse(line).id as number)
  const storeIds = (sandbox: PipedriveSandbox.Service) =>
    Effect.map(Stream.runCollect(sandbox.store.ids), (all) => Chunk.toReadonlyArray(all))

  it.live("with 40% of the persons in one update_time second, every person exactly once", () =>
    withSandbox(3000, (sandbox, directory) =>
      Effect.gen(function*() {
        const out = join(directory, "skewed.ndjson")
        const summary = yield* Export.run({ out, pageSize: 100 })
        const written = ids(out)
        expect(new Set(written).size).toBe(written.length)
        expect([...written].sort((a, b) => a - b)).toEqual(yield* storeIds(sandbox))
        expect(summary.persons).toBe(3000)
        // In update_time order, the plateau's persons together.
        const times = lines(out).map((line) => Date.parse(JSON.parse(line).update_time))
        expect(times).toEqual([...times].sort((a, b) => a - b))
      }), { bulkUpdateShare: 0.4 }), 60_000)

  it.live("persons updated and created while it runs are in the file once, at their latest version", () =>
    withSandbox(2000, (sandbox, directory) =>
      Effect.gen(function*() {
        const out = join(directory, "moving.ndjson")
        let changed = false
        // After the first page is written: an early person renamed twice, a late one renamed, one created.
        const progress: Progress.Factory = () =>
          Effect.map(Progress.silent, (quiet) => ({
            ...quiet,
            add: (n: number) =>
              Effect.zipRight(
                quiet.add(n),
                changed || n === 0 ? Effect.void : Effect.gen(function*() {
                  changed = true
                  yield* sandbox.store.update(3, { name: "Renamed once" })
                  yield* sandbox.store.update(3, { name: "Renamed twice" })
                  yield* sandbox.store.update(1990, { name: "Late rename" })
                  yield* sandbox.store.create({ name: "Born during the export" })
                }).pipe(Effect.orDie)
              )
          }))
        const summary = yield* Export.run({ out, pageSize: 50, progress })
        expect(changed).toBe(true)
        const persons = lines(out).map((line) => JSON.parse(line) as { id: number; name: string })
        const byId = new Map(persons.map((person) => [person.id, person.name]))
        expect(byId.size).toBe(persons.length)
        expect([...byId.keys()].sort((a, b) => a - b)).toEqual(yield* storeIds(sandbox))
        expect(byId.get(3)).toBe("Renamed twice")
        expect(byId.get(1990)).toBe("Late rename")
        expect(byId.get(2001)).toBe("Born during the export")
        expect(summary.persons).toBe(2001)
      }), { latencyMs: { min: 2, max: 6 } }), 60_000)

  it.live("resumes a format-2 state file of the earlier windowed walk (even windows, one partly written): the same file as a fresh export", () =>
    withSandbox(1200, (_sandbox, directory) =>
      Effect.gen(function*() {
        const fresh = join(directory, "fresh.ndjson")
        yield* Export.run({ out: fresh, pageSize: 100 })
        const out = join(directory, "p.ndjson")
        const state = join(directory, "p.state.json")
        const temp = join(directory, ".p.ndjson.partial")
        const persons = lines(fresh).map((line) => JSON.parse(line) as { id: number; update_time: string })
        const second = (person: { update_time: string }) => Math.floor(Date.parse(person.update_time) / 1000)
        const since = second(persons[0]!)
        const newest = second(persons.at(-1)!)
        const cut = (j: number) => since + Math.floor(((newest + 1 - since) * j) / 4)
        // What the earlier code saved after the first 100 persons of its first window were written:
        // four even windows, the first with its cursor and a segment of its own.
        const written = persons.filter((person) => second(person) < cut(1)).slice(0, 100)
        const page = yield* Persons.list({
          updated_since: new Date(since * 1000).toISOString().replace(".000Z", "Z"),
          updated_until: new Date(cut(1) * 1000).toISOString().replace(".000Z", "Z"),
          sort_by: "update_time",
          sort_direction: "asc",
          limit: 100
        })
        expect(page.items.map((person) => person.id)).toEqual(written.map((person) => person.id))
        const segment = `${temp}.w${since}`
        writeFileSync(segment, lines(fresh).slice(0, 100).map((line) => `${line}\n`).join(""))
        writeFileSync(state, JSON.stringify({
          kind: "pipedrive-effect persons export",
          version: 2,
          account: (yield* PipedriveClient.PipedriveClient).baseUrl,
          options: { out, format: "ndjson", since: null, api: "v2" },
          columns: null,
          temp,
          bytes: 0,
          persons: 100,
          pages: 1,
          start: null,
          walk: {
            phase: "main",
            span: { since, until: newest + 1 },
            windows: [0, 1, 2, 3].map((i) => ({
              since: cut(i),
              until: cut(i + 1),
              queryUntil: cut(i + 1),
              cursor: i === 0 ? page.nextCursor ?? null : null,
              position: i === 0 ? second(written.at(-1)!) : null
            })),
            catchUp: { since: newest, cursor: null },
            emitted: 100,
            coveredSeconds: 0
          },
          segments: [{ since, path: segment, bytes: statSync(segment).size }],
          catchUp: null,
          complete: false,
          startedAt: "2026-01-01T00:00:00Z"
        }))
        const summary = yield* Export.run({ out, state, pageSize: 100 })
        expect(summary).toMatchObject({ resumed: true, persons: 1200 })
        expect(readFileSync(out, "utf8")).toBe(readFileSync(fresh, "utf8"))
        expect(existsSync(state)).toBe(false)
      })), 60_000)

  it.live("refuses a state file of the earlier one-cursor format, and --concurrency 0, writing nothing", () =>
    withSandbox(20, (sandbox, directory) =>
      Effect.gen(function*() {
        const state = join(directory, "old.state.json")
        const out = join(directory, "p.ndjson")
        writeFileSync(state, JSON.stringify({
          kind: "pipedrive-effect persons export",
          version: 1,
          account: sandbox.url,
          options: { out, format: "ndjson", since: null, api: "v2" },
          columns: null,
          temp: join(directory, ".p.partial"),
          bytes: 0,
          persons: 0,
          pages: 0,
          cursor: "abc",
          start: null,
          complete: false,
          startedAt: "2026-01-01T00:00:00Z"
        }))
        const old = yield* Effect.flip(Export.run({ out, state }))
        expect(old.message).toContain("was written by an earlier pipedrive-effect, which walked one cursor")
        const zero = yield* Effect.flip(Export.run({ out, concurrency: 0 }))
        expect(zero.message).toBe("--concurrency: must be a positive whole number, got 0")
        expect(readdirSync(directory)).toEqual(["old.state.json"])
      })), 60_000)

  it.live("refuses a damaged state file in one short line that names what is wrong, writing nothing", () =>
    withSandbox(5, (_sandbox, directory) =>
      Effect.gen(function*() {
        const state = join(directory, "damaged.state.json")
        const out = join(directory, "p.ndjson")
        writeFileSync(state, JSON.stringify({ kind: "pipedrive-effect persons export", version: 2, account: 7 }))
        const damaged = yield* Effect.flip(Export.run({ out, state }))
        expect(damaged.message).toBe(`state file ${state}: is not the state of a persons export (account: Expected string, actual 7)`)
        writeFileSync(state, "{ not json")
        const notJson = yield* Effect.flip(Export.run({ out, state }))
        // The JSON parser's own words (they differ by runtime), on the same one line.
        expect(notJson.message).toMatch(/^state file .*: is not the state of a persons export \([^\n]*JSON[^\n]*\)$/)
        expect(readdirSync(directory)).toEqual(["damaged.state.json"])
      })), 60_000)
})

describe("Export.parseSince", () => {
  it("normalises to UTC whole seconds and refuses what is not RFC 3339", () => {
    expect(Export.parseSince("2025-03-01T12:00:00.5+02:00")).toEqual(Either.right("2025-03-01T10:00:00Z"))
    expect(Export.parseSince("2025-03-01t12:00:00z")).toEqual(Either.right("2025-03-01T12:00:00Z"))
    for (const bad of ["2025-02-30T00:00:00Z", "2025-03-01", "2025-03-01 12:00:00", "2025-13-01T00:00:00Z", ""]) {
      expect(Either.isLeft(Export.parseSince(bad))).toBe(true)
    }
  })
})
