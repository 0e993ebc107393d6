/**
 * What hangs off a person, against the in-process sandbox: the v1 lists (activities, deals, files,
 * mail, products, flow), the changelog, permitted users, followers (v1 and v2), pictures (from bytes,
 * a path and a stream) and merging.
 */
import { FileSystem } from "@effect/platform"
import { NodeContext } from "@effect/platform-node"
import { expect, layer } from "@effect/vitest"
import { Persons, PersonsV1, type PipedriveClient, type PipedriveError } from "@pipedrive-effect/core"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Chunk, Effect, Either, Stream } from "effect"
import * as Sandbox from "./support/Sandbox.ts"

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3, 4])
const OWNER = 900001
const OTHER_USER = 900003

/** The first seeded person with at least `min` items in a list. */
const personWith = <A>(
  list: (id: number) => Effect.Effect<{ readonly items: ReadonlyArray<A> }, PipedriveError.PipedriveError, PipedriveClient.PipedriveClient>,
  min: number
) =>
  Effect.gen(function*() {
    for (let id = 1; id <= 200; id++) {
      const page = yield* list(id)
      if (page.items.length >= min) return id
    }
    throw new Error(`no person with ${min} items`)
  })

const collect = <A, E, R>(stream: Stream.Stream<A, E, R>) => Effect.map(Stream.runCollect(stream), Chunk.toReadonlyArray)

