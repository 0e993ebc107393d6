/**
 * What hangs off a person and changes: its followers, its picture, its field changelog and its
 * updates ("flow"). Held in memory per server, next to the `PersonStore`, whose changes it listens to
 * so that every create and update (through any endpoint, or a test's `store.update`) is recorded as
 * it happens.
 *
 * Every person starts followed by its owner (Pipedrive adds the owner as a follower), as record
 * `id = person id`, added at the person's `add_time`; that costs nothing until someone looks.
 */
import { Effect, Option } from "effect"
import type { ContactEntry, Person } from "./Person.ts"
import type { Change, Service as Store } from "../../PersonStore.ts"
import * as Time from "./Time.ts"

/** One user following one person. */
export interface Follower {
  /** The follower record's id (v1's `follower_id`). */
  readonly id: number
  readonly userId: number
  readonly addTime: number
}

/** One change of a field, as the v1 changelog and the flow show it. */
export interface FieldChange {
  readonly id: number
  readonly fieldKey: string
  readonly oldValue: string | null
  readonly newValue: string | null
  readonly actorUserId: number
  readonly time: number
}

/** A follow or unfollow, as the v2 followers changelog shows it. */
export interface FollowerEvent {
  readonly action: "added" | "removed"
  readonly actorUserId: number
  readonly followerUserId: number
  readonly time: number
}

/** An item of a person's flow: a field change, a follow, or a merge. */
export type FlowEvent =
  | { readonly object: "personChange"; readonly time: number; readonly change: FieldChange }
  | { readonly object: "follower"; readonly time: number; readonly follower: Follower }

/** A stored picture. */
export interface Picture {
  readonly id: number
  readonly personId: number
  readonly fileName: string
  readonly contentType: string
  readonly fileSize: number
  readonly bytes: Uint8Array
  readonly addedByUserId: number
  readonly addTime: number
}

/** Why a follow could not be added or removed. */
export type FollowerFailure = "unknown user" | "already following" | "not following"

/** The relations of every person of one store. */
export interface Relations {
  readonly store: Store
  /** The user the API token belongs to: the actor of every change made over HTTP. */
  readonly actorUserId: number
  readonly followers: (person: Person) => ReadonlyArray<Follower>
  readonly follow: (person: Person, userId: number, time: number) => Follower | FollowerFailure
  /** By follower record id (v1) or by user id (v2). */
  readonly unfollow: (
    person: Person,
    match: { readonly id: number } | { readonly userId: number },
    time: number
  ) => Follower | FollowerFailure
  readonly followerEvents: (person: Person) => ReadonlyArray<FollowerEvent>
  /** Newest first. */
  readonly changelog: (personId: number) => ReadonlyArray<FieldChange>
  /** Newest first. */
  readonly flow: (personId: number) => ReadonlyArray<FlowEvent>
  readonly picture: (personId: number) => Picture | undefined
  readonly setPicture: (picture: Omit<Picture, "id">) => Picture
  readonly deletePicture: (personId: number) => Picture | undefined
  /**
   * Merges person `from` into `into`: `into` gains the emails and phones it lacks (not as primary)
   * and the followers of `from`, takes over its history, and `from` is deleted.
   */
  readonly merge: (from: Person, into: Person) => Effect.Effect<Person>
}

/** The values of contact entries, for the changelog. */
const contactText = (entries: ReadonlyArray<ContactEntry>): string | null =>
  entries.length === 0 ? null : entries.map((entry) => entry.value).join(", ")

/** A value as the changelog writes it: strings as they are, numbers as digits, composite values as JSON. */
const text = (value: unknown): string | null =>
  value === null || value === undefined
    ? null
    : typeof value === "string"
    ? value
    : typeof value === "object"
    ? JSON.stringify(value)
    : String(value)

