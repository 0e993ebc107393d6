/**
 * What hangs off a person, over raw HTTP: generated lists and their envelopes, followers in both
 * APIs (JSON and the JS client's form body), pictures (multipart, validation, 413), merge, and the
 * changelog and flow recording changes made through any endpoint or the store.
 */
import { expect, layer } from "@effect/vitest"
import { PersonStore, PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Effect, Option } from "effect"
import { call, type ErrorBody } from "./support/Http.ts"

interface V1Page<A> {
  readonly success: true
  readonly data: ReadonlyArray<A> | null
  readonly additional_data: {
    readonly pagination: { readonly start: number; readonly limit: number; readonly more_items_in_collection: boolean; readonly next_start?: number }
  }
  readonly related_objects?: Record<string, Record<string, unknown>>
}
interface CursorPage<A> {
  readonly success: true
  readonly data: ReadonlyArray<A>
  readonly additional_data: { readonly next_cursor: string | null }
}
type Item = Record<string, unknown>

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a])

/** Sends a multipart form with fetch (which writes the boundary and the length). */
const upload = (sandbox: PipedriveSandbox.Service, path: string, form: FormData) =>
  Effect.promise(async () => {
    const response = await fetch(`${sandbox.url}${path}`, { method: "POST", headers: { "x-api-token": sandbox.token }, body: form })
    return { status: response.status, body: await response.json() as Item }
  })

const pictureForm = (type: string, bytes: Uint8Array = PNG, extra: Record<string, string> = {}) => {
  const form = new FormData()
  form.append("file", new Blob([new Uint8Array(bytes)], { type }), "p.png")
  for (const [key, value] of Object.entries(extra)) form.append(key, value)
  return form
}

/** The first person (from 1) whose list at `suffix` has at least `min` items. */
const personWith = (sandbox: PipedriveSandbox.Service, suffix: string, min: number) =>
  Effect.gen(function*() {
    for (let id = 1; id <= 200; id++) {
      const reply = yield* call<V1Page<Item>>(sandbox, `/api/v1/persons/${id}/${suffix}`)
      if ((reply.body.data ?? []).length >= min) return id
    }
    throw new Error(`no person with ${min} ${suffix}`)
  })

