/**
 * The three ways of talking to Pipedrive that the comparisons set side by side, each set up the way
 * its users would: this library (`Persons` through the default `PipedriveClient` on
 * `HttpTransport`, rate limiter included, full Schema decoding), the official `pipedrive` client
 * (v2 `PersonsApi`), and raw
 * `fetch` + `JSON.parse` with no validation at all (the floor: no client can do less).
 *
 * Each contender's modules are imported only when it is chosen, so a child process's peak RSS holds
 * its own client's code and nothing of the others'.
 */
import { token } from "./processes.ts"

/** The contenders, by the name the results use. */
export type Contender = "pipedrive-effect" | "official" | "raw-fetch"

/** Every contender, in the order of the first round. */
export const contenders: ReadonlyArray<Contender> = ["pipedrive-effect", "official", "raw-fetch"]

/** Parses a contender name from the command line. */
export const contenderOf = (name: string | undefined): Contender => {
  const found = contenders.find((c) => c === name)
  if (found === undefined) throw new Error(`unknown contender ${name}; known: ${contenders.join(", ")}`)
  return found
}

/** What each contender offers a benchmark: list everything, and get one person. */
export interface Client {
  /** Walks every page of `/api/v2/persons` (limit 500); resolves with the number of persons. */
  readonly listAll: () => Promise<number>
  /** Gets one person by id; resolves with its id (so nothing is optimised away). */
  readonly get: (id: number) => Promise<number>
  readonly dispose: () => Promise<void>
}

const library = async (origin: string): Promise<Client> => {
  // What a program on Node imports: core (whose entry there gives the node:http HttpTransport) and
  // the effect package.
  const { HttpTransport, Persons, PipedriveClient } = await import("@pipedrive-effect/core")
  const { Effect, Layer, ManagedRuntime, Redacted, Stream } = await import("effect")
  // One runtime, built once: the client (and its rate limiter) lives as long as the process, as it
  // does in an application.
  const runtime = ManagedRuntime.make(
    PipedriveClient.layer({ apiToken: Redacted.make(token), baseUrl: origin }).pipe(Layer.provide(HttpTransport.layer))
  )
  return {
    listAll: () => runtime.runPromise(Stream.runCount(Persons.stream({ limit: 500 }))),
    get: (id) => runtime.runPromise(Effect.map(Persons.get(id), (person) => person.id)),
    dispose: () => runtime.dispose()
  }
}

const official = async (origin: string): Promise<Client> => {
  const { v2 } = await import("pipedrive")
  const api = new v2.PersonsApi(new v2.Configuration({ apiKey: token, basePath: `${origin}/api/v2` }))
  return {
    listAll: async () => {
      let count = 0
      let cursor: string | undefined
      do {
        const page = await api.getPersons({ limit: 500, ...(cursor === undefined ? {} : { cursor }) })
        count += page.data?.length ?? 0
        cursor = page.additional_data?.next_cursor ?? undefined
      } while (cursor !== undefined)
      return count
    },
    get: async (id) => {
      const answer = await api.getPerson({ id })
      return answer.data?.id ?? 0
    },
    dispose: async () => {}
  }
}

const rawFetch = async (origin: string): Promise<Client> => {
  const headers = { "x-api-token": token }
  return {
    listAll: async () => {
      let count = 0
      let cursor: string | null = null
      do {
        const query: string = cursor === null ? "limit=500" : `limit=500&cursor=${encodeURIComponent(cursor)}`
        const response = await fetch(`${origin}/api/v2/persons?${query}`, { headers })
        if (response.status !== 200) throw new Error(`${response.status}`)
        const body: { data: Array<unknown> | null; additional_data: { next_cursor: string | null } } = JSON.parse(
          await response.text()
        )
        count += body.data?.length ?? 0
        cursor = body.additional_data.next_cursor
      } while (cursor !== null)
      return count
    },
    get: async (id) => {
      const response = await fetch(`${origin}/api/v2/persons/${id}`, { headers })
      if (response.status !== 200) throw new Error(`${response.status}`)
      const body: { data: { id: number } } = JSON.parse(await response.text())
      return body.data.id
    },
    dispose: async () => {}
  }
}

/** The client of `contender` against `origin`. */
export const clientOf = (contender: Contender, origin: string): Promise<Client> =>
  contender === "pipedrive-effect" ? library(origin) : contender === "official" ? official(origin) : rawFetch(origin)
