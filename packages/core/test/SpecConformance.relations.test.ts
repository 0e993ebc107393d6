/**
 * Core's schemas against Pipedrive's OpenAPI files for what hangs off a person (see
 * `support/Conformance.ts`): the v1 lists, changelog, permitted users, followers, pictures and merge
 * (in the January 2026 v1 spec, and again in the current v1 spec where it still has them), and the
 * v2 followers and picture.
 */
import { describe, expect, it } from "@effect/vitest"
import { Persons, PersonsV1, PipedriveError } from "@pipedrive-effect/core"
import { Either, Schema } from "effect"
import { listBody, row, type Row, singleBody, suite } from "./support/Conformance.ts"
import { examples, type SpecKey } from "./support/OpenApiSpec.ts"

const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 1, 2, 3])

/** An offset list's page against its body: the items, and the related objects where it has them. */
const offsetCheck = <B extends { readonly data?: ReadonlyArray<unknown> | null | undefined; readonly related_objects?: unknown }>(
  page: { readonly items: ReadonlyArray<unknown>; readonly relatedObjects: unknown },
  body: B
) => {
  expect(page.items).toEqual(body.data ?? [])
  expect(page.relatedObjects).toEqual(body.related_objects ?? undefined)
}

/** A cursor list's page against its body. */
const cursorCheck = <
  B extends {
    readonly data?: ReadonlyArray<unknown> | null | undefined
    readonly additional_data?: { readonly next_cursor?: string | null | undefined } | null | undefined
  }
>(
  page: { readonly items: ReadonlyArray<unknown>; readonly nextCursor: string | undefined },
  body: B
) => {
  expect(page.items).toEqual(body.data ?? [])
  expect(page.nextCursor).toEqual(body.additional_data?.next_cursor ?? undefined)
}

/** The rows both v1 spec files have. */
const v1Rows = (spec: SpecKey): ReadonlyArray<Row> => [
  row({
    spec,
    operationId: "getPersonFiles",
    body: PersonsV1.files.response,
    require: {},
    call: PersonsV1.files.list(1),
    check: offsetCheck
  }),
  row({
    spec,
    operationId: "getPersonMailMessages",
    body: PersonsV1.mailMessages.response,
    require: {},
    call: PersonsV1.mailMessages.list(1),
    check: offsetCheck
  }),
  row({
    spec,
    operationId: "getPersonProducts",
    body: PersonsV1.products.response,
    require: {},
    call: PersonsV1.products.list(1),
    check: offsetCheck
  }),
  row({
    spec,
    operationId: "getPersonUpdates",
    body: PersonsV1.updates.response,
    require: {},
    call: PersonsV1.updates.list(1, { all_changes: true, items: ["personChange"] }),
    check: offsetCheck
  }),
  row({
    spec,
    operationId: "getPersonChangelog",
    body: PersonsV1.changelog.response,
    require: {},
    call: PersonsV1.changelog.list(1),
    check: cursorCheck
  }),
  row({
    spec,
    operationId: "getPersonUsers",
    body: PersonsV1.PermittedUsersResponse,
    require: {},
    call: PersonsV1.permittedUsers(1),
    check: (ids, body) => expect(ids).toEqual(body.data ?? [])
  }),
  row({
    spec,
    operationId: "getPersonFollowers",
    body: PersonsV1.FollowersResponse,
    require: {},
    call: PersonsV1.followers.list(1),
    check: (followers, body) => expect(followers).toEqual(body.data ?? [])
  }),
  row({
    spec,
    operationId: "addPersonFollower",
    body: PersonsV1.FollowerResponse,
    require: { "$": ["data"] },
    call: PersonsV1.followers.add(1, 7),
    check: (follower, body) => expect(follower).toEqual(body.data)
  }),
  row({
    spec,
    operationId: "deletePersonFollower",
    body: PersonsV1.DeletedResponse,
    require: { "$": ["data"] },
    call: PersonsV1.followers.remove(1, 1),
    check: (id, body) => expect(id).toEqual(body.data.id ?? undefined)
  }),
  row({
    spec,
    operationId: "mergePersons",
    body: PersonsV1.MergeResponse,
    require: singleBody,
    call: PersonsV1.merge(1, 2),
    check: (person, body) => expect(person).toEqual(body.data)
  }),
  row({
    spec,
    operationId: "addPersonPicture",
    body: PersonsV1.PictureResponse,
    require: { "$": ["data"] },
    call: PersonsV1.picture.add(1, { bytes: PNG, fileName: "a.png", contentType: "image/png" }, { crop_x: 1 }),
    check: (picture, body) => expect(picture).toEqual(body.data)
  }),
  row({
    spec,
    operationId: "deletePersonPicture",
    body: PersonsV1.DeletedResponse,
    require: { "$": ["data"] },
    call: PersonsV1.picture.remove(1),
    check: (id, body) => expect(id).toEqual(body.data.id ?? undefined)
  })
]