/** The fields that differ between two versions of a person, with Pipedrive's v1 field keys. */
const diff = (before: Person, after: Person): ReadonlyArray<readonly [string, string | null, string | null]> => {
  const changes: Array<readonly [string, string | null, string | null]> = []
  const check = (key: string, a: string | null, b: string | null) => {
    if (a !== b) changes.push([key, a, b])
  }
  check("name", before.name, after.name)
  check("owner_id", text(before.ownerId), text(after.ownerId))
  check("org_id", text(before.orgId), text(after.orgId))
  check("email", contactText(before.emails), contactText(after.emails))
  check("phone", contactText(before.phones), contactText(after.phones))
  check("visible_to", text(before.visibleTo), text(after.visibleTo))
  check("label_ids", before.labelIds.join(",") || null, after.labelIds.join(",") || null)
  for (const key of new Set([...Object.keys(before.customFields), ...Object.keys(after.customFields)])) {
    check(key, text(before.customFields[key]), text(after.customFields[key]))
  }
  return changes
}

/** Builds the relations of a store and starts listening to its changes. */
export const make = (store: Store): Relations => {
  const seed = store.seed
  const actorUserId = seed.users[0]!.id
  const followerLists = new Map<number, Array<Follower>>()
  const followerEventLists = new Map<number, Array<FollowerEvent>>()
  const changes = new Map<number, Array<FieldChange>>()
  const flows = new Map<number, Array<FlowEvent>>()
  const pictures = new Map<number, Picture>()
  // Follower records of the initial owners use the person's id; the others count from far above.
  let nextFollowerId = 5_000_000_000
  let nextChangeId = 1
  let nextPictureId = 1

  const push = <A>(map: Map<number, Array<A>>, id: number, value: A) => {
    const list = map.get(id)
    if (list === undefined) map.set(id, [value])
    else list.push(value)
  }

  /** The owner a person started with: the seed's for seeded persons, the current one for created persons. */
  const initialOwner = (person: Person) => person.id <= seed.persons ? seed.ownerId(person.id) : person.ownerId

  const ensureFollowers = (person: Person): Array<Follower> => {
    let list = followerLists.get(person.id)
    if (list === undefined) {
      const owner = initialOwner(person)
      list = [{ id: person.id, userId: owner, addTime: person.addTime }]
      followerLists.set(person.id, list)
      followerEventLists.set(person.id, [{
        action: "added",
        actorUserId: owner,
        followerUserId: owner,
        time: person.addTime
      }])
    }
    return list
  }

  const record = (personId: number, fieldKey: string, oldValue: string | null, newValue: string | null, time: number) => {
    const change: FieldChange = { id: nextChangeId++, fieldKey, oldValue, newValue, actorUserId, time }
    push(changes, personId, change)
    push(flows, personId, { object: "personChange", time, change })
  }

  store.onChange((change: Change) => {
    const { after, before } = change
    // A create records nothing: followers start lazily, so a bulk import costs no memory here.
    if (after === undefined || before === undefined) return
    for (const [key, oldValue, newValue] of diff(before, after)) record(after.id, key, oldValue, newValue, after.updateTime)
  })

  const follow = (person: Person, userId: number, time: number): Follower | FollowerFailure => {
    if (seed.user(userId) === undefined) return "unknown user"
    const list = ensureFollowers(person)
    if (list.some((follower) => follower.userId === userId)) return "already following"
    const follower: Follower = { id: nextFollowerId++, userId, addTime: time }
    list.push(follower)
    push(followerEventLists, person.id, { action: "added", actorUserId, followerUserId: userId, time })
    push(flows, person.id, { object: "follower", time, follower })
    return follower
  }

  const unfollow = (
    person: Person,
    match: { readonly id: number } | { readonly userId: number },
    time: number
  ): Follower | FollowerFailure => {
    const list = ensureFollowers(person)
    const index = list.findIndex((follower) => "id" in match ? follower.id === match.id : follower.userId === match.userId)
    if (index === -1) return "not following"
    const [removed] = list.splice(index, 1)
    push(followerEventLists, person.id, { action: "removed", actorUserId, followerUserId: removed!.userId, time })
    return removed!
  }

  const newestFirst = <A extends { readonly time: number }>(list: ReadonlyArray<A> | undefined): ReadonlyArray<A> =>
    list === undefined ? [] : list.map((item, index) => ({ item, index }))
      .sort((a, b) => b.item.time - a.item.time || b.index - a.index)
      .map(({ item }) => item)

  const mergeEntries = (into: ReadonlyArray<ContactEntry>, from: ReadonlyArray<ContactEntry>) => {
    const seen = new Set(into.map((entry) => entry.value.toLowerCase()))
    const added = from.filter((entry) => !seen.has(entry.value.toLowerCase())).map((entry) => ({ ...entry, primary: false }))
    return added.length === 0 ? undefined : [...into, ...added]
  }

  const merge = (from: Person, into: Person): Effect.Effect<Person> =>
    Effect.gen(function*() {
      const emails = mergeEntries(into.emails, from.emails)
      const phones = mergeEntries(into.phones, from.phones)
      const merged = yield* store.update(into.id, {
        ...(emails === undefined ? {} : { emails }),
        ...(phones === undefined ? {} : { phones })
      }).pipe(Effect.orDie)
      const time = merged.updateTime
      const survivors = ensureFollowers(merged)
      for (const follower of ensureFollowers(from)) {
        if (survivors.some((existing) => existing.userId === follower.userId)) continue
        survivors.push(follower)
        push(followerEventLists, merged.id, { action: "added", actorUserId, followerUserId: follower.userId, time })
      }
      // The merged person's history becomes the survivor's, as in Pipedrive.
      for (const change of changes.get(from.id) ?? []) push(changes, merged.id, change)
      for (const event of flows.get(from.id) ?? []) push(flows, merged.id, event)
      record(merged.id, "merged_person_id", null, String(from.id), time)
      const picture = pictures.get(from.id)
      if (picture !== undefined && !pictures.has(merged.id)) pictures.set(merged.id, { ...picture, personId: merged.id })
      for (const map of [followerLists, followerEventLists, changes, flows]) map.delete(from.id)
      pictures.delete(from.id)
      yield* store.delete(from.id).pipe(Effect.orDie)
      return Option.getOrElse(yield* store.get(merged.id), () => merged)
    })

  return {
    store,
    actorUserId,
    followers: ensureFollowers,
    merge,
    follow,
    unfollow,
    followerEvents: (person) => {
      ensureFollowers(person)
      return followerEventLists.get(person.id) ?? []
    },
    changelog: (personId) => newestFirst(changes.get(personId)),
    flow: (personId) => newestFirst(flows.get(personId)),
    picture: (personId) => pictures.get(personId),
    setPicture: (input) => {
      const picture: Picture = { ...input, id: nextPictureId++ }
      pictures.set(input.personId, picture)
      return picture
    },
    deletePicture: (personId) => {
      const picture = pictures.get(personId)
      pictures.delete(personId)
      return picture
    }
  }
}

/** Pipedrive's URLs of a picture's two sizes (the sandbox serves no images; the URLs are illustrative). */
export const pictureUrls = (picture: Picture) => ({
  128: `https://sandbox.pipedrive.invalid/pictures/${picture.id}/128.png`,
  512: `https://sandbox.pipedrive.invalid/pictures/${picture.id}/512.png`
})

/** A picture in API v1's shape. */
export const renderPictureV1 = (picture: Picture) => ({
  id: picture.id,
  item_type: "person",
  item_id: picture.personId,
  active_flag: true,
  add_time: Time.formatV1Time(picture.addTime),
  update_time: Time.formatV1Time(picture.addTime),
  added_by_user_id: picture.addedByUserId,
  pictures: pictureUrls(picture)
})

/** A picture in API v2's shape. */
export const renderPictureV2 = (picture: Picture) => ({
  id: picture.id,
  item_type: "person",
  item_id: picture.personId,
  added_by_user_id: picture.addedByUserId,
  active_flag: true,
  file_size: picture.fileSize,
  pictures: pictureUrls(picture)
})
