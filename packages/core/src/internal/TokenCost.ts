/**
 * What each operation costs against the company's daily API budget: the `x-token-cost` of the
 * operation in Pipedrive's OpenAPI files (`openapi-v2.yaml`, and `openapi-v1-2026-01-14.yaml` for
 * the deprecated v1 person endpoints). The same operationId costs about twice as much in v1 as in
 * v2, which is why the version comes from the path.
 */

const v2: Readonly<Record<string, number>> = {
  getPersons: 10,
  addPerson: 5,
  searchPersons: 20,
  getPerson: 1,
  updatePerson: 5,
  deletePerson: 3,
  getPersonFollowers: 10,
  addPersonFollower: 5,
  getPersonFollowersChangelog: 10,
  deletePersonFollower: 3,
  getPersonPicture: 1,
  getPersonFields: 10,
  addPersonField: 5,
  getPersonField: 1,
  updatePersonField: 5,
  deletePersonField: 3,
  addPersonFieldOptions: 5,
  updatePersonFieldOptions: 5,
  deletePersonFieldOptions: 3
}

const v1: Readonly<Record<string, number>> = {
  getPersons: 20,
  addPerson: 10,
  deletePersons: 10,
  getPersonsCollection: 10,
  searchPersons: 40,
  getPerson: 2,
  updatePerson: 10,
  deletePerson: 6,
  getPersonActivities: 20,
  getPersonChangelog: 20,
  getPersonDeals: 20,
  getPersonFiles: 20,
  getPersonUpdates: 40,
  getPersonFollowers: 20,
  addPersonFollower: 10,
  deletePersonFollower: 6,
  getPersonMailMessages: 20,
  mergePersons: 40,
  getPersonUsers: 10,
  addPersonPicture: 10,
  deletePersonPicture: 6,
  getPersonProducts: 20,
  getPersonFields: 20,
  addPersonField: 10,
  deletePersonFields: 10,
  getPersonField: 2,
  updatePersonField: 10,
  deletePersonField: 6,
  getDealPersons: 20,
  getOrganizationPersons: 20,
  getRecents: 20
}

/** The cost of an operation the table does not list (`findPersonByName`, a raw request): a v1 list's. */
export const unknownCost = 20

/** The token costs by API version and operationId, as the specs list them. */
export const table: { readonly v1: Readonly<Record<string, number>>; readonly v2: Readonly<Record<string, number>> } = {
  v1,
  v2
}

/**
 * The token cost of one request.
 *
 * @example
 * ```ts
 * import * as TokenCost from "./TokenCost.ts"
 *
 * TokenCost.of("getPersons", "/api/v2/persons") // 10
 * TokenCost.of("getPersons", "/api/v1/persons") // 20
 * ```
 */
export const of = (operation: string, path: string): number => {
  const costs = path.startsWith("/api/v2/") ? v2 : v1
  return (Object.hasOwn(costs, operation) ? costs[operation] : undefined) ?? unknownCost
}
