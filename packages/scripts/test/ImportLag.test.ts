/**
 * `Import.run` under real conditions: search 60 s behind the data, 5% of answers lost after the
 * request was applied (writes included), a rate limit of 20 requests per 2 s. Half the rows update
 * existing persons (some old, so search sees them; some changed a moment ago, so it does not), half
 * create new ones. Both lookups (the walked index, and search beside the recent-changes list): every
 * row's person is there exactly once and holds the row's values; a second run writes nothing; a row
 * matching two persons is reported with their ids, not written; lost creates are settled by lists,
 * never by search.
 *
 * `npm test` runs 60 rows (walk) and 40 (search); `FAULTS_FULL=1` adds 2,000 rows (1,000 + 1,000) each.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Import } from "@pipedrive-effect/scripts"
import { Effect, Layer, Ref, Stream } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { counting, losingAnswers, sandboxLayer, tempDirectory } from "./support/Clients.ts"

const temp = tempDirectory("import-lag")
afterAll(temp.remove)
const full = process.env["FAULTS_FULL"] === "1"

/** Every person of the sandbox, by primary email (lower-cased). */
const byPrimaryEmail = Effect.flatMap(PipedriveSandbox.PipedriveSandbox, (sandbox) =>
  Stream.runFold(sandbox.store.persons, new Map<string, Array<{ id: number; name: string }>>(), (map, person) => {
    const primary = person.emails.find((entry) => entry.primary)?.value.toLowerCase()
    if (primary !== undefined) map.set(primary, [...(map.get(primary) ?? []), { id: person.id, name: person.name }])
    return map
  }))

/**
 * `updates` rows for existing persons (half seeded long ago, half created just now, within search's
 * lag), then `creates` rows for new ones; returns the file and what each email must end as.
 */
const plant = (tag: string, updates: number, creates: number) =>
  Effect.gen(function*() {
    const sandbox = yield* PipedriveSandbox.PipedriveSandbox
    const existing = yield* byPrimaryEmail
    const seeded = [...existing.entries()].filter(([, persons]) => persons.length === 1).map(([email]) => email)
      .slice(0, Math.ceil(updates / 2))
    const fresh: Array<string> = []
    for (let i = 0; seeded.length + fresh.length < updates; i++) {
      const email = `${tag}-old-${i}@lag.example`
      yield* sandbox.store.create({ name: `Old ${i}`, emails: [{ value: email, primary: true, label: "work" }] })
      fresh.push(email)
    }
    const rows = [
      ...[...seeded, ...fresh].map((email, i) => ({ name: `${tag} Updated ${i}`, email })),
      ...Array.from({ length: creates }, (_, i) => ({ name: `${tag} New ${i}`, email: `${tag}-new-${i}@lag.example` }))
    ]
    const path = join(temp.path, `${tag}.csv`)
    writeFileSync(path, ["name,emails", ...rows.map((row) => `${row.name},${row.email}`)].join("\n") + "\n")
    return { path, rows }
  })

/** Every row's email held by exactly one person, with the row's name; the persons wrongly held, else `[]`. */
const wrongRows = (rows: ReadonlyArray<{ readonly name: string; readonly email: string }>) =>
  Effect.map(byPrimaryEmail, (persons) =>
    rows.flatMap((row) => {
      const held = persons.get(row.email.toLowerCase()) ?? []
      return held.length === 1 && held[0]!.name === row.name ? [] : [{ ...row, held }]
    }))

const conditions = (seed: string, persons: number) =>
  sandboxLayer({ persons, seed, searchLagMs: 60_000, rateLimit: 20, faults: { dropAfterRate: 0.05, seed } })

