/**
 * `Import.run` against an in-process sandbox: upsert by primary email and by id, only changed
 * fields sent, every bad row reported before anything is sent, dry runs, the journal (reruns skip,
 * an interrupted row is looked up, never created twice), and lost answers.
 */
import { afterAll, describe, expect, it } from "@effect/vitest"
import { PipedriveClient } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Export, Import, Journal } from "@pipedrive-effect/scripts"
import { Effect, Either, Option, Ref, Stream } from "effect"
import { readFileSync, writeFileSync } from "node:fs"
import { join } from "node:path"
import { losingAnswers, revokedFor, sandboxLayer, tempDirectory } from "./support/Clients.ts"

const temp = tempDirectory("import")
afterAll(temp.remove)

let counter = 0
const file = (name: string, text: string) => {
  const path = join(temp.path, `${++counter}-${name}`)
  writeFileSync(path, text)
  return path
}

const count = Effect.flatMap(PipedriveSandbox.PipedriveSandbox, (sandbox) => sandbox.store.count)

/** Every person of the sandbox whose primary email is `email`. */
const byEmail = (email: string) =>
  Effect.flatMap(PipedriveSandbox.PipedriveSandbox, (sandbox) =>
    Stream.runCollect(Stream.filter(sandbox.store.persons, (person) =>
      person.emails.some((entry) => entry.primary && entry.value.toLowerCase() === email.toLowerCase())))).pipe(
      Effect.map((chunk) => Array.from(chunk))
    )

const rowsCsv = (n: number, from = 0) =>
  [
    "name,emails,phones,Lead source,Next renewal",
    ...Array.from({ length: n }, (_, i) => `Person ${from + i},p${from + i}@import.example [work],+1 555 01${String(from + i).padStart(4, "0")},Referral,2026-03-01`)
  ].join("\n") + "\n"

