/**
 * `HttpTransport`: which transport each entry of the package gives, and what the Node one
 * (`internal/NodeTransport.ts`) must do as `fetch` did, beyond the pipeline tests it shares with
 * `FetchHttpClient` (PipedriveClient.test.ts, Retry.test.ts): every compression Pipedrive may send,
 * a byte order mark, multipart uploads, and the `HttpClientResponse` a program gets through
 * `PipedriveClient.httpClient` (text, JSON, a stream that closes the connection when abandoned).
 */
import { FetchHttpClient, HttpClient, HttpClientRequest } from "@effect/platform"
import { describe, expect, it } from "@effect/vitest"
import * as PipedriveCore from "@pipedrive-effect/core"
import { HttpTransport, Persons, PersonsV1, PipedriveClient, Retry } from "@pipedrive-effect/core"
import { Deferred, Effect, Exit, Layer, Option, Redacted, Stream } from "effect"
import { readdirSync, readFileSync } from "node:fs"
import { join } from "node:path"
import { fileURLToPath } from "node:url"
import { brotliCompressSync, deflateSync, gzipSync } from "node:zlib"
import * as Portable from "../src/index.ts"
import * as FetchTransport from "../src/internal/FetchTransport.ts"
import * as NodeTransport from "../src/internal/NodeTransport.ts"
import * as ResponseBody from "../src/internal/ResponseBody.ts"
import * as ScriptedServer from "./support/ScriptedServer.ts"

const clientLayer = (baseUrl: string) =>
  PipedriveClient.layer({ apiToken: Redacted.make("node-token"), baseUrl }).pipe(
    Layer.provide([HttpTransport.layer, Retry.disabled])
  )

const person = { success: true, data: { id: 7, name: "Ada Lövelace" } }

