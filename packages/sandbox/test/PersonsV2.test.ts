/** API v2 persons over HTTP: listing, every query option, the cursor, and each write. */
import { describe, expect, layer } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import * as Seed from "../src/internal/store/Seed.ts"
import { Effect, TestClock } from "effect"
import { call, type ErrorBody, type V2List, type V2Person, walkV2 } from "./support/Http.ts"

const ids = (pages: ReadonlyArray<V2List>) => pages.flatMap((page) => page.data.map((person) => person.id))
const range = (from: number, to: number) => Array.from({ length: to - from + 1 }, (_, i) => from + i)

layer(PipedriveSandbox.layer({ persons: 1000, seed: "v2" }))("GET /api/v2/persons on 1,000 persons", (it) => {
  it.effect("walks to the end in id order; an exact multiple of the page size ends with next_cursor null", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const pages = yield* walkV2(sandbox, "limit=500")
      expect(pages.map((page) => page.data.length)).toEqual([500, 500])
      expect(pages[1]!.additional_data.next_cursor).toBeNull()
      expect(ids(pages)).toEqual(range(1, 1000))

      const small = yield* walkV2(sandbox, "limit=300")
      expect(small.map((page) => page.data.length)).toEqual([300, 300, 300, 100])
      expect(ids(small)).toEqual(range(1, 1000))
    }))

  it.effect("defaults to 100 per page, with the person shape of openapi-v2.yaml", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const reply = yield* call<V2List>(sandbox, "/api/v2/persons")
      expect(reply.status).toBe(200)
      expect(reply.headers.get("content-type")).toMatch(/^application\/json/)
      expect(reply.body.success).toBe(true)
      expect(reply.body.data).toHaveLength(100)
      expect(reply.body.additional_data.next_cursor).toEqual(expect.any(String))
      const person = reply.body.data[0]!
      expect(person).toMatchObject({
        id: 1,
        is_deleted: false,
        picture_id: null,
        visible_to: expect.any(Number),
        label_ids: expect.any(Array)
      })
      expect(person.add_time).toMatch(/^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/)
      expect(Object.keys(person.custom_fields)).toHaveLength(sandbox.store.seed.customFields.length)
    }))

  it.effect("sorts by id, add_time and update_time, both ways", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      for (const sortBy of ["id", "add_time", "update_time"]) {
        expect(ids(yield* walkV2(sandbox, `sort_by=${sortBy}&limit=400`))).toEqual(range(1, 1000))
        const desc = ids(yield* walkV2(sandbox, `sort_by=${sortBy}&sort_direction=desc&limit=400`))
        expect(desc).toEqual(range(1, 1000).reverse())
      }
    }))

  it.effect("filters by owner_id, org_id, ids, updated_since/until and filter_id", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const all = (yield* walkV2(sandbox, "limit=500")).flatMap((page) => page.data)
      const owner = sandbox.store.seed.users[1]!.id
      const byOwner = ids(yield* walkV2(sandbox, `owner_id=${owner}&limit=50`))
      expect(byOwner).toEqual(all.filter((p) => p.owner_id === owner).map((p) => p.id))
      expect(byOwner.length).toBeGreaterThan(50)

      const byOrg = ids(yield* walkV2(sandbox, "org_id=4"))
      expect(byOrg).toEqual(all.filter((p) => p.org_id === 4).map((p) => p.id))
      expect(byOrg.length).toBeGreaterThan(0)

      expect(ids(yield* walkV2(sandbox, "ids=7,3,5000,3,12&sort_direction=desc"))).toEqual([12, 7, 3])
      expect(ids(yield* walkV2(sandbox, `ids=7,3,12&owner_id=${all[6]!.owner_id}`))).toContain(7)

      const since = all[99]!.update_time
      const until = all[199]!.update_time
      expect(ids(yield* walkV2(sandbox, `updated_since=${since}&updated_until=${until}&limit=30`))).toEqual(range(100, 199))
      expect(ids(yield* walkV2(sandbox, `updated_since=${since}&sort_by=update_time&sort_direction=desc`))).toEqual(
        range(100, 1000).reverse()
      )

      // filter_id k: the persons whose id is a multiple of k; it overrides the other filters.
      expect(ids(yield* walkV2(sandbox, `filter_id=100&owner_id=${owner}&ids=1,2`))).toEqual(range(1, 10).map((i) => i * 100))
      // No deals exist in the sandbox.
      expect(ids(yield* walkV2(sandbox, "deal_id=5"))).toEqual([])
    }))

  it.effect("include_fields, custom_fields and include_option_labels shape the persons", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const [leadSource, lifetimeValue] = sandbox.store.seed.customFields
      const query = `include_fields=open_deals_count,smart_bcc_email&custom_fields=${leadSource!.key},${
        lifetimeValue!.key
      }&include_option_labels=true&include_labels=true&limit=500`
      const reply = yield* call<V2List>(sandbox, `/api/v2/persons?${query}`)
      expect(reply.status).toBe(200)
      for (const person of reply.body.data) {
        expect(person["open_deals_count"]).toBe(0)
        expect(person["smart_bcc_email"]).toEqual(expect.stringContaining("@pipedrivemail.com"))
        expect(Object.keys(person.custom_fields)).toEqual([leadSource!.key, lifetimeValue!.key])
        const option = person.custom_fields[leadSource!.key]
        if (option !== null) expect(option).toEqual({ id: expect.any(Number), label: expect.any(String) })
      }
      const bad = yield* call<ErrorBody>(sandbox, "/api/v2/persons?include_fields=shoe_size")
      expect(bad.status).toBe(400)
      expect(bad.body.error).toContain("include_fields")
    }))

  it.effect("refuses a bad limit, sort, time, id list or cursor with 400 naming the parameter", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const cases: ReadonlyArray<readonly [string, string]> = [
        ["limit=501", "limit"],
        ["limit=0", "limit"],
        ["limit=-5", "limit"],
        ["limit=1.5", "limit"],
        ["limit=ten", "limit"],
        ["sort_by=name", "sort_by"],
        ["sort_direction=up", "sort_direction"],
        ["updated_since=yesterday", "updated_since"],
        ["updated_since=2025-01-01T10:20:00.000Z", "updated_since"],
        ["updated_until=2025-02-30T00:00:00Z", "updated_until"],
        ["owner_id=abc", "owner_id"],
        [`ids=${range(1, 101).join(",")}`, "ids"],
        ["ids=1,x", "ids"],
        ["cursor=not-a-cursor", "cursor"],
        [`cursor=${Buffer.from('{"field":"id","fieldValue":"x"}').toString("base64url")}`, "cursor"],
        [`custom_fields=${range(1, 16).join(",")}`, "custom_fields"],
        ["include_option_labels=maybe", "include_option_labels"]
      ]
      for (const [query, field] of cases) {
        const reply = yield* call<ErrorBody>(sandbox, `/api/v2/persons?${query}`)
        expect(reply.status, query).toBe(400)
        expect(reply.body, query).toMatchObject({
          success: false,
          error: expect.stringContaining(field),
          code: "ERR_SCHEMA_VALIDATION_FAILED",
          error_info: expect.stringContaining("developers.pipedrive.com"),
          data: null,
          additional_data: null
        })
      }
    }))

  it.effect("a cursor belongs to its sort: reusing it with another sort is a 400", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const first = yield* call<V2List>(sandbox, "/api/v2/persons?sort_by=update_time&limit=2")
      const cursor = first.body.additional_data.next_cursor!
      const reply = yield* call<ErrorBody>(sandbox, `/api/v2/persons?cursor=${cursor}`)
      expect(reply.status).toBe(400)
      expect(reply.body.error).toContain("cursor")
      const ok = yield* call<V2List>(sandbox, `/api/v2/persons?sort_by=update_time&limit=2&cursor=${cursor}`)
      expect(ok.body.data.map((p) => p.id)).toEqual([3, 4])
    }))

  it.effect("GET /api/v2/persons/{id} returns one person; unknown, deleted or malformed ids are 404/400", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const list = yield* call<V2List>(sandbox, "/api/v2/persons?ids=42")
      const one = yield* call<{ readonly success: true; readonly data: V2Person }>(sandbox, "/api/v2/persons/42")
      expect(one.status).toBe(200)
      expect(one.body.data).toEqual(list.body.data[0])
      const missing = yield* call<ErrorBody>(sandbox, "/api/v2/persons/1001")
      expect(missing.status).toBe(404)
      expect(missing.body).toMatchObject({ success: false, error: "Person not found", code: "ERR_NOT_FOUND" })
      expect((yield* call(sandbox, "/api/v2/persons/abc")).status).toBe(400)
      expect((yield* call(sandbox, "/api/v2/persons/0")).status).toBe(400)
    }))
})

