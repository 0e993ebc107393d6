/**
 * The seeded company: its users, organizations and custom fields, and persons `1 … N` computed on
 * demand from `(seed, id)`.
 *
 * Nothing here is stored per person. Each field of person `id` is a hash of the seed, the id and a
 * per-field salt, so any person can be computed in isolation, in any order, and always the same.
 * Two choices make listing cheap without an index: `add_time` strictly increases with the id and
 * `update_time` never decreases with it (so id order is also time order, and a time bound is an id
 * bound found by binary search), and names are built from two sorted word lists (so
 * name order can be computed with a counting sort instead of a comparison sort).
 */
import { createHash } from "node:crypto"
import type { ContactEntry, CustomFieldValue, Person } from "./Person.ts"

/** A Pipedrive user of the sandbox company; persons' owners are drawn from these. */
export interface User {
  readonly id: number
  readonly name: string
  readonly email: string
  readonly has_pic: number
  readonly pic_hash: string | null
  readonly active_flag: boolean
}

/** An organization persons can belong to. */
export interface Organization {
  readonly id: number
  readonly name: string
  readonly owner_id: number
  readonly address: string
  readonly cc_email: string
  readonly active_flag: boolean
}

/** The types a custom person field can have (those Pipedrive lets a client create). */
export type CustomFieldType =
  | "varchar"
  | "varchar_auto"
  | "text"
  | "double"
  | "monetary"
  | "date"
  | "daterange"
  | "time"
  | "timerange"
  | "enum"
  | "set"
  | "user"
  | "org"
  | "people"
  | "phone"
  | "address"
  | "visible_to"

/** A custom person field: `key` is the 40-character hash persons' values are keyed by. */
export interface CustomField {
  /** The v1 field id. */
  readonly id: number
  readonly key: string
  readonly name: string
  readonly field_type: CustomFieldType
  readonly options: ReadonlyArray<{ readonly id: number; readonly label: string }> | null
  /** Milliseconds; seeded fields were added at `EPOCH`. */
  readonly addTime: number
  readonly updateTime: number
}

/** The seeded company. */
export interface Seed {
  /** The seed as given, as a string. */
  readonly seed: string
  /** How many persons were seeded (ids `1 … persons`). */
  readonly persons: number
  /** The seeded ids that share one `update_time` second (`bulkUpdateShare`), if any. */
  readonly bulkUpdate: BulkUpdate | undefined
  readonly companyId: number
  /** The company's Smart BCC address, Pipedrive's `cc_email`. */
  readonly ccEmail: string
  readonly users: ReadonlyArray<User>
  readonly organizations: ReadonlyArray<Organization>
  /**
   * The company's custom person fields, seeded ones first. Mutable on purpose: the personFields
   * endpoints (`PersonFields.ts`) add, change and remove entries in place, and every reader (bodies'
   * validation, v1 and v2 rendering) must see the change. Each store makes its own seed.
   */
  readonly customFields: Array<CustomField>
  /** The company's user `id`, if there is one. */
  readonly user: (id: number) => User | undefined
  /** The company's organization `id`, if there is one. */
  readonly organization: (id: number) => Organization | undefined
  /** Seeded person `id` (`1 <= id <= persons`), as the seed made it. */
  readonly person: (id: number) => Person
  // Single fields of seeded person `id`, cheaper than `person(id)`, for filtering and sorting.
  /** Seeded person `id`'s `add_time`, milliseconds. */
  readonly addTime: (id: number) => number
  /** Seeded person `id`'s `update_time`, milliseconds. */
  readonly updateTime: (id: number) => number
  /** Seeded person `id`'s owner (a user id). */
  readonly ownerId: (id: number) => number
  /** Seeded person `id`'s organization id, or `null`. */
  readonly orgId: (id: number) => number | null
  /** The lower-cased name, the key of name order. */
  readonly nameKey: (id: number) => string
  /** Seeded ids ordered by `(nameKey, id)`; computed on first use (4 bytes per person). */
  readonly nameOrder: () => Int32Array
  /** How many seeded persons each organization has, by organization id; computed on first use. */
  readonly peopleCountByOrg: () => ReadonlyMap<number, number>
}

/** The first seeded person is added at this time; each next one 37 seconds later. */
export const EPOCH = Date.UTC(2024, 0, 1)
const STEP = 37_000

