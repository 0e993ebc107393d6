/**
 * The activities, deals, files, mail messages and products of a person: a few of each, computed from
 * the seed and the person's id, the same on every run; many persons have none. They are read-only
 * and follow the person's current name, owner and organization.
 *
 * Ids are `person id × 10 + n` (n = 1…4), so each belongs to one person and never collides.
 */
import { createHash } from "node:crypto"
import type { Person } from "./Person.ts"
import type { Service as Store } from "../../PersonStore.ts"
import * as Time from "./Time.ts"
import { organizationRef, userRef } from "./V1Refs.ts"

const HOUR = 3_600_000

/** A 32-bit hash of the seed, the person and a salt. */
const hash = (seed: string, personId: number, salt: string): number =>
  createHash("sha1").update(`${seed}\u0000${personId}\u0000${salt}`).digest().readUInt32BE(0)

/** How many items of a kind a person has: 0 for about half of them, else 1 to 4. */
export const countOf = (seed: string, personId: number, kind: string): number => {
  const roll = hash(seed, personId, kind) % 8
  return roll < 4 ? 0 : roll - 3
}

const user = (store: Store, id: number) => store.seed.user(id)

const ownerObject = (store: Store, id: number) => {
  const owner = user(store, id)
  return owner === undefined ? null : userRef(owner)
}

const orgName = (store: Store, person: Person) =>
  person.orgId === null ? null : store.seed.organization(person.orgId)?.name ?? null

const ACTIVITY_TYPES = ["call", "meeting", "email", "task"] as const
const SUBJECTS = ["Intro call", "Follow-up", "Demo", "Contract review"] as const

/** A person's activities in API v1's shape, by ascending id. */
export const activities = (store: Store, person: Person): ReadonlyArray<Record<string, unknown>> =>
  Array.from({ length: countOf(store.seed.seed, person.id, "activity") }, (_, index) => {
    const n = index + 1
    const roll = hash(store.seed.seed, person.id, `activity${n}`)
    const added = person.addTime + n * HOUR
    const due = added + 24 * HOUR * (1 + (roll % 30))
    const done = roll % 3 === 0
    const owner = user(store, person.ownerId)
    return {
      id: person.id * 10 + n,
      company_id: store.seed.companyId,
      user_id: person.ownerId,
      assigned_to_user_id: person.ownerId,
      created_by_user_id: person.ownerId,
      done,
      type: ACTIVITY_TYPES[roll % ACTIVITY_TYPES.length],
      subject: SUBJECTS[(roll >>> 4) % SUBJECTS.length],
      public_description: "",
      note: null,
      due_date: Time.formatRfc3339(due).slice(0, 10),
      due_time: "10:00",
      duration: "00:30",
      busy_flag: true,
      location: null,
      lead_id: null,
      deal_id: null,
      project_id: null,
      person_id: person.id,
      org_id: person.orgId,
      participants: [{ person_id: person.id, primary_flag: true }],
      attendees: null,
      active_flag: true,
      add_time: Time.formatV1Time(added),
      update_time: Time.formatV1Time(added),
      marked_as_done_time: done ? Time.formatV1Time(due) : "",
      update_user_id: null,
      source_timezone: null,
      person_name: person.name,
      org_name: orgName(store, person),
      deal_title: null,
      owner_name: owner?.name ?? null,
      person_dropbox_bcc: store.seed.ccEmail,
      deal_dropbox_bcc: null
    }
  })

const STATUSES = ["open", "open", "won", "lost"] as const
const DEAL_TITLES = ["Annual licence", "Onboarding package", "Support renewal", "Pilot project"] as const

