/**
 * The journal and its lock, on real files in a fresh directory: entries survive a reopen, a torn
 * last line is dropped, another input file or account is refused, the lock keeps a second opener
 * out and is taken over from a dead process.
 */
import { NodeContext } from "@effect/platform-node"
import { afterAll, describe, expect, it } from "@effect/vitest"
import { FileLock, Journal } from "@pipedrive-effect/scripts"
import { Effect, Either } from "effect"
import { appendFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from "node:fs"
import { spawnSync } from "node:child_process"
import { hostname } from "node:os"
import { basename, dirname, join } from "node:path"
import { fileURLToPath } from "node:url"

const generatedRoot = join(dirname(fileURLToPath(import.meta.url)), "generated")
mkdirSync(generatedRoot, { recursive: true })
const directory = mkdtempSync(join(generatedRoot, "journal-"))
afterAll(() => rmSync(directory, { recursive: true, force: true }))

let counter = 0
const fresh = (name: string) => join(directory, `${++counter}-${name}`)

const account = "http://127.0.0.1:1"
const withInput = (text: string) =>
  Effect.gen(function*() {
    const path = fresh("input.csv")
    writeFileSync(path, text)
    return yield* Journal.fingerprint(path)
  })

const expected = (input: Journal.InputFile) => ({ kind: "import", account, input, options: { match: "email" } })

describe("Journal", () => {
  it.effect("records entries and reads each item's last one back on reopen", () =>
    Effect.gen(function*() {
      const input = yield* withInput("name\nAnn\n")
      const path = fresh("a.journal")
      yield* Effect.scoped(Effect.gen(function*() {
        const journal = yield* Journal.open(path, expected(input))
        expect(journal.entries.size).toBe(0)
        yield* journal.append({ item: "2", status: "started", key: "ann@example.com" })
        yield* journal.append({ item: "2", status: "done", outcome: "created", id: 7 })
        yield* journal.append({ item: "3", status: "started" })
      }))
      const reopened = yield* Effect.scoped(Effect.map(Journal.open(path, expected(input)), (journal) => journal))
      expect(reopened.last("2")).toEqual({ item: "2", status: "done", outcome: "created", id: 7 })
      expect(reopened.last("3")).toEqual({ item: "3", status: "started" })
      expect(reopened.header.input?.sha256).toBe(input.sha256)
      expect(statSync(path).mode & 0o777).toBe(0o600)
      expect(existsSync(FileLock.lockPath(path))).toBe(false)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.effect("concurrent appends each end up as one whole line, all on disk when they return", () =>
    Effect.gen(function*() {
      const input = yield* withInput("x")
      const path = fresh("concurrent.journal")
      yield* Effect.scoped(Effect.gen(function*() {
        const journal = yield* Journal.open(path, expected(input))
        yield* Effect.forEach(
          Array.from({ length: 200 }, (_, i) => i),
          (i) => journal.append({ item: String(i), status: "done", outcome: "created", id: i }),
          { concurrency: 16 }
        )
        // Before the scope closes: every append has returned, so every line is in the file.
        expect(readFileSync(path, "utf8").trim().split("\n").length).toBe(201)
      }))
      const reopened = yield* Effect.scoped(Journal.open(path, expected(input)))
      expect(reopened.entries.size).toBe(200)
      expect(reopened.last("199")).toEqual({ item: "199", status: "done", outcome: "created", id: 199 })
    }).pipe(Effect.provide(NodeContext.layer)))

  it.effect("drops a torn last line and truncates the file to its last complete line", () =>
    Effect.gen(function*() {
      const input = yield* withInput("x")
      const path = fresh("torn.journal")
      yield* Effect.scoped(Effect.flatMap(Journal.open(path, expected(input)), (journal) =>
        journal.append({ item: "5", status: "done", outcome: "updated", id: 1 })))
      const clean = readFileSync(path, "utf8")
      appendFileSync(path, `{"item":"6","status":"do`)
      const journal = yield* Effect.scoped(Journal.open(path, expected(input)))
      expect(journal.tornBytes).toBe(`{"item":"6","status":"do`.length)
      expect(journal.last("6")).toBeUndefined()
      expect(journal.last("5")?.status).toBe("done")
      expect(readFileSync(path, "utf8")).toBe(clean)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.effect("refuses a journal of another input file, account or match option, naming the difference", () =>
    Effect.gen(function*() {
      const input = yield* withInput("name\nAnn\n")
      const other = yield* withInput("name\nBob\n")
      const path = fresh("mismatch.journal")
      yield* Effect.scoped(Journal.open(path, expected(input)))
      const before = readFileSync(path, "utf8")
      const file = yield* Effect.scoped(Effect.either(Journal.open(path, expected(other))))
      expect(Either.isLeft(file) && file.left._tag).toBe("JournalMismatch")
      expect(Either.isLeft(file) && file.left.message).toContain("input file")
      const elsewhere = yield* Effect.scoped(Effect.either(Journal.open(path, { ...expected(input), account: "https://acme.pipedrive.com" })))
      expect(Either.isLeft(elsewhere) && elsewhere.left.message).toContain("https://acme.pipedrive.com")
      const byId = yield* Effect.scoped(Effect.either(Journal.open(path, { ...expected(input), options: { match: "id" } })))
      expect(Either.isLeft(byId) && byId.left.message).toContain("match email, not id")
      expect(readFileSync(path, "utf8")).toBe(before)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.effect("refuses a file that is not a journal, and a bad line in the middle", () =>
    Effect.gen(function*() {
      const input = yield* withInput("x")
      const notJournal = fresh("people.csv")
      writeFileSync(notJournal, "name,email\nAnn,ann@example.com\n")
      const refused = yield* Effect.scoped(Effect.either(Journal.open(notJournal, expected(input))))
      expect(Either.isLeft(refused) && refused.left._tag).toBe("JournalCorrupt")
      const path = fresh("corrupt.journal")
      yield* Effect.scoped(Journal.open(path, expected(input)))
      appendFileSync(path, "garbage\n{\"item\":\"1\",\"status\":\"started\"}\n")
      const corrupt = yield* Effect.scoped(Effect.either(Journal.open(path, expected(input))))
      expect(Either.isLeft(corrupt) && corrupt.left.message).toContain("line 2")
    }).pipe(Effect.provide(NodeContext.layer)))
})

describe("FileLock", () => {
  it.effect("keeps a second opener out while held, naming the lock, and frees it when the scope closes", () =>
    Effect.gen(function*() {
      const input = yield* withInput("x")
      const path = fresh("locked.journal")
      yield* Effect.scoped(Effect.gen(function*() {
        yield* Journal.open(path, expected(input))
        const second = yield* Effect.scoped(Effect.either(Journal.open(path, expected(input))))
        expect(Either.isLeft(second) && second.left._tag).toBe("LockHeld")
        expect(Either.isLeft(second) && second.left.message).toContain(`${path}.lock`)
        expect(Either.isLeft(second) && second.left.message).toContain(`pid ${process.pid}`)
      }))
      expect(existsSync(`${path}.lock`)).toBe(false)
      yield* Effect.scoped(Journal.open(path, expected(input)))
    }).pipe(Effect.provide(NodeContext.layer)))

  it.effect("takes over a lock whose process is gone", () =>
    Effect.gen(function*() {
      const path = fresh("stale")
      // A pid that surely ran and exited: a child that has finished.
      const dead = spawnSync("node", ["-e", "process.stdout.write(String(process.pid))"]).stdout.toString()
      writeFileSync(`${path}.lock`, JSON.stringify({ pid: Number(dead), host: hostname(), since: "2026-01-01T00:00:00Z" }))
      yield* Effect.scoped(Effect.gen(function*() {
        yield* FileLock.acquire(path)
        expect(JSON.parse(readFileSync(`${path}.lock`, "utf8")).pid).toBe(process.pid)
        // Linked into place whole: no temporary file stays beside it.
        expect(readdirSync(dirname(path)).filter((name) => name.startsWith(`${basename(path)}.lock.`))).toEqual([])
      }))
      expect(existsSync(`${path}.lock`)).toBe(false)
    }).pipe(Effect.provide(NodeContext.layer)))

  it.effect("does not take over a lock of another host or an unreadable one", () =>
    Effect.gen(function*() {
      const path = fresh("foreign")
      writeFileSync(`${path}.lock`, JSON.stringify({ pid: 1, host: "elsewhere", since: "2026-01-01T00:00:00Z" }))
      const foreign = yield* Effect.scoped(Effect.either(FileLock.acquire(path)))
      expect(Either.isLeft(foreign) && foreign.left.message).toContain("pid 1 on elsewhere")
      const empty = fresh("empty")
      writeFileSync(`${empty}.lock`, "")
      const unreadable = yield* Effect.scoped(Effect.either(FileLock.acquire(empty)))
      expect(Either.isLeft(unreadable) && unreadable.left._tag).toBe("LockHeld")
      expect(existsSync(`${path}.lock`)).toBe(true)
    }).pipe(Effect.provide(NodeContext.layer)))
})
