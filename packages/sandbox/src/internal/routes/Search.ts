/**
 * Person search: `GET /api/v2/persons/search` (cursor), `GET /api/v1/persons/search` (offset) and the
 * deprecated `GET /api/v1/persons/find`, shaped after the specs' `searchPersons` and the seeds' method
 * list. They read a `SearchIndex`: the store itself, or the store as it was `searchLagMs` ago.
 *
 * Matching is case-insensitive over the name, the emails, the phones (also digits only, so
 * `5551234` finds `+1 555 1234`) and the text and number custom fields (the types Pipedrive
 * searches). A whole-value match scores highest, then a match at the value's start, then at the
 * start of a word, then anywhere, each weighted by the field (name highest); `exact_match` keeps only whole-value matches. Results are best first, then by id.
 *
 * How it scales: a query's first page scans every person once (0.2–0.3 s per 100,000 on a 2-core
 * box) and keeps the ranked ids and scores, not the persons; later pages of the same query only
 * slice that list and compute the page's persons. The 16 most recent queries are kept until what
 * search sees changes (`SearchIndex.refresh`: a change of the store, or, with a search lag, time
 * passing). This is a result cache built lazily per query, not a scan that stops at `limit`: ranking by score
 * needs every match before the first page can be known.
 */
import { HttpRouter, HttpServerRequest } from "@effect/platform"
import { Effect } from "effect"
import { ValidationFailed } from "../http/ApiError.ts"
import { success } from "../http/Envelope.ts"
import type { Person } from "../store/Person.ts"
import type { Service as Store } from "../../PersonStore.ts"
import { PersonStore } from "../../PersonStore.ts"
import * as QueryParams from "../http/QueryParams.ts"
import { decodeCursor, encodeCursor, offsets, pagination } from "../http/SearchPaging.ts"
import * as SearchIndex from "../store/SearchIndex.ts"

/** The fields a search can look in. */
export const FIELDS = ["custom_fields", "email", "notes", "phone", "name"] as const
export type Field = (typeof FIELDS)[number]

/** A parsed search. */
export interface Query {
  readonly term: string
  readonly fields: ReadonlyArray<Field>
  readonly exact: boolean
  readonly orgId?: number | undefined
}

/** A ranked match: the person's id and its score in (0, 1]. */
export interface Hit {
  readonly id: number
  readonly score: number
}

const WEIGHT: Readonly<Record<Field, number>> = { name: 1, email: 0.9, phone: 0.85, custom_fields: 0.7, notes: 0.6 }

/** How well one value matches: 1 whole value, 0.85 its start, 0.8 a word's start, 0.6 anywhere, 0 not at all. */
const matchValue = (value: string, term: string, exact: boolean): number => {
  const text = value.toLowerCase()
  if (text === term) return 1
  if (exact) return 0
  const at = text.indexOf(term)
  if (at === -1) return 0
  return at === 0 ? 0.85 : /[\s.@_\-+]/.test(text.charAt(at - 1)) ? 0.8 : 0.6
}

const digitsOf = (text: string) => text.replace(/\D/g, "")

/** The keys of the custom fields search looks in: text and numbers, the types Pipedrive searches. */
const searchableKeys = (store: Store): ReadonlyArray<string> =>
  store.seed.customFields
    .filter((field) => field.field_type === "varchar" || field.field_type === "double")
    .map((field) => field.key)

/** The searchable custom field values of a person, as text. */
const customTexts = (keys: ReadonlyArray<string>, person: Person): ReadonlyArray<string> => {
  const texts: Array<string> = []
  for (const key of keys) {
    const value = person.customFields[key]
    if (value !== null && value !== undefined) texts.push(String(value))
  }
  return texts
}

/**
 * The scoring function of a query: a person's score, 0 when it does not match. What depends only on
 * the query (the term's digits, the searchable fields) is worked out once, not per person.
 */
export const scorer = (store: Store, query: Query): (person: Person) => number => {
  const term = query.term
  const termDigits = digitsOf(term)
  // A term that is a phone number (digits and separators only) also matches phones digit for digit.
  const phoneDigits = termDigits.length >= 2 && termDigits.length === term.replace(/[\s()+\-.]/g, "").length
    ? termDigits
    : undefined
  const keys = searchableKeys(store)
  const fields = query.fields
  return (person) => {
    let best = 0
    const consider = (field: Field, value: string) => {
      let match = matchValue(value, term, query.exact)
      if (phoneDigits !== undefined && field === "phone") {
        match = Math.max(match, matchValue(digitsOf(value), phoneDigits, query.exact))
      }
      if (match > 0) best = Math.max(best, match * WEIGHT[field])
    }
    for (const field of fields) {
      switch (field) {
        case "name":
          consider(field, person.name)
          break
        case "email":
          for (const entry of person.emails) consider(field, entry.value)
          break
        case "phone":
          for (const entry of person.phones) consider(field, entry.value)
          break
        case "custom_fields":
          for (const text of customTexts(keys, person)) consider(field, text)
          break
        case "notes":
          // The sandbox's persons have no notes.
          break
      }
    }
    return Math.round(best * 10_000) / 10_000
  }
}