/** A person's deals in API v1's shape (with `status` for filtering), by ascending id. */
export const deals = (store: Store, person: Person): ReadonlyArray<Record<string, unknown>> =>
  Array.from({ length: countOf(store.seed.seed, person.id, "deal") }, (_, index) => {
    const n = index + 1
    const roll = hash(store.seed.seed, person.id, `deal${n}`)
    const status = STATUSES[roll % STATUSES.length]!
    const added = person.addTime + n * 2 * HOUR
    const closed = added + 72 * HOUR
    const value = 500 + (roll >>> 3) % 20_000
    const org = person.orgId === null ? undefined : store.seed.organization(person.orgId)
    const owner = user(store, person.ownerId)
    return {
      id: person.id * 10 + n,
      creator_user_id: ownerObject(store, person.ownerId),
      user_id: ownerObject(store, person.ownerId),
      person_id: {
        active_flag: true,
        name: person.name,
        email: person.emails,
        phone: person.phones,
        owner_id: person.ownerId,
        value: person.id
      },
      org_id: org === undefined ? null : organizationRef(store, org),
      stage_id: 1 + roll % 5,
      title: `${DEAL_TITLES[(roll >>> 5) % DEAL_TITLES.length]} for ${person.name}`,
      value,
      currency: "USD",
      add_time: Time.formatV1Time(added),
      update_time: Time.formatV1Time(status === "open" ? added : closed),
      stage_change_time: null,
      active: status === "open",
      deleted: false,
      is_archived: false,
      status,
      probability: null,
      next_activity_date: null,
      next_activity_time: null,
      next_activity_id: null,
      last_activity_id: null,
      last_activity_date: null,
      lost_reason: status === "lost" ? "Budget" : null,
      visible_to: "3",
      close_time: status === "open" ? null : Time.formatV1Time(closed),
      pipeline_id: 1,
      won_time: status === "won" ? Time.formatV1Time(closed) : null,
      lost_time: status === "lost" ? Time.formatV1Time(closed) : null,
      products_count: n % 2 === 1 ? 1 : 0,
      files_count: 0,
      notes_count: 0,
      followers_count: 1,
      email_messages_count: 0,
      activities_count: 0,
      done_activities_count: 0,
      undone_activities_count: 0,
      participants_count: 1,
      expected_close_date: null,
      label: null,
      stage_order_nr: 1 + roll % 5,
      person_name: person.name,
      org_name: org?.name ?? null,
      formatted_value: `$${value}`,
      weighted_value: value,
      formatted_weighted_value: `$${value}`,
      weighted_value_currency: "USD",
      rotten_time: null,
      owner_name: owner?.name ?? null,
      cc_email: store.seed.ccEmail,
      org_hidden: false,
      person_hidden: false,
      origin: "API",
      origin_id: null,
      channel: null,
      channel_id: null
    }
  })

const FILE_NAMES = ["contract.pdf", "proposal.docx", "notes.txt", "invoice.pdf"] as const

/** The files attached to a person in API v1's shape, by ascending id. */
export const files = (store: Store, person: Person): ReadonlyArray<Record<string, unknown>> =>
  Array.from({ length: countOf(store.seed.seed, person.id, "file") }, (_, index) => {
    const n = index + 1
    const roll = hash(store.seed.seed, person.id, `file${n}`)
    const added = person.addTime + n * 3 * HOUR
    const name = FILE_NAMES[roll % FILE_NAMES.length]!
    const id = person.id * 10 + n
    return {
      id,
      user_id: person.ownerId,
      deal_id: null,
      person_id: person.id,
      org_id: person.orgId,
      product_id: null,
      activity_id: null,
      lead_id: null,
      add_time: Time.formatV1Time(added),
      update_time: Time.formatV1Time(added),
      file_name: `${id}_${name}`,
      file_size: 1_000 + (roll >>> 4) % 500_000,
      active_flag: true,
      inline_flag: false,
      remote_location: "s3",
      remote_id: `sandbox-${id}`,
      cid: null,
      s3_bucket: null,
      mail_message_id: null,
      mail_template_id: null,
      deal_name: null,
      person_name: person.name,
      org_name: orgName(store, person),
      product_name: null,
      lead_name: null,
      url: `https://sandbox.pipedrive.invalid/files/${id}/download`,
      name,
      description: ""
    }
  })

