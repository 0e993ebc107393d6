/**
 * List pages computed before they are asked for.
 *
 * A client walking a list asks for the next page as soon as it has parsed the current one, and a
 * 500-person page takes about as long to parse as to build. Building the next page while the client
 * parses the current one makes a full walk cost about the larger of the two instead of their sum.
 * A page built ahead is served only if the store has not changed since, so what the client gets is
 * exactly what it would have got without this.
 */
import { clearImmediate, setImmediate } from "node:timers"
import { Effect, FiberSet, type Scope } from "effect"

/** A page's response body, and what to do when it is served (build the page after it). */
export interface Page {
  readonly body: string
  readonly onServe: Effect.Effect<void>
}

/** Pages built ahead, keyed by the request that will ask for them. */
export interface Prefetch {
  /** The page built ahead for `key`, if there is one and the store is still at `version`. */
  readonly take: (key: string, version: number) => Page | undefined
  /**
   * Builds the page for `key` once the current response is on its way, unless the store changed
   * meanwhile (`currentVersion() !== version`).
   */
  readonly ahead: (key: string, version: number, build: () => Page) => Effect.Effect<void>
}

/** How many pages are kept at most: one per walk in progress is enough. */
const CAPACITY = 8

/** A prefetcher whose pending work ends with the scope; `currentVersion` reads the store's version. */
export const make = (currentVersion: () => number): Effect.Effect<Prefetch, never, Scope.Scope> =>
  Effect.map(FiberSet.make(), (fibers) => {
    const pages = new Map<string, { readonly version: number; readonly page: Page }>()

    const take = (key: string, version: number) => {
      const entry = pages.get(key)
      if (entry === undefined) return undefined
      pages.delete(key)
      return entry.version === version ? entry.page : undefined
    }

    const ahead = (key: string, version: number, build: () => Page) =>
      FiberSet.run(
        fibers,
        Effect.flatMap(nextTick, () =>
          Effect.sync(() => {
            if (currentVersion() !== version || pages.has(key)) return
            const page = build()
            if (currentVersion() !== version) return
            pages.set(key, { version, page })
            if (pages.size > CAPACITY) pages.delete(pages.keys().next().value!)
          }))
      ).pipe(Effect.asVoid)

    return { take, ahead }
  })

/** Resumes after pending I/O callbacks, so the response that scheduled the work is written first. */
const nextTick = Effect.async<void>((resume) => {
  const handle = setImmediate(() => resume(Effect.void))
  return Effect.sync(() => clearImmediate(handle))
})

/** The cache key of a request: its path and its query in a fixed order, without the token. */
export const keyOf = (path: string, params: URLSearchParams): string => {
  const entries = [...params].filter(([name]) => name !== "api_token").sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
  return `${path}?${new URLSearchParams(entries).toString()}`
}
