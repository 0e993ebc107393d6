/**
 * Raw HTTP against a sandbox with `fetch`: the tests assert on what goes over the wire, with no
 * client in between that could smooth a difference over.
 */
import type { PipedriveSandbox } from "@pipedrive-effect/sandbox"
import { Effect } from "effect"

/** A response: its status, its parsed JSON body (typed by the caller), and its headers. */
export interface Reply<A> {
  readonly status: number
  readonly body: A
  readonly headers: Headers
}

/** How to call: a JSON body (or a raw string), and the token (`null` sends none). */
export interface Call {
  readonly method?: string
  readonly body?: unknown
  readonly raw?: string
  readonly token?: string | null
  readonly headers?: Record<string, string>
}

/** Calls `path` (e.g. `/api/v2/persons?limit=5`) on the sandbox. */
export const call = <A = unknown>(
  sandbox: PipedriveSandbox.Service,
  path: string,
  options: Call = {}
): Effect.Effect<Reply<A>> =>
  Effect.promise(async () => {
    const token = options.token === undefined ? sandbox.token : options.token
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
    const response = await fetch(`${sandbox.url}${path}`, {
      method: options.method ?? "GET",
      headers: {
        ...(token === null ? {} : { "x-api-token": token }),
        ...(body === undefined ? {} : { "content-type": "application/json" }),
        ...options.headers
      },
      ...(body === undefined ? {} : { body })
    })
    const text = await response.text()
    return { status: response.status, body: JSON.parse(text) as A, headers: response.headers }
  })

/** Pipedrive's error body. */
export interface ErrorBody {
  readonly success: false
  readonly error: string
  readonly error_info: string
  readonly code?: string
  readonly errorCode?: number
  readonly data: null
  readonly additional_data: null
}

/** An API v2 person, as far as the tests look into it. */
export interface V2Person {
  readonly id: number
  readonly name: string
  readonly owner_id: number
  readonly org_id: number | null
  readonly add_time: string
  readonly update_time: string
  readonly emails: ReadonlyArray<{ readonly value: string; readonly primary: boolean; readonly label: string }>
  readonly custom_fields: Readonly<Record<string, unknown>>
  readonly [key: string]: unknown
}

/** `GET /api/v2/persons`. */
export interface V2List {
  readonly success: true
  readonly data: ReadonlyArray<V2Person>
  readonly additional_data: { readonly next_cursor: string | null }
}

/** An API v1 person, as far as the tests look into it. */
export interface V1Person {
  readonly id: number
  readonly name: string
  readonly owner_id: { readonly id: number; readonly value: number; readonly name: string }
  readonly org_id: { readonly value: number; readonly name: string } | null
  readonly [key: string]: unknown
}

/** `GET /api/v1/persons`. */
export interface V1List {
  readonly success: true
  readonly data: ReadonlyArray<V1Person> | null
  readonly additional_data: {
    readonly pagination: {
      readonly start: number
      readonly limit: number
      readonly more_items_in_collection: boolean
      readonly next_start?: number
    }
  }
  readonly related_objects?: {
    readonly user: Readonly<Record<string, { readonly id: number }>>
    readonly organization?: Readonly<Record<string, { readonly id: number }>>
  }
}

/** Follows `next_cursor` to the end; returns every page. */
export const walkV2 = (sandbox: PipedriveSandbox.Service, query: string) =>
  Effect.gen(function*() {
    const pages: Array<V2List> = []
    let cursor: string | null = null
    do {
      const separator = query === "" ? "" : "&"
      const path: string = `/api/v2/persons?${query}${cursor === null ? "" : `${separator}cursor=${encodeURIComponent(cursor)}`}`
      const reply: Reply<V2List> = yield* call<V2List>(sandbox, path)
      if (reply.status !== 200) throw new Error(`${path}: ${reply.status} ${JSON.stringify(reply.body)}`)
      pages.push(reply.body)
      cursor = reply.body.additional_data.next_cursor
    } while (cursor !== null)
    return pages
  })
