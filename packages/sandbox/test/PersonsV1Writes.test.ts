/** API v1 writes over HTTP: create, update (PUT), delete, bulk delete; and the admin-only collection. */
import { expect, layer } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Effect, Option, TestClock } from "effect"
import { call, type ErrorBody, type V1Person } from "./support/Http.ts"

interface Single<A> {
  readonly success: true
  readonly data: A
  readonly related_objects?: { readonly user: Readonly<Record<string, { readonly id: number }>> }
}

const REGULAR = "regular-token"

layer(PipedriveSandbox.layer({ persons: 400, seed: "v1-writes", regularTokens: [REGULAR] }))("v1 writes over HTTP", (it) => {
  it.effect("POST /api/v1/persons creates with v1's body and answers 201 in v1's shape", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      yield* TestClock.setTime(Date.UTC(2025, 0, 2, 3, 4, 5))
      const leadSource = sandbox.store.seed.customFields.find((field) => field.name === "Lead source")!.key
      const reply = yield* call<Single<V1Person>>(sandbox, "/api/v1/persons", {
        method: "POST",
        body: {
          name: " Ada Lovelace ",
          owner_id: 900003,
          org_id: 5,
          email: ["ada@example.com", { value: "ada@home.example", label: "home", primary: true }],
          phone: "+44 1234",
          label: 2,
          visible_to: "5",
          marketing_status: "subscribed",
          [leadSource]: "103",
          unknown_key: "ignored, as Pipedrive does"
        }
      })
      expect(reply.status).toBe(201)
      const person = reply.body.data
      expect(person).toMatchObject({
        id: 401,
        name: "Ada Lovelace",
        first_name: "Ada",
        last_name: "Lovelace",
        owner_id: { id: 900003, value: 900003 },
        org_id: { value: 5 },
        email: [
          { value: "ada@example.com", primary: false, label: "work" },
          { value: "ada@home.example", primary: true, label: "home" }
        ],
        phone: [{ value: "+44 1234", primary: true, label: "work" }],
        label: 2,
        label_ids: [2],
        visible_to: "5",
        add_time: "2025-01-02 03:04:05",
        update_time: "2025-01-02 03:04:05",
        [leadSource]: "103"
      })
      expect(reply.body.related_objects?.user["900003"]?.id).toBe(900003)
      expect(Option.getOrThrow(yield* sandbox.store.get(401)).customFields[leadSource]).toBe(103)
    }))

  it.effect("PUT /api/v1/persons/{id} changes only what is sent; add_time in v1's format", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const before = Option.getOrThrow(yield* sandbox.store.get(3))
      const reply = yield* call<Single<V1Person>>(sandbox, "/api/v1/persons/3", {
        method: "PUT",
        body: { org_id: null, label_ids: [1, 3], visible_to: 7 }
      })
      expect(reply.status).toBe(200)
      expect(reply.body.data).toMatchObject({ id: 3, name: before.name, org_id: null, label_ids: [1, 3], visible_to: "7" })
      const created = yield* call<Single<V1Person>>(sandbox, "/api/v1/persons", {
        method: "POST",
        body: { name: "Old Timer", add_time: "2020-05-06 07:08:09" }
      })
      expect(created.body.data["add_time"]).toBe("2020-05-06 07:08:09")
    }))

  it.effect("validation: name, contacts, visibility, owner, custom fields, add_time; 404 for a missing person", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const cases: ReadonlyArray<readonly [string, string, unknown, string]> = [
        ["POST", "/api/v1/persons", {}, "name"],
        ["POST", "/api/v1/persons", { name: "" }, "name"],
        ["POST", "/api/v1/persons", { name: "A", email: [{ value: " " }] }, "email"],
        ["POST", "/api/v1/persons", { name: "A", visible_to: "2" }, "visible_to"],
        ["POST", "/api/v1/persons", { name: "A", owner_id: 1 }, "owner_id"],
        ["POST", "/api/v1/persons", { name: "A", ["f".repeat(40)]: "x" }, "f".repeat(40)],
        ["POST", "/api/v1/persons", { name: "A", add_time: "yesterday" }, "add_time"],
        ["PUT", "/api/v1/persons/3", { add_time: "2024-01-01" }, "add_time"],
        ["PUT", "/api/v1/persons/3", { phone: [5] }, "phone"],
        ["PUT", "/api/v1/persons/abc", { name: "A" }, "id"]
      ]
      for (const [method, path, body, field] of cases) {
        const reply = yield* call<ErrorBody>(sandbox, path, { method, body })
        expect(reply.status, JSON.stringify(body)).toBe(400)
        expect(reply.body.error).toContain(field)
        expect(reply.body.code).toBeUndefined()
      }
      const missing = yield* call<ErrorBody>(sandbox, "/api/v1/persons/99999", { method: "PUT", body: { name: "A" } })
      expect(missing.status).toBe(404)
      const gone = yield* call<ErrorBody>(sandbox, "/api/v1/persons/99999", { method: "DELETE" })
      expect(gone.status).toBe(404)
    }))

  it.effect("DELETE /api/v1/persons/{id} deletes one", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const reply = yield* call<Single<{ readonly id: number }>>(sandbox, "/api/v1/persons/9", { method: "DELETE" })
      expect(reply.body).toEqual({ success: true, data: { id: 9 } })
      expect((yield* call(sandbox, "/api/v1/persons/9")).status).toBe(404)
    }))

  it.effect("DELETE /api/v1/persons?ids= deletes up to 100, skips missing ids, 404 when none exists", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const countBefore = yield* sandbox.store.count
      const reply = yield* call<Single<{ readonly id: ReadonlyArray<number> }>>(sandbox, "/api/v1/persons?ids=20,21,22,99999", {
        method: "DELETE"
      })
      expect(reply.body).toEqual({ success: true, data: { id: [20, 21, 22] } })
      expect(yield* sandbox.store.count).toBe(countBefore - 3)
      const none = yield* call<ErrorBody>(sandbox, "/api/v1/persons?ids=20,21", { method: "DELETE" })
      expect(none.status).toBe(404)

      const hundredOne = Array.from({ length: 101 }, (_, i) => i + 100).join(",")
      const tooMany = yield* call<ErrorBody>(sandbox, `/api/v1/persons?ids=${hundredOne}`, { method: "DELETE" })
      expect(tooMany.status).toBe(400)
      expect(tooMany.body.error).toContain("ids")
      expect(yield* sandbox.store.count).toBe(countBefore - 3)
      const hundred = Array.from({ length: 100 }, (_, i) => i + 100).join(",")
      const ok = yield* call<Single<{ readonly id: ReadonlyArray<number> }>>(sandbox, `/api/v1/persons?ids=${hundred}`, { method: "DELETE" })
      expect(ok.body.data.id).toHaveLength(100)
      for (const query of ["", "?ids=", "?ids=a,b", "?ids=0"]) {
        expect((yield* call(sandbox, `/api/v1/persons${query}`, { method: "DELETE" })).status, query).toBe(400)
      }
    }))

  it.effect("GET /api/v1/persons/collection: cursor pages for admins, 403 for regular users", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      interface Collection {
        readonly data: ReadonlyArray<{ readonly id: number; readonly owner_id: number; readonly delete_time: null }>
        readonly additional_data: { readonly next_cursor: string | null }
      }
      const ids: Array<number> = []
      let cursor: string | null = null
      do {
        const reply: { readonly status: number; readonly body: Collection } = yield* call<Collection>(
          sandbox,
          `/api/v1/persons/collection?limit=150${cursor === null ? "" : `&cursor=${cursor}`}`
        )
        expect(reply.status).toBe(200)
        ids.push(...reply.body.data.map((person) => person.id))
        cursor = reply.body.additional_data.next_cursor
      } while (cursor !== null)
      expect(ids).toEqual([...ids].sort((a, b) => a - b))
      expect(ids).toHaveLength(yield* sandbox.store.count)

      const forbidden = yield* call<ErrorBody>(sandbox, "/api/v1/persons/collection", { token: REGULAR })
      expect(forbidden.status).toBe(403)
      expect(forbidden.body).toMatchObject({ success: false, error: "You do not have permissions to do this.", data: null })
      // Everything else is open to a regular user.
      expect((yield* call(sandbox, "/api/v1/persons/1", { token: REGULAR })).status).toBe(200)
      expect((yield* call(sandbox, "/api/v1/persons/collection", { token: "wrong" })).status).toBe(401)
      expect((yield* call(sandbox, "/api/v1/persons/collection?until=soon")).status).toBe(400)
    }))
})
