/**
 * What the fault, crash and security suites share: a sandbox bin that logs every request (so the
 * faults it injected can be counted), the CLI under Node, seeded choices, and reads of the
 * sandbox's persons that survive the sandbox's own faults (so the test's view of the server is not
 * the client under test).
 */
// How the sandbox draws its faults: the suites predict which requests a seed faults.
import * as Faults from "../../packages/sandbox/src/internal/traffic/Faults.ts"
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { appendFileSync, mkdirSync, mkdtempSync } from "node:fs"
import { type ApiPerson, cli } from "./cliRuns.ts"

export { allPersons, type ApiPerson, getJson } from "./cliRuns.ts"
import { root } from "./processes.ts"

/** Whether the full matrix runs (`npm run test:faults`), or the small sample of `npm test`. */
export const full = process.env["FAULTS_FULL"] === "1"

/** The CLI under Node (the built bin). */
export const nodeCli = cli.node

/** A fresh directory under test/generated (git-ignored), for one suite's files. */
export const scratch = (name: string): string => {
  mkdirSync(`${root}test/generated`, { recursive: true })
  return mkdtempSync(`${root}test/generated/${name}-`)
}

/** A sandbox bin started with `--verbose`: its request log says how many requests drew a fault. */
export interface LoggedSandbox {
  readonly url: string
  /** One entry per request answered: method, path, status, and when the log line arrived (ms). */
  readonly requests: () => ReadonlyArray<Answered>
  readonly stop: () => Promise<void>
}

/** A request the sandbox logged as answered. */
export interface Answered {
  readonly method: string
  readonly path: string
  readonly status: number
  /** `Date.now()` when its log line reached the test. */
  readonly at: number
}

/** Starts `pipedrive-sandbox --port 0 --verbose …args` and waits for its READY line. */
export const startLoggedSandbox = async (args: ReadonlyArray<string>): Promise<LoggedSandbox> => {
  const child: ChildProcess = spawn(
    "node",
    [`${root}packages/sandbox/bin/pipedrive-sandbox.mjs`, "--port", "0", "--verbose", ...args],
    { cwd: root, stdio: ["ignore", "pipe", "pipe"] }
  )
  let log = ""
  let partial = ""
  const answered: Array<Answered> = []
  child.stderr?.on("data", (chunk: Buffer) => {
    const text = chunk.toString()
    log += text
    const lines = (partial + text).split("\n")
    partial = lines.pop() ?? ""
    const at = Date.now()
    for (const line of lines) {
      const match = /^(GET|POST|PUT|PATCH|DELETE) (\S+) (\d{3}) \d+ms$/.exec(line)
      if (match !== null) answered.push({ method: match[1]!, path: match[2]!, status: Number(match[3]), at })
    }
  })
  const url = await new Promise<string>((resolve, reject) => {
    let buffered = ""
    const timer = setTimeout(() => reject(new Error(`sandbox not READY: ${buffered} ${log}`)), 30_000)
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString()
      const match = /^READY (http:\/\/127\.0\.0\.1:\d+)\n/.exec(buffered)
      if (match?.[1] !== undefined) {
        clearTimeout(timer)
        resolve(match[1])
      }
    })
    child.on("exit", (code) => reject(new Error(`sandbox exited with ${code} before READY: ${log}`)))
  })
  return {
    url,
    requests: () => answered,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM")
        await once(child, "exit")
      }
    }
  }
}

/** The fault flags of the matrix, as the sandbox reads them. */
export interface FaultFlags {
  readonly failRate?: number
  readonly dropBeforeRate?: number
  readonly dropAfterRate?: number
  readonly slowRate?: number
  readonly slowMillis?: number
  readonly truncateRate?: number
}

/** The sandbox's flags for `faults`. */
export const faultArgs = (faults: FaultFlags): ReadonlyArray<string> => [
  ...(faults.failRate === undefined ? [] : ["--fail-rate", String(faults.failRate)]),
  ...(faults.dropBeforeRate === undefined ? [] : ["--drop-before-rate", String(faults.dropBeforeRate)]),
  ...(faults.dropAfterRate === undefined ? [] : ["--drop-after-rate", String(faults.dropAfterRate)]),
  ...(faults.slowRate === undefined ? [] : ["--slow-rate", String(faults.slowRate)]),
  ...(faults.slowMillis === undefined ? [] : ["--slow-ms", String(faults.slowMillis)]),
  ...(faults.truncateRate === undefined ? [] : ["--truncate-rate", String(faults.truncateRate)])
]