layer(PipedriveSandbox.layer({ persons: 0 }))("an empty company", (it) => {
  it.effect("lists no persons and no cursor", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const reply = yield* call<V2List>(sandbox, "/api/v2/persons")
      expect(reply.body).toEqual({ success: true, data: [], additional_data: { next_cursor: null } })
      expect(sandbox.token).toBe("sandbox-token")
      expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    }))
})

layer(PipedriveSandbox.layer({ persons: 50, seed: "writes" }))("writes", (it) => {
  it.effect("POST creates a person and derives first and last name", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      yield* TestClock.setTime(Date.UTC(2026, 2, 1, 12, 0, 0, 750))
      const field = sandbox.store.seed.customFields.find((f) => f.field_type === "enum")!
      const reply = yield* call<{ readonly data: V2Person }>(sandbox, "/api/v2/persons", {
        method: "POST",
        body: {
          name: "  Mary Ann Smith ",
          emails: [{ value: "mary@example.com" }, { value: "m@example.org", primary: true, label: "home" }],
          phones: [{ value: "+1 555 000 0000", label: "mobile" }],
          owner_id: sandbox.store.seed.users[2]!.id,
          org_id: 3,
          visible_to: 7,
          label_ids: [2],
          custom_fields: { [field.key]: field.options![1]!.id },
          notes: "ignored without contact sync",
          unknown_field: true
        }
      })
      expect(reply.status).toBe(200)
      expect(reply.body.data).toMatchObject({
        id: 51,
        name: "Mary Ann Smith",
        first_name: "Mary",
        last_name: "Ann Smith",
        owner_id: sandbox.store.seed.users[2]!.id,
        org_id: 3,
        visible_to: 7,
        label_ids: [2],
        add_time: "2026-03-01T12:00:00Z",
        update_time: "2026-03-01T12:00:00Z",
        is_deleted: false,
        emails: [
          { value: "mary@example.com", primary: false, label: "work" },
          { value: "m@example.org", primary: true, label: "home" }
        ],
        phones: [{ value: "+1 555 000 0000", primary: true, label: "mobile" }]
      })
      expect(reply.body.data.custom_fields[field.key]).toBe(field.options![1]!.id)
      expect(reply.body.data).not.toHaveProperty("notes")
      expect((yield* call<{ readonly data: V2Person }>(sandbox, "/api/v2/persons/51")).body.data).toEqual(reply.body.data)
    }))

  it.effect("POST and PATCH refuse invalid fields with 400 naming the field", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const [text, number, date, option] = ["varchar", "double", "date", "enum"].map(
        (type) => sandbox.store.seed.customFields.find((f) => f.field_type === type)!.key
      )
      const cases: ReadonlyArray<readonly [unknown, string]> = [
        [{}, "name"],
        [{ name: "" }, "name"],
        [{ name: "   " }, "name"],
        [{ name: 5 }, "name"],
        [{ name: "A", emails: "a@b.c" }, "emails"],
        [{ name: "A", emails: [{ value: 5 }] }, "emails[0].value"],
        [{ name: "A", emails: [{ label: "work" }] }, "emails[0].value"],
        [{ name: "A", phones: [{ value: "1", primary: "yes" }] }, "phones[0].primary"],
        [{ name: "A", owner_id: "1" }, "owner_id"],
        [{ name: "A", owner_id: 12345 }, "owner_id"],
        [{ name: "A", org_id: 1.5 }, "org_id"],
        [{ name: "A", org_id: 999 }, "org_id"],
        [{ name: "A", visible_to: 2 }, "visible_to"],
        [{ name: "A", visible_to: "3" }, "visible_to"],
        [{ name: "A", label_ids: ["1"] }, "label_ids[0]"],
        [{ name: "A", custom_fields: [] }, "custom_fields"],
        [{ name: "A", custom_fields: { deadbeef: 1 } }, "custom_fields.deadbeef"],
        [{ name: "A", custom_fields: { [text!]: 1 } }, `custom_fields.${text}`],
        [{ name: "A", custom_fields: { [number!]: "1" } }, `custom_fields.${number}`],
        [{ name: "A", custom_fields: { [date!]: "01/02/2025" } }, `custom_fields.${date}`],
        [{ name: "A", custom_fields: { [option!]: 99 } }, `custom_fields.${option}`],
        [{ name: "A", add_time: "last week" }, "add_time"],
        [[{ name: "A" }], "body"],
        ["just a string", "body"]
      ]
      for (const [body, field] of cases) {
        const reply = yield* call<ErrorBody>(sandbox, "/api/v2/persons", { method: "POST", body })
        expect(reply.status, JSON.stringify(body)).toBe(400)
        expect(reply.body.error, JSON.stringify(body)).toContain(`${field}:`)
        expect(reply.body.code).toBe("ERR_SCHEMA_VALIDATION_FAILED")
      }
      const patch = yield* call<ErrorBody>(sandbox, "/api/v2/persons/1", { method: "PATCH", body: { name: "" } })
      expect(patch.status).toBe(400)
      expect(patch.body.error).toContain("name:")
      const count = yield* sandbox.store.count
      expect(count).toBe(51)
    }))

  it.effect("PATCH changes only what it is given and bumps update_time to now", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const before = (yield* call<{ readonly data: V2Person }>(sandbox, "/api/v2/persons/2")).body.data
      yield* TestClock.setTime(Date.UTC(2026, 3, 1))
      const [first, second] = sandbox.store.seed.customFields
      const reply = yield* call<{ readonly data: V2Person }>(sandbox, "/api/v2/persons/2", {
        method: "PATCH",
        body: { name: "Renamed Person", org_id: null, custom_fields: { [first!.key]: null } }
      })
      expect(reply.status).toBe(200)
      expect(reply.body.data).toEqual({
        ...before,
        name: "Renamed Person",
        first_name: "Renamed",
        last_name: "Person",
        org_id: null,
        update_time: "2026-04-01T00:00:00Z",
        custom_fields: { ...before.custom_fields, [first!.key]: null, [second!.key]: before.custom_fields[second!.key] }
      })
      const missing = yield* call<ErrorBody>(sandbox, "/api/v2/persons/999", { method: "PATCH", body: { name: "x" } })
      expect(missing.status).toBe(404)
    }))

  it.effect("DELETE answers { id }, then the person is gone", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const reply = yield* call(sandbox, "/api/v2/persons/10", { method: "DELETE" })
      expect(reply).toMatchObject({ status: 200, body: { success: true, data: { id: 10 } } })
      expect((yield* call(sandbox, "/api/v2/persons/10")).status).toBe(404)
      expect((yield* call(sandbox, "/api/v2/persons/10", { method: "DELETE" })).status).toBe(404)
      expect((yield* call(sandbox, "/api/v2/persons/10", { method: "PATCH", body: { name: "x" } })).status).toBe(404)
      expect(ids(yield* walkV2(sandbox, "limit=500"))).not.toContain(10)
    }))

  it.effect("an updated person moves to the end of update_time order", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      yield* TestClock.setTime(Date.UTC(2026, 5, 1))
      yield* call(sandbox, "/api/v2/persons/5", { method: "PATCH", body: { label_ids: [1] } })
      const asc = ids(yield* walkV2(sandbox, "sort_by=update_time&limit=7"))
      expect(asc.at(-1)).toBe(5)
      const desc = ids(yield* walkV2(sandbox, "sort_by=update_time&sort_direction=desc&limit=7"))
      expect(desc[0]).toBe(5)
      expect(desc).toEqual([...asc].reverse())
      // Its add_time did not change, so add_time order still has it in place.
      const byAdd = ids(yield* walkV2(sandbox, "sort_by=add_time&limit=7"))
      expect(byAdd.indexOf(5)).toBe(byAdd.indexOf(4) + 1)
    }))

  it.effect("the next page, built ahead while the client reads, never hides a change made meanwhile", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      for (const [path, next] of [["/api/v2/persons?limit=5", "cursor"], ["/api/v1/persons?limit=5", "start"]] as const) {
        const first = yield* call<{
          readonly data: ReadonlyArray<{ readonly id: number }>
          readonly additional_data: { readonly next_cursor?: string | null }
        }>(sandbox, path)
        // Let the server build the next page (it does so on the event loop's next check phase, queued
        // before this answer was even sent: one setImmediate turn here comes after it), then change a
        // person on it.
        yield* Effect.async<void>((resume) => {
          setImmediate(() => resume(Effect.void))
        })
        const target = first.body.data.at(-1)!.id + 1
        yield* call(sandbox, `/api/v2/persons/${target}`, { method: "PATCH", body: { name: `Changed ${next}` } })
        const query = next === "cursor"
          ? `cursor=${first.body.additional_data.next_cursor}`
          : "start=5"
        const second = yield* call<{ readonly data: ReadonlyArray<{ readonly id: number; readonly name: string }> }>(
          sandbox,
          `${path}&${query}`
        )
        expect(second.body.data[0]).toMatchObject({ id: target, name: `Changed ${next}` })
      }
    }))

  it.effect("a cursor walk stays exact while persons are created and deleted between pages", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const start = (yield* walkV2(sandbox, "limit=500")).flatMap((page) => page.data.map((p) => p.id))
      const seen: Array<number> = []
      const deletedAhead: Array<number> = []
      const created: Array<number> = []
      let cursor: string | null = null
      let page = 0
      do {
        const path: string = `/api/v2/persons?limit=5${cursor === null ? "" : `&cursor=${cursor}`}`
        const reply: { readonly body: V2List } = yield* call<V2List>(sandbox, path)
        seen.push(...reply.body.data.map((p) => p.id))
        cursor = reply.body.additional_data.next_cursor
        page++
        // Between pages: delete one person already seen, one not yet seen, and add one.
        const behind = seen[seen.length - 2]!
        yield* call(sandbox, `/api/v2/persons/${behind}`, { method: "DELETE" })
        const ahead = start.find((id) => id > seen[seen.length - 1]! + 2 && !deletedAhead.includes(id))
        if (ahead !== undefined && page % 2 === 0) {
          yield* call(sandbox, `/api/v2/persons/${ahead}`, { method: "DELETE" })
          deletedAhead.push(ahead)
        }
        const made = yield* call<{ readonly data: V2Person }>(sandbox, "/api/v2/persons", {
          method: "POST",
          body: { name: `Walker ${page}` }
        })
        created.push(made.body.data.id)
        if (page > 100) throw new Error("the walk does not end")
      } while (cursor !== null)
      // Nothing twice, in order, nothing deleted before it was reached, everyone else, and every
      // person created while pages remained (the last one was created after the last page).
      expect(new Set(seen).size).toBe(seen.length)
      expect(seen).toEqual([...seen].sort((a, b) => a - b))
      for (const id of deletedAhead) expect(seen).not.toContain(id)
      for (const id of start.filter((id) => !deletedAhead.includes(id))) expect(seen).toContain(id)
      for (const id of created.slice(0, -1)) expect(seen).toContain(id)
      expect(seen).not.toContain(created.at(-1))
      expect(deletedAhead.length).toBeGreaterThan(3)
    }))
})