layer(Sandbox.layer({ persons: 300 }))("what hangs off a person", (it) => {
  it.effect("activities: one page, every page to the last one, resuming, done and exclude", () =>
    Effect.gen(function*() {
      const id = yield* personWith((id) => PersonsV1.activities.list(id, { limit: 100 }), 3)
      const all = (yield* PersonsV1.activities.list(id)).items
      expect(all.every((activity) => activity.person_id === id)).toBe(true)
      const pages = yield* collect(PersonsV1.activities.pages(id, { limit: 1 }))
      expect(pages.map((page) => page.start)).toEqual(all.map((_, index) => index))
      expect(pages.at(-1)?.nextStart).toBeUndefined()
      expect(pages.flatMap((page) => page.items.map((a) => a.id))).toEqual(all.map((a) => a.id))
      const rest = yield* collect(PersonsV1.activities.stream(id, { limit: 1, start: pages[0]!.nextStart }))
      expect(rest.map((a) => a.id)).toEqual(all.slice(1).map((a) => a.id))
      const done = (yield* PersonsV1.activities.list(id, { done: true })).items
      const undone = (yield* PersonsV1.activities.list(id, { done: false })).items
      expect(done.every((a) => a.done === true) && undone.every((a) => a.done === false)).toBe(true)
      expect(done.length + undone.length).toBe(all.length)
      const excluded = (yield* PersonsV1.activities.list(id, { exclude: [all[0]!.id!] })).items
      expect(excluded.map((a) => a.id)).toEqual(all.slice(1).map((a) => a.id))
    }))

  it.effect("deals: status, sort and related objects", () =>
    Effect.gen(function*() {
      const id = yield* personWith((id) => PersonsV1.deals.list(id), 2)
      const page = yield* PersonsV1.deals.list(id, { sort: "id DESC" })
      const ids = page.items.map((deal) => deal.id ?? 0)
      expect(ids).toEqual([...ids].sort((a, b) => b - a))
      expect(Object.keys(page.relatedObjects?.person ?? {})).toEqual([String(id)])
      const open = yield* collect(PersonsV1.deals.stream(id, { status: "open", limit: 1 }))
      expect(open.every((deal) => deal.status === "open")).toBe(true)
      expect((yield* PersonsV1.deals.list(id, { status: "deleted" })).items).toEqual([])
      const bad = yield* Effect.flip(PersonsV1.deals.list(id, { sort: "nope" }))
      expect(bad._tag).toBe("ValidationFailed")
    }))

  it.effect("files, mail messages and products decode and stream to the end", () =>
    Effect.gen(function*() {
      const fileOwner = yield* personWith((id) => PersonsV1.files.list(id), 2)
      const files = yield* collect(PersonsV1.files.stream(fileOwner, { limit: 1, sort: "file_name ASC" }))
      expect(files.length).toBeGreaterThanOrEqual(2)
      expect(files.every((file) => file.person_id === fileOwner && typeof file.file_name === "string")).toBe(true)
      const tooMany = yield* Effect.flip(PersonsV1.files.list(fileOwner, { limit: 101 }))
      expect(tooMany._tag).toBe("ValidationFailed")

      const mailOwner = yield* personWith((id) => PersonsV1.mailMessages.list(id), 2)
      const mail = yield* collect(PersonsV1.mailMessages.stream(mailOwner, { limit: 1 }))
      expect(mail.every((item) => item.object === "mailMessage" && item.data?.read_flag === 1)).toBe(true)

      const productOwner = yield* personWith((id) => PersonsV1.products.list(id), 1)
      const products = yield* collect(PersonsV1.products.stream(productOwner, { limit: 1 }))
      for (const item of products) {
        for (const [dealId, entry] of Object.entries(item)) {
          expect(entry.deal?.id).toBe(Number(dealId))
          expect(entry.product?.deal_id).toBe(Number(dealId))
        }
      }
    }))

  it.effect("a missing person is NotFound on every list", () =>
    Effect.gen(function*() {
      const results = yield* Effect.all([
        Effect.flip(PersonsV1.activities.list(99_999)),
        Effect.flip(PersonsV1.deals.list(99_999)),
        Effect.flip(PersonsV1.files.list(99_999)),
        Effect.flip(PersonsV1.mailMessages.list(99_999)),
        Effect.flip(PersonsV1.products.list(99_999)),
        Effect.flip(PersonsV1.updates.list(99_999)),
        Effect.flip(PersonsV1.changelog.list(99_999)),
        Effect.flip(PersonsV1.permittedUsers(99_999)),
        Effect.flip(PersonsV1.followers.list(99_999)),
        Effect.flip(Persons.followers.list(99_999)),
        Effect.flip(Persons.picture(99_999))
      ])
      expect(results.map((error) => error._tag)).toEqual(results.map(() => "NotFound"))
    }))

  it.effect("an update shows in the changelog and the flow; the changelog pages by cursor and resumes", () =>
    Effect.gen(function*() {
      yield* Persons.update(7, { name: "Renamed Once" })
      yield* Persons.update(7, { name: "Renamed Twice" })
      const changes = yield* collect(PersonsV1.changelog.stream(7))
      expect(changes.filter((change) => change.field_key === "name").map((change) => change.new_value))
        .toEqual(["Renamed Twice", "Renamed Once"])
      const pages = yield* collect(PersonsV1.changelog.pages(7, { limit: 1 }))
      expect(pages.length).toBe(changes.length)
      expect(pages.at(-1)?.nextCursor).toBeUndefined()
      const rest = yield* collect(PersonsV1.changelog.stream(7, { limit: 1, cursor: pages[0]!.nextCursor }))
      expect(rest).toEqual(changes.slice(1))

      const flow = yield* collect(PersonsV1.updates.stream(7, { items: ["personChange"], limit: 1 }))
      expect(flow.map((item) => item.data?.["new_value"])).toContain("Renamed Twice")
      expect(flow.every((item) => item.object === "personChange")).toBe(true)
    }))

  it.effect("custom field changes show in the flow only with all_changes", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const text = sandbox.store.seed.customFields.find((field) => field.field_type === "varchar")!
      yield* Persons.update(8, { custom_fields: { [text.key]: "https://www.linkedin.com/in/flow-person" } })
      yield* Persons.update(8, { name: "Flow Person" })
      const without = yield* collect(PersonsV1.updates.stream(8))
      const withAll = yield* collect(PersonsV1.updates.stream(8, { all_changes: true }))
      expect(without.map((item) => item.data?.["field_key"])).toEqual(["name"])
      expect(withAll.map((item) => item.data?.["field_key"])).toEqual(["name", text.key])
      expect(withAll[1]?.data?.["new_value"]).toBe("https://www.linkedin.com/in/flow-person")
    }))

  it.effect("permitted users are user ids", () =>
    Effect.gen(function*() {
      const users = yield* PersonsV1.permittedUsers(3)
      expect(users.length).toBeGreaterThan(0)
      expect(users.every((id) => id >= 900001 && id <= 900004)).toBe(true)
    }))

  it.effect("v1 followers: the owner follows; add, refuse a second add, remove, NotFound after", () =>
    Effect.gen(function*() {
      const person = yield* Persons.create({ name: "Followed V1" })
      const initial = yield* PersonsV1.followers.list(person.id)
      expect(initial.map((follower) => follower.user_id)).toEqual([person.owner_id])
      const added = yield* PersonsV1.followers.add(person.id, OTHER_USER)
      expect(added).toMatchObject({ user_id: OTHER_USER, person_id: person.id })
      expect((yield* Effect.flip(PersonsV1.followers.add(person.id, OTHER_USER)))._tag).toBe("ValidationFailed")
      expect((yield* Effect.flip(PersonsV1.followers.add(person.id, 123)))._tag).toBe("ValidationFailed")
      expect((yield* Effect.flip(PersonsV1.followers.add(person.id, -1)))._tag).toBe("InvalidRequest")
      expect(yield* PersonsV1.followers.remove(person.id, added.id!)).toBe(added.id)
      expect((yield* Effect.flip(PersonsV1.followers.remove(person.id, added.id!)))._tag).toBe("NotFound")
      const flow = yield* collect(PersonsV1.updates.stream(person.id, { items: ["follower"] }))
      expect(flow.map((item) => item.data?.["user_id"])).toEqual([OTHER_USER])
    }))

  it.effect("v2 followers: list by cursor to the end, add, remove by user, changelog", () =>
    Effect.gen(function*() {
      const person = yield* Persons.create({ name: "Followed V2" })
      yield* Persons.followers.add(person.id, 900002)
      const added = yield* Persons.followers.add(person.id, OTHER_USER)
      expect(added.user_id).toBe(OTHER_USER)
      const pages = yield* collect(Persons.followers.pages(person.id, { limit: 1 }))
      expect(pages.flatMap((page) => page.items.map((f) => f.user_id))).toEqual([OWNER, 900002, OTHER_USER])
      expect(pages.at(-1)?.nextCursor).toBeUndefined()
      const rest = yield* collect(Persons.followers.stream(person.id, { limit: 1, cursor: pages[0]!.nextCursor }))
      expect(rest.map((f) => f.user_id)).toEqual([900002, OTHER_USER])
      expect(yield* Persons.followers.remove(person.id, 900002)).toBe(900002)
      expect((yield* Effect.flip(Persons.followers.remove(person.id, 900002)))._tag).toBe("NotFound")
      const events = yield* collect(Persons.followers.changelogStream(person.id, { limit: 1 }))
      expect(events.map((event) => [event.action, event.follower_user_id])).toEqual([
        ["removed", 900002],
        ["added", OTHER_USER],
        ["added", 900002],
        ["added", OWNER]
      ])
      const first = yield* Persons.followers.changelog(person.id, { limit: 2 })
      expect(first.items).toHaveLength(2)
      expect(first.nextCursor).toBeDefined()
    }))

  it.effect("pictures: from bytes, read back through v2, deleted, then NotFound", () =>
    Effect.gen(function*() {
      const added = yield* PersonsV1.picture.add(10, { bytes: PNG, fileName: "ada.png", contentType: "image/png" }, {
        crop_x: 0,
        crop_y: 0,
        crop_width: 10,
        crop_height: 10
      })
      expect(added).toMatchObject({ item_type: "person", item_id: 10 })
      const read = yield* Persons.picture(10)
      expect(read).toMatchObject({ id: added.id, file_size: PNG.byteLength })
      expect(yield* PersonsV1.picture.remove(10)).toBe(added.id)
      expect((yield* Effect.flip(Persons.picture(10)))._tag).toBe("NotFound")
      expect((yield* Effect.flip(PersonsV1.picture.remove(10)))._tag).toBe("NotFound")
    }))

  it.effect("pictures: from a Stream and from a path", () =>
    Effect.gen(function*() {
      const fromStream = yield* PersonsV1.picture.add(11, {
        stream: Stream.fromIterable([PNG.slice(0, 4), PNG.slice(4)]),
        fileName: "s.gif",
        contentType: "image/gif"
      })
      expect((yield* Persons.picture(11)).file_size).toBe(PNG.byteLength)
      expect(fromStream.item_id).toBe(11)

      const fs = yield* FileSystem.FileSystem
      const dir = yield* fs.makeTempDirectoryScoped()
      const path = `${dir}/portrait.jpg`
      const bytes = new Uint8Array(2048).fill(7)
      yield* fs.writeFile(path, bytes)
      const fromPath = yield* PersonsV1.picture.add(12, { path })
      expect(fromPath.item_id).toBe(12)
      expect((yield* Persons.picture(12)).file_size).toBe(2048)
    }).pipe(Effect.scoped, Effect.provide(NodeContext.layer)))

  it.effect("pictures: other types, an empty file and a missing path are refused before sending", () =>
    Effect.gen(function*() {
      const pdf = yield* Effect.flip(PersonsV1.picture.add(13, { bytes: PNG, fileName: "a.pdf", contentType: "application/pdf" }))
      expect(pdf._tag).toBe("InvalidRequest")
      const empty = yield* Effect.flip(PersonsV1.picture.add(13, { bytes: new Uint8Array(0), fileName: "a.png", contentType: "image/png" }))
      expect(empty._tag).toBe("InvalidRequest")
      const byExtension = yield* Effect.flip(PersonsV1.picture.add(13, { path: "/nonexistent/a.bmp" }))
      expect(byExtension._tag).toBe("InvalidRequest")
      const missing = yield* Effect.either(PersonsV1.picture.add(13, { path: "/nonexistent/a.png" }))
      expect(Either.isLeft(missing) && missing.left._tag).toBe("SystemError")
      expect((yield* Effect.flip(Persons.picture(13)))._tag).toBe("NotFound")
      const noPerson = yield* Effect.flip(PersonsV1.picture.add(99_999, { bytes: PNG, fileName: "a.png", contentType: "image/png" }))
      expect(noPerson._tag).toBe("NotFound")
    }).pipe(Effect.provide(NodeContext.layer)))

  it.effect("merge moves emails, phones and followers to the survivor, deletes the other, records the change", () =>
    Effect.gen(function*() {
      const survivor = yield* Persons.create({
        name: "Ada Lovelace",
        emails: [{ value: "ada@example.com", primary: true, label: "work" }],
        phones: [{ value: "+44 1", primary: true, label: "work" }]
      })
      const duplicate = yield* Persons.create({
        name: "Ada L.",
        emails: [{ value: "ADA@example.com", primary: true, label: "work" }, { value: "ada@home.example", primary: false, label: "home" }],
        phones: [{ value: "+44 2", primary: true, label: "mobile" }]
      })
      yield* PersonsV1.followers.add(duplicate.id, OTHER_USER)
      const merged = yield* PersonsV1.merge(duplicate.id, survivor.id)
      expect(merged.id).toBe(survivor.id)
      expect(merged.email?.map((e) => e.value)).toEqual(["ada@example.com", "ada@home.example"])
      expect(merged.email?.filter((e) => e.primary === true).map((e) => e.value)).toEqual(["ada@example.com"])
      expect(merged.phone?.map((p) => p.value)).toEqual(["+44 1", "+44 2"])
      expect(merged["merge_what_id"]).toBe(duplicate.id)
      const followers = yield* PersonsV1.followers.list(survivor.id)
      expect(followers.map((f) => f.user_id).sort()).toEqual([OWNER, OTHER_USER])
      expect((yield* Effect.flip(Persons.get(duplicate.id)))._tag).toBe("NotFound")
      const changes = yield* collect(PersonsV1.changelog.stream(survivor.id))
      expect(changes.map((change) => change.field_key)).toEqual(expect.arrayContaining(["email", "phone"]))
      expect(changes.find((change) => change.field_key === "email")?.new_value).toBe("ada@example.com, ada@home.example")
    }))

  it.effect("merge refuses a missing survivor, itself, and a bad id", () =>
    Effect.gen(function*() {
      expect((yield* Effect.flip(PersonsV1.merge(20, 99_999)))._tag).toBe("NotFound")
      expect((yield* Effect.flip(PersonsV1.merge(99_999, 20)))._tag).toBe("NotFound")
      expect((yield* Effect.flip(PersonsV1.merge(20, 20)))._tag).toBe("ValidationFailed")
      expect((yield* Effect.flip(PersonsV1.merge(20, 0)))._tag).toBe("InvalidRequest")
      expect((yield* Persons.get(20)).id).toBe(20)
    }))
})