/** A person's mail messages in API v1's shape (`{ object, timestamp, data }`), by ascending id. */
export const mailMessages = (store: Store, person: Person): ReadonlyArray<Record<string, unknown>> => {
  const email = person.emails.find((entry) => entry.primary)?.value ?? person.emails[0]?.value
  if (email === undefined) return []
  const owner = user(store, person.ownerId)
  return Array.from({ length: countOf(store.seed.seed, person.id, "mail") }, (_, index) => {
    const n = index + 1
    const sent = person.addTime + n * 4 * HOUR
    const incoming = n % 2 === 1
    const party = (id: number, address: string, name: string, linked: boolean) => ({
      id,
      email_address: address,
      name,
      linked_person_id: linked ? person.id : null,
      linked_person_name: linked ? person.name : null,
      mail_message_party_id: id
    })
    const them = party(person.id * 100 + n, email, person.name, true)
    const us = party(person.id * 100 + 50 + n, owner?.email ?? "", owner?.name ?? "", false)
    const id = person.id * 10 + n
    return {
      object: "mailMessage",
      timestamp: Time.formatV1Time(sent),
      data: {
        id,
        from: [incoming ? them : us],
        to: [incoming ? us : them],
        cc: [],
        bcc: [],
        body_url: `https://sandbox.pipedrive.invalid/mail/${id}/body`,
        account_id: "sandbox",
        user_id: person.ownerId,
        mail_thread_id: person.id * 10 + 1,
        subject: n === 1 ? "Hello" : `Re: Hello (${n})`,
        snippet: "Thanks for getting in touch",
        mail_tracking_status: null,
        mail_link_tracking_enabled_flag: 0,
        read_flag: 1,
        draft: null,
        draft_flag: 0,
        synced_flag: 1,
        deleted_flag: 0,
        has_body_flag: 1,
        sent_flag: incoming ? 0 : 1,
        sent_from_pipedrive_flag: incoming ? 0 : 1,
        smart_bcc_flag: 0,
        message_time: Time.formatRfc3339(sent),
        add_time: Time.formatRfc3339(sent),
        update_time: Time.formatRfc3339(sent),
        has_attachments_flag: 0,
        has_inline_attachments_flag: 0,
        has_real_attachments_flag: 0,
        external_deleted_flag: false,
        mua_message_id: `<${id}@sandbox.pipedrive.invalid>`,
        template_id: null,
        timestamp: Time.formatV1Time(sent),
        item_type: "mailMessage",
        company_id: store.seed.companyId
      }
    }
  })
}

const PRODUCTS = ["Licence", "Onboarding", "Support plan", "Training"] as const

/** The products of a person's deals, one `{ [dealId]: { deal, product } }` per deal that has one. */
export const products = (store: Store, person: Person): ReadonlyArray<Record<string, unknown>> =>
  deals(store, person).filter((deal) => deal["products_count"] === 1).map((deal) => {
    const dealId = Number(deal["id"])
    const productId = 1 + dealId % PRODUCTS.length
    return {
      [dealId]: {
        deal: {
          ...deal,
          company_id: store.seed.companyId,
          creator_user_id: person.ownerId,
          user_id: person.ownerId,
          person_id: person.id,
          org_id: person.orgId,
          first_add_time: deal["add_time"]
        },
        product: {
          id: productId,
          company_id: store.seed.companyId,
          name: PRODUCTS[productId - 1],
          code: `P-${productId}`,
          description: null,
          unit: "seat",
          tax: 0,
          category: null,
          active_flag: true,
          selectable: true,
          first_char: PRODUCTS[productId - 1]!.charAt(0).toLowerCase(),
          visible_to: "3",
          owner_id: store.seed.users[0]!.id,
          files_count: 0,
          add_time: Time.formatV1Time(person.addTime),
          update_time: Time.formatV1Time(person.addTime),
          deal_id: dealId
        }
      }
    }
  })
