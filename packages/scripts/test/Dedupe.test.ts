/**
 * `Dedupe` against an in-process sandbox with planted duplicates: the keys, the groups (oldest
 * survives), merging with a journal, a rerun that finds nothing left, groups found by a walk while
 * search lags, and a merge whose answer was lost (checked, not sent twice).
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { type Persons, PersonsV1, PipedriveClient } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Dedupe, Journal } from "@pipedrive-effect/scripts"
import { Effect, Option, Ref, Stream } from "effect"
import { readFileSync } from "node:fs"
import { join } from "node:path"
import { counting, losingAnswers, revokedFor, sandboxLayer, tempDirectory } from "./support/Clients.ts"

const temp = tempDirectory("dedupe")
afterAll(temp.remove)

const day = 86_400_000
const base = Date.UTC(2025, 0, 1)

/** Plants persons: [name, primary email, phone, days after base it was added]. */
const plant = (rows: ReadonlyArray<readonly [string, string | null, string | null, number]>) =>
  Effect.flatMap(PipedriveSandbox.PipedriveSandbox, (sandbox) =>
    Effect.forEach(rows, ([name, email, phone, days]) =>
      Effect.map(
        sandbox.store.create({
          name,
          emails: email === null ? [] : [{ value: email, primary: true, label: "work" }],
          phones: phone === null ? [] : [{ value: phone, primary: true, label: "work" }],
          addTime: base + days * day,
          updateTime: base + days * day
        }),
        (person) => person.id
      )))

const person = (over: Partial<Persons.Person>): Persons.Person => ({ id: 1, ...over })

describe("keys", () => {
  it("normalise emails, phones and names", () => {
    expect(Dedupe.keyOf("email", person({ emails: [{ value: "x@y.z" }, { value: " Ann@Example.COM ", primary: true }] })))
      .toBe("ann@example.com")
    expect(Dedupe.keyOf("email", person({ emails: [] }))).toBeUndefined()
    expect(Dedupe.phoneKey("+1 (555) 010-0100")).toBe(Dedupe.phoneKey("001 555 010 0100"))
    expect(Dedupe.phoneKey("555 0100")).not.toBe(Dedupe.phoneKey("+1 555 010 0100"))
    expect(Dedupe.phoneKey("12-34")).toBeUndefined()
    expect(Dedupe.nameKey("  José   GARCÍA ")).toBe("jose garcia")
    expect(Dedupe.keyOf("name", person({ name: null }))).toBeUndefined()
  })

  it("names the default journal by key and account", () => {
    expect(Dedupe.defaultJournal("email", "https://acme.pipedrive.com")).toBe("pipedrive-dedupe-email-acme.pipedrive.com.journal")
    expect(Dedupe.defaultJournal("name", "http://127.0.0.1:8080")).toBe("pipedrive-dedupe-name-127.0.0.1_8080.journal")
  })

  it("orders members oldest first, unknown add time last, then by id", () => {
    const members = [
      { id: 3, name: null, addTime: "2025-01-02T00:00:00Z" },
      { id: 9, name: null, addTime: null },
      { id: 5, name: null, addTime: "2025-01-01T00:00:00Z" },
      { id: 2, name: null, addTime: "2025-01-02T00:00:00Z" }
    ]
    expect([...members].sort(Dedupe.byAge).map((m) => m.id)).toEqual([5, 2, 3, 9])
  })
})

const planted = [
  ["Ann Smith", "ann@example.com", "+1 555 010 0100", 5],
  ["Ann Smith", " ANN@example.com", null, 1],
  ["A. Smith", "Ann@Example.com", "001 555 010 0100", 9],
  ["José García", "jose@example.com", null, 2],
  ["jose  garcia", "garcia@example.com", "555 0100", 3],
  ["Nobody", null, null, 4]
] as const

