/**
 * Pipedrive's response envelope (`success`, `data`, `additional_data`) written as JSON.
 *
 * Bodies are plain objects passed to `JSON.stringify`: list pages are the server's hot path, and
 * Schema-encoding every person would cost more than building them.
 */
import { Buffer } from "node:buffer"
import { HttpServerResponse } from "@effect/platform"

/**
 * A JSON response. The string goes to the server as it is (a raw body): encoding a 300 KB page with
 * `TextEncoder` first, as a text body would, costs a copy that Node's own write does not need.
 */
export const json = (status: number, body: unknown): HttpServerResponse.HttpServerResponse =>
  jsonText(status, JSON.stringify(body))

/** A response whose body is already JSON text. */
export const jsonText = (status: number, text: string): HttpServerResponse.HttpServerResponse =>
  HttpServerResponse.raw(text, {
    status,
    contentType: "application/json; charset=utf-8",
    headers: { "content-length": String(Buffer.byteLength(text)) }
  })

/** `{ success: true, data, ...extra }` with status 200. */
export const success = (data: unknown, extra: Record<string, unknown> = {}): HttpServerResponse.HttpServerResponse =>
  json(200, { success: true, data, ...extra })