/** A block of consecutive seeded ids updated in one second, as a bulk update leaves them. */
export interface BulkUpdate {
  readonly first: number
  readonly last: number
  /** Their common `update_time`, milliseconds. */
  readonly time: number
}

/**
 * The block of `share` of `persons` seeded ids in the middle of the range, all given the update
 * time the last of them would have had without it. That time is after every earlier id's update
 * and before every later id's add, so `update_time` still never decreases with the id (what the
 * listing's binary searches rely on), and no person is updated before it was added.
 *
 * @example
 * ```ts
 * import { bulkUpdateOf } from "./Seed.ts"
 *
 * // Persons 401 to 600 share the update time 600 would have had without the bulk update.
 * bulkUpdateOf(1000, 0.2, (id) => 1_700_000_000_000 + id * 1000) // { first: 401, last: 600, time: 1_700_000_600_000 }
 * ```
 */
export const bulkUpdateOf = (
  persons: number,
  share: number,
  naturalUpdateTime: (id: number) => number
): BulkUpdate | undefined => {
  const size = Math.round(persons * share)
  if (size < 2) return undefined
  const first = Math.floor((persons - size) / 2) + 1
  const last = first + size - 1
  return { first, last, time: naturalUpdateTime(last) }
}

/** Builds the company for a seed and a number of persons. Cheap: persons are computed on demand. */
export const make = (
  options: { readonly seed: string | number; readonly persons: number; readonly bulkUpdateShare?: number | undefined }
): Seed => {
  const seed = String(options.seed)
  const count = options.persons
  const seedHash = fnv1a(seed)
  const hash = (id: number, salt: number) => mix(seedHash ^ mix(id ^ Math.imul(salt, 0x9e3779b1)))

  const companyId = 7_000_000 + (seedHash % 1_000_000)
  const ccEmail = `sandbox-${companyId}@pipedrivemail.com`
  const userById = new Map(USERS.map((user) => [user.id, user]))
  const organizations: ReadonlyArray<Organization> = ORGANIZATIONS.map((name, index) => ({
    id: index + 1,
    name,
    owner_id: USERS[index % USERS.length]!.id,
    address: `${10 + index} Example Street, ${CITIES[index % CITIES.length]}`,
    cc_email: ccEmail,
    active_flag: true
  }))
  const organizationById = new Map(organizations.map((org) => [org.id, org]))
  const customFields = CUSTOM_FIELDS.map((field, index): CustomField => ({
    id: CUSTOM_FIELD_ID_BASE + index,
    key: createHash("sha1").update(`${seed}\u0000person\u0000${field.name}`).digest("hex"),
    ...field,
    addTime: EPOCH,
    updateTime: EPOCH
  }))
  const keyOf = (index: number) => customFields[index]!.key
  const leadSource = keyOf(0)
  const lifetimeValue = keyOf(1)
  const renewal = keyOf(2)
  const linkedIn = keyOf(3)
  // The other seeded fields are empty on seeded persons, but present: every field of the company is.
  const emptyKeys = customFields.slice(4).map((field) => field.key)

  // About one person in a hundred is a duplicate of an earlier one: same name and primary email
  // (sometimes differently capitalised), so that dedupe workflows have something to find.
  const isDuplicate = (id: number) => id > 100 && hash(id, SALT.duplicate) % 100 === 0
  const duplicateTarget = (id: number) => id - 1 - (hash(id, SALT.duplicateTarget) % Math.min(id - 1, 1000))
  const identity = (id: number) => {
    let source = id
    while (isDuplicate(source)) source = duplicateTarget(source)
    return source
  }
  const firstIndex = (source: number) => hash(source, SALT.first) % FIRST_NAMES.length
  const lastIndex = (source: number) => hash(source, SALT.last) % LAST_NAMES.length

  const addTime = (id: number) => EPOCH + id * STEP
  const naturalUpdateTime = (id: number) => EPOCH + id * STEP + (hash(id, SALT.update) % 37) * 1000
  const bulkUpdate = bulkUpdateOf(count, options.bulkUpdateShare ?? 0, naturalUpdateTime)
  const updateTime = bulkUpdate === undefined
    ? naturalUpdateTime
    : (id: number) => (id >= bulkUpdate.first && id <= bulkUpdate.last ? bulkUpdate.time : naturalUpdateTime(id))
  const ownerId = (id: number) => {
    const roll = hash(id, SALT.owner) % 10
    return USERS[roll < 4 ? 0 : roll < 6 ? 1 : roll < 8 ? 2 : 3]!.id
  }
  const orgId = (id: number) => {
    const roll = hash(id, SALT.org)
    return roll % 10 < 3 ? null : (roll >>> 8) % organizations.length + 1
  }
  const nameKey = (id: number) => {
    const source = identity(id)
    return FIRST_KEYS[firstIndex(source)]! + " " + LAST_KEYS[lastIndex(source)]!
  }

  const email = (source: number, first: string, last: string) =>
    `${first}.${last}.${source}@${DOMAINS[hash(source, SALT.domain) % DOMAINS.length]}`
  const phone = (source: number, salt: number) => {
    const digits = hash(source, salt) % 10_000_000
    return "+1 555 " + THREE_DIGITS[Math.floor(digits / 10_000)]! + " " + FOUR_DIGITS[digits % 10_000]!
  }

  const person = (id: number): Person => {
    const source = identity(id)
    const firstIdx = firstIndex(source)
    const lastIdx = lastIndex(source)
    const first = FIRST_NAMES[firstIdx]!
    const last = LAST_NAMES[lastIdx]!
    const firstKey = FIRST_KEYS[firstIdx]!
    const lastKey = LAST_KEYS[lastIdx]!
    const roll = hash(id, SALT.contact)

    let primary = email(source, firstKey, lastKey)
    if (source !== id && roll % 3 === 0) primary = primary.charAt(0).toUpperCase() + primary.slice(1)
    const emails: Array<ContactEntry> = [{ value: primary, primary: true, label: "work" }]
    if ((roll >>> 2) % 2 === 0) {
      const domain = PERSONAL_DOMAINS[(roll >>> 3) % PERSONAL_DOMAINS.length]
      emails.push({ value: `${firstKey}${id}@${domain}`, primary: false, label: "home" })
    }
    const phoneCount = (roll >>> 5) % 10 < 3 ? 0 : (roll >>> 5) % 10 < 8 ? 1 : 2
    const phones: Array<ContactEntry> = []
    if (phoneCount > 0) phones.push({ value: phone(roll % 2 === 0 ? source : id, SALT.phone), primary: true, label: "work" })
    if (phoneCount > 1) phones.push({ value: phone(id, SALT.mobile), primary: false, label: "mobile" })

    const labels = (roll >>> 9) % 8
    const fields = hash(id, SALT.custom)
    // Keyed stores, not a literal with computed keys: V8 builds these several times faster.
    const customFields: Record<string, CustomFieldValue> = {}
    customFields[leadSource] = fields % 4 === 0 ? null : LEAD_SOURCES[(fields >>> 2) % LEAD_SOURCES.length]!.id
    customFields[lifetimeValue] = (fields >>> 5) % 10 < 3 ? null : ((fields >>> 8) % 5_000_000) / 100
    customFields[renewal] = (fields >>> 9) % 2 === 0 ? null : RENEWAL_DATES[(fields >>> 10) % RENEWAL_DATES.length]!
    customFields[linkedIn] = (fields >>> 20) % 5 < 2
      ? null
      : `https://www.linkedin.com/in/${firstKey}-${lastKey}-${source}`
    for (const key of emptyKeys) customFields[key] = null

    return {
      id,
      name: first + " " + last,
      firstName: first,
      lastName: last,
      ownerId: ownerId(id),
      orgId: orgId(id),
      emails,
      phones,
      visibleTo: (roll >>> 12) % 5 === 0 ? 1 : 3,
      labelIds: labels < 5 ? [] : labels === 5 ? [1] : labels === 6 ? [2] : [1, 3],
      customFields,
      addTime: addTime(id),
      updateTime: updateTime(id)
    }
  }

  let nameOrderCache: Int32Array | undefined
  const nameOrder = () => {
    if (nameOrderCache !== undefined) return nameOrderCache
    // Counting sort on the (first, last) word pair: the word lists are sorted and hold only
    // letters, so pair order is exactly the order of "first last" strings.
    const buckets = FIRST_NAMES.length * LAST_NAMES.length
    const bucketOf = new Int32Array(count + 1)
    const starts = new Int32Array(buckets + 1)
    for (let id = 1; id <= count; id++) {
      const source = identity(id)
      const bucket = FIRST_RANK[firstIndex(source)]! * LAST_NAMES.length + LAST_RANK[lastIndex(source)]!
      bucketOf[id] = bucket
      starts[bucket + 1]!++
    }
    for (let b = 0; b < buckets; b++) starts[b + 1]! += starts[b]!
    const order = new Int32Array(count)
    for (let id = 1; id <= count; id++) order[starts[bucketOf[id]!]!++] = id
    nameOrderCache = order
    return order
  }

  let peopleCountCache: Map<number, number> | undefined
  const peopleCountByOrg = () => {
    if (peopleCountCache !== undefined) return peopleCountCache
    const counts = new Map<number, number>()
    for (let id = 1; id <= count; id++) {
      const org = orgId(id)
      if (org !== null) counts.set(org, (counts.get(org) ?? 0) + 1)
    }
    peopleCountCache = counts
    return counts
  }

  return {
    seed,
    persons: count,
    bulkUpdate,
    companyId,
    ccEmail,
    users: USERS,
    organizations,
    customFields,
    user: (id) => userById.get(id),
    organization: (id) => organizationById.get(id),
    person,
    addTime,
    updateTime,
    ownerId,
    orgId,
    nameKey,
    nameOrder,
    peopleCountByOrg
  }
}

