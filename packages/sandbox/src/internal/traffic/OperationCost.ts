/**
 * What each operation costs against Pipedrive's token-based rate limits: the `x-token-cost` of the
 * operation in Pipedrive's OpenAPI files (openapi-v2.yaml; the deprecated v1 person endpoints from
 * openapi-v1-2026-01-14.yaml). v2 costs about half of v1, which is why clients should prefer it.
 */

/** `METHOD /route/:pattern` → `x-token-cost`, as the spec lists it. */
export const COSTS: ReadonlyArray<readonly [method: string, pattern: string, cost: number]> = [
  ["GET", "/api/v2/persons", 10],
  ["POST", "/api/v2/persons", 5],
  ["GET", "/api/v2/persons/search", 20],
  ["GET", "/api/v2/persons/:id", 1],
  ["PATCH", "/api/v2/persons/:id", 5],
  ["DELETE", "/api/v2/persons/:id", 3],
  ["GET", "/api/v2/persons/:id/followers", 10],
  ["POST", "/api/v2/persons/:id/followers", 5],
  ["GET", "/api/v2/persons/:id/followers/changelog", 10],
  ["DELETE", "/api/v2/persons/:id/followers/:follower_id", 3],
  ["GET", "/api/v2/persons/:id/picture", 1],
  ["GET", "/api/v2/personFields", 10],
  ["POST", "/api/v2/personFields", 5],
  ["GET", "/api/v2/personFields/:field_code", 1],
  ["PATCH", "/api/v2/personFields/:field_code", 5],
  ["DELETE", "/api/v2/personFields/:field_code", 3],
  ["POST", "/api/v2/personFields/:field_code/options", 5],
  ["PATCH", "/api/v2/personFields/:field_code/options", 5],
  ["DELETE", "/api/v2/personFields/:field_code/options", 3],
  ["GET", "/api/v1/persons", 20],
  ["POST", "/api/v1/persons", 10],
  ["DELETE", "/api/v1/persons", 10],
  ["GET", "/api/v1/persons/collection", 10],
  ["GET", "/api/v1/persons/search", 40],
  ["GET", "/api/v1/persons/:id", 2],
  ["PUT", "/api/v1/persons/:id", 10],
  ["DELETE", "/api/v1/persons/:id", 6],
  ["GET", "/api/v1/persons/:id/activities", 20],
  ["GET", "/api/v1/persons/:id/changelog", 20],
  ["GET", "/api/v1/persons/:id/deals", 20],
  ["GET", "/api/v1/persons/:id/files", 20],
  ["GET", "/api/v1/persons/:id/flow", 40],
  ["GET", "/api/v1/persons/:id/followers", 20],
  ["POST", "/api/v1/persons/:id/followers", 10],
  ["DELETE", "/api/v1/persons/:id/followers/:follower_id", 6],
  ["GET", "/api/v1/persons/:id/mailMessages", 20],
  ["PUT", "/api/v1/persons/:id/merge", 40],
  ["GET", "/api/v1/persons/:id/permittedUsers", 10],
  ["POST", "/api/v1/persons/:id/picture", 10],
  ["DELETE", "/api/v1/persons/:id/picture", 6],
  ["GET", "/api/v1/persons/:id/products", 20],
  ["GET", "/api/v1/personFields", 20],
  ["POST", "/api/v1/personFields", 10],
  ["DELETE", "/api/v1/personFields", 10],
  ["GET", "/api/v1/personFields/:id", 2],
  ["PUT", "/api/v1/personFields/:id", 10],
  ["DELETE", "/api/v1/personFields/:id", 6],
  ["GET", "/api/v1/recents", 20]
]

const segmentsOf = (path: string) => path.split("/").filter((segment) => segment !== "")

// Literal segments win over `:params` (`/persons/search` is not `/persons/:id`), so exact patterns
// are tried before parameterised ones.
const TABLE = [...COSTS]
  .map(([method, pattern, cost]) => ({ method, segments: segmentsOf(pattern), cost }))
  .sort((a, b) => a.segments.filter((s) => s.startsWith(":")).length - b.segments.filter((s) => s.startsWith(":")).length)

/**
 * The token cost of a request; operations the table does not know cost 1.
 *
 * @example
 * ```ts
 * import { costOf } from "./OperationCost.ts"
 *
 * costOf("GET", "/api/v2/persons?limit=5") // 10
 * costOf("GET", "/api/v2/persons/7")       // 1
 * ```
 */
export const costOf = (method: string, url: string): number => {
  const question = url.indexOf("?")
  const segments = segmentsOf(question === -1 ? url : url.slice(0, question))
  const upper = method.toUpperCase()
  const row = TABLE.find((entry) =>
    entry.method === upper &&
    entry.segments.length === segments.length &&
    entry.segments.every((segment, i) => segment.startsWith(":") || segment === segments[i])
  )
  return row?.cost ?? 1
}
