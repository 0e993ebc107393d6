/**
 * A person's picture through API v1: upload (multipart) and delete. Re-exported from `PersonsV1` as
 * `PersonsV1.picture.add` / `PersonsV1.picture.remove`; `Persons.picture(id)` (v2) reads it.
 *
 * The file may be bytes, a `Stream` of bytes, or a path on disk. Reading a path needs the platform's
 * `FileSystem` (`NodeContext.layer` from `@effect/platform-node` on Node and Deno), so only that
 * variant asks for it. Pipedrive takes GIF, JPEG and PNG; anything else is refused before sending.
 *
 * @example
 * ```ts
 * import { NodeContext } from "@effect/platform-node"
 * import { PersonsV1 } from "@pipedrive-effect/core"
 * import { Effect } from "effect"
 *
 * const upload = PersonsV1.picture.add(12, { path: "./ada.png" }, { crop_x: 0, crop_y: 0, crop_width: 128, crop_height: 128 })
 *   .pipe(Effect.provide(NodeContext.layer))
 * ```
 *
 * @module
 */
import * as FileSystem from "@effect/platform/FileSystem"
import * as HttpBody from "@effect/platform/HttpBody"
import type { PlatformError } from "@effect/platform/Error"
import * as Effect from "effect/Effect"
import * as Stream from "effect/Stream"
import * as Bytes from "../Bytes.ts"
import { DeletedResponse, PictureResponse } from "./PersonRelationsV1.ts"
import * as PipedriveClient from "../../PipedriveClient.ts"
import { InvalidRequest, type PipedriveError } from "../../PipedriveError.ts"
import type { Picture } from "../../schema/PersonRelations.ts"

/** The image types Pipedrive accepts for a picture. */
export type PictureContentType = "image/gif" | "image/jpeg" | "image/png"

const accepted: ReadonlyArray<string> = ["image/gif", "image/jpeg", "image/png", "image/jpg"]

/** A picture already in memory. */
export interface PictureBytes {
  readonly bytes: Uint8Array
  /** The name Pipedrive stores, e.g. `ada.png`. */
  readonly fileName: string
  /** `image/gif`, `image/jpeg` or `image/png`; anything else is refused with `InvalidRequest`. */
  readonly contentType: string
}

/** A picture read from a stream (collected before sending: multipart needs the length). */
export interface PictureStream<E> {
  readonly stream: Stream.Stream<Uint8Array, E>
  readonly fileName: string
  readonly contentType: string
}

/** A picture on disk. The name defaults to the path's last segment, the type to its extension's. */
export interface PicturePath {
  readonly path: string
  readonly fileName?: string | undefined
  readonly contentType?: string | undefined
}

/** Where to crop the uploaded picture, in pixels; Pipedrive then scales it to 128 and 512. */
export interface Crop {
  readonly crop_x?: number | undefined
  readonly crop_y?: number | undefined
  readonly crop_width?: number | undefined
  readonly crop_height?: number | undefined
}

const where = (id: number) => ({ operation: "addPersonPicture", method: "POST", path: `/api/v1/persons/${id}/picture` } as const)

const typeFromName = (name: string): string | undefined => {
  const extension = /\.([^./\\]+)$/.exec(name)?.[1]?.toLowerCase()
  switch (extension) {
    case "gif":
      return "image/gif"
    case "jpg":
    case "jpeg":
      return "image/jpeg"
    case "png":
      return "image/png"
    default:
      return undefined
  }
}

const checkType = (id: number, contentType: string | undefined): Effect.Effect<string, InvalidRequest> =>
  contentType !== undefined && accepted.includes(contentType.toLowerCase())
    ? Effect.succeed(contentType.toLowerCase() === "image/jpg" ? "image/jpeg" : contentType.toLowerCase())
    : Effect.fail(
      new InvalidRequest({
        ...where(id),
        detail: `file: the content type must be image/gif, image/jpeg or image/png, got ${JSON.stringify(contentType ?? "unknown")}`
      })
    )

