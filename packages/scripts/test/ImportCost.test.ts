/**
 * `persons import --lookup auto` when the up-front estimate is wrong: the search plan is a ski
 * rental, so when searching costs more than planned (many hits to confirm, a long list of recent
 * changes) the import walks the rest, says so in the summary, and every row still ends exact; and
 * an estimate too high (persons deleted: ids are not reused) searches, within that estimate.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Import } from "@pipedrive-effect/scripts"
import { Effect, Stream } from "effect"
import { writeFileSync } from "node:fs"
import { join } from "node:path"
import { counting, sandboxLayer, tempDirectory } from "./support/Clients.ts"

const temp = tempDirectory("import-cost")
afterAll(temp.remove)

/** Long ago: persons planted with this update time are not among the recent changes. */
const longAgo = Date.UTC(2024, 0, 1)

/** Every person of the sandbox, by primary email (lower-cased): their names. */
const namesByEmail = Effect.flatMap(PipedriveSandbox.PipedriveSandbox, (sandbox) =>
  Stream.runFold(sandbox.store.persons, new Map<string, Array<string>>(), (map, person) => {
    const primary = person.emails.find((entry) => entry.primary)?.value.toLowerCase()
    if (primary !== undefined) map.set(primary, [...(map.get(primary) ?? []), person.name])
    return map
  }))

const writeRows = (name: string, rows: ReadonlyArray<readonly [string, string]>) => {
  const path = join(temp.path, name)
  writeFileSync(path, ["name,emails", ...rows.map(([row, email]) => `${row},${email}`)].join("\n") + "\n")
  return path
}

/**
 * Four keys; `a@` has a person, the others are new; `a@` and `b@` have a second row, last (`a@`'s
 * is answered from what its first row found by search; `b@`'s from the walk, with what its first
 * row created). Each key is also the second email of five other persons, so each search hits six persons
 * to confirm by a get: a key costs 26 tokens, not the 20 the estimate assumed.
 */
const plantCrowded = (file: string) => Effect.gen(function*() {
  const sandbox = yield* PipedriveSandbox.PipedriveSandbox
  const keys = ["a@cost.example", "b@cost.example", "c@cost.example", "d@cost.example"]
  for (const [i, key] of keys.entries()) {
    for (let j = 0; j < 5; j++) {
      yield* sandbox.store.create({
        name: `Other ${i}.${j}`,
        emails: [{ value: `other-${i}-${j}@cost.example`, primary: true, label: "work" }, { value: key, primary: false, label: "home" }],
        addTime: longAgo,
        updateTime: longAgo
      })
    }
  }
  yield* sandbox.store.create({ name: "Ann Old", emails: [{ value: keys[0]!, primary: true, label: "work" }], addTime: longAgo, updateTime: longAgo })
  return writeRows(file, [
    ["Ann New", keys[0]!],
    ["Bob First", keys[1]!],
    ["Cat", keys[2]!],
    ["Dan", keys[3]!],
    ["Bob Second", keys[1]!],
    ["Ann Final", keys[0]!]
  ])
})

const crowdedExact = Effect.gen(function*() {
  const names = yield* namesByEmail
  expect(["a", "b", "c", "d"].map((k) => names.get(`${k}@cost.example`))).toEqual([["Ann Final"], ["Bob Second"], ["Cat"], ["Dan"]])
})

