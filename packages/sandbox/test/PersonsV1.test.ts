/** API v1 persons over HTTP: offset pagination, its filters and sorts, and the get-one shape. */
import { expect, layer } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Effect } from "effect"
import { call, type ErrorBody, type V1List, type V1Person, type V2List, walkV2 } from "./support/Http.ts"

const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

/** Follows `next_start` to the end; returns every page. */
const walkV1 = (sandbox: PipedriveSandbox.Service, query: string, limit: number) =>
  Effect.gen(function*() {
    const pages: Array<V1List> = []
    let start: number | undefined = 0
    while (start !== undefined) {
      const reply: { readonly status: number; readonly body: V1List } = yield* call<V1List>(
        sandbox,
        `/api/v1/persons?${query}&start=${start}&limit=${limit}`
      )
      expect(reply.status).toBe(200)
      pages.push(reply.body)
      const pagination: V1List["additional_data"]["pagination"] = reply.body.additional_data.pagination
      expect(pagination.more_items_in_collection).toBe(pagination.next_start !== undefined)
      start = pagination.next_start
      if (pages.length > 1000) throw new Error("the walk does not end")
    }
    return pages
  })

const ids = (pages: ReadonlyArray<V1List>) => pages.flatMap((page) => (page.data ?? []).map((person) => person.id))

