/**
 * A loopback HTTP server that answers with whatever a test scripts, for the responses the sandbox
 * cannot produce on demand (HTML error pages, malformed bodies, hangs). Records every request.
 */
import { Effect, type Scope } from "effect"
import { createServer, type IncomingHttpHeaders, type ServerResponse } from "node:http"
import { type AddressInfo, createServer as createNetServer } from "node:net"

export interface Recorded {
  readonly method: string
  readonly url: string
  readonly headers: IncomingHttpHeaders
  readonly body: string
}

export interface ScriptedServer {
  readonly url: string
  readonly requests: ReadonlyArray<Recorded>
}

export type Handler = (request: Recorded, response: ServerResponse) => void

/** Starts the server for the scope's lifetime. */
export const start = (handler: Handler): Effect.Effect<ScriptedServer, never, Scope.Scope> =>
  Effect.acquireRelease(
    Effect.async<{ readonly server: ReturnType<typeof createServer>; readonly state: ScriptedServer }>((resume) => {
      const requests: Array<Recorded> = []
      const server = createServer((req, res) => {
        const chunks: Array<Buffer> = []
        req.on("data", (chunk: Buffer) => chunks.push(chunk))
        req.on("end", () => {
          const recorded = {
            method: req.method ?? "",
            url: req.url ?? "",
            headers: req.headers,
            body: Buffer.concat(chunks).toString("utf8")
          }
          requests.push(recorded)
          handler(recorded, res)
        })
      })
      server.listen(0, "127.0.0.1", () => {
        const { port } = server.address() as AddressInfo
        resume(Effect.succeed({ server, state: { url: `http://127.0.0.1:${port}`, requests } }))
      })
    }),
    ({ server }) =>
      Effect.async<void>((resume) => {
        server.closeAllConnections()
        server.close(() => resume(Effect.void))
      })
  ).pipe(Effect.map(({ state }) => state))

/** Answers with a status, a body and optional headers. */
export const reply = (
  response: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = { "content-type": "application/json" }
): void => {
  response.writeHead(status, headers)
  response.end(body)
}

/** A loopback port nobody listens on: found free, then closed again (a connection is refused). */
export const closedPort: Effect.Effect<number> = Effect.async<number>((resume) => {
  const probe = createNetServer()
  probe.listen(0, "127.0.0.1", () => {
    const address = probe.address()
    const free = typeof address === "object" && address !== null ? address.port : 0
    probe.close(() => resume(Effect.succeed(free)))
  })
})