describe("Import.run --lookup auto, when the estimate is wrong", () => {
  it.live("searches that cost more than planned: it walks the rest, says so, and every row is exact", () =>
    Effect.gen(function*() {
      const path = yield* plantCrowded("crowded-auto.csv")
      const counts = new Map<string, number>()
      // One row at a time, so that the second key's decision has seen the first key's cost.
      const summary = yield* Import.run({ file: path, concurrency: 1, settleMillis: 0 }).pipe(Effect.provide(counting(counts)))
      // 5,021 persons: 11 pages ≈ 110 tokens; 4 keys × 20 = 80 < 110, so it starts searching. The
      // first key costs 26 (a search, six gets) beside the recent list's 10: 36 + 3 × 26 ≥ 110.
      expect(summary.lookup).toMatchObject({ mode: "walk", searched: 1 })
      expect(summary.lookup.reason).toContain("first choice search (4 rows × 20 = 80 tokens < 11 pages ≈ 110 tokens)")
      expect(summary.lookup.reason).toContain("after 1 of 4 rows searched it had spent 36 tokens, and the 3 left at 26.0 each")
      expect(Import.formatSummary(summary).join("\n")).toMatch(/lookup\s+walk, after searching 1 row \(first choice search/)
      expect(counts.get("searchPersons")).toBe(1)
      expect([summary.created, summary.updated, summary.failed]).toEqual([3, 3, 0])
      yield* crowdedExact
    }).pipe(Effect.provide(sandboxLayer({ persons: 5000 }))))

  it.live("--lookup search is kept to, however much the searches cost; each key is searched once", () =>
    Effect.gen(function*() {
      const path = yield* plantCrowded("crowded-search.csv")
      const counts = new Map<string, number>()
      const summary = yield* Import.run({ file: path, lookup: "search", concurrency: 1, settleMillis: 0 }).pipe(
        Effect.provide(counting(counts))
      )
      expect(summary.lookup).toMatchObject({ mode: "search", searched: 4 })
      // Six rows, four keys: a key's second row is answered from what its first row found and wrote.
      expect(counts.get("searchPersons")).toBe(4)
      yield* crowdedExact
    }).pipe(Effect.provide(sandboxLayer({ persons: 5000 }))))

  it.live("more recent changes than the search plan can afford: it stops reading them and walks", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      // 1,600 persons changed a moment ago (a bulk update before the import): the recent list is four pages.
      for (let i = 0; i < 1600; i++) {
        yield* sandbox.store.create({ name: `Bulk ${i}`, emails: [{ value: `bulk-${i}@cost.example`, primary: true, label: "work" }] })
      }
      const path = writeRows("recent.csv", [["Eve", "eve@cost.example"], ["Fred", "fred@cost.example"], ["Bulk Renamed", "bulk-7@cost.example"]])
      const counts = new Map<string, number>()
      const summary = yield* Import.run({ file: path, settleMillis: 0 }).pipe(Effect.provide(counting(counts)))
      // 3,600 persons: 8 pages ≈ 80 tokens > 3 × 20; the list's first page (10) + 60 is 70 < 80,
      // the second makes 80 with more to come: it walks instead, without searching.
      expect(summary.lookup).toMatchObject({ mode: "walk", searched: 0 })
      expect(summary.lookup.reason).toContain("took 2 pages and more")
      expect(counts.get("searchPersons") ?? 0).toBe(0)
      expect([summary.created, summary.updated]).toEqual([2, 1])
      const names = yield* namesByEmail
      expect(["eve", "fred", "bulk-7"].map((name) => names.get(`${name}@cost.example`))).toEqual([["Eve"], ["Fred"], ["Bulk Renamed"]])
    }).pipe(Effect.provide(sandboxLayer({ persons: 2000 }))))

  it.live("an estimate too high (most persons deleted; ids are not reused) searches, and spends less than the estimate", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      for (let id = 1; id <= 2950; id++) yield* Effect.ignore(sandbox.store.delete(id))
      const path = writeRows("deleted.csv", [["Fay", "fay@cost.example"], ["Gus", "gus@cost.example"]])
      const counts = new Map<string, number>()
      const summary = yield* Import.run({ file: path, settleMillis: 0 }).pipe(Effect.provide(counting(counts)))
      // 50 persons are left (a page, 10 tokens), but the highest id says 6 pages ≈ 60 tokens.
      expect(summary.lookup).toEqual({ mode: "search", searched: 2, reason: "2 rows × 20 = 40 tokens < 6 pages ≈ 60 tokens" })
      // The lookups: the recent list's page and two searches, 50 tokens < 60 (the probe's page aside).
      expect([counts.get("getPersons"), counts.get("searchPersons")]).toEqual([2, 2])
      expect(summary.created).toBe(2)
      const names = yield* namesByEmail
      expect([names.get("fay@cost.example"), names.get("gus@cost.example")]).toEqual([["Fay"], ["Gus"]])
    }).pipe(Effect.provide(sandboxLayer({ persons: 3000 }))))
})