const operations: ReadonlyArray<Row> = [
  row({
    spec: "v1-2026-01-14",
    operationId: "getPersonActivities",
    body: PersonsV1.activities.response,
    require: {},
    call: PersonsV1.activities.list(1, { done: false, exclude: [3, 4] }),
    check: offsetCheck
  }),
  row({
    spec: "v1-2026-01-14",
    operationId: "getPersonDeals",
    body: PersonsV1.deals.response,
    require: listBody,
    call: PersonsV1.deals.list(1, { status: "open", sort: "id DESC" }),
    check: offsetCheck
  }),
  ...v1Rows("v1-2026-01-14"),
  ...v1Rows("v1"),
  row({
    spec: "v2",
    operationId: "getPersonFollowers",
    body: Persons.FollowersResponse,
    require: {},
    call: Persons.followers.list(1),
    check: cursorCheck
  }),
  row({
    spec: "v2",
    operationId: "addPersonFollower",
    status: "201",
    body: Persons.FollowerResponse,
    require: { "$": ["data"] },
    call: Persons.followers.add(1, 7),
    check: (follower, body) => expect(follower).toEqual(body.data)
  }),
  row({
    spec: "v2",
    operationId: "deletePersonFollower",
    body: Persons.DeletedFollowerResponse,
    require: { "$": ["data"] },
    call: Persons.followers.remove(1, 1),
    check: (userId, body) => expect(userId).toEqual(body.data.user_id ?? undefined)
  }),
  row({
    spec: "v2",
    operationId: "getPersonFollowersChangelog",
    body: Persons.FollowersChangelogResponse,
    require: {},
    call: Persons.followers.changelog(1),
    check: cursorCheck
  }),
  row({
    spec: "v2",
    operationId: "getPersonPicture",
    body: Persons.PictureResponse,
    require: { "$": ["data"] },
    call: Persons.picture(1),
    check: (picture, body) => expect(picture).toEqual(body.data)
  })
]

suite("what hangs off a person", operations)

describe("shapes the spec and Pipedrive write differently", () => {
  it("addPersonPicture: the picture itself (Pipedrive) and keyed by its id (the spec) decode alike", () => {
    const picture = { id: 5, item_type: "person", item_id: 1, pictures: { 128: "https://x/128", 512: "https://x/512" } }
    const decode = Schema.decodeUnknownEither(PersonsV1.PictureResponse)
    expect(decode({ success: true, data: picture })).toEqual(Either.right({ success: true, data: picture }))
    expect(decode({ success: true, data: { 5: picture } })).toEqual(Either.right({ success: true, data: picture }))
  })

  it("deal related objects: stages keyed by id (Pipedrive) or one stage (the spec)", () => {
    const decode = Schema.decodeUnknownEither(PersonsV1.deals.response)
    const stage = { id: 3, name: "Qualified" }
    const keyed = decode({ success: true, data: [], related_objects: { stage: { 3: stage } } })
    const single = decode({ success: true, data: [], related_objects: { stage } })
    expect(Either.getOrThrow(keyed).related_objects?.stage).toEqual({ 3: stage })
    expect(Either.getOrThrow(single).related_objects?.stage).toEqual(stage)
  })
})

describe("the spec's own example bodies decode", () => {
  const v1Bodies: ReadonlyArray<readonly [string, string, Schema.Schema.AnyNoContext]> = [
    ["getPersonFiles", "200", PersonsV1.files.response],
    ["getPersonMailMessages", "200", PersonsV1.mailMessages.response],
    ["getPersonProducts", "200", PersonsV1.products.response],
    ["getPersonUpdates", "200", PersonsV1.updates.response],
    ["getPersonChangelog", "200", PersonsV1.changelog.response],
    ["getPersonUsers", "200", PersonsV1.PermittedUsersResponse],
    ["getPersonFollowers", "200", PersonsV1.FollowersResponse],
    ["addPersonFollower", "200", PersonsV1.FollowerResponse],
    ["deletePersonFollower", "200", PersonsV1.DeletedResponse],
    ["mergePersons", "200", PersonsV1.MergeResponse],
    ["addPersonPicture", "200", PersonsV1.PictureResponse],
    ["deletePersonPicture", "200", PersonsV1.DeletedResponse]
  ]
  const cases: ReadonlyArray<readonly [string, unknown, Schema.Schema.AnyNoContext]> = [
    ["v1-2026-01-14 getPersonActivities", examples["v1-2026-01-14"]["getPersonActivities"]?.["200"], PersonsV1.activities.response],
    ["v1-2026-01-14 getPersonDeals", examples["v1-2026-01-14"]["getPersonDeals"]?.["200"], PersonsV1.deals.response],
    ...(["v1-2026-01-14", "v1"] as const).flatMap((spec) =>
      v1Bodies.map(([operationId, status, schema]) => [`${spec} ${operationId}`, examples[spec][operationId]?.[status], schema] as const)
    ),
    ["v2 getPersonFollowers", examples.v2["getPersonFollowers"]?.["200"], Persons.FollowersResponse],
    ["v2 addPersonFollower", examples.v2["addPersonFollower"]?.["201"], Persons.FollowerResponse],
    ["v2 deletePersonFollower", examples.v2["deletePersonFollower"]?.["200"], Persons.DeletedFollowerResponse],
    ["v2 getPersonFollowersChangelog", examples.v2["getPersonFollowersChangelog"]?.["200"], Persons.FollowersChangelogResponse],
    ["v2 getPersonPicture", examples.v2["getPersonPicture"]?.["200"], Persons.PictureResponse]
  ]
  for (const [name, example, schema] of cases) {
    it(name, () => {
      expect(example).toBeDefined()
      const decoded = Schema.decodeUnknownEither(schema)(example)
      if (Either.isLeft(decoded)) throw new Error(PipedriveError.formatParseError(decoded.left, 20))
    })
  }

  it("the merge example keeps the surviving person and merge_what_id", () => {
    const body = Either.getOrThrow(Schema.decodeUnknownEither(PersonsV1.MergeResponse)(examples.v1["mergePersons"]?.["200"]))
    expect(body.data.id).toEqual(expect.any(Number))
    expect(body.data["merge_what_id"]).toEqual(expect.any(Number))
  })
})
