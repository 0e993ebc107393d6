/**
 * One call for each operation of Pipedrive's `PersonsApi` (the official JS and PHP clients),
 * by its seed name, against the sandbox (or an account: set the PIPEDRIVE_* variables).
 * core's README shows the same calls; this file type-checks them and runs them.
 *
 *   npx pipedrive-sandbox --port 8080 --persons 50
 *   PIPEDRIVE_BASE_URL=http://127.0.0.1:8080 PIPEDRIVE_API_TOKEN=sandbox-token npx deno run -A examples/seed-operations.ts
 *   PIPEDRIVE_BASE_URL=http://127.0.0.1:8080 PIPEDRIVE_API_TOKEN=sandbox-token node examples/dist/seed-operations.js
 */
import { NodeContext } from "@effect/platform-node"
import { HttpTransport, Persons, PersonsV1, PipedriveClient } from "@pipedrive-effect/core"
import { Console, Effect, Layer, Stream } from "effect"

const png = Uint8Array.from(
  atob("iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNk+M9QDwADhgGAWjR9awAAAABJRU5ErkJggg=="),
  (c) => c.charCodeAt(0)
)

const program = Effect.gen(function*() {
  // addPerson
  const ada = yield* PersonsV1.create({ name: "Ada Lovelace", email: ["ada@example.com"] })
  const ann = yield* PersonsV1.create({ name: "Ada L.", email: ["ada.l@example.com"] })
  // getPerson
  yield* PersonsV1.get(ada.id)
  // updatePerson
  yield* PersonsV1.update(ada.id, { name: "Ada King" })
  // getPersons (every page, pulled on demand)
  const everyone = yield* PersonsV1.stream({ limit: 500 }).pipe(Stream.runCount)
  // searchPersons
  yield* PersonsV1.search({ term: "Ada", fields: ["name"] })
  // findPersonByName (deprecated by Pipedrive: prefer Persons.search)
  yield* PersonsV1.findByName({ term: "Ada" })
  // getPersonActivities, getPersonDeals, getPersonFiles, getPersonMailMessages, getPersonProducts
  yield* PersonsV1.activities.list(1, { done: false })
  yield* PersonsV1.deals.list(1, { status: "open" })
  yield* PersonsV1.files.list(1)
  yield* PersonsV1.mailMessages.list(1)
  yield* PersonsV1.products.list(1)
  // getPersonUpdates (the flow)
  yield* PersonsV1.updates.list(ada.id)
  // getPersonUsers
  yield* PersonsV1.permittedUsers(ada.id)
  // getPersonFollowers, addPersonFollower, deletePersonFollower
  const owner = PersonsV1.ownerId(ada) ?? 1
  const followers = yield* PersonsV1.followers.list(ada.id)
  const followerId = followers[0]?.id
  if (typeof followerId === "number") yield* PersonsV1.followers.remove(ada.id, followerId)
  yield* PersonsV1.followers.add(ada.id, owner)
  // addPersonPicture, deletePersonPicture
  yield* PersonsV1.picture.add(ada.id, { bytes: png, fileName: "ada.png", contentType: "image/png" })
  yield* PersonsV1.picture.remove(ada.id)
  // mergePersons: `ann` is merged into `ada`
  yield* PersonsV1.merge(ann.id, ada.id)
  // deletePerson, deletePersons (at most 100 a call; removeAll chunks any number)
  const extra = yield* PersonsV1.create({ name: "Temporary" })
  yield* PersonsV1.removeMany([extra.id])
  yield* PersonsV1.remove(ada.id)
  // The same person through API v2, which Pipedrive recommends:
  const grace = yield* Persons.create({ name: "Grace Hopper" })
  yield* Persons.search({ term: "Grace" })
  yield* Persons.remove(grace.id)
  yield* Console.log(`ran every PersonsApi operation; ${everyone} persons listed`)
})

const Pipedrive = PipedriveClient.layerConfig().pipe(Layer.provide(HttpTransport.layer))

program.pipe(
  Effect.provide(Layer.merge(Pipedrive, NodeContext.layer)),
  Effect.catchAll((error) => Console.error(String(error)).pipe(Effect.andThen(() => (process.exitCode = 1)))),
  Effect.runPromise
)
