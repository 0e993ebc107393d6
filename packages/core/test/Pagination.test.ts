/**
 * Pagination's streams of pages over a scripted `fetch`: every page in order, one page requested
 * ahead of the consumer and no more (each page held costs memory and garbage collection), the
 * request ahead stopped when the stream ends early, and its failure surfacing when that page is
 * pulled.
 */
import { describe, expect, it } from "@effect/vitest"
import { Pagination } from "@pipedrive-effect/core"
import { Chunk, Effect, Option, Stream } from "effect"

/** Three cursor pages of two items each; `asked` records every cursor requested. */
const scripted = () => {
  const asked: Array<string | undefined> = []
  const pages = new Map<string | undefined, Pagination.CursorPage<number>>([
    [undefined, { items: [1, 2], cursor: undefined, nextCursor: "b" }],
    ["b", { items: [3, 4], cursor: "b", nextCursor: "c" }],
    ["c", { items: [5, 6], cursor: "c", nextCursor: undefined }]
  ])
  const fetch = (cursor: string | undefined) =>
    Effect.suspend(() => {
      asked.push(cursor)
      const page = pages.get(cursor)
      return page === undefined ? Effect.die(`no page ${cursor}`) : Effect.succeed(page)
    })
  return { asked, fetch }
}

describe("Pagination", () => {
  it.effect("cursor pages: every page in order", () =>
    Effect.gen(function*() {
      const { fetch } = scripted()
      const items = yield* Stream.runCollect(Pagination.items(Pagination.cursorPages(fetch)))
      expect(Chunk.toReadonlyArray(items)).toEqual([1, 2, 3, 4, 5, 6])
    }))

  it.scoped("requests one page ahead of the consumer, and no more", () =>
    Effect.gen(function*() {
      const { asked, fetch } = scripted()
      const pull = yield* Stream.toPull(Pagination.cursorPages(fetch))
      const first = yield* pull
      expect(Chunk.toReadonlyArray(first).map((page) => page.cursor)).toEqual([undefined])
      // The consumer holds the first page; whatever runs meanwhile, only the second is requested.
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
      expect(asked).toEqual([undefined, "b"])
      yield* pull
      for (let i = 0; i < 20; i++) yield* Effect.yieldNow()
      expect(asked).toEqual([undefined, "b", "c"])
    }))

  it.effect("a stream ended early stops the request ahead", () =>
    Effect.gen(function*() {
      let stopped = false
      const fetch = (cursor: string | undefined) =>
        cursor === undefined
          ? Effect.succeed<Pagination.CursorPage<number>>({ items: [1], cursor, nextCursor: "b" })
          : Effect.never.pipe(Effect.onInterrupt(() => Effect.sync(() => (stopped = true))))
      const first = yield* Stream.runHead(Pagination.cursorPages(fetch))
      expect(Option.map(first, (page) => page.items)).toEqual(Option.some([1]))
      expect(stopped).toBe(true)
    }))

  it.effect("the failure of the page ahead surfaces when that page is pulled", () =>
    Effect.gen(function*() {
      const fetch = (start: number) =>
        start === 0
          ? Effect.succeed<Pagination.OffsetPage<number>>({ items: [1, 2], start, nextStart: 2 })
          : Effect.fail("page 2 failed" as const)
      const seen: Array<number> = []
      const error = yield* Pagination.offsetPages(fetch).pipe(
        Stream.runForEach((page) => Effect.sync(() => seen.push(...page.items))),
        Effect.flip
      )
      expect(seen).toEqual([1, 2])
      expect(error).toBe("page 2 failed")
    }))
})