/** lowbias32, a 32-bit integer hash with good avalanche. */
const mix = (input: number): number => {
  let x = input >>> 0
  x ^= x >>> 16
  x = Math.imul(x, 0x7feb352d)
  x ^= x >>> 15
  x = Math.imul(x, 0x846ca68b)
  x ^= x >>> 16
  return x >>> 0
}

const fnv1a = (text: string): number => {
  let h = 0x811c9dc5
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i)
    h = Math.imul(h, 0x01000193)
  }
  return h >>> 0
}

const SALT = {
  duplicate: 1,
  duplicateTarget: 2,
  first: 3,
  last: 4,
  update: 5,
  owner: 6,
  org: 7,
  domain: 8,
  contact: 9,
  phone: 10,
  mobile: 11,
  custom: 12
} as const

const USERS: ReadonlyArray<User> = [
  { id: 900001, name: "Sandbox Admin", email: "admin@sandbox.example.com", has_pic: 0, pic_hash: null, active_flag: true },
  { id: 900002, name: "Riley Sales", email: "riley@sandbox.example.com", has_pic: 0, pic_hash: null, active_flag: true },
  { id: 900003, name: "Jordan Accounts", email: "jordan@sandbox.example.com", has_pic: 0, pic_hash: null, active_flag: true },
  { id: 900004, name: "Casey Support", email: "casey@sandbox.example.com", has_pic: 0, pic_hash: null, active_flag: true }
]