/** The kinds of fault the sandbox injects. */
export type FaultKind = Exclude<Faults.Fault, "none">

/**
 * Faults of each kind the sandbox drew for its requests numbered `from` (inclusive) to `to`
 * (exclusive): the draw is a pure function of the seed and the request's sequence number.
 */
export const tally = (faults: FaultFlags, seed: string, from: number, to: number): Record<FaultKind, number> => {
  const counts = { fail: 0, dropBefore: 0, dropAfter: 0, slow: 0, truncate: 0 }
  const options: Faults.Options = { ...faults, seed }
  for (let sequence = from; sequence < to; sequence++) {
    const fault = Faults.faultOf(options, sequence)
    if (fault !== "none") counts[fault]++
  }
  return counts
}

/** The 403s among the sandbox's answers to requests `from` (inclusive) to `to` (exclusive), in the order answered. */
export const forbidden = (sandbox: LoggedSandbox, from: number, to: number) =>
  sandbox.requests().slice(from, to).filter((request) => request.status === 403)

/** Requests that drew a fault: all answered but those refused by the rate limit (429, 403). */
export const draws = (sandbox: LoggedSandbox): number =>
  sandbox.requests().filter((request) => request.status !== 429 && request.status !== 403).length

/** A small seeded generator (mulberry32), for kill points and samples. */
export const random = (seed: number) => {
  let state = seed >>> 0
  return (): number => {
    state = (state + 0x6d2b79f5) | 0
    let t = Math.imul(state ^ (state >>> 15), state | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}


/** A person's primary email, trimmed and lower-cased ("" when none). */
export const primaryEmail = (person: ApiPerson): string =>
  (person.emails.find((email) => email.primary)?.value ?? "").trim().toLowerCase()

/** The lines of an NDJSON text (blank lines dropped). */
export const ndjson = <A>(text: string): ReadonlyArray<A> =>
  text.split("\n").filter((line) => line !== "").map((line) => JSON.parse(line) as A)

/**
 * The first `count` seeds `PREFIX-n` (n = 0, 1, …) whose first `within` requests draw at least one
 * fault of every kind in `kinds`: fixed seeds that are sure to exercise what a scenario is about.
 */
export const seedsWith = (
  prefix: string,
  faults: FaultFlags,
  kinds: ReadonlyArray<FaultKind>,
  within: number,
  count: number
): ReadonlyArray<string> => {
  const seeds: Array<string> = []
  for (let n = 0; seeds.length < count && n < 10_000; n++) {
    const counts = tally(faults, `${prefix}-${n}`, 0, within)
    if (kinds.every((kind) => counts[kind] > 0)) seeds.push(`${prefix}-${n}`)
  }
  return seeds
}

/** The kinds whose rate is above 0 in `faults`. */
export const kindsOf = (faults: FaultFlags): ReadonlyArray<FaultKind> => [
  ...((faults.failRate ?? 0) > 0 ? ["fail" as const] : []),
  ...((faults.dropBeforeRate ?? 0) > 0 ? ["dropBefore" as const] : []),
  ...((faults.dropAfterRate ?? 0) > 0 ? ["dropAfter" as const] : []),
  ...((faults.slowRate ?? 0) > 0 ? ["slow" as const] : []),
  ...((faults.truncateRate ?? 0) > 0 ? ["truncate" as const] : [])
]

/** The matrix's scenarios: each fault alone at the rates, then all at once. */
export const scenarios: ReadonlyArray<readonly [string, FaultFlags]> = [
  ["5% 5xx", { failRate: 0.05 }],
  ["2% dropped after the write", { dropAfterRate: 0.02 }],
  ["2% dropped before", { dropBeforeRate: 0.02 }],
  ["2% slow past the timeout", { slowRate: 0.02, slowMillis: 6_000 }],
  ["2% truncated bodies", { truncateRate: 0.02 }],
  ["all at once", { failRate: 0.05, dropAfterRate: 0.02, dropBeforeRate: 0.02, slowRate: 0.02, slowMillis: 6_000, truncateRate: 0.02 }]
]

/**
 * The client's timeout in the matrix: below `--slow-ms`, so a slow answer is a timeout, and far
 * enough above an answer's time on a loaded 2-core CI machine (where a 2 s timeout once expired on
 * three creates of one row in a row) that only the injected slow answers time out.
 */
export const clientTimeout = "5 seconds"

/**
 * Appends one line of figures (faults injected, runs killed…) to the file named by
 * `FAULTS_FIGURES`, when set: what RELIABILITY.md's figures are read from.
 */
export const record = (figures: Record<string, unknown>): void => {
  const path = process.env["FAULTS_FIGURES"]
  if (path !== undefined && path !== "") appendFileSync(path, `${JSON.stringify(figures)}\n`)
}

/**
 * Runs the CLI and kills it with SIGKILL `delayMs` after `ready()` first holds (polled every 5 ms):
 * a kill point reached by an event (a file appearing, the sandbox's log of requests answered), not
 * by the clock. Not killed when it finished first: `killed` says which.
 */
export const killAfterReady = async (
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  ready: () => boolean,
  delayMs: number
): Promise<{ readonly killed: boolean; readonly code: number | null }> => {
  const [bin, prefix] = nodeCli
  const child = spawn(bin, [...prefix, ...args], { cwd: root, env: { ...process.env, NO_COLOR: "1", ...env }, stdio: "ignore" })
  const closed = once(child, "close")
  let killed = false
  let timer: ReturnType<typeof setTimeout> | undefined
  const poll = setInterval(() => {
    if (child.exitCode !== null || !ready()) return
    clearInterval(poll)
    timer = setTimeout(() => {
      if (child.exitCode === null) {
        killed = true
        child.kill("SIGKILL")
      }
    }, delayMs)
  }, 5)
  const [code] = (await closed) as [number | null]
  clearInterval(poll)
  if (timer !== undefined) clearTimeout(timer)
  return { killed, code }
}

/**
 * What an uninterrupted run of a job cost: the requests the sandbox answered, and the time from the
 * first answer to the last (not the process's whole run: its start-up, ~0.5 s, spread over 20
 * requests made "an average request" 25 ms where one takes 2, and a kill point meant to fall among
 * a delete's last requests fell after all of them).
 */
export interface Baseline {
  readonly requests: number
  readonly millis: number
}

/** The `Baseline` of the requests `sandbox` answered from index `from` on (a run that just ended). */
export const baselineOf = (sandbox: LoggedSandbox, from = 0): Baseline => {
  const answered = sandbox.requests().slice(from)
  const first = answered[0]
  const last = answered[answered.length - 1]
  return { requests: answered.length, millis: first === undefined || last === undefined ? 0 : last.at - first.at }
}

/**
 * Runs the CLI and kills it with SIGKILL at a point of its progress as the sandbox saw it: once the
 * sandbox has answered `share` of the requests an uninterrupted run makes (counted from the start),
 * then the part of an average request's time that `share` leaves over. Unlike a point in time, this
 * is reached on any machine however loaded, as long as `share` (below 1) leaves requests to make;
 * the suites check it was (a kill point not reached is a failed test, never a skipped check).
 */
export const killAtShare = async (
  sandbox: LoggedSandbox,
  args: ReadonlyArray<string>,
  env: Record<string, string>,
  share: number,
  baseline: Baseline
): Promise<{ readonly killed: boolean; readonly afterRequests: number; readonly delayMs: number }> => {
  const start = sandbox.requests().length
  const exact = share * baseline.requests
  const afterRequests = Math.floor(exact)
  const delayMs = Math.round(((exact - afterRequests) * baseline.millis) / baseline.requests)
  const { killed } = await killAfterReady(args, env, () => sandbox.requests().length - start >= afterRequests, delayMs)
  return { killed, afterRequests, delayMs }
}

/** `count` kill points, seeded: shares of an uninterrupted run (see `killAtShare`), spread over `[from, to)`. */
export const killPoints = (seed: number, count: number, from: number, to: number): ReadonlyArray<number> => {
  const next = random(seed)
  return Array.from({ length: count }, () => from + next() * (to - from))
}

/** How many kill points each workflow gets: a sample in `npm test`, 20 in the full run. */
export const killCount = full ? 20 : 3