describe("HttpTransport", () => {
  it("is node:http in the package as Node resolves it, fetch in the main entry (Deno, Bun, browsers)", () => {
    expect(HttpTransport.layer).toBe(NodeTransport.layer)
    expect(Portable.HttpTransport.layer).toBe(FetchTransport.layer)
    expect(Object.keys(Portable).sort()).toEqual(Object.keys(PipedriveCore).sort())
  })

  it.scoped("asks for compression and reads gzip, deflate and brotli bodies", () =>
    Effect.gen(function*() {
      const text = JSON.stringify(person)
      const encodings: Record<string, (body: string) => Buffer> = {
        "/api/v2/persons/1": (body) => gzipSync(body),
        "/api/v2/persons/2": (body) => deflateSync(body),
        "/api/v2/persons/3": (body) => brotliCompressSync(body)
      }
      const names = ["gzip", "deflate", "br"]
      const server = yield* ScriptedServer.start((request, res) => {
        const index = Object.keys(encodings).indexOf(request.url)
        const encode = encodings[request.url]
        if (encode === undefined) return ScriptedServer.reply(res, 404, "{}")
        res.writeHead(200, { "content-type": "application/json", "content-encoding": names[index] ?? "" })
        res.end(encode(text))
      })
      const got = yield* Effect.all([Persons.get(1), Persons.get(2), Persons.get(3)]).pipe(Effect.provide(clientLayer(server.url)))
      expect(got.map((p) => p.name)).toEqual(["Ada Lövelace", "Ada Lövelace", "Ada Lövelace"])
      expect(server.requests[0]?.headers["accept-encoding"]).toContain("gzip")
    }))

  it.scoped("drops a UTF-8 byte order mark before the JSON, as fetch's text() does", () =>
    Effect.gen(function*() {
      const server = yield* ScriptedServer.start((_, res) => {
        res.writeHead(200, { "content-type": "application/json" })
        res.end(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(JSON.stringify(person))]))
      })
      const got = yield* Persons.get(7).pipe(Effect.provide(clientLayer(server.url)))
      expect(got.name).toBe("Ada Lövelace")
    }))

  it.scoped("sends a multipart upload whole, with its boundary and length", () =>
    Effect.gen(function*() {
      const server = yield* ScriptedServer.start((_, res) =>
        ScriptedServer.reply(res, 201, JSON.stringify({ success: true, data: { id: 1, item_type: "person", item_id: 10 } }))
      )
      // ASCII bytes, so that the server's record of the body as text measures the same.
      const bytes = new TextEncoder().encode("PNG-ish bytes")
      yield* Effect.either(
        PersonsV1.picture.add(10, { bytes, fileName: "ada.png", contentType: "image/png" }).pipe(
          Effect.provide(clientLayer(server.url))
        )
      )
      const sent = server.requests[0]
      const boundary = /^multipart\/form-data; boundary=(.+)$/.exec(sent?.headers["content-type"] ?? "")?.[1]
      expect(boundary).toBeDefined()
      // Whole: up to the closing boundary, which a wrong length would cut off.
      expect(sent?.body.endsWith(`--${boundary}--\r\n`)).toBe(true)
      expect(sent?.body).toContain('filename="ada.png"')
      expect(sent?.body).toContain("PNG-ish bytes")
    }))

  it.scoped("gives httpClient's users the platform's response: text, json, and a stream that closes an abandoned body", () =>
    Effect.gen(function*() {
      const closed = yield* Deferred.make<void>()
      const server = yield* ScriptedServer.start((request, res) => {
        if (request.url === "/endless") {
          res.writeHead(200, { "content-type": "application/octet-stream" })
          res.on("close", () => Deferred.unsafeDone(closed, Exit.void))
          const chunk = Buffer.alloc(16 * 1024, 1)
          const pump = () => {
            while (!res.destroyed && res.write(chunk)) {
              // until the socket's buffer is full
            }
            if (!res.destroyed) res.once("drain", pump)
          }
          return pump()
        }
        ScriptedServer.reply(res, 200, JSON.stringify(person))
      })
      const client = yield* PipedriveClient.PipedriveClient.pipe(Effect.provide(clientLayer(server.url)))
      const json = yield* Effect.flatMap(client.httpClient.execute(HttpClientRequest.get("/api/v2/persons/7")), (r) => r.json)
      expect(json).toEqual(person)
      const text = yield* Effect.flatMap(client.httpClient.execute(HttpClientRequest.get("/api/v2/persons/7")), (r) => r.text)
      expect(JSON.parse(text)).toEqual(person)
      const response = yield* client.httpClient.execute(HttpClientRequest.get("/endless"))
      const first = yield* Stream.runCollect(Stream.take(response.stream, 3))
      expect(first.length).toBe(3)
      const seen = yield* Deferred.await(closed).pipe(Effect.timeout("10 seconds"), Effect.option)
      expect(Option.isSome(seen)).toBe(true)
    }))

  // The client reads a page through `ResponseBody.text` once; a response it is done with can be
  // referenced until the next full collection, and a page's bytes or text kept on it stayed alive
  // that long: under Node its buffer's external memory started a full collection every few pages,
  // under Deno its text was promoted at every scavenge (bench/PROFILE-notes.md). `text` still keeps
  // the body for a second read, as the platform's responses do.
  it.scoped.each([["node:http", NodeTransport.layer], ["fetch", FetchTransport.layer]] as const)(
    "over %s, a body read within the limit is not kept on the response; text is",
    ([, transport]) =>
      Effect.gen(function*() {
        const body = Buffer.from(JSON.stringify(person))
        // A declared length, then chunks: the two ways a body is read within the limit.
        const server = yield* ScriptedServer.start((request, res) => {
          if (request.url === "/declared") {
            res.writeHead(200, { "content-type": "application/json", "content-length": String(body.byteLength) })
            return res.end(body)
          }
          res.writeHead(200, { "content-type": "application/json", "transfer-encoding": "chunked" })
          res.write(body.subarray(0, 10))
          res.end(body.subarray(10))
        })
        const client = yield* HttpClient.HttpClient.pipe(Effect.provide(transport))
        for (const path of ["/declared", "/chunked"]) {
          const get = client.execute(HttpClientRequest.get(`${server.url}${path}`))
          const within = yield* get
          expect(JSON.parse(yield* ResponseBody.text(within, ResponseBody.defaultLimit))).toEqual(person)
          const again = yield* Effect.exit(within.text)
          expect(Exit.isFailure(again), path).toBe(true)
          const plain = yield* get
          const first = yield* plain.text
          expect(yield* plain.text).toBe(first)
          expect(yield* ResponseBody.text(plain, ResponseBody.defaultLimit)).toBe(first)
        }
      }))

  // Over fetch, a body of a declared length is read into one buffer the next such body reuses (a
  // fresh one a page cost a listing under Deno 70,000 more pages of new memory;
  // bench/PROFILE-notes.md): bodies longer and shorter than the one before, in one part or many,
  // each come whole, over either transport.
  it.scoped.each([["node:http", NodeTransport.layer], ["fetch", FetchTransport.layer]] as const)(
    "over %s, bodies longer and shorter than the last, declared or chunked, each read whole",
    ([, transport]) =>
      Effect.gen(function*() {
        const bodies = [300_000, 10, 70_000, 1_000_000, 0, 5].map((length, i) => "é" + "x".repeat(length) + String(i))
        const server = yield* ScriptedServer.start((request, res) => {
          const [, index, how] = request.url.split("/")
          const body = Buffer.from(bodies[Number(index)] ?? "")
          if (how === "declared") {
            res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "content-length": String(body.byteLength) })
            return res.end(body)
          }
          res.writeHead(200, { "content-type": "text/plain; charset=utf-8", "transfer-encoding": "chunked" })
          for (let at = 0; at < body.byteLength; at += 50_000) res.write(body.subarray(at, at + 50_000))
          res.end()
        })
        const client = yield* HttpClient.HttpClient.pipe(Effect.provide(transport))
        for (const how of ["declared", "chunked"]) {
          for (const [i, body] of bodies.entries()) {
            const response = yield* client.execute(HttpClientRequest.get(`${server.url}/${i}/${how}`))
            expect(yield* ResponseBody.text(response, ResponseBody.defaultLimit), `${i} ${how}`).toBe(body)
          }
        }
      }))

  // Over fetch, a body of a declared length that is not a byte stream (a fetch of the program's own
  // may give one) is read by text().
  it.scoped("over fetch, a body of a declared length that is not a byte stream is read whole", () =>
    Effect.gen(function*() {
      const plainStream: typeof globalThis.fetch = async () =>
        new Response(
          new ReadableStream<Uint8Array>({
            start: (controller) => {
              controller.enqueue(new TextEncoder().encode("not a "))
              controller.enqueue(new TextEncoder().encode("byte stream"))
              controller.close()
            }
          }),
          { headers: { "content-length": "17" } }
        )
      const client = yield* HttpClient.HttpClient.pipe(Effect.provide(FetchTransport.layer))
      const text = yield* client.execute(HttpClientRequest.get("http://127.0.0.1:9/anything")).pipe(
        Effect.flatMap((response) => ResponseBody.text(response, ResponseBody.defaultLimit)),
        Effect.provideService(FetchHttpClient.Fetch, plainStream)
      )
      expect(text).toBe("not a byte stream")
    }))

  it("outside Node, takes fetch and its RequestInit from context, as FetchHttpClient does (how Deno's writes get a connection of their own)", () =>
    Effect.gen(function*() {
      const server = yield* ScriptedServer.start((_, res) => ScriptedServer.reply(res, 200, JSON.stringify(person)))
      const seen: Array<RequestInit | undefined> = []
      const spy: typeof globalThis.fetch = (input, init) => {
        seen.push(init)
        return globalThis.fetch(input, init)
      }
      const text = yield* HttpClient.get(`${server.url}/api/v2/persons/7`).pipe(
        Effect.flatMap((response) => response.text),
        Effect.provide(FetchTransport.layer),
        Effect.provideService(FetchHttpClient.Fetch, spy),
        Effect.provideService(FetchHttpClient.RequestInit, { referrerPolicy: "no-referrer" })
      )
      expect(JSON.parse(text)).toEqual(person)
      expect(seen).toHaveLength(1)
      expect(seen[0]?.referrerPolicy).toBe("no-referrer")
      expect(seen[0]?.signal).toBeInstanceOf(AbortSignal)
    }).pipe(Effect.scoped, Effect.runPromise))

  it("loads node: modules only in internal/NodeTransport.ts (the main entry runs on Deno, Bun and browsers)", () => {
    const src = fileURLToPath(new URL("../src", import.meta.url))
    const importers = readdirSync(src, { recursive: true, encoding: "utf8" })
      .filter((file) => file.endsWith(".ts"))
      // The code, not the doc comments (whose examples may well use `node:fs`).
      .filter((file) => /from "node:|import\("node:/.test(withoutComments(readFileSync(join(src, file), "utf8"))))
    expect(importers).toEqual(["internal/NodeTransport.ts"])
  })
})

/** Source text without its block and line comments (good enough for import lines). */
const withoutComments = (text: string): string => text.replace(/\/\*[\s\S]*?\*\//g, "").replace(/^\s*\/\/.*$/gm, "")
