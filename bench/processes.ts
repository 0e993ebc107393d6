/**
 * Child processes of the benchmarks: servers that announce `READY <url>` on their first stdout line
 * (the sandbox bin, the static server), and measured runs that print one JSON object as their last
 * stdout line. Each contender of each round is its own process, so its peak RSS is its own and no
 * JIT state or connection pool carries over from another contender.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"

/** A path relative to the repository root (this file is compiled to bench/dist/). */
export const repoPath = (path: string): string => fileURLToPath(new URL(`../../${path}`, import.meta.url))

/** A compiled benchmark script of bench/dist/. */
export const benchScript = (name: string): string => fileURLToPath(new URL(`./${name}`, import.meta.url))

/** The API token the sandbox accepts by default (and the static server ignores). */
export const token = "sandbox-token"

/** A running server process and how to stop it. */
export interface Server {
  readonly url: string
  readonly child: ChildProcess
  readonly stop: () => void
}

/**
 * Spawns a server and waits for its `READY <url>` line; fails if it exits first. Its stderr goes to
 * this process's, or line by line to `onStderrLine`.
 */
export const startServer = (
  command: string,
  args: ReadonlyArray<string>,
  onStderrLine?: (line: string) => void
): Promise<Server> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ["ignore", "pipe", onStderrLine === undefined ? "inherit" : "pipe"] })
    if (onStderrLine !== undefined) createInterface({ input: child.stderr! }).on("line", onStderrLine)
    const onExit = (code: number | null) => reject(new Error(`${[command, ...args].join(" ")} exited (${code}) before READY`))
    child.once("exit", onExit)
    child.once("error", reject)
    createInterface({ input: child.stdout! }).once("line", (line) => {
      const url = /^READY (\S+)/.exec(line)?.[1]
      child.off("exit", onExit)
      if (url === undefined) {
        child.kill()
        reject(new Error(`expected READY, got ${line}`))
      } else {
        // A benchmark that dies of an error must not leave its servers running.
        const orphan = () => child.kill("SIGTERM")
        process.once("exit", orphan)
        resolve({
          url,
          child,
          stop: () => {
            process.off("exit", orphan)
            child.kill("SIGTERM")
          }
        })
      }
    })
  })

/** The sandbox bin seeded with `persons` persons (seed "bench"), no rate limit, no faults. */
export const startSandbox = (persons: number, extra: ReadonlyArray<string> = []): Promise<Server> =>
  startServer(process.execPath, [
    repoPath("packages/sandbox/bin/pipedrive-sandbox.mjs"),
    "--port",
    "0",
    "--persons",
    String(persons),
    "--seed",
    "bench",
    ...extra
  ])

/** A sandbox started with `--verbose`: and the status and time of every answer it logged (the wire as it saw it). */
export interface LoggedSandbox extends Server {
  readonly statuses: ReadonlyArray<{ readonly at: number; readonly status: number }>
}

/** The sandbox bin with `args` (seed, persons, limits… as given), logging every answer it sends. */
export const startLoggedSandbox = async (args: ReadonlyArray<string>): Promise<LoggedSandbox> => {
  const statuses: Array<{ readonly at: number; readonly status: number }> = []
  const server = await startServer(process.execPath, [repoPath("packages/sandbox/bin/pipedrive-sandbox.mjs"), "--port", "0", "--verbose", ...args], (line) => {
    const status = /^[A-Z]+ \S+ (\d{3}) /.exec(line)?.[1]
    if (status !== undefined) statuses.push({ at: Date.now(), status: Number(status) })
  })
  return { ...server, statuses }
}

/**
 * Runs `node [nodeArgs] script args` and parses the last line of its stdout as JSON. stderr goes
 * to this process's stderr, so a failing contender explains itself.
 */
export const runJson = <A>(
  script: string,
  args: ReadonlyArray<string>,
  nodeArgs: ReadonlyArray<string> = []
): Promise<A> => runCommandJson(process.execPath, [...nodeArgs, script, ...args])

/** `runJson` for any command (the deno binary, say): runs it and parses its last stdout line as JSON. */
export const runCommandJson = <A>(command: string, args: ReadonlyArray<string>): Promise<A> =>
  new Promise((resolve, reject) => {
    const child = spawn(command, [...args], { stdio: ["ignore", "pipe", "inherit"] })
    let out = ""
    child.stdout.setEncoding("utf8")
    child.stdout.on("data", (chunk: string) => {
      out += chunk
    })
    child.once("error", reject)
    child.once("close", (code) => {
      if (code !== 0) return reject(new Error(`${command} ${args.join(" ")} failed with ${code}`))
      try {
        resolve(JSON.parse(out.trim().split("\n").at(-1) ?? "") as A)
      } catch (error) {
        reject(new Error(`${command} printed no JSON: ${String(error)}`))
      }
    })
  })

/** Fetches `url` with the sandbox token and returns its text, failing on any status but 200. */
export const fetchText = async (url: string): Promise<string> => {
  const response = await fetch(url, { headers: { "x-api-token": token } })
  const text = await response.text()
  if (response.status !== 200) throw new Error(`GET ${url}: ${response.status} ${text.slice(0, 200)}`)
  return text
}
