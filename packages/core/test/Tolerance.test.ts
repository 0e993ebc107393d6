/**
 * Tolerant where auxiliary, strict where primary: a broken `related_objects` entry or
 * `additional_data` part is left out and reported (`skipped`, a warning in the request's span), and
 * the persons asked for still come back; a broken person or pagination field still fails with
 * `Decode`. The sandbox sends only well-formed bodies, hence the scripted server.
 */
import { FetchHttpClient } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import { PersonsV1, PipedriveClient, Retry } from "@pipedrive-effect/core"
import { Cause, Effect, Exit, Layer, Option, Redacted } from "effect"
import * as Capture from "./support/Capture.ts"
import * as ScriptedServer from "./support/ScriptedServer.ts"

const clientLayer = (baseUrl: string) =>
  PipedriveClient.layer({ apiToken: Redacted.make("t"), baseUrl }).pipe(Layer.provide([FetchHttpClient.layer, Retry.disabled]))

/** Runs `effect` against a server that answers every request with `body`. */
const against = <A, E>(body: unknown, effect: Effect.Effect<A, E, PipedriveClient.PipedriveClient>) =>
  Effect.gen(function*() {
    const server = yield* ScriptedServer.start((_, res) => ScriptedServer.reply(res, 200, JSON.stringify(body)))
    return yield* Effect.exit(Effect.provide(effect, clientLayer(server.url)))
  })

const success = <A, E>(exit: Exit.Exit<A, E>): A => {
  if (Exit.isFailure(exit)) throw new Error(`expected a success, got ${Cause.pretty(exit.cause)}`)
  return exit.value
}

const failure = <A, E>(exit: Exit.Exit<A, E>): E => {
  if (Exit.isSuccess(exit)) throw new Error("expected a failure")
  const error = Cause.failureOption(exit.cause)
  if (Option.isNone(error)) throw new Error(`expected a typed failure, got ${Cause.pretty(exit.cause)}`)
  return error.value
}

const persons = [
  { id: 1, name: "Ada Lovelace", owner_id: { id: 123, name: "Jane", value: 123 }, "0123456789abcdef0123456789abcdef01234567": "lead" },
  { id: 2, name: "Grace Hopper", org_id: 5 }
]
const jane = { id: 123, name: "Jane Doe", email: "jane@example.com", has_pic: 1, active_flag: true }
const org = { id: 5, name: "Org", people_count: 2, owner_id: 123 }
const pagination = { start: 0, limit: 2, more_items_in_collection: true, next_start: 2 }

describe("tolerant where auxiliary", () => {
  it.scoped("a v1 page with one broken related_objects entry yields the persons and reports the skip", () =>
    Effect.gen(function*() {
      const capture = yield* Capture.make
      const body = {
        success: true,
        data: persons,
        additional_data: { pagination },
        related_objects: {
          // The spec's placeholder key, an entry of the wrong shape, and a good one beside them.
          user: { "123": jane, USER_ID: { id: "USER_ID", name: 7 } },
          organization: { "5": { ...org, not_in_the_schema: { nested: true } } }
        }
      }
      const page = success(yield* capture.observe(against(body, PersonsV1.list({ limit: 2 }))))
      expect(page.items).toEqual(persons)
      expect(page.nextStart).toBe(2)
      expect(page.relatedObjects?.user).toEqual({ "123": jane })
      // An unknown key is kept as sent, never a failure.
      expect(page.relatedObjects?.organization).toEqual({ "5": { ...org, not_in_the_schema: { nested: true } } })
      expect(page.skipped).toEqual([{ path: "related_objects.user.USER_ID", reason: expect.stringMatching(/^id: Expected number/) }])

      const span = capture.spans.find((s) => s.name === "Pipedrive.getPersons")
      expect(span?.attributes.get("pipedrive.skipped")).toEqual(["related_objects.user.USER_ID"])
      const warnings = capture.logs.map((line) => JSON.parse(line) as { level: string; message: unknown }).filter((log) =>
        log.level === "WARN"
      )
      expect(warnings.map((log) => log.message)).toEqual([
        ["Pipedrive getPersons: left out 1 auxiliary part(s) of the response that did not decode"]
      ])
    }))

  it.scoped("a related kind that is not a map drops that kind alone", () =>
    Effect.gen(function*() {
      const body = { data: persons, related_objects: { user: "none", organization: { "5": org } } }
      const page = success(yield* against(body, PersonsV1.list()))
      expect(page.items).toEqual(persons)
      expect(page.relatedObjects).toEqual({ organization: { "5": org } })
      expect(page.skipped.map((s) => s.path)).toEqual(["related_objects.user"])
    }))

  it.scoped("a body that decodes reports nothing skipped", () =>
    Effect.gen(function*() {
      const page = success(yield* against({ data: persons, related_objects: { user: { "123": jane } } }, PersonsV1.list()))
      expect(page.skipped).toEqual([])
      expect(page.relatedObjects).toEqual({ user: { "123": jane } })
    }))

  it.scoped("v1 get: a broken additional_data part and related entry are left out, the person returned", () =>
    Effect.gen(function*() {
      const capture = yield* Capture.make
      const body = {
        data: persons[0],
        additional_data: { dropbox_email: 42 },
        related_objects: { picture: { PICTURE_ID: { id: 1, pictures: { 128: 128 } } } }
      }
      const person = success(yield* capture.observe(against(body, PersonsV1.get(1))))
      expect(person).toEqual(persons[0])
      const span = capture.spans.find((s) => s.name === "Pipedrive.getPerson")
      expect(span?.attributes.get("pipedrive.skipped")).toEqual([
        "additional_data.dropbox_email",
        "related_objects.picture.PICTURE_ID"
      ])
    }))

  it.scoped("v1 deals: a broken related person is left out of related_objects, the deals returned", () =>
    Effect.gen(function*() {
      const deals = [{ id: 9, title: "Deal", person_id: { value: 1, name: "Ada" } }]
      const body = {
        data: deals,
        related_objects: { person: { "1": { id: 1, email: "ada@example.com" } }, user: { "123": jane } }
      }
      const page = success(yield* against(body, PersonsV1.deals.list(1)))
      expect(page.items).toEqual(deals)
      expect(page.relatedObjects).toEqual({ person: {}, user: { "123": jane } })
      expect(page.skipped.map((s) => s.path)).toEqual(["related_objects.person.1"])
    }))
})

describe("strict where primary", () => {
  it.scoped("a person that does not decode fails the page with Decode, even beside a broken related entry", () =>
    Effect.gen(function*() {
      const body = { data: [persons[0], { id: "two" }], related_objects: { user: { USER_ID: { id: "x" } } } }
      const error = failure(yield* against(body, PersonsV1.list()))
      expect(error).toMatchObject({ _tag: "Decode", detail: expect.stringMatching(/data\.1\.id/) })
    }))

  it.scoped("a broken pagination field fails with Decode rather than end the stream early", () =>
    Effect.gen(function*() {
      const body = { data: persons, additional_data: { pagination: { ...pagination, more_items_in_collection: "yes" } } }
      const error = failure(yield* against(body, PersonsV1.list()))
      expect(error).toMatchObject({ _tag: "Decode", detail: expect.stringMatching(/more_items_in_collection/) })
    }))
})