describe("Dedupe.run", () => {
  it.live("finds the groups of each key without changing anything", () =>
    Effect.gen(function*() {
      const [ann5 = -1, ann1 = -1, ann9 = -1, jose2 = -1, jose3 = -1] = yield* plant(planted)
      const byEmail = yield* Dedupe.run({ by: "email", dryRun: true })
      expect(byEmail.persons).toBe(6)
      expect(byEmail.groups).toEqual([
        {
          key: "ann@example.com",
          survivor: { id: ann1, name: "Ann Smith", addTime: "2025-01-02T00:00:00Z" },
          duplicates: [
            { id: ann5, name: "Ann Smith", addTime: "2025-01-06T00:00:00Z" },
            { id: ann9, name: "A. Smith", addTime: "2025-01-10T00:00:00Z" }
          ]
        }
      ])
      expect(byEmail.merges).toEqual([])
      const byPhone = yield* Dedupe.run({ by: "phone", dryRun: true })
      expect(byPhone.groups.map((g) => [g.survivor.id, g.duplicates.map((d) => d.id)])).toEqual([[ann5, [ann9]]])
      const byName = yield* Dedupe.run({ by: "name", dryRun: true })
      expect(byName.groups.map((g) => [g.key, g.survivor.id, g.duplicates.map((d) => d.id)])).toEqual([
        ["ann smith", ann1, [ann5]],
        ["jose garcia", jose2, [jose3]]
      ])
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      expect(yield* sandbox.store.count).toBe(6)
      expect(Dedupe.formatGroup(byEmail.groups[0]!)).toBe(
        `ann@example.com: keep #${ann1} Ann Smith (added 2025-01-02T00:00:00Z); merge #${ann5} Ann Smith (added 2025-01-06T00:00:00Z), #${ann9} A. Smith (added 2025-01-10T00:00:00Z)`
      )
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))

  it.live("with apply merges each group into its oldest person, journaled; a rerun finds nothing left", () =>
    Effect.gen(function*() {
      const [ann5 = -1, ann1 = -1, ann9 = -1] = yield* plant(planted)
      const journal = join(temp.path, "apply.journal")
      const result = yield* Dedupe.run({ by: "email", dryRun: false, journal })
      expect(result.merges).toEqual([
        { id: ann5, into: ann1, status: "merged" },
        { id: ann9, into: ann1, status: "merged" }
      ])
      expect(Dedupe.shortfall(result)).toBeUndefined()
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      expect(Option.isNone(yield* sandbox.store.get(ann5))).toBe(true)
      expect(Option.isNone(yield* sandbox.store.get(ann9))).toBe(true)
      const survivor = Option.getOrThrow(yield* sandbox.store.get(ann1))
      expect(survivor.phones.map((p) => p.value)).toContain("+1 555 010 0100")
      expect(yield* sandbox.store.count).toBe(4)
      const lines = readFileSync(journal, "utf8").trim().split("\n").map((line) => JSON.parse(line))
      expect(lines[0]).toMatchObject({ kind: "dedupe", options: { by: "email" } })
      expect(lines.slice(1).filter((line) => line.status === "done")).toEqual([
        { item: `merge:${ann5}`, status: "done", outcome: "merged", id: ann1 },
        { item: `merge:${ann9}`, status: "done", outcome: "merged", id: ann1 }
      ])
      const again = yield* Dedupe.run({ by: "email", dryRun: false, journal })
      expect(again.groups).toEqual([])
      expect(again.merges).toEqual([])
      const report = Dedupe.reportLines(result).map((line) => JSON.parse(line))
      expect(report[0].duplicates.map((d: { status: string }) => d.status)).toEqual(["merged", "merged"])
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))

  it.live("groups come from a walk, never from search: persons added a moment ago, which a lagging search misses, are merged", () =>
    Effect.gen(function*() {
      const [, ann1 = -1] = yield* plant(planted)
      const counts = new Map<string, number>()
      const result = yield* Dedupe.run({ by: "email", dryRun: false, journal: join(temp.path, "lagging.journal") }).pipe(
        Effect.provide(counting(counts))
      )
      expect(result.merges.map((m) => [m.into, m.status])).toEqual([[ann1, "merged"], [ann1, "merged"]])
      expect(counts.get("searchPersons") ?? 0).toBe(0)
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      expect(yield* sandbox.store.count).toBe(4)
    }).pipe(Effect.provide(sandboxLayer({ persons: 0, searchLagMs: 60_000 }))))

  it.live("a merge whose answer was lost is checked, not sent again", () =>
    Effect.gen(function*() {
      const [ann5 = -1, ann1 = -1, ann9 = -1] = yield* plant(planted)
      const lost = yield* Ref.make(0)
      const merged = yield* Dedupe.run({ by: "email", dryRun: false, journal: join(temp.path, "lost.journal") }).pipe(
        Effect.provide(losingAnswers("mergePersons", 1, lost))
      )
      expect(merged.merges.map((m) => [m.id, m.status])).toEqual([[ann5, "merged"], [ann9, "merged"]])
      // Two merges, the first answered with AmbiguousWrite: two requests, not three.
      expect(yield* Ref.get(lost)).toBe(2)
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      expect(Option.isSome(yield* sandbox.store.get(ann1))).toBe(true)
      expect(yield* sandbox.store.count).toBe(4)
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))

  it.live("a token refused mid-run stops the run; nothing is journaled as failed", () =>
    Effect.gen(function*() {
      yield* plant(planted)
      const path = join(temp.path, "revoked.journal")
      const stopped = yield* Effect.flip(Dedupe.run({ by: "email", dryRun: false, journal: path }).pipe(Effect.provide(revokedFor("mergePersons"))))
      expect(stopped._tag).toBe("Unauthorized")
      expect(readFileSync(path, "utf8")).not.toContain(`"failed"`)
      const resumed = yield* Dedupe.run({ by: "email", dryRun: false, journal: path })
      expect(resumed.merges.map((m) => m.status)).toEqual(["merged", "merged"])
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))

  it.live("a merge left started by a run that died is checked and then done", () =>
    Effect.gen(function*() {
      const [ann5 = -1, ann1 = -1, ann9 = -1] = yield* plant(planted)
      const path = join(temp.path, "resume.journal")
      const client = yield* PipedriveClient.PipedriveClient
      // The first run journaled the merge of ann5 as started and died before sending it.
      yield* Effect.scoped(Effect.flatMap(
        Journal.open(path, { kind: "dedupe", account: client.baseUrl, options: { by: "email" } }),
        (journal) => journal.append({ item: `merge:${ann5}`, status: "started", key: String(ann1) })
      ))
      const resumed = yield* Dedupe.run({ by: "email", dryRun: false, journal: path })
      expect(resumed.merges.map((m) => [m.id, m.status])).toEqual([[ann5, "merged"], [ann9, "merged"]])
      expect(yield* Stream.runCount(PersonsV1.stream({ limit: 100 }))).toBe(4)
      const entries = readFileSync(path, "utf8").trim().split("\n").slice(1).map((line) => JSON.parse(line))
      expect(entries.filter((e) => e.item === `merge:${ann5}`).map((e) => e.status)).toEqual(["started", "started", "done"])
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))
})
