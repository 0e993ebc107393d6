/** Search over HTTP: v2 and v1 `persons/search`, v1 `persons/find`, and the ranking behind them. */
import { describe, expect, it, layer } from "@effect/vitest"
import { PersonStore, PipedriveSandbox } from "@pipedrive-effect/sandbox"
import * as Search from "../src/internal/routes/Search.ts"
import { Effect } from "effect"
import { call, type ErrorBody } from "./support/Http.ts"

interface SearchItem {
  readonly id: number
  readonly type: string
  readonly name: string
  readonly emails: ReadonlyArray<string>
  readonly phones: ReadonlyArray<string>
  readonly visible_to: number
  readonly owner: { readonly id: number }
  readonly organization: { readonly id: number; readonly name: string; readonly address: string } | null
  readonly custom_fields: ReadonlyArray<string>
  readonly notes: ReadonlyArray<string>
  readonly picture?: null
}
interface SearchBody {
  readonly success: true
  readonly data: { readonly items: ReadonlyArray<{ readonly result_score: number; readonly item: SearchItem }> }
  readonly additional_data: {
    readonly next_cursor?: string | null
    readonly pagination?: { readonly start: number; readonly limit: number; readonly more_items_in_collection: boolean; readonly next_start?: number }
  }
}
interface FindBody {
  readonly success: true
  readonly data: ReadonlyArray<{ readonly id: number; readonly name: string; readonly email: string; readonly phone: string; readonly org_id: number | null; readonly visible_to: string }> | null
  readonly additional_data: { readonly search_method: string; readonly pagination: { readonly more_items_in_collection: boolean } }
}

const plant = Effect.gen(function*() {
  const sandbox = yield* PipedriveSandbox.PipedriveSandbox
  const linkedIn = sandbox.store.seed.customFields.find((field) => field.name === "LinkedIn profile")!.key
  const zed = yield* sandbox.store.create({
    name: "Zed Xylophone",
    orgId: 2,
    emails: [{ value: "zed@xylo.example", primary: true, label: "work" }],
    phones: [{ value: "+1 (555) 010-9999", primary: true, label: "work" }],
    customFields: { [linkedIn]: "https://www.linkedin.com/in/xylophone-zed" }
  })
  const fan = yield* sandbox.store.create({ name: "Xylophone Fanclub" })
  return { zed: zed.id, fan: fan.id }
})

