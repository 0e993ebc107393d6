/**
 * The client's token costs are the specs' `x-token-cost`, operation by operation, in both versions.
 */
import { describe, expect, it } from "@effect/vitest"
import * as TokenCost from "../src/internal/TokenCost.ts"
import { spec } from "./support/OpenApiSpec.ts"

describe("TokenCost", () => {
  const versions = [["v2", "/api/v2"], ["v1-2026-01-14", "/api/v1"]] as const
  for (const [key, prefix] of versions) {
    it(`lists every ${key} operation at its x-token-cost`, () => {
      const operations = Object.values(spec[key].operations).filter((operation) => operation["x-token-cost"] !== null)
      expect(operations.length).toBeGreaterThan(15)
      for (const operation of operations) {
        expect([operation.operationId, TokenCost.of(operation.operationId, `${prefix}${operation.path}`)])
          .toEqual([operation.operationId, operation["x-token-cost"]])
      }
    })
  }

  it("v1 costs twice v2 for the same operation, and an unknown operation costs a v1 list's", () => {
    expect(TokenCost.of("getPersons", "/api/v2/persons")).toBe(10)
    expect(TokenCost.of("getPersons", "/api/v1/persons")).toBe(20)
    expect(TokenCost.of("constructor", "/api/v2/persons")).toBe(TokenCost.unknownCost)
  })
})
