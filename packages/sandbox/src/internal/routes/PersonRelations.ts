/**
 * The routes about one person (followers, picture, changelog, flow, merge, and the generated
 * activities, deals, files, mail messages and products) in both API versions, over one set of
 * `Relations` that starts listening to the store when the server is built.
 */
import { HttpRouter } from "@effect/platform"
import { Effect } from "effect"
import { PersonStore } from "../../PersonStore.ts"
import * as Relations from "../store/Relations.ts"
import * as RelationsV1 from "./RelationsV1.ts"
import * as RelationsV2 from "./RelationsV2.ts"

/** The routes; each server builds its own (the relations are per server). */
export const router = Effect.map(PersonStore, (store) => {
  const relations = Relations.make(store)
  return HttpRouter.concat(RelationsV1.router(relations), RelationsV2.router(relations))
})
