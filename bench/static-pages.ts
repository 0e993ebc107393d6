/**
 * Pre-rendered Pipedrive answers served from memory, so a benchmark measures the client and not the
 * server: the bytes of every page of a cursor-paginated list, rendered once from the sandbox by
 * walking it with raw `fetch`, replayed keyed by the `cursor` query parameter (every other parameter
 * is ignored); and one fixed body for `GET /api/v2/persons/{id}`. Nothing is parsed or built per
 * request: a lookup and a write.
 */
import { createServer, type Server } from "node:http"
import type { AddressInfo } from "node:net"
import { fetchText } from "./processes.ts"

/** One list's pages by the cursor that asks for them (`""`: the first page). */
export type Pages = ReadonlyMap<string, Buffer>

/** What the server replays. */
export interface Site {
  /** Lists by path, e.g. `/api/v2/persons`. */
  readonly lists: ReadonlyMap<string, Pages>
  /** The body of any `GET /api/v2/persons/{id}`, when rendered. */
  readonly person?: Buffer | undefined
}

/** Walks every page of the cursor list at `origin + path` (limit `limit`) and keeps their bytes. */
export const renderList = async (origin: string, path: string, limit: number): Promise<{ pages: Pages; items: number; bytes: number }> => {
  const pages = new Map<string, Buffer>()
  let cursor: string | null = null
  let items = 0
  let bytes = 0
  do {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor === null ? {} : { cursor }) })
    const text = await fetchText(`${origin}${path}?${query}`)
    const body: { data: ReadonlyArray<unknown> | null; additional_data?: { next_cursor?: string | null } } = JSON.parse(text)
    const buffer = Buffer.from(text)
    pages.set(cursor ?? "", buffer)
    items += body.data?.length ?? 0
    bytes += buffer.length
    cursor = body.additional_data?.next_cursor ?? null
  } while (cursor !== null)
  return { pages, items, bytes }
}

/** The body of `GET /api/v2/persons/{id}` for one person, to replay for every id. */
export const renderPerson = async (origin: string, id: number): Promise<Buffer> =>
  Buffer.from(await fetchText(`${origin}/api/v2/persons/${id}`))

const notFound = Buffer.from(JSON.stringify({ success: false, error: "not rendered", error_info: "", data: null }))
const PERSON = /^\/api\/v2\/persons\/\d+$/

/**
 * Serves `site` on 127.0.0.1 (port 0: any free one) and calls `onRequest` as each request arrives
 * (before it is answered), for benchmarks that time the first request.
 */
export const serve = (site: Site, onRequest?: (path: string) => void): Promise<{ server: Server; url: string }> =>
  new Promise((resolve) => {
    const server = createServer((request, response) => {
      const raw = request.url ?? "/"
      const mark = raw.indexOf("?")
      const path = mark === -1 ? raw : raw.slice(0, mark)
      onRequest?.(path)
      let body: Buffer | undefined
      if (PERSON.test(path)) body = site.person
      else {
        const pages = site.lists.get(path)
        body = pages?.get(mark === -1 ? "" : new URLSearchParams(raw.slice(mark + 1)).get("cursor") ?? "")
      }
      response.writeHead(body === undefined ? 404 : 200, {
        "content-type": "application/json; charset=utf-8",
        "content-length": (body ?? notFound).length
      })
      response.end(body ?? notFound)
    })
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as AddressInfo
      resolve({ server, url: `http://127.0.0.1:${port}` })
    })
  })