const ORGANIZATIONS = [
  "Acme Corporation", "Globex", "Initech", "Umbrella Health", "Hooli", "Vandelay Industries", "Stark Logistics",
  "Wayne Foods", "Tyrell Systems", "Cyberdyne Labs", "Soylent Farms", "Wonka Confectionery", "Gringotts Finance",
  "Oceanic Air", "Duff Beverages", "Monarch Paper", "Pied Piper", "Aperture Science", "Black Mesa Research",
  "Massive Dynamic", "Nakatomi Trading", "Virtucon", "Sterling Cooper", "Dunder Mifflin", "Bluth Company"
]

const CITIES = ["Tallinn", "Lisbon", "Berlin", "Austin", "Toronto", "Dublin", "Prague"]

const THREE_DIGITS = Array.from({ length: 1000 }, (_, n) => String(n).padStart(3, "0"))
const FOUR_DIGITS = Array.from({ length: 10_000 }, (_, n) => String(n).padStart(4, "0"))

const DOMAINS = ["example.com", "example.org", "example.net", "corp.example.com"]
const PERSONAL_DOMAINS = ["mail.example.com", "inbox.example.org"]

/** The v1 id of the first seeded custom field; standard fields have smaller ids. */
export const CUSTOM_FIELD_ID_BASE = 9001