const checkCrop = (id: number, crop: Crop): Effect.Effect<void, InvalidRequest> => {
  for (const [key, value] of Object.entries(crop)) {
    if (!["crop_x", "crop_y", "crop_width", "crop_height"].includes(key)) {
      return Effect.fail(new InvalidRequest({ ...where(id), detail: `${key}: is unexpected` }))
    }
    if (value !== undefined && (typeof value !== "number" || !Number.isInteger(value) || value < 0)) {
      return Effect.fail(new InvalidRequest({ ...where(id), detail: `${key}: must be a non-negative integer` }))
    }
  }
  return Effect.void
}

const send = (
  id: number,
  bytes: Uint8Array,
  fileName: string,
  contentType: string,
  crop: Crop
): Effect.Effect<Picture, PipedriveError, PipedriveClient.PipedriveClient> =>
  Effect.suspend(() => {
    const form = new FormData()
    // A copy: Blob wants an ArrayBuffer-backed view, and the caller's bytes may be a view of a larger buffer.
    form.append("file", new Blob([new Uint8Array(bytes)], { type: contentType }), fileName)
    for (const [key, value] of Object.entries(crop)) {
      if (value !== undefined) form.append(key, String(value))
    }
    return PipedriveClient.request({ ...where(id), body: HttpBody.formData(form), response: PictureResponse })
  }).pipe(Effect.map((response) => response.data))

const upload = <E, R>(
  id: number,
  fileName: string,
  contentType: string | undefined,
  crop: Crop,
  read: Effect.Effect<Uint8Array, E, R>
): Effect.Effect<Picture, PipedriveError | E, PipedriveClient.PipedriveClient | R> => Effect.gen(function*() {
  yield* checkCrop(id, crop)
  const type = yield* checkType(id, contentType)
  const bytes = yield* read
  if (bytes.byteLength === 0) return yield* new InvalidRequest({ ...where(id), detail: "file: is empty" })
  return yield* send(id, bytes, fileName, type, crop)
})

/** Uploads a picture for a person (`addPersonPicture`, `POST /v1/persons/{id}/picture`, multipart). */
export function add(
  id: number,
  file: PictureBytes,
  crop?: Crop
): Effect.Effect<Picture, PipedriveError, PipedriveClient.PipedriveClient>
export function add<E>(
  id: number,
  file: PictureStream<E>,
  crop?: Crop
): Effect.Effect<Picture, PipedriveError | E, PipedriveClient.PipedriveClient>
export function add(
  id: number,
  file: PicturePath,
  crop?: Crop
): Effect.Effect<Picture, PipedriveError | PlatformError, PipedriveClient.PipedriveClient | FileSystem.FileSystem>
export function add<E>(
  id: number,
  file: PictureBytes | PictureStream<E> | PicturePath,
  crop: Crop = {}
): Effect.Effect<Picture, PipedriveError | PlatformError | E, PipedriveClient.PipedriveClient | FileSystem.FileSystem> {
  if ("bytes" in file) {
    return upload(id, file.fileName, file.contentType, crop, Effect.succeed(file.bytes))
  }
  if ("stream" in file) {
    return upload(id, file.fileName, file.contentType, crop, Stream.runCollect(file.stream).pipe(Effect.map(Bytes.concat)))
  }
  const fileName = file.fileName ?? file.path.split(/[/\\]/).pop() ?? "picture"
  const read = Effect.flatMap(FileSystem.FileSystem, (fs) => fs.readFile(file.path))
  return upload(id, fileName, file.contentType ?? typeFromName(fileName), crop, read)
}

/** Deletes a person's picture (`deletePersonPicture`, `DELETE /v1/persons/{id}/picture`); returns the picture id. */
export const remove = (id: number): Effect.Effect<number | undefined, PipedriveError, PipedriveClient.PipedriveClient> =>
  PipedriveClient.request({
    operation: "deletePersonPicture",
    method: "DELETE",
    path: `/api/v1/persons/${id}/picture`,
    response: DeletedResponse
  }).pipe(Effect.map((body) => body.data.id ?? undefined))