/** The custom field values of a person that match the query (what search items list). */
export const matchingCustomFields = (store: Store, person: Person, query: Query): ReadonlyArray<string> =>
  query.fields.includes("custom_fields")
    ? customTexts(searchableKeys(store), person).filter((text) => matchValue(text, query.term, query.exact) > 0)
    : []

/**
 * Every match of a query among the persons `index` sees (default: the store as it is), best first,
 * then by id. A full scan: see the module comment.
 */
export const rank = (
  store: Store,
  query: Query,
  index: SearchIndex.SearchIndex = SearchIndex.current(store)
): ReadonlyArray<Hit> => {
  const hits: Array<Hit> = []
  const score = scorer(store, query)
  for (const person of index.persons(query.orgId)) {
    const value = score(person)
    if (value > 0) hits.push({ id: person.id, score: value })
  }
  return hits.sort((a, b) => b.score - a.score || a.id - b.id)
}

/** Ranked results per query, kept while what the index sees is unchanged. */
export interface Ranker {
  readonly rank: (query: Query) => ReadonlyArray<Hit>
}

/**
 * A ranker over a store's index (default: the store as it is) that remembers the last `size`
 * queries' results, each for the view it was ranked in: a view that moved on (a change, or a lag
 * window that slid past one) ranks again.
 */
export const makeRanker = (store: Store, size = 16, index: SearchIndex.SearchIndex = SearchIndex.current(store)): Ranker => {
  const cache = new Map<string, { readonly version: string; readonly hits: ReadonlyArray<Hit> }>()
  return {
    rank: (query) => {
      const key = JSON.stringify([query.term, query.fields, query.exact, query.orgId ?? null])
      const version = index.refresh()
      const cached = cache.get(key)
      if (cached !== undefined && cached.version === version) {
        cache.delete(key)
        cache.set(key, cached)
        return cached.hits
      }
      const hits = rank(store, query, index)
      cache.delete(key)
      cache.set(key, { version, hits })
      if (cache.size > size) cache.delete(cache.keys().next().value!)
      return hits
    }
  }
}

/** The persons of a slice of hits as the index sees them, skipping any gone since (only possible between views). */
const personsOf = (index: SearchIndex.SearchIndex, hits: ReadonlyArray<Hit>) =>
  Effect.sync(() =>
    hits.flatMap((hit) => {
      const person = index.get(hit.id)
      return person === undefined ? [] : [{ hit, person }]
    })
  )

/** Reads `term`, `fields`, `exact_match` and the organization filter (named `organization_id` or `org_id`). */
const parseQuery = (params: URLSearchParams, options: { readonly orgParam: string; readonly fields?: ReadonlyArray<Field> }) =>
  Effect.gen(function*() {
    const term = (params.get("term") ?? "").trim()
    const exact = (yield* QueryParams.boolean(params, "exact_match")) ?? false
    if (term === "") return yield* new ValidationFailed({ field: "term", reason: "is required" })
    const min = exact ? 1 : 2
    if (term.length < min) {
      return yield* new ValidationFailed({
        field: "term",
        reason: `must be at least ${min} characters${exact ? "" : " (or 1 with exact_match)"}`
      })
    }
    let fields: ReadonlyArray<Field> = options.fields ?? FIELDS
    if (options.fields === undefined) {
      const listed = yield* QueryParams.list(params, "fields", FIELDS.length)
      const unknown = listed?.find((field) => !FIELDS.some((known) => known === field))
      if (unknown !== undefined) {
        return yield* new ValidationFailed({ field: "fields", reason: `${JSON.stringify(unknown)} is not one of ${FIELDS.join(", ")}` })
      }
      if (listed !== undefined) fields = FIELDS.filter((field) => listed.includes(field))
    }
    const orgId = yield* QueryParams.integer(params, options.orgParam, { min: 1 })
    const query: Query = { term: term.toLowerCase(), fields, exact, orgId }
    return query
  })