describe("the wire", () => {
  layer(PipedriveSandbox.layer({ persons: 3, token: "secret" }))((it) => {
    it.effect("401 without the token, with a wrong one, or with a Bearer token; api_token in the query works", () =>
      Effect.gen(function*() {
        const sandbox = yield* PipedriveSandbox.PipedriveSandbox
        expect(sandbox.token).toBe("secret")
        for (const token of [null, "wrong", ""]) {
          for (const path of ["/api/v2/persons", "/api/v1/persons", "/api/v2/persons/1", "/api/v2/nowhere"]) {
            const reply = yield* call<ErrorBody>(sandbox, path, { token })
            expect(reply.status, `${path} ${token}`).toBe(401)
            expect(reply.body).toMatchObject({
              success: false,
              error: "unauthorized access",
              errorCode: 401,
              error_info: "Please check developers.pipedrive.com for more information about Pipedrive API.",
              data: null,
              additional_data: null
            })
          }
        }
        const v1 = yield* call<ErrorBody>(sandbox, "/api/v1/persons", { token: null })
        expect(v1.body).not.toHaveProperty("code")
        const bearer = yield* call(sandbox, "/api/v2/persons", { token: null, headers: { authorization: "Bearer secret" } })
        expect(bearer.status).toBe(401)
        expect((yield* call(sandbox, "/api/v2/persons?api_token=secret", { token: null })).status).toBe(200)
        expect((yield* call(sandbox, "/api/v1/persons?api_token=wrong", { token: null })).status).toBe(401)
      }))

    it.effect("unknown routes are Pipedrive 404s", () =>
      Effect.gen(function*() {
        const sandbox = yield* PipedriveSandbox.PipedriveSandbox
        const v2 = yield* call<ErrorBody>(sandbox, "/api/v2/deals")
        expect(v2.status).toBe(404)
        expect(v2.body).toMatchObject({ success: false, code: "ERR_NOT_FOUND", data: null, additional_data: null })
        const v1 = yield* call<ErrorBody>(sandbox, "/api/v1/persons/1/notes")
        expect(v1.status).toBe(404)
        expect((yield* call(sandbox, "/", {})).status).toBe(404)
        expect((yield* call(sandbox, "/api/v2/persons/1", { method: "PUT", body: {} })).status).toBe(404)
      }))

    it.effect("a body that is not JSON is a 400; one over the size limit is a 413", () =>
      Effect.gen(function*() {
        const sandbox = yield* PipedriveSandbox.PipedriveSandbox
        for (const raw of ["{", "{\"name\": \"x\",}", "", "nul"]) {
          const reply = yield* call<ErrorBody>(sandbox, "/api/v2/persons", { method: "POST", raw })
          expect(reply.status, raw).toBe(400)
          expect(reply.body.success).toBe(false)
        }
        const big = JSON.stringify({ name: "Big", notes: "x".repeat(1024 * 1024) })
        const reply = yield* call<ErrorBody>(sandbox, "/api/v2/persons", { method: "POST", raw: big })
        expect(reply.status).toBe(413)
        expect(reply.body).toMatchObject({ success: false, data: null })
        // The connection is still good for the next request.
        expect((yield* call(sandbox, "/api/v2/persons/1")).status).toBe(200)
        expect(yield* sandbox.store.count).toBe(3)
      }))
  })

  layer(PipedriveSandbox.layer({ persons: 5, maxBodyBytes: 100 }))((it) => {
    it.effect("a chunked body over the limit is refused too", () =>
      Effect.gen(function*() {
        const sandbox = yield* PipedriveSandbox.PipedriveSandbox
        const status = yield* Effect.promise(async () => {
          const chunks = new ReadableStream<Uint8Array>({
            start(controller) {
              for (let i = 0; i < 10; i++) controller.enqueue(new TextEncoder().encode(`{"name":"${"y".repeat(50)}"`))
              controller.close()
            }
          })
          const response = await fetch(`${sandbox.url}/api/v2/persons`, {
            method: "POST",
            headers: { "x-api-token": sandbox.token, "content-type": "application/json" },
            body: chunks,
            duplex: "half"
          } as RequestInit)
          await response.arrayBuffer()
          return response.status
        })
        expect(status).toBe(413)
        expect(yield* sandbox.store.count).toBe(5)
      }))
  })

  layer(PipedriveSandbox.layer({ persons: 20, seed: Seed.EPOCH }))((it) => {
    it.effect("two sandboxes with the same seed serve the same persons", () =>
      Effect.gen(function*() {
        const sandbox = yield* PipedriveSandbox.PipedriveSandbox
        const other = yield* PipedriveSandbox.start({ persons: 20, seed: Seed.EPOCH })
        const third = yield* PipedriveSandbox.start({ persons: 20, seed: "another" })
        const mine = yield* call<V2List>(sandbox, "/api/v2/persons")
        const theirs = yield* call<V2List>(other, "/api/v2/persons")
        const different = yield* call<V2List>(third, "/api/v2/persons")
        expect(theirs.body).toEqual(mine.body)
        expect(different.body.data.map((p) => p.name)).not.toEqual(mine.body.data.map((p) => p.name))
        expect(other.url).not.toBe(sandbox.url)
      }).pipe(Effect.scoped))
  })
})