layer(PipedriveSandbox.layer({ persons: 1000, seed: "v1" }))("GET /api/v1/persons on 1,000 persons", (it) => {
  it.effect("pages by start and limit; next_start only while more items exist", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const first = yield* call<V1List>(sandbox, "/api/v1/persons")
      expect(first.body.data).toHaveLength(100)
      expect(first.body.additional_data.pagination).toEqual({
        start: 0,
        limit: 100,
        more_items_in_collection: true,
        next_start: 100
      })
      const last = yield* call<V1List>(sandbox, "/api/v1/persons?start=900&limit=100")
      expect(last.body.data!.map((p) => p.id)).toEqual(range(901, 1000))
      expect(last.body.additional_data.pagination).toEqual({ start: 900, limit: 100, more_items_in_collection: false })

      const pages = yield* walkV1(sandbox, "", 500)
      expect(pages).toHaveLength(2)
      expect(ids(pages)).toEqual(range(1, 1000))
      // Any offset works, not only where a page ended.
      const odd = yield* call<V1List>(sandbox, "/api/v1/persons?start=457&limit=3")
      expect(odd.body.data!.map((p) => p.id)).toEqual([458, 459, 460])
    }))

  it.effect("data is null past the end", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const reply = yield* call<V1List>(sandbox, "/api/v1/persons?start=1000")
      expect(reply.body).toEqual({
        success: true,
        data: null,
        additional_data: { pagination: { start: 1000, limit: 100, more_items_in_collection: false } }
      })
    }))

  it.effect("sorts by id, name, add_time and update_time, ASC or DESC", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const byName = (yield* walkV1(sandbox, "sort=name", 300)).flatMap((page) => page.data ?? [])
      const keys = byName.map((p) => [p.name.toLowerCase(), p.id] as const)
      expect(keys).toEqual([...keys].sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : a[1] - b[1])))
      const desc = ids(yield* walkV1(sandbox, "sort=name%20DESC", 300))
      expect(desc).toEqual(byName.map((p) => p.id).reverse())
      expect(ids(yield* walkV1(sandbox, "sort=id%20desc", 400))).toEqual(range(1, 1000).reverse())
      expect(ids(yield* walkV1(sandbox, "sort=update_time%20ASC", 400))).toEqual(range(1, 1000))
      expect(ids(yield* walkV1(sandbox, "sort=add_time%20DESC", 400))).toEqual(range(1, 1000).reverse())
    }))

  it.effect("filters by user_id, first_char and filter_id (which wins over user_id)", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const all = (yield* walkV1(sandbox, "", 500)).flatMap((page) => page.data ?? [])
      const user = sandbox.store.seed.users[0]!.id
      const owned = ids(yield* walkV1(sandbox, `user_id=${user}`, 100))
      expect(owned).toEqual(all.filter((p) => p.owner_id.id === user).map((p) => p.id))
      const letter = all[0]!.name.charAt(0)
      const byLetter = ids(yield* walkV1(sandbox, `first_char=${letter.toLowerCase()}`, 100))
      expect(byLetter).toEqual(all.filter((p) => p.name.startsWith(letter)).map((p) => p.id))
      expect(byLetter.length).toBeGreaterThan(0)
      expect(ids(yield* walkV1(sandbox, `filter_id=250&user_id=${user}`, 100))).toEqual([250, 500, 750, 1000])
    }))

  it.effect("refuses bad paging and sort parameters with 400", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      for (
        const [query, field] of [
          ["limit=501", "limit"],
          ["limit=0", "limit"],
          ["limit=x", "limit"],
          ["start=-1", "start"],
          ["user_id=me", "user_id"],
          ["sort=owner_name", "sort"],
          ["sort=name%20SIDEWAYS", "sort"],
          ["sort=name%20ASC,id%20DESC", "sort"]
        ] as const
      ) {
        const reply = yield* call<ErrorBody>(sandbox, `/api/v1/persons?${query}`)
        expect(reply.status, query).toBe(400)
        expect(reply.body.error, query).toContain(field)
        expect(reply.body, query).not.toHaveProperty("code")
      }
    }))

  it.effect("the same persons as API v2, in v1's spelling", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const v1 = (yield* call<V1List>(sandbox, "/api/v1/persons?limit=50")).body
      const v2 = (yield* call<V2List>(sandbox, "/api/v2/persons?limit=50")).body
      for (const [index, person] of v1.data!.entries()) {
        const other = v2.data[index]!
        expect(person.id).toBe(other.id)
        expect(person.name).toBe(other.name)
        expect(person.owner_id.value).toBe(other.owner_id)
        expect(person.org_id?.value ?? null).toBe(other.org_id)
        expect(person["update_time"]).toBe(other.update_time.replace("T", " ").replace("Z", ""))
        expect(person["visible_to"]).toBe(String(other["visible_to"]))
        expect(person["email"]).toEqual(other.emails)
        // Custom fields are top-level keys in v1, single options as strings.
        for (const field of sandbox.store.seed.customFields) {
          const value = other.custom_fields[field.key]
          expect(person[field.key]).toEqual(field.field_type === "enum" && value !== null ? String(value) : value)
        }
        expect(v1.related_objects!.user[String(other.owner_id)]).toMatchObject({ id: other.owner_id })
        if (other.org_id !== null) expect(v1.related_objects!.organization![String(other.org_id)]).toMatchObject({ id: other.org_id })
      }
    }))

  it.effect("GET /api/v1/persons/{id} has the list's person plus additional_data and related_objects", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const listed = (yield* call<V1List>(sandbox, "/api/v1/persons?start=6&limit=1")).body.data![0]!
      const reply = yield* call<{
        readonly data: V1Person
        readonly additional_data: { readonly dropbox_email: string }
        readonly related_objects: V1List["related_objects"]
      }>(sandbox, "/api/v1/persons/7")
      expect(reply.status).toBe(200)
      expect(reply.body.data).toEqual(listed)
      expect(reply.body.additional_data.dropbox_email).toMatch(/@pipedrivemail\.com$/)
      expect(reply.body.related_objects!.user[String(listed.owner_id.id)]).toBeDefined()
      const missing = yield* call<ErrorBody>(sandbox, "/api/v1/persons/5000")
      expect(missing.status).toBe(404)
      expect(missing.body).toMatchObject({ success: false, error: "Person not found", data: null })
      expect((yield* call(sandbox, "/api/v1/persons/x")).status).toBe(400)
    }))

  it.effect("offsets follow changes the way offsets do: a deletion shifts later pages", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const first = yield* call<V1List>(sandbox, "/api/v1/persons?start=0&limit=10")
      expect(first.body.data!.map((p) => p.id)).toEqual(range(1, 10))
      yield* call(sandbox, "/api/v2/persons/3", { method: "DELETE" })
      const second = yield* call<V1List>(sandbox, "/api/v1/persons?start=10&limit=10")
      // Person 11 slid into the first page's range, so an offset walk skips it, as with Pipedrive.
      expect(second.body.data!.map((p) => p.id)).toEqual(range(12, 21))
      const v2 = ids(yield* walkV1(sandbox, "", 500))
      expect(v2).not.toContain(3)
      expect(v2).toHaveLength(999)
      expect(ids(yield* walkV1(sandbox, "", 500))).toEqual((yield* walkV2(sandbox, "limit=500")).flatMap((p) => p.data.map((x) => x.id)))
    }))
})

layer(PipedriveSandbox.layer({ persons: 0 }))("GET /api/v1/persons on an empty company", (it) => {
  it.effect("answers data: null", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const reply = yield* call<V1List>(sandbox, "/api/v1/persons")
      expect(reply.body).toEqual({
        success: true,
        data: null,
        additional_data: { pagination: { start: 0, limit: 100, more_items_in_collection: false } }
      })
    }))
})