describe("Import.run", () => {
  it.live("creates every row, then a rerun with the journal skips them all and one without finds them unchanged", () =>
    Effect.gen(function*() {
      const before = yield* count
      const path = file("people.csv", rowsCsv(30))
      const first = yield* Import.run({ file: path })
      expect([first.created, first.updated, first.unchanged, first.failed, first.skipped]).toEqual([30, 0, 0, 0, 0])
      expect(yield* count).toBe(before + 30)
      const [ann] = yield* byEmail("p7@import.example")
      expect(ann?.name).toBe("Person 7")
      expect(ann?.phones.map((p) => p.value)).toEqual(["+1 555 010007"])
      const again = yield* Import.run({ file: path, settleMillis: 0 })
      expect([again.created, again.skipped]).toEqual([0, 30])
      const fresh = yield* Import.run({ file: path, journal: join(temp.path, "other.journal") })
      expect([fresh.created, fresh.updated, fresh.unchanged]).toEqual([0, 0, 30])
      expect(yield* count).toBe(before + 30)
      expect(Import.shortfall(fresh)).toBeUndefined()
    }).pipe(Effect.provide(sandboxLayer({ persons: 50 }))))

  it.live("an export imported back (CSV and NDJSON, by email and by id) changes nothing", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      // One person with a value in every kind of custom field, beside the seeded ones.
      const keyOf = (name: string) => sandbox.store.seed.customFields.find((field) => field.name === name)!.key
      yield* sandbox.store.create({
        name: "Full Fields",
        emails: [{ value: "home@full.example", primary: false, label: "home" }, { value: "work@full.example", primary: true, label: "work" }],
        phones: [{ value: "+1 555 0199", primary: true, label: "mobile" }],
        labelIds: [1, 3],
        customFields: {
          [keyOf("Contract value")]: { value: 1200.5, currency: "EUR" },
          [keyOf("Availability")]: { value: "2026-01-01", until: "2026-03-31" },
          [keyOf("Preferred call time")]: "09:30:00",
          [keyOf("Office hours")]: { value: "09:00:00", until: "17:00:00" },
          [keyOf("Interests")]: [202, 201],
          [keyOf("Account manager")]: 900002,
          [keyOf("Billing address")]: { value: "1 Main St, Springfield", locality: "Springfield" },
          [keyOf("Nickname")]: "Fully",
          [keyOf("Seat count")]: 12
        }
      })
      const before = yield* count
      for (const format of ["csv", "ndjson"] as const) {
        const out = join(temp.path, `round-trip.${format}`)
        yield* Export.run({ out })
        for (const match of ["email", "id"] as const) {
          const summary = yield* Import.run({ file: out, match, dryRun: true })
          const changed = summary.outcomes.filter((o) => o.outcome !== "unchanged").map(Import.formatPlanned)
          expect({ format, match, changed }).toEqual({ format, match, changed: [] })
        }
      }
      expect(yield* count).toBe(before)
      // And a change made since the export is seen: the file's value would be written back.
      yield* sandbox.store.update(7, { name: "Changed Since" })
      const after = yield* Import.run({ file: join(temp.path, "round-trip.csv"), match: "id", dryRun: true })
      expect(after.outcomes.filter((o) => o.outcome !== "unchanged").map((o) => [o.id, o.fields])).toEqual([[7, ["name"]]])
    }).pipe(Effect.provide(sandboxLayer({ persons: 60 }))), 60_000)

  it.live("updates only what differs, and only the person whose PRIMARY email it is", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const ann = yield* sandbox.store.create({
        name: "Ann Old",
        emails: [{ value: "Ann@Example.com", primary: true, label: "work" }],
        phones: [{ value: "+1 555 0100", primary: true, label: "work" }]
      })
      const other = yield* sandbox.store.create({
        name: "Someone Else",
        emails: [{ value: "someone@example.com", primary: true, label: "work" }, { value: "bob@example.com", primary: false, label: "home" }]
      })
      const path = file("update.csv", "name,emails,phones\nAnn New,ann@example.com [work],+1 555 0100 [work]\nBob,bob@example.com,\n")
      const summary = yield* Import.run({ file: path })
      expect(summary.outcomes.map((o) => [o.line, o.outcome, o.id === ann.id ? "ann" : o.id === other.id ? "other" : "new"])).toEqual([
        [2, "updated", "ann"],
        [3, "created", "new"]
      ])
      // The email's case differs: a change of case is a change; the phone is the same and is not sent.
      expect(summary.outcomes[0]?.fields).toEqual(["name", "emails"])
      const now = Option.getOrThrow(yield* sandbox.store.get(ann.id))
      expect(now.name).toBe("Ann New")
      expect(Option.getOrThrow(yield* sandbox.store.get(other.id)).name).toBe("Someone Else")
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))

  it.live("--lookup search finds the person whose primary email it is past the first page of hits", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      // 501 persons have the address as another email (a shared inbox), all older than the one whose
      // primary email it is: search ranks them alike and by id, so that one comes on the second page.
      // All changed long ago, so the recent-changes list beside search does not have it either.
      const longAgo = { addTime: Date.UTC(2024, 0, 1), updateTime: Date.UTC(2024, 0, 1) }
      for (let i = 0; i < 501; i++) {
        yield* sandbox.store.create({
          name: `Colleague ${i}`,
          emails: [{ value: `colleague-${i}@example.com`, primary: true, label: "work" }, { value: "info@example.com", primary: false, label: "other" }],
          ...longAgo
        })
      }
      const inbox = yield* sandbox.store.create({ name: "Inbox Old", emails: [{ value: "info@example.com", primary: true, label: "work" }], ...longAgo })
      const path = file("shared-inbox.csv", "name,emails\nInbox New,info@example.com\n")
      const summary = yield* Import.run({ file: path, lookup: "search" })
      expect(summary.outcomes.map((o) => [o.outcome, o.id])).toEqual([["updated", inbox.id]])
      expect((yield* byEmail("info@example.com")).map((person) => person.name)).toEqual(["Inbox New"])
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))

  it.live("reports every bad row with its line before sending anything, and writes the report", () =>
    Effect.gen(function*() {
      const before = yield* count
      const report = join(temp.path, "bad-report.ndjson")
      const path = file(
        "bad.csv",
        [
          "name,emails,birthday,Next renewal,Lead source",
          "Good One,good@example.com,,,",
          "Bad Email,not-an-email,,,",
          "Bad Date,ok@example.com,,2026-02-30,",
          "Bad Birthday,ok2@example.com,1990-13-01,,",
          ",noname@example.com,,,",
          "Bad Option,ok3@example.com,,,Carrier pigeon"
        ].join("\n")
      )
      const failure = yield* Effect.flip(Import.run({ file: path, report }))
      expect(failure._tag).toBe("InvalidRows")
      if (failure._tag !== "InvalidRows") return
      expect([...new Set(failure.problems.map((p) => p.line))]).toEqual([3, 4, 5, 6, 7])
      expect(failure.message).toMatch(/^.*bad\.csv: 5 of 6 rows are invalid, nothing was sent \(first: line 3: emails/)
      expect(yield* count).toBe(before)
      const lines = readFileSync(report, "utf8").trim().split("\n").map((line) => JSON.parse(line))
      expect(lines.map((line) => line.line)).toEqual(failure.problems.map((p) => p.line))
    }).pipe(Effect.provide(sandboxLayer({ persons: 5 }))))

  it.live("refuses an unknown custom field column and a missing file, naming them", () =>
    Effect.gen(function*() {
      const header = yield* Effect.flip(Import.run({ file: file("header.csv", "name,emails,Favourite colour\nAnn,ann@example.com,red\n") }))
      expect(header._tag).toBe("InvalidHeader")
      expect(header.message).toContain("Favourite colour")
      const missing = yield* Effect.flip(Import.run({ file: join(temp.path, "nope.csv") }))
      expect(missing.message).toBe(`${join(temp.path, "nope.csv")}: no such file or directory`)
      expect(yield* count).toBe(5)
    }).pipe(Effect.provide(sandboxLayer({ persons: 5 }))))

  it.live("a dry run sends no write and says what would happen", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const existing = yield* sandbox.store.create({ name: "Kept", emails: [{ value: "kept@example.com", primary: true, label: "work" }] })
      const path = file(
        "dry.csv",
        "name,emails\nKept,kept@example.com [work]\nRenamed,kept@example.com\nNew One,new@example.com\nNew Again,new@example.com\n"
      )
      const version = sandbox.store.version()
      const summary = yield* Import.run({ file: path, dryRun: true })
      expect(sandbox.store.version()).toBe(version)
      expect(summary.outcomes.map(Import.formatPlanned)).toEqual([
        `line 2: unchanged #${existing.id} kept@example.com`,
        `line 3: update #${existing.id} kept@example.com: name`,
        "line 4: create new@example.com",
        "line 5: update new@example.com: the person line 4 creates"
      ])
      expect(summary.journal).toBeUndefined()
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))

  it.live("rows with the same email run in order: one create, then an update", () =>
    Effect.gen(function*() {
      const path = file("twice.csv", "name,emails\nFirst,same@example.com\nSecond,SAME@example.com\n")
      const summary = yield* Import.run({ file: path, concurrency: 8 })
      expect(summary.outcomes.map((o) => o.outcome)).toEqual(["created", "updated"])
      const persons = yield* byEmail("same@example.com")
      expect(persons.map((p) => p.name)).toEqual(["Second"])
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))

  it.live("a create whose answer was lost is looked up, not sent twice", () =>
    Effect.gen(function*() {
      const lost = yield* Ref.make(0)
      const summary = yield* Import.run({ file: file("lost.csv", rowsCsv(3, 100)), settleMillis: 0 }).pipe(
        Effect.provide(losingAnswers("addPerson", 2, lost))
      )
      expect(summary.created).toBe(3)
      expect(yield* Ref.get(lost)).toBe(3)
      expect(yield* count).toBe(3)
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))

  it.live("a create lost before it reached Pipedrive, four times over, is looked up before each next send; the fifth lands", () =>
    Effect.gen(function*() {
      const attempts = yield* Ref.make(0)
      const summary = yield* Import.run({ file: file("unsent.csv", rowsCsv(1, 200)), settleMillis: 0 }).pipe(
        Effect.provide(losingAnswers("addPerson", 4, attempts, false))
      )
      expect(summary.outcomes.map((o) => o.outcome)).toEqual(["created"])
      expect(yield* Ref.get(attempts)).toBe(5)
      expect(yield* count).toBe(1)
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))), 40_000)

  it.live("a create lost unsent five times fails its row (the resends are bounded) and creates nobody", () =>
    Effect.gen(function*() {
      const attempts = yield* Ref.make(0)
      const summary = yield* Import.run({ file: file("never.csv", rowsCsv(1, 250)), settleMillis: 0 }).pipe(
        Effect.provide(losingAnswers("addPerson", 5, attempts, false))
      )
      expect(summary.outcomes.map((o) => [o.outcome, o.reason])).toEqual([["failed", expect.stringContaining("may or may not have been applied")]])
      expect(yield* Ref.get(attempts)).toBe(5)
      expect(yield* count).toBe(0)
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))), 40_000)

  it.live("a token refused mid-run stops the run (not every row failed one by one); a rerun goes on", () =>
    Effect.gen(function*() {
      const path = file("revoked.csv", rowsCsv(5, 300))
      const stopped = yield* Effect.flip(Import.run({ file: path }).pipe(Effect.provide(revokedFor("addPerson"))))
      expect(stopped._tag).toBe("Unauthorized")
      expect(yield* count).toBe(0)
      const resumed = yield* Import.run({ file: path })
      expect([resumed.created, resumed.failed]).toEqual([5, 0])
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))

  it.live("a row a dead run left started is looked up before it is written again", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const client = yield* PipedriveClient.PipedriveClient
      const path = file("crash.csv", "name,emails\nCrashed,crashed@example.com\nNo Email,\n")
      const journal = `${path}.journal`
      // The dead run had created line 2's person, and started line 3, without journaling either as done.
      yield* sandbox.store.create({ name: "Crashed", emails: [{ value: "crashed@example.com", primary: true, label: "work" }] })
      const input = yield* Journal.fingerprint(path)
      yield* Effect.scoped(Effect.flatMap(
        Journal.open(journal, { kind: "import", account: client.baseUrl, input, options: { match: "email" } }),
        (open) =>
          Effect.zipRight(
            open.append({ item: "2", status: "started", key: "crashed@example.com" }),
            open.append({ item: "3", status: "started" })
          )
      ))
      const report = join(temp.path, "crash-report.ndjson")
      const summary = yield* Import.run({ file: path, report, settleMillis: 0 })
      expect(summary.outcomes.map((o) => o.outcome)).toEqual(["unchanged", "failed"])
      expect(summary.outcomes[1]?.reason).toContain("cannot be looked up")
      expect(yield* count).toBe(1)
      expect(JSON.parse(readFileSync(report, "utf8").trim())).toMatchObject({ line: 3 })
      expect(Import.shortfall(summary)).toBeDefined()
      // It stays refused on every rerun with this journal (never created behind the user's back).
      const again = yield* Import.run({ file: path, settleMillis: 0 })
      expect(again.outcomes.map((o) => o.outcome)).toEqual(["skipped", "failed"])
      expect(yield* count).toBe(1)
    }).pipe(Effect.provide(sandboxLayer({ persons: 0 }))))

  it.live("--match id updates by id and fails rows whose id does not exist; a journal of another file is refused", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const path = file("byid.ndjson", [
        JSON.stringify({ id: 2, name: "Renamed Two" }),
        JSON.stringify({ id: 999, name: "Nobody" }),
        JSON.stringify({ id: 3, job_title: null })
      ].join("\n") + "\n")
      const summary = yield* Import.run({ file: path, match: "id" })
      expect(summary.outcomes.map((o) => [o.line, o.outcome, o.reason])).toEqual([
        [1, "updated", undefined],
        [2, "failed", "no person with id 999"],
        [3, "unchanged", undefined]
      ])
      expect(Option.getOrThrow(yield* sandbox.store.get(2)).name).toBe("Renamed Two")
      const noId = yield* Effect.flip(Import.run({ file: file("noid.ndjson", `{"name":"x"}\n`), match: "id" }))
      expect(noId.message).toContain("line 1: id: is required with --match id")
      const other = file("other.ndjson", `${JSON.stringify({ id: 2, name: "Again" })}\n`)
      const refused = yield* Effect.either(Import.run({ file: other, match: "id", journal: `${path}.journal` }))
      expect(Either.isLeft(refused) && refused.left._tag).toBe("JournalMismatch")
      expect(Option.getOrThrow(yield* sandbox.store.get(2)).name).toBe("Renamed Two")
    }).pipe(Effect.provide(sandboxLayer({ persons: 5 }))))
})
