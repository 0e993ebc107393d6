/**
 * CSV cells a spreadsheet would run as formulas are neutralised on the way out and restored on the
 * way in, exactly, through the real csv-stringify / csv-parse and a file.
 */
import { NodeContext } from "@effect/platform-node"
import { describe, expect, it } from "@effect/vitest"
import { Csv, Ndjson } from "@pipedrive-effect/scripts"
import { Chunk, Effect, FastCheck as fc, Stream } from "effect"
import { mkdtempSync, readFileSync, writeFileSync } from "node:fs"
import { tmpdir } from "node:os"
import { join } from "node:path"

const roundTrip = (rows: ReadonlyArray<ReadonlyArray<string>>) => {
  const file = join(mkdtempSync(join(tmpdir(), "csv-")), "rows.csv")
  writeFileSync(file, Csv.format(rows))
  return Stream.runCollect(Csv.read(file)).pipe(
    Effect.map((records) => ({ text: readFileSync(file, "utf8"), rows: Chunk.toReadonlyArray(records).map((r) => r.cells) }))
  )
}

describe("Csv", () => {
  it.effect("writes formula-looking cells behind an apostrophe and reads them back unchanged", () =>
    Effect.gen(function*() {
      const cells = ["=HYPERLINK(\"http://x\")", "+44 20 7946 0000", "-5", "@SUM(A1)", "\tx", "\rx", "'quoted", "plain", ""]
      const { rows, text } = yield* roundTrip([cells])
      expect(rows).toEqual([cells])
      // Not one cell of the file starts with a formula character.
      for (const written of text.split(/,(?=(?:[^"]*"[^"]*")*[^"]*$)/)) expect(written.replace(/^"/, "")).not.toMatch(/^[=+\-@\t\r]/)
      expect(text).toContain("'=HYPERLINK")
      expect(text).toContain("'+44 20 7946 0000")
      expect(text).toContain("''quoted")
    }))

  it.effect("refuses a file that is not UTF-8, naming the line (Latin-1 would import `José` as `Jos\uFFFD`)", () =>
    Effect.gen(function*() {
      const file = join(mkdtempSync(join(tmpdir(), "csv-")), "latin1.csv")
      writeFileSync(file, Buffer.concat([Buffer.from("name,emails\nAnn,ann@x.example\nJos"), Buffer.from([0xe9]), Buffer.from(",jose@x.example\n")]))
      const error = yield* Effect.flip(Stream.runDrain(Csv.read(file)))
      expect(error.message).toContain("line 3: not UTF-8")
      const ndjson = join(mkdtempSync(join(tmpdir(), "ndjson-")), "latin1.ndjson")
      writeFileSync(ndjson, Buffer.concat([Buffer.from('{"name":"Ann"}\n{"name":"Jos'), Buffer.from([0xe9]), Buffer.from('"}\n')]))
      const lineError = yield* Effect.flip(Stream.runDrain(Ndjson.lines(ndjson)))
      expect(lineError.message).toContain("line 2: not UTF-8")
    }).pipe(Effect.provide(NodeContext.layer)))

  it("keeps an apostrophe a person typed (not before a formula character)", () => {
    expect(Csv.restore("'Neill")).toBe("'Neill")
    expect(Csv.restore(Csv.neutralise("'Neill"))).toBe("'Neill")
  })

  it.effect("any rows round-trip", () =>
    Effect.promise(() =>
      fc.assert(
        fc.asyncProperty(
          fc.array(fc.array(fc.string({ unit: "binary" }), { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }),
          async (rows) => {
            // csv-parse skips empty lines: a row of one empty cell is one; give such rows a second cell.
            const input = rows.map((row) => (row.length === 1 && row[0] === "" ? ["", "x"] : row))
            const { rows: read } = await Effect.runPromise(roundTrip(input))
            expect(read).toEqual(input)
          }
        ),
        { numRuns: 60 }
      )
    ).pipe(Effect.provide(NodeContext.layer)))
})
