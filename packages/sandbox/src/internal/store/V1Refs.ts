/**
 * The objects API v1 embeds for a user or an organization a record refers to (a person's
 * `owner_id` and `org_id`, a deal's `user_id` and `org_id`): the record's id as `value`, plus the
 * referent's name and a few of its fields.
 */
import type { Service as Store } from "../../PersonStore.ts"
import type { Organization, User } from "./Seed.ts"

/** A user as v1 embeds it (`owner_id`, `user_id`, `creator_user_id`). */
export const userRef = (user: User) => ({
  id: user.id,
  name: user.name,
  email: user.email,
  has_pic: user.has_pic,
  pic_hash: user.pic_hash,
  active_flag: user.active_flag,
  value: user.id
})

/** An organization as v1 embeds it (`org_id`), with its current people count. */
export const organizationRef = (store: Store, org: Organization) => ({
  name: org.name,
  people_count: store.peopleCount(org.id),
  owner_id: org.owner_id,
  address: org.address,
  active_flag: org.active_flag,
  cc_email: org.cc_email,
  value: org.id
})