/** `include_fields`: only `person.picture` exists. */
const parseIncludePicture = (params: URLSearchParams) =>
  Effect.flatMap(QueryParams.list(params, "include_fields", 1), (listed) =>
    listed !== undefined && listed.some((field) => field !== "person.picture")
      ? Effect.fail(new ValidationFailed({ field: "include_fields", reason: "must be person.picture" }))
      : Effect.succeed(listed !== undefined))

/** A search result as both APIs send it. */
export const renderHit = (store: Store, person: Person, hit: Hit, query: Query, picture: boolean) => {
  const org = person.orgId === null ? undefined : store.seed.organization(person.orgId)
  return {
    result_score: hit.score,
    item: {
      id: person.id,
      type: "person",
      name: person.name,
      phones: person.phones.map((entry) => entry.value),
      emails: person.emails.map((entry) => entry.value),
      visible_to: person.visibleTo,
      owner: { id: person.ownerId },
      organization: org === undefined ? null : { id: org.id, name: org.name, address: org.address },
      custom_fields: matchingCustomFields(store, person, query),
      notes: [],
      ...(picture ? { picture: null } : {})
    }
  }
}

const params = Effect.map(HttpServerRequest.HttpServerRequest, (request) => QueryParams.fromUrl(request.url))

/** How search behaves. */
export interface Options {
  /** How far behind the store search is, in ms (`SearchIndex.ts`). Default 0: current. */
  readonly lagMillis?: number | undefined
}

/** The routes of search; each server builds its own (the ranked results and the index are per server). */
export const router = (options: Options = {}) => Effect.gen(function*() {
  const store = yield* PersonStore
  // The Clock of the server's fiber (a TestClock under @effect/vitest), read when changes happen.
  const index = SearchIndex.make(store, { lagMillis: options.lagMillis ?? 0, clock: yield* Effect.clock })
  const ranker = makeRanker(store, 16, index)

  const v2 = Effect.gen(function*() {
    const query = yield* parseQuery(yield* params, { orgParam: "organization_id" })
    const picture = yield* parseIncludePicture(yield* params)
    const limit = (yield* QueryParams.integer(yield* params, "limit", { min: 1, max: 500 })) ?? 100
    const cursor = (yield* params).get("cursor")
    const start = cursor === null || cursor === "" ? 0 : yield* decodeCursor(cursor)
    const hits = ranker.rank(query)
    const page = yield* personsOf(index, hits.slice(start, start + limit))
    return success(
      { items: page.map(({ hit, person }) => renderHit(store, person, hit, query, picture)) },
      { additional_data: { next_cursor: start + limit < hits.length ? encodeCursor(start + limit) : null } }
    )
  })

  const v1 = Effect.gen(function*() {
    const query = yield* parseQuery(yield* params, { orgParam: "organization_id" })
    const picture = yield* parseIncludePicture(yield* params)
    const { limit, start } = yield* offsets(yield* params)
    const hits = ranker.rank(query)
    const page = yield* personsOf(index, hits.slice(start, start + limit))
    return success(
      { items: page.map(({ hit, person }) => renderHit(store, person, hit, query, picture)) },
      { additional_data: { pagination: pagination(start, limit, hits.length) } }
    )
  })

  const find = Effect.gen(function*() {
    const byEmail = (yield* QueryParams.boolean(yield* params, "search_by_email")) ?? false
    const query = yield* parseQuery(yield* params, { orgParam: "org_id", fields: [byEmail ? "email" : "name"] })
    const { limit, start } = yield* offsets(yield* params)
    const hits = ranker.rank(query)
    const page = yield* personsOf(index, hits.slice(start, start + limit))
    const data = page.map(({ person }) => {
      const org = person.orgId === null ? undefined : store.seed.organization(person.orgId)
      return {
        id: person.id,
        name: person.name,
        email: (person.emails.find((entry) => entry.primary) ?? person.emails[0])?.value ?? "",
        phone: (person.phones.find((entry) => entry.primary) ?? person.phones[0])?.value ?? "",
        org_id: person.orgId,
        org_name: org?.name ?? null,
        owner_id: person.ownerId,
        visible_to: String(person.visibleTo)
      }
    })
    return success(data.length === 0 ? null : data, {
      additional_data: {
        search_method: byEmail ? "search_by_email" : "search_by_name",
        pagination: pagination(start, limit, hits.length)
      }
    })
  })

  return HttpRouter.empty.pipe(
    HttpRouter.get("/api/v2/persons/search", v2),
    HttpRouter.get("/api/v1/persons/search", v1),
    HttpRouter.get("/api/v1/persons/find", find)
  )
})
