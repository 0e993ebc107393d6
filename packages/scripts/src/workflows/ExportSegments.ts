/**
 * The files of an API v2 export while it runs: one segment per time window (its pages, in
 * `update_time` order), and the catch-up's segment (the persons changed during the walk, NDJSON).
 * At the end `join` writes the export: the header, the segments in time order, each person that
 * changed during the walk left out there and written once at the end at its latest version.
 *
 * Each page is appended and synced before the state file records the segment's new length, so a
 * crash leaves at most a torn page after a checkpoint, cut on resume (`cutBack`).
 */
import { FileSystem, Path } from "@effect/platform"
import { Persons } from "@pipedrive-effect/core"
import { Chunk, Effect, Schema, Stream } from "effect"
import * as AtomicFile from "../files/AtomicFile.ts"
import * as Csv from "../files/Csv.ts"
import type * as ExportState from "../files/ExportState.ts"
import * as Ndjson from "../files/Ndjson.ts"
import type * as PersonRecord from "../records/PersonRecord.ts"
import * as IdSet from "./IdSet.ts"

/** The segment file of the window starting at `since` (epoch seconds), beside the partial file. */
export const windowPath = (temp: string, since: number): string => `${temp}.w${since}`

/** The catch-up's segment file. */
export const catchUpPath = (temp: string): string => `${temp}.catch-up.ndjson`

/**
 * Appends `text` to a segment and syncs it; `fresh` starts the file over (a segment the state
 * does not know yet may hold a page written after the last checkpoint). Returns its new length.
 */
export const appendSynced = (
  path: string,
  text: string,
  options: { readonly fresh: boolean }
): Effect.Effect<number, AtomicFile.FileError, FileSystem.FileSystem> =>
  Effect.scoped(Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const file = yield* fs.open(path, { flag: options.fresh ? "w" : "a", mode: AtomicFile.fileMode })
    yield* file.writeAll(AtomicFile.bytes(text))
    yield* file.sync
    return Number((yield* file.stat).size)
  })).pipe(Effect.mapError(AtomicFile.fromPlatform(path)))

/** Resuming: every segment the state knows cut back to its checkpointed length. */
export const cutBack = (
  segments: ReadonlyArray<ExportState.Segment>
): Effect.Effect<void, AtomicFile.FileError, FileSystem.FileSystem> =>
  Effect.forEach(segments, (segment) =>
    Effect.scoped(Effect.flatMap(AtomicFile.appender(segment.path, { truncateTo: segment.bytes }), (file) => file.sync)), {
    discard: true
  })

/** The id of one record of a segment: NDJSON's `id`, CSV's first cell (the `id` column). */
const idOf = (format: PersonRecord.Format, record: string | ReadonlyArray<string>): number | undefined => {
  if (format === "csv") return Number((record as ReadonlyArray<string>)[0])
  // The export writes `id` first (`PersonRecord.toNdjsonLine`): read it without parsing the line.
  const leading = /^\{"id":(\d+)[,}]/.exec(record as string)
  if (leading !== null) return Number(leading[1])
  const json: unknown = JSON.parse(record as string)
  return typeof json === "object" && json !== null && "id" in json && typeof json.id === "number" ? json.id : undefined
}

/** A segment's records as text, each with its id. */
const records = (path: string, format: PersonRecord.Format) =>
  format === "csv"
    ? Stream.map(Csv.read(path), (record) => ({ id: idOf("csv", record.cells), text: Csv.format([record.cells]) }))
    : Stream.map(Ndjson.lines(path), (line) => ({ id: idOf("ndjson", line.text), text: `${line.text}\n` }))

/** Resuming: the ids the segments hold, so a person met again is not written twice. */
export const idsIn = (
  segments: ReadonlyArray<ExportState.Segment>,
  format: PersonRecord.Format
): Effect.Effect<IdSet.IdSet, AtomicFile.FileError, FileSystem.FileSystem> =>
  Effect.gen(function*() {
    const ids = IdSet.make()
    for (const segment of segments) {
      yield* Stream.runForEach(records(segment.path, format), (record) =>
        Effect.sync(() => {
          if (record.id !== undefined) ids.add(record.id)
        }))
    }
    return ids
  })

