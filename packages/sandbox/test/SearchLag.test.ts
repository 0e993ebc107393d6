/**
 * `searchLagMs`: search answers from the data as it was that long ago (on the Clock); lists and gets
 * stay current. Driven by TestClock.
 */
import { expect, it } from "@effect/vitest"
import { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Effect, Option, TestClock } from "effect"
import { call, type V2List, type V2Person } from "./support/Http.ts"

interface Hit {
  readonly item: { readonly id: number; readonly name: string; readonly emails: ReadonlyArray<string> }
}
interface SearchBody {
  readonly data: { readonly items: ReadonlyArray<Hit> }
}
interface FindBody {
  readonly data: ReadonlyArray<{ readonly id: number; readonly name: string }> | null
}

const LAG = 30_000

/** What each search route finds for a term: `[id, name]` pairs, by id. */
const found = (sandbox: PipedriveSandbox.Service, term: string) =>
  Effect.gen(function*() {
    const q = encodeURIComponent(term)
    const v2 = yield* call<SearchBody>(sandbox, `/api/v2/persons/search?term=${q}`)
    const v1 = yield* call<SearchBody>(sandbox, `/api/v1/persons/search?term=${q}`)
    const byEmail = term.includes("@")
    const find = yield* call<FindBody>(sandbox, `/api/v1/persons/find?term=${q}${byEmail ? "&search_by_email=1" : ""}`)
    for (const reply of [v2, v1, find]) expect(reply.status).toBe(200)
    const pairs = (items: ReadonlyArray<{ readonly id: number; readonly name: string }>) =>
      items.map((item) => [item.id, item.name] as const).sort((a, b) => a[0] - b[0])
    const results = pairs(v2.body.data.items.map((hit) => hit.item))
    expect(pairs(v1.body.data.items.map((hit) => hit.item)), `v1 search ${term}`).toEqual(results)
    expect(pairs(find.body.data ?? []), `v1 find ${term}`).toEqual(results)
    return results
  })

/** Lists and gets: current whatever search says. */
const listed = (sandbox: PipedriveSandbox.Service, ids: ReadonlyArray<number>) =>
  Effect.gen(function*() {
    const list = yield* call<V2List>(sandbox, `/api/v2/persons?ids=${ids.join(",")}`)
    const gets = yield* Effect.forEach([...ids].sort((a, b) => a - b), (id) => call<{ data: V2Person | null }>(sandbox, `/api/v2/persons/${id}`))
    expect(gets.map((reply) => reply.body.data?.name ?? null).filter((name) => name !== null)).toEqual(
      list.body.data.map((person) => person.name)
    )
    return list.body.data.map((person) => [person.id, person.name] as const)
  })

it.scoped("new, changed and deleted persons: search sees them as they were LAG ms ago; lists and gets now", () =>
  Effect.gen(function*() {
    const sandbox = yield* PipedriveSandbox.start({ persons: 50, seed: "lag", searchLagMs: LAG })
    const [changed, deleted] = [Option.getOrThrow(yield* sandbox.store.get(3)), Option.getOrThrow(yield* sandbox.store.get(4))]
    const [changedEmail, deletedEmail] = [changed.emails[0]!.value, deleted.emails[0]!.value]
    const [changedName, deletedName] = [changed.name, deleted.name]

    const created = yield* call<{ data: V2Person }>(sandbox, "/api/v2/persons", {
      method: "POST",
      body: { name: "Quentin Lagwell" }
    })
    const newId = created.body.data.id
    expect((yield* call(sandbox, "/api/v2/persons/3", { method: "PATCH", body: { name: "Renamed Zebulon" } })).status).toBe(200)
    expect((yield* call(sandbox, "/api/v2/persons/4", { method: "DELETE" })).status).toBe(200)

    // Search lags: the new person is missing, the changed one has its old name, the deleted one is still there.
    expect(yield* found(sandbox, "lagwell")).toEqual([])
    expect(yield* found(sandbox, "zebulon")).toEqual([])
    expect(yield* found(sandbox, changedEmail)).toContainEqual([3, changedName])
    expect(yield* found(sandbox, deletedEmail)).toContainEqual([4, deletedName])
    // Lists and gets read the database.
    expect(yield* listed(sandbox, [newId, 3, 4])).toEqual([[3, "Renamed Zebulon"], [newId, "Quentin Lagwell"]])

    // Still inside the window a millisecond before it ends; the cached results must not outlive it.
    yield* TestClock.adjust(LAG - 1)
    expect(yield* found(sandbox, "lagwell")).toEqual([])
    expect(yield* found(sandbox, "zebulon")).toEqual([])
    yield* TestClock.adjust(1)
    expect(yield* found(sandbox, "lagwell")).toEqual([[newId, "Quentin Lagwell"]])
    expect(yield* found(sandbox, "zebulon")).toEqual([[3, "Renamed Zebulon"]])
    expect(yield* found(sandbox, changedEmail)).toContainEqual([3, "Renamed Zebulon"])
    expect((yield* found(sandbox, deletedEmail)).map(([id]) => id)).not.toContain(4)
    expect(yield* listed(sandbox, [newId, 3, 4])).toEqual([[3, "Renamed Zebulon"], [newId, "Quentin Lagwell"]])
  }))

it.scoped("an id changed twice is seen as before its earliest change in the window, and catches up step by step", () =>
  Effect.gen(function*() {
    const sandbox = yield* PipedriveSandbox.start({ persons: 20, seed: "lag", searchLagMs: LAG })
    const original = Option.getOrThrow(yield* sandbox.store.get(5)).name
    yield* sandbox.store.update(5, { name: "Alpha Lagcheck" })
    yield* TestClock.adjust(10_000)
    yield* sandbox.store.update(5, { name: "Beta Lagcheck" })
    const created = yield* sandbox.store.create({ name: "Gamma Lagcheck" })
    yield* TestClock.adjust(10_000)
    yield* sandbox.store.update(created.id, { name: "Delta Lagcheck" })
    yield* sandbox.store.delete(created.id)

    expect(yield* found(sandbox, "lagcheck")).toEqual([])
    expect((yield* found(sandbox, original)).map(([id]) => id)).toContain(5)
    yield* TestClock.adjust(10_000) // t = 30 s: the first rename is old enough
    expect(yield* found(sandbox, "lagcheck")).toEqual([[5, "Alpha Lagcheck"]])
    yield* TestClock.adjust(10_000) // t = 40 s: the second rename and the create
    expect(yield* found(sandbox, "lagcheck")).toEqual([[5, "Beta Lagcheck"], [created.id, "Gamma Lagcheck"]])
    yield* TestClock.adjust(10_000) // t = 50 s: the last rename and the delete
    expect(yield* found(sandbox, "lagcheck")).toEqual([[5, "Beta Lagcheck"]])
    expect(yield* listed(sandbox, [5, created.id])).toEqual([[5, "Beta Lagcheck"]])
  }))

it.scoped("without a lag, search is current", () =>
  Effect.gen(function*() {
    const sandbox = yield* PipedriveSandbox.start({ persons: 20, seed: "lag" })
    yield* sandbox.store.create({ name: "Quentin Lagwell" })
    expect(yield* found(sandbox, "lagwell")).toEqual([[21, "Quentin Lagwell"]])
    const exit = yield* Effect.exit(PipedriveSandbox.start({ searchLagMs: -5 }))
    expect(String(exit)).toContain("PipedriveSandbox: searchLagMs must be a non-negative integer, got -5")
  }))