layer(PipedriveSandbox.layer({ persons: 300, seed: "relations", maxBodyBytes: 64 * 1024 }))("person relations over HTTP", (it) => {
  it.effect("generated lists: offset envelopes, data null when empty, the same on another server", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const id = yield* personWith(sandbox, "deals", 2)
      const first = yield* call<V1Page<Item>>(sandbox, `/api/v1/persons/${id}/deals?limit=1`)
      expect(first.body.additional_data.pagination).toEqual({ start: 0, limit: 1, more_items_in_collection: true, next_start: 1 })
      expect(first.body.data?.[0]).toMatchObject({ person_id: { value: id }, currency: "USD" })
      expect(Object.keys(first.body.related_objects?.["person"] ?? {})).toEqual([String(id)])
      const all = yield* call<V1Page<Item>>(sandbox, `/api/v1/persons/${id}/deals`)
      const beyond = yield* call<V1Page<Item>>(sandbox, `/api/v1/persons/${id}/deals?start=${all.body.data!.length}`)
      expect(beyond.body.data).toBeNull()
      expect(beyond.body.additional_data.pagination.more_items_in_collection).toBe(false)

      const again = yield* Effect.scoped(Effect.gen(function*() {
        const other = yield* PipedriveSandbox.start({ persons: 300, seed: "relations" })
        return yield* call<V1Page<Item>>(other, `/api/v1/persons/${id}/deals`)
      }))
      expect(again.body.data).toEqual(all.body.data)
    }))

  it.effect("about half the persons have no activities; every list 404s for a missing person", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      let empty = 0
      for (let id = 1; id <= 40; id++) {
        const reply = yield* call<V1Page<Item>>(sandbox, `/api/v1/persons/${id}/activities`)
        if (reply.body.data === null) empty++
      }
      expect(empty).toBeGreaterThan(8)
      expect(empty).toBeLessThan(32)
      for (const suffix of ["activities", "deals", "files", "mailMessages", "products", "flow", "changelog", "permittedUsers", "followers"]) {
        const reply = yield* call<ErrorBody>(sandbox, `/api/v1/persons/99999/${suffix}`)
        expect([suffix, reply.status]).toEqual([suffix, 404])
      }
      const bad = yield* call<ErrorBody>(sandbox, "/api/v1/persons/1/files?limit=101")
      expect(bad.status).toBe(400)
      expect(bad.body.error).toContain("limit")
    }))

  it.effect("v1 followers: JSON and the JS client's form body; refuses unknown users and duplicates", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const followers = yield* call<V1Page<Item>>(sandbox, "/api/v1/persons/5/followers")
      const owner = Option.getOrThrow(yield* sandbox.store.get(5)).ownerId
      expect(followers.body.data).toEqual([{ id: 5, user_id: owner, person_id: 5, add_time: expect.any(String) }])
      const other = sandbox.store.seed.users.find((user) => user.id !== owner)!.id
      const third = sandbox.store.seed.users.filter((user) => user.id !== owner && user.id !== other)[0]!.id
      const json = yield* call<{ data: Item }>(sandbox, "/api/v1/persons/5/followers", { method: "POST", body: { user_id: other } })
      expect(json.status).toBe(200)
      expect(json.body.data).toMatchObject({ user_id: other, person_id: 5 })
      const form = yield* call<{ data: Item }>(sandbox, "/api/v1/persons/5/followers", {
        method: "POST",
        raw: `user_id=${third}`,
        headers: { "content-type": "application/x-www-form-urlencoded" }
      })
      expect(form.body.data).toMatchObject({ user_id: third })
      const twice = yield* call<ErrorBody>(sandbox, "/api/v1/persons/5/followers", { method: "POST", body: { user_id: other } })
      expect(twice.status).toBe(400)
      const unknown = yield* call<ErrorBody>(sandbox, "/api/v1/persons/5/followers", { method: "POST", body: { user_id: 1 } })
      expect(unknown.status).toBe(400)
      const extra = yield* call<ErrorBody>(sandbox, "/api/v1/persons/5/followers", { method: "POST", body: { user_id: other, x: 1 } })
      expect(extra.body.error).toContain("x")
      const removed = yield* call<{ data: Item }>(sandbox, `/api/v1/persons/5/followers/${String(json.body.data["id"])}`, { method: "DELETE" })
      expect(removed.body.data).toEqual({ id: json.body.data["id"] })
    }))

  it.effect("v2 followers: 201 on add, cursor pages, remove by user id, changelog newest first", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const owner = Option.getOrThrow(yield* sandbox.store.get(6)).ownerId
      const other = sandbox.store.seed.users.find((user) => user.id !== owner)!.id
      const added = yield* call<{ data: Item }>(sandbox, "/api/v2/persons/6/followers", { method: "POST", body: { user_id: other } })
      expect(added.status).toBe(201)
      expect(added.body.data).toEqual({ user_id: other, add_time: expect.stringMatching(/Z$/) })
      const page = yield* call<CursorPage<Item>>(sandbox, "/api/v2/persons/6/followers?limit=1")
      expect(page.body.data.map((f) => f["user_id"])).toEqual([owner])
      const next = yield* call<CursorPage<Item>>(sandbox, `/api/v2/persons/6/followers?limit=1&cursor=${page.body.additional_data.next_cursor}`)
      expect(next.body.data.map((f) => f["user_id"])).toEqual([other])
      expect(next.body.additional_data.next_cursor).toBeNull()
      const badCursor = yield* call<ErrorBody>(sandbox, "/api/v2/persons/6/followers?cursor=nope")
      expect([badCursor.status, badCursor.body.code]).toEqual([400, "ERR_SCHEMA_VALIDATION_FAILED"])
      const removed = yield* call<{ data: Item }>(sandbox, `/api/v2/persons/6/followers/${other}`, { method: "DELETE" })
      expect(removed.body.data).toEqual({ user_id: other })
      const log = yield* call<CursorPage<Item>>(sandbox, "/api/v2/persons/6/followers/changelog")
      expect(log.body.data.map((e) => [e["action"], e["follower_user_id"]])).toEqual([["removed", other], ["added", other], ["added", owner]])
    }))

  it.effect("pictures: stored and read back; no file, wrong type, bad crop and too large are refused", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const none = yield* call<ErrorBody>(sandbox, "/api/v2/persons/7/picture")
      expect(none.status).toBe(404)
      const added = yield* upload(sandbox, "/api/v1/persons/7/picture", pictureForm("image/png", PNG, { crop_x: "0", crop_width: "8" }))
      expect(added.status).toBe(200)
      expect(added.body["data"]).toMatchObject({ item_type: "person", item_id: 7, pictures: { 128: expect.any(String), 512: expect.any(String) } })
      const read = yield* call<{ data: Item }>(sandbox, "/api/v2/persons/7/picture")
      expect(read.body.data).toMatchObject({ item_id: 7, file_size: PNG.byteLength })

      const noFile = new FormData()
      noFile.append("crop_x", "1")
      const missing = yield* upload(sandbox, "/api/v1/persons/7/picture", noFile)
      expect([missing.status, missing.body["error"]]).toEqual([400, "Validation failed: file: is required"])
      const pdf = yield* upload(sandbox, "/api/v1/persons/7/picture", pictureForm("application/pdf"))
      expect(pdf.status).toBe(400)
      expect(String(pdf.body["error"])).toContain("file")
      const crop = yield* upload(sandbox, "/api/v1/persons/7/picture", pictureForm("image/png", PNG, { crop_x: "-1" }))
      expect(String(crop.body["error"])).toContain("crop_x")
      const big = yield* upload(sandbox, "/api/v1/persons/7/picture", pictureForm("image/png", new Uint8Array(100 * 1024)))
      expect(big.status).toBe(413)
      const json = yield* call<ErrorBody>(sandbox, "/api/v1/persons/7/picture", { method: "POST", body: { file: "x" } })
      expect(json.status).toBe(400)

      const deleted = yield* call<{ data: Item }>(sandbox, "/api/v1/persons/7/picture", { method: "DELETE" })
      expect(deleted.body.data).toEqual({ id: added.body["data"] && (added.body["data"] as Item)["id"] })
      expect((yield* call<ErrorBody>(sandbox, "/api/v1/persons/7/picture", { method: "DELETE" })).status).toBe(404)
    }))

  it.effect("a store update shows in the changelog and the flow; custom fields only with all_changes", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const store = yield* PersonStore.PersonStore
      const before = Option.getOrThrow(yield* store.get(8))
      const field = store.seed.customFields.find((f) => f.field_type === "varchar")!
      yield* store.update(8, { name: "Changed Name", customFields: { [field.key]: "https://example.com/x" } })
      const log = yield* call<CursorPage<Item>>(sandbox, "/api/v1/persons/8/changelog")
      expect(log.body.data).toEqual(expect.arrayContaining([
        expect.objectContaining({ field_key: "name", old_value: before.name, new_value: "Changed Name", actor_user_id: 900001 }),
        expect.objectContaining({ field_key: field.key, new_value: "https://example.com/x" })
      ]))
      const flow = yield* call<V1Page<Item>>(sandbox, "/api/v1/persons/8/flow")
      expect(flow.body.data?.map((item) => (item["data"] as Item)["field_key"])).toEqual(["name"])
      const all = yield* call<V1Page<Item>>(sandbox, "/api/v1/persons/8/flow?all_changes=1")
      expect(all.body.data).toHaveLength(2)
      expect(all.body.data?.[0]).toMatchObject({ object: "personChange", data: { item_id: 8 } })
      const onlyFollowers = yield* call<V1Page<Item>>(sandbox, "/api/v1/persons/8/flow?items=follower")
      expect(onlyFollowers.body.data).toBeNull()
    }))

  it.effect("composite custom field values are written to the changelog as JSON", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const store = yield* PersonStore.PersonStore
      const key = store.seed.customFields[0]!.key
      yield* store.update(10, { customFields: { [key]: { value: 5, currency: "EUR" } } })
      yield* store.update(10, { customFields: { [key]: [1, 2] } })
      const log = yield* call<CursorPage<Item>>(sandbox, "/api/v1/persons/10/changelog")
      expect(log.body.data.slice(0, 2).map((e) => [e["field_key"], e["new_value"]])).toEqual([
        [key, "[1,2]"],
        [key, '{"value":5,"currency":"EUR"}']
      ])
      expect(log.body.data[0]?.["old_value"]).toBe('{"value":5,"currency":"EUR"}')
    }))

  it.effect("merge: emails, phones and followers move to merge_with_id; the other is deleted", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const store = yield* PersonStore.PersonStore
      const keep = yield* store.create({ name: "Keep", emails: [{ value: "k@example.com", primary: true, label: "work" }], ownerId: 900001 })
      const drop = yield* store.create({
        name: "Drop",
        emails: [{ value: "K@example.com", primary: true, label: "work" }, { value: "d@example.com", primary: true, label: "home" }],
        phones: [{ value: "+1 555", primary: true, label: "work" }],
        ownerId: 900002
      })
      const merged = yield* call<{ data: Item }>(sandbox, `/api/v1/persons/${drop.id}/merge`, { method: "PUT", body: { merge_with_id: keep.id } })
      expect(merged.status).toBe(200)
      expect(merged.body.data).toMatchObject({
        id: keep.id,
        merge_what_id: drop.id,
        email: [{ value: "k@example.com", primary: true, label: "work" }, { value: "d@example.com", primary: false, label: "home" }],
        phone: [{ value: "+1 555", primary: false, label: "work" }]
      })
      expect(Option.isNone(yield* store.get(drop.id))).toBe(true)
      const followers = yield* call<V1Page<Item>>(sandbox, `/api/v1/persons/${keep.id}/followers`)
      expect(followers.body.data?.map((f) => f["user_id"])).toEqual([900001, 900002])
      const log = yield* call<CursorPage<Item>>(sandbox, `/api/v1/persons/${keep.id}/changelog`)
      expect(log.body.data.map((e) => e["field_key"])).toEqual(expect.arrayContaining(["email", "phone", "merged_person_id"]))
      const self = yield* call<ErrorBody>(sandbox, `/api/v1/persons/${keep.id}/merge`, { method: "PUT", body: { merge_with_id: keep.id } })
      expect(self.status).toBe(400)
      const gone = yield* call<ErrorBody>(sandbox, `/api/v1/persons/${keep.id}/merge`, { method: "PUT", body: { merge_with_id: drop.id } })
      expect(gone.status).toBe(404)
      const bad = yield* call<ErrorBody>(sandbox, `/api/v1/persons/${keep.id}/merge`, { method: "PUT", body: { merge_with_id: "x" } })
      expect(bad.body.error).toContain("merge_with_id")
    }))

  it.effect("permitted users: everyone, or the owner and followers for visibility 1", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const store = yield* PersonStore.PersonStore
      const open = yield* call<{ data: ReadonlyArray<number> }>(sandbox, "/api/v1/persons/9/permittedUsers")
      const everyone = store.seed.users.map((user) => user.id)
      const person = Option.getOrThrow(yield* store.get(9))
      expect(open.body.data).toEqual(person.visibleTo === 1 ? [person.ownerId] : everyone)
      const secret = yield* store.create({ name: "Secret", visibleTo: 1, ownerId: 900004 })
      const restricted = yield* call<{ data: ReadonlyArray<number> }>(sandbox, `/api/v1/persons/${secret.id}/permittedUsers`)
      expect(restricted.body.data).toEqual([900004])
    }))
})