layer(PipedriveSandbox.layer({ persons: 3000, seed: "search" }))("search over HTTP", (it) => {
  it.effect("v2 items are { result_score, item } with the spec's item shape, best first", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const { fan, zed } = yield* plant
      const reply = yield* call<SearchBody>(sandbox, "/api/v2/persons/search?term=xylophone&include_fields=person.picture")
      expect(reply.status).toBe(200)
      expect(reply.body.data.items.map((hit) => hit.item.id)).toEqual([fan, zed])
      expect(reply.body.additional_data).toEqual({ next_cursor: null })
      const item = reply.body.data.items[1]!.item
      expect(item).toEqual({
        id: zed,
        type: "person",
        name: "Zed Xylophone",
        phones: ["+1 (555) 010-9999"],
        emails: ["zed@xylo.example"],
        visible_to: 3,
        owner: { id: 900001 },
        organization: { id: 2, name: "Globex", address: expect.any(String) },
        custom_fields: ["https://www.linkedin.com/in/xylophone-zed"],
        notes: [],
        picture: null
      })
    }))

  it.effect("matches emails, phones by digits, custom fields; exact_match wants the whole value", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const ids = (path: string) =>
        Effect.map(call<SearchBody>(sandbox, path), (reply) => reply.body.data.items.map((hit) => hit.item.name))
      expect(yield* ids("/api/v2/persons/search?term=xylo.example&fields=email")).toEqual(["Zed Xylophone"])
      expect(yield* ids("/api/v2/persons/search?term=5550109999&fields=phone")).toEqual(["Zed Xylophone"])
      expect(yield* ids("/api/v2/persons/search?term=xylophone-zed&fields=custom_fields")).toEqual(["Zed Xylophone"])
      expect(yield* ids("/api/v2/persons/search?term=xylophone-zed&fields=name,email")).toEqual([])
      expect(yield* ids("/api/v2/persons/search?term=zed%20xylophone&exact_match=true")).toEqual(["Zed Xylophone"])
      expect(yield* ids("/api/v2/persons/search?term=xylophone&exact_match=true")).toEqual([])
      expect(yield* ids("/api/v2/persons/search?term=xylophone&organization_id=2")).toEqual(["Zed Xylophone"])
      expect(yield* ids("/api/v2/persons/search?term=xylophone&fields=notes")).toEqual([])
    }))

  it.effect("validates term, fields, limit, include_fields and cursor", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      for (const query of ["", "term=a", "term=ab&fields=bio", "term=ab&limit=501", "term=ab&include_fields=x", "term=ab&cursor=%24"]) {
        const reply = yield* call<ErrorBody>(sandbox, `/api/v2/persons/search?${query}`)
        expect(reply.status, query).toBe(400)
        expect(reply.body.code).toBe("ERR_SCHEMA_VALIDATION_FAILED")
      }
      const one = yield* call<SearchBody>(sandbox, "/api/v2/persons/search?term=a&exact_match=true")
      expect(one.status).toBe(200)
    }))

  it.effect("v2 pages by cursor and v1 by offset, over the same ranking", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const v2: Array<number> = []
      let cursor: string | null = null
      do {
        const path: string = `/api/v2/persons/search?term=example.org&fields=email&limit=150${cursor === null ? "" : `&cursor=${cursor}`}`
        const reply: { readonly body: SearchBody } = yield* call<SearchBody>(sandbox, path)
        v2.push(...reply.body.data.items.map((hit) => hit.item.id))
        cursor = reply.body.additional_data.next_cursor ?? null
      } while (cursor !== null)
      expect(v2.length).toBeGreaterThan(300)
      expect(new Set(v2).size).toBe(v2.length)

      const v1: Array<number> = []
      let start: number | undefined = 0
      while (start !== undefined) {
        const reply: { readonly body: SearchBody } = yield* call<SearchBody>(
          sandbox,
          `/api/v1/persons/search?term=example.org&fields=email&limit=200&start=${start}`
        )
        v1.push(...reply.body.data.items.map((hit) => hit.item.id))
        const pagination = reply.body.additional_data.pagination!
        expect(pagination.more_items_in_collection).toBe(pagination.next_start !== undefined)
        start = pagination.next_start
      }
      expect(v1).toEqual(v2)
    }))

  it.effect("find (deprecated v1) matches names, or emails with search_by_email", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const byName = yield* call<FindBody>(sandbox, "/api/v1/persons/find?term=zed%20xylo")
      expect(byName.body.data).toEqual([
        { id: expect.any(Number), name: "Zed Xylophone", email: "zed@xylo.example", phone: "+1 (555) 010-9999", org_id: 2, org_name: "Globex", owner_id: 900001, visible_to: "3" }
      ])
      expect(byName.body.additional_data.search_method).toBe("search_by_name")
      const byEmail = yield* call<FindBody>(sandbox, "/api/v1/persons/find?term=zed@xylo&search_by_email=1")
      expect(byEmail.body.data?.map((person) => person.name)).toEqual(["Zed Xylophone"])
      expect(byEmail.body.additional_data.search_method).toBe("search_by_email")
      const nameOnly = yield* call<FindBody>(sandbox, "/api/v1/persons/find?term=zed@xylo")
      expect(nameOnly.body.data).toBeNull()
    }))

  it.effect("a change to the store is seen by the next search", () =>
    Effect.gen(function*() {
      const sandbox = yield* PipedriveSandbox.PipedriveSandbox
      const before = yield* call<SearchBody>(sandbox, "/api/v2/persons/search?term=quetzalcoatl")
      expect(before.body.data.items).toEqual([])
      yield* sandbox.store.create({ name: "Quetzalcoatl Jones" })
      const after = yield* call<SearchBody>(sandbox, "/api/v2/persons/search?term=quetzalcoatl")
      expect(after.body.data.items.map((hit) => hit.item.name)).toEqual(["Quetzalcoatl Jones"])
    }))
})

describe("Search.rank", () => {
  it.effect("scores whole values over starts over words over anywhere, name over email", () =>
    Effect.gen(function*() {
      const store = yield* PersonStore.make()
      const whole = yield* store.create({ name: "Ferro" })
      const start = yield* store.create({ name: "Ferrous Wheel" })
      const word = yield* store.create({ name: "Anna Ferrovia" })
      const anywhere = yield* store.create({ name: "Lucifer Rossi", emails: [] })
      const email = yield* store.create({ name: "Someone Else", emails: [{ value: "ferro@example.com", primary: true, label: "work" }] })
      const hits = Search.rank(store, { term: "ferro", fields: Search.FIELDS, exact: false })
      expect(hits.map((hit) => hit.id)).toEqual([whole.id, start.id, word.id, email.id])
      expect(hits.map((hit) => hit.score)).toEqual([1, 0.85, 0.8, 0.765])
      expect(anywhere.id).toBeGreaterThan(0)
      const lucifer = Search.rank(store, { term: "cifer", fields: ["name"], exact: false })
      expect(lucifer).toEqual([{ id: anywhere.id, score: 0.6 }])
    }))

  it.effect("a ranker reuses a query's results until the store changes", () =>
    Effect.gen(function*() {
      const store = yield* PersonStore.make({ persons: 100 })
      const ranker = Search.makeRanker(store)
      const first = ranker.rank({ term: "example", fields: ["email"], exact: false })
      expect(ranker.rank({ term: "example", fields: ["email"], exact: false })).toBe(first)
      yield* store.delete(first[0]!.id)
      const after = ranker.rank({ term: "example", fields: ["email"], exact: false })
      expect(after).not.toBe(first)
      expect(after).toHaveLength(first.length - 1)
    }))
})