const decodePerson = Schema.decodeUnknownSync(Persons.Person)

/** The catch-up's persons, each at the last version met. */
export const latestOf = (
  segment: ExportState.Segment | null
): Effect.Effect<ReadonlyMap<number, Persons.Person>, AtomicFile.FileError, FileSystem.FileSystem> =>
  segment === null
    ? Effect.succeed(new Map())
    : Stream.runFold(Ndjson.lines(segment.path), new Map<number, Persons.Person>(), (latest, line) => {
      const person = decodePerson(JSON.parse(line.text))
      // Re-inserted so the map's order is the order of the last versions.
      latest.delete(person.id)
      latest.set(person.id, person)
      return latest
    })

/**
 * Writes the export to `out` (its partial file, not yet renamed): the CSV header, the segments in
 * time order with the persons of `latest` left out, then `latest`'s persons. Returns how many
 * persons it holds (`written`, the segments' count, when nothing was superseded).
 */
export const join = (
  out: string,
  format: PersonRecord.Format,
  columns: ReadonlyArray<string> | null,
  segments: ReadonlyArray<ExportState.Segment>,
  latest: ReadonlyMap<number, Persons.Person>,
  written: number,
  text: (persons: ReadonlyArray<Persons.Person>) => string
): Effect.Effect<number, AtomicFile.FileError, FileSystem.FileSystem> =>
  Effect.scoped(Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    // A join a kill cut off left a part of this file: start it over.
    yield* AtomicFile.removeQuietly(out)
    const file = yield* AtomicFile.appender(out)
    if (columns !== null) yield* file.append(Csv.format([columns]))
    let kept = 0
    for (const segment of [...segments].sort((a, b) => a.since - b.since)) {
      if (latest.size === 0) {
        // Nothing superseded: the segment as it is, without reading its records.
        yield* fs.stream(segment.path, { chunkSize: 1 << 20 }).pipe(
          Stream.mapError(AtomicFile.fromPlatform(segment.path)),
          Stream.decodeText(),
          Stream.runForEach((chunk) => file.append(chunk))
        )
        continue
      }
      // Appended a batch at a time: one write per record was 100,000 system calls for 100,000 persons.
      yield* records(segment.path, format).pipe(
        Stream.filter((record) => record.id === undefined || !latest.has(record.id)),
        Stream.rechunk(joinBatch),
        Stream.runForEachChunk((batch) => {
          kept += batch.length
          return file.append(Chunk.join(Chunk.map(batch, (record) => record.text), ""))
        })
      )
    }
    const changed = [...latest.values()]
    for (let i = 0; i < changed.length; i += 500) yield* file.append(text(changed.slice(i, i + 500)))
    yield* file.sync
    return latest.size === 0 ? written : kept + changed.length
  }))

/** Records appended to the export at once when segments are joined record by record. */
const joinBatch = 1_000

/** Removes every segment of the partial file `temp` (a failed export without a state file to resume it). */
export const removeBeside = (temp: string): Effect.Effect<void, never, FileSystem.FileSystem | Path.Path> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const paths = yield* Path.Path
    const prefix = `${paths.basename(temp)}.`
    const names = yield* fs.readDirectory(paths.dirname(temp)).pipe(Effect.orElseSucceed(() => []))
    yield* Effect.forEach(names.filter((name) => name.startsWith(prefix)), (name) =>
      AtomicFile.removeQuietly(paths.join(paths.dirname(temp), name)), { discard: true })
  })

/** Removes the segments (after the export is renamed into place). */
export const removeAll = (
  state: Pick<ExportState.State, "segments" | "catchUp">
): Effect.Effect<void, never, FileSystem.FileSystem> =>
  Effect.forEach([...state.segments, ...(state.catchUp === null ? [] : [state.catchUp])], (segment) =>
    AtomicFile.removeQuietly(segment.path), { discard: true })
