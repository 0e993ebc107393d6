import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import * as Demo from "../src/workflows/Demo.ts"
import { Effect } from "effect"
import { existsSync, readFileSync } from "node:fs"
import { join } from "node:path"

describe("Demo", () => {
  it.live("runs the round trip and the bulk workflows against an in-process sandbox", () =>
    Effect.gen(function*() {
      const summary = yield* Demo.run({ persons: 1001, pageSize: 250 })
      expect(summary.v2).toEqual({ persons: 1001, pages: 5 })
      expect(summary.v1).toEqual({ persons: 1001, pages: 5 })
      expect(summary.roundTrip).toMatchObject({ createdId: 1002, updatedName: "Ada King", deletedThenNotFound: true })
      expect(summary.exported.persons).toBe(1001)
      expect(summary.edited).toMatchObject({ renamed: 25, added: 10 })
      expect(summary.imported).toMatchObject({ created: 10, updated: 25, failed: 0 })
      expect(summary.dedupe.groups.length).toBeGreaterThan(0)
      expect(summary.dedupe.merges.every((merge) => merge.status === "merged")).toBe(true)
      expect(Demo.shortfall(summary)).toBeUndefined()
      for (const file of ["persons.csv", "persons-edited.csv", "import.journal", "dedupe.journal"]) {
        expect(existsSync(join(summary.directory, file))).toBe(true)
      }
      expect(readFileSync(join(summary.directory, "persons-edited.csv"), "utf8")).toContain("(edited)")
      expect(Demo.formatSummary(summary).at(-3)).toBe(`files              ${summary.directory}`)
    }).pipe(Effect.provide(NodeContext.layer)), 120_000)
})