// The first four are the ones seeded persons carry values for (their order fixes `keyOf`); the rest
// give every creatable type one field, empty on seeded persons.
const CUSTOM_FIELDS: ReadonlyArray<Omit<CustomField, "key" | "id" | "addTime" | "updateTime">> = [
  {
    name: "Lead source",
    field_type: "enum",
    options: [
      { id: 101, label: "Website" },
      { id: 102, label: "Referral" },
      { id: 103, label: "Trade show" },
      { id: 104, label: "Cold call" },
      { id: 105, label: "Partner" }
    ]
  },
  { name: "Lifetime value", field_type: "double", options: null },
  { name: "Next renewal", field_type: "date", options: null },
  { name: "LinkedIn profile", field_type: "varchar", options: null },
  { name: "Nickname", field_type: "varchar_auto", options: null },
  { name: "Background", field_type: "text", options: null },
  { name: "Contract value", field_type: "monetary", options: null },
  { name: "Availability", field_type: "daterange", options: null },
  { name: "Preferred call time", field_type: "time", options: null },
  { name: "Office hours", field_type: "timerange", options: null },
  {
    name: "Interests",
    field_type: "set",
    options: [
      { id: 201, label: "Analytics" },
      { id: 202, label: "Automation" },
      { id: 203, label: "Integrations" },
      { id: 204, label: "Security" }
    ]
  },
  { name: "Account manager", field_type: "user", options: null },
  { name: "Parent company", field_type: "org", options: null },
  { name: "Referred by", field_type: "people", options: null },
  { name: "Assistant phone", field_type: "phone", options: null },
  { name: "Billing address", field_type: "address", options: null },
  { name: "Seat count", field_type: "double", options: null }
]
const LEAD_SOURCES = CUSTOM_FIELDS[0]!.options!
const RENEWAL_DATES = Array.from(
  { length: 730 },
  (_, day) => new Date(Date.UTC(2025, 0, 1) + day * 86_400_000).toISOString().slice(0, 10)
)

// Letters only, distinct when lower-cased: name order relies on it (see `nameOrder`).
const FIRST_NAMES = [
  "Aaron", "Abigail", "Adam", "Aisha", "Alan", "Alice", "Amir", "Ana", "Andrea", "Anna", "Arjun", "Ben", "Bianca",
  "Carlos", "Chen", "Chloe", "Daniel", "Diana", "Dmitri", "Elena", "Emma", "Erik", "Fatima", "Felix", "Grace",
  "Hana", "Hugo", "Ines", "Isaac", "Ivan", "Jack", "Jana", "Javier", "Jin", "Julia", "Kai", "Karin", "Kofi",
  "Laura", "Leo", "Liam", "Lina", "Lucas", "Maria", "Marta", "Mateo", "Mia", "Nadia", "Noah", "Nora", "Olga",
  "Omar", "Oscar", "Paula", "Pedro", "Priya", "Rafael", "Rosa", "Sam", "Sara", "Sofia", "Tariq", "Tom", "Yuki"
]
const LAST_NAMES = [
  "Adams", "Ahmed", "Andersen", "Baker", "Becker", "Brown", "Castro", "Chen", "Clark", "Costa", "Davis", "Dubois",
  "Evans", "Fischer", "Garcia", "Gonzalez", "Hall", "Hansen", "Ivanova", "Jensen", "Johnson", "Kim", "Kowalski",
  "Lee", "Lopez", "Martin", "Meyer", "Moreau", "Muller", "Nakamura", "Nguyen", "Novak", "Okafor", "Olsen", "Patel",
  "Perez", "Petrov", "Quinn", "Rossi", "Santos", "Schmidt", "Silva", "Singh", "Smith", "Tamm", "Tanaka", "Taylor",
  "Walker", "Wang", "Weber", "Williams", "Wilson", "Yilmaz", "Young", "Zhang"
]
const FIRST_KEYS = FIRST_NAMES.map((name) => name.toLowerCase())
const LAST_KEYS = LAST_NAMES.map((name) => name.toLowerCase())
const rankOf = (keys: ReadonlyArray<string>) => {
  const sorted = [...keys].sort()
  return Int32Array.from(keys, (key) => sorted.indexOf(key))
}
const FIRST_RANK = rankOf(FIRST_KEYS)
const LAST_RANK = rankOf(LAST_KEYS)