const scenario = (lookup: "walk" | "search", updates: number, creates: number, timeout: number) =>
  it.live(`--lookup ${lookup}, ${updates} updates + ${creates} creates: each row's person exactly once and up to date; a second run writes nothing`, () => {
    const counts = new Map<string, number>()
    return Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const { path, rows } = yield* plant(`${lookup}${updates}`, updates, creates)
      const summary = yield* Import.run({ file: path, lookup, settleMillis: 100 }).pipe(Effect.provide(counting(counts)))
      expect(summary.lookup.mode).toBe(lookup)
      expect([summary.failed, summary.ambiguous]).toEqual([0, 0])
      expect(summary.created + summary.updated + summary.unchanged).toBe(rows.length)
      expect(yield* wrongRows(rows)).toEqual([])
      // Searches: none with the walked index; with search, one per row (lost answers never search again).
      expect(counts.get("searchPersons") ?? 0).toBe(lookup === "walk" ? 0 : rows.length)
      const version = sandbox.store.version()
      const again = yield* Import.run({ file: path, lookup, journal: `${path}.second.journal`, settleMillis: 100 })
      // The rows a second run would write, with what it saw differ (so a failure says why).
      expect(again.outcomes.filter((outcome) => outcome.outcome !== "unchanged").slice(0, 5)).toEqual([])
      expect([again.created, again.updated, again.unchanged, again.failed]).toEqual([0, 0, rows.length, 0])
      expect(sandbox.store.version()).toBe(version)
    }).pipe(Effect.provide(conditions(`lag-${lookup}-${updates}`, 300)))
  }, timeout)

describe("Import.run with search lagging 60 s, 5% of answers lost after applying, 20 requests / 2 s", () => {
  scenario("walk", 30, 30, 60_000)
  scenario("search", 10, 10, 60_000)
  if (full) {
    scenario("walk", 1000, 1000, 900_000)
    scenario("search", 1000, 1000, 1_800_000)
  }

  for (const lookup of ["walk", "search"] as const) {
    it.live(`--lookup ${lookup}: a row matching two persons is reported with their ids, not written`, () =>
      Effect.gen(function*() {
        const sandbox = yield* PipedriveSandbox.PipedriveSandbox
        const a = yield* sandbox.store.create({ name: "Twin A", emails: [{ value: "twin@lag.example", primary: true, label: "work" }] })
        const b = yield* sandbox.store.create({ name: "Twin B", emails: [{ value: "Twin@Lag.example", primary: true, label: "home" }] })
        const path = join(temp.path, `twins-${lookup}.csv`)
        writeFileSync(path, "name,emails\nTwin C,twin@lag.example\nSingle,single@lag.example\n")
        const report = join(temp.path, `twins-${lookup}.ndjson`)
        const version = sandbox.store.version()
        const summary = yield* Import.run({ file: path, lookup, report, settleMillis: 0 })
        expect([summary.ambiguous, summary.created, summary.failed]).toEqual([1, 1, 0])
        expect(summary.outcomes[0]).toMatchObject({ line: 2, outcome: "ambiguous", ids: [a.id, b.id] })
        expect(Import.shortfall(summary)).toContain("ambiguous")
        expect(JSON.parse(readFileSync(report, "utf8").trim())).toMatchObject({ line: 2, key: "twin@lag.example", ids: [a.id, b.id] })
        // Only the single row's create was written; the twins are as they were.
        expect(sandbox.store.version()).toBe(version + 1)
        const persons = yield* byPrimaryEmail
        expect(persons.get("twin@lag.example")?.map((p) => p.name).sort()).toEqual(["Twin A", "Twin B"])
      }).pipe(Effect.provide(sandboxLayer({ persons: 20, searchLagMs: 60_000 }))))
  }

  it.live("lost creates are settled by consistent lists (no search), each person created once", () =>
    Effect.gen(function*() {
      const counts = new Map<string, number>()
      const lost = yield* Ref.make(0)
      const path = join(temp.path, "lost-many.csv")
      writeFileSync(path, ["name,emails", ...Array.from({ length: 8 }, (_, i) => `Lost ${i},lost-${i}@lag.example`)].join("\n") + "\n")
      const summary = yield* Import.run({ file: path, lookup: "walk", settleMillis: 50 }).pipe(
        Effect.provide(Layer.provide(counting(counts), losingAnswers("addPerson", 8, lost)))
      )
      expect([summary.created, summary.failed]).toEqual([8, 0])
      expect(yield* Ref.get(lost)).toBe(8)
      expect(counts.get("searchPersons") ?? 0).toBe(0)
      // Each round of lists settles every row waiting by then: fewer lists than rows in doubt is not
      // promised (timing), at most one per row is.
      expect(summary.doubtRounds).toBeGreaterThanOrEqual(1)
      expect(summary.doubtRounds).toBeLessThanOrEqual(8)
      const persons = yield* byPrimaryEmail
      expect(Array.from({ length: 8 }, (_, i) => persons.get(`lost-${i}@lag.example`)?.length)).toEqual(Array(8).fill(1))
    }).pipe(Effect.provide(sandboxLayer({ persons: 10, searchLagMs: 60_000 }))))
})
