/**
 * The command line of `pipedrive-sandbox`, read by a pure function so every flag's validation can be
 * tested without spawning the bin. `bin.ts` prints what `parse` says and exits.
 */
import { parseArgs } from "node:util"
import type * as Faults from "./traffic/Faults.ts"
import * as Latency from "./traffic/Latency.ts"
import type * as PipedriveSandbox from "../PipedriveSandbox.ts"

/** The help text (`--help`). */
export const USAGE = `Usage: pipedrive-sandbox [options]

  --port N               port on 127.0.0.1 (default 0: any free port)
  --persons N            how many persons to seed (default 0)
  --seed S               seed of the generated persons and of the injected faults (default "sandbox")
  --token T              API token to accept (default "sandbox-token"), a global admin's
  --regular-token T      another token, of a user without admin rights (repeatable)
  --verbose              log each request to stderr
  --rate-limit N         requests each token may make per rolling 2 s (default: no limit)
  --search-rate-limit N  search requests each token may make per rolling 2 s (default 10 with --rate-limit)
  --daily-budget N       token cost (x-token-cost) the company may spend per UTC day (default: no limit)
  --fail-rate P          share of requests answered 503 before processing
  --drop-before-rate P   share of requests whose connection is reset before processing
  --drop-after-rate P    share of requests processed (writes applied), then reset instead of answered
  --slow-rate P          share of requests answered --slow-ms late
  --slow-ms N            delay of a slow answer in ms (default 5000)
  --truncate-rate P      share of requests processed whose answer body is cut in half
  --latency-ms A[-B]     hold every answer back A ms, or a uniform A to B ms (drawn from --seed)
  --search-lag-ms N      search answers from the data as it was N ms ago (default 0)
  --bulk-update-share P  share of the seeded persons, a block mid-range, given one update_time second
  --help                 print this help

Each rate P is a number from 0 to 1 (default 0); together they add up to at most 1.
`

/** What the command line asks for. */
export type Parsed =
  | { readonly _tag: "Help" }
  | { readonly _tag: "Invalid"; readonly message: string }
  | { readonly _tag: "Run"; readonly options: PipedriveSandbox.Options }

// Fault flags, in the order `Faults.faultOf` stacks the rates.
const RATE_FLAGS = [
  ["fail-rate", "failRate"],
  ["drop-before-rate", "dropBeforeRate"],
  ["drop-after-rate", "dropAfterRate"],
  ["slow-rate", "slowRate"],
  ["truncate-rate", "truncateRate"]
] as const

// Rates that add up to 1 in decimal may exceed it by a rounding error in binary.
const SUM_SLACK = 1e-9

class Invalid {
  constructor(readonly message: string) {}
}

const integer = (flag: string, text: string | undefined, min: number, max: number): number | undefined => {
  if (text === undefined) return undefined
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    throw new Invalid(`--${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`)
  }
  return value
}

const rate = (flag: string, text: string | undefined): number | undefined => {
  if (text === undefined) return undefined
  const value = /^(\d+(\.\d*)?|\.\d+)$/.test(text) ? Number(text) : Number.NaN
  if (!(value >= 0 && value <= 1)) throw new Invalid(`--${flag} must be a number from 0 to 1, got ${JSON.stringify(text)}`)
  return value
}

// `A` or `A-B`, whole milliseconds, A at most B.
const latency = (text: string | undefined): Latency.Latency | undefined => {
  if (text === undefined) return undefined
  const match = /^(\d+)(?:-(\d+))?$/.exec(text)
  const min = match === null ? Number.NaN : Number(match[1])
  const max = match?.[2] === undefined ? min : Number(match[2])
  const expected = `--latency-ms must be A or A-B, whole milliseconds from 0 to ${Latency.MAX_MILLIS} with A at most B`
  if (!(min >= 0 && max <= Latency.MAX_MILLIS && min <= max)) throw new Invalid(`${expected}, got ${JSON.stringify(text)}`)
  return match?.[2] === undefined ? min : { min, max }
}

const nonEmpty = (flag: string, text: string | undefined): string | undefined => {
  if (text !== undefined && text.trim() === "") throw new Invalid(`--${flag} must not be empty`)
  return text
}

const read = (argv: ReadonlyArray<string>) =>
  parseArgs({
    args: [...argv],
    options: {
      port: { type: "string" },
      persons: { type: "string" },
      seed: { type: "string" },
      token: { type: "string" },
      "regular-token": { type: "string", multiple: true },
      verbose: { type: "boolean" },
      "rate-limit": { type: "string" },
      "search-rate-limit": { type: "string" },
      "daily-budget": { type: "string" },
      "fail-rate": { type: "string" },
      "drop-before-rate": { type: "string" },
      "drop-after-rate": { type: "string" },
      "slow-rate": { type: "string" },
      "slow-ms": { type: "string" },
      "truncate-rate": { type: "string" },
      "latency-ms": { type: "string" },
      "search-lag-ms": { type: "string" },
      "bulk-update-share": { type: "string" },
      help: { type: "boolean" }
    },
    strict: true,
    allowPositionals: false
  }).values

/**
 * Reads the arguments after the program name. `--seed` seeds both the persons and the faults.
 *
 * @example
 * ```ts
 * import { parse } from "./Flags.ts"
 *
 * parse(["--rate-limit", "20", "--fail-rate", "0.05"])
 * // { _tag: "Run", options: { rateLimit: 20, faults: { failRate: 0.05, seed: "sandbox" }, verbose: false } }
 * parse(["--fail-rate", "0.7", "--slow-rate", "0.5"])
 * // { _tag: "Invalid", message: "the fault rates add up to 1.2 (--fail-rate 0.7, --slow-rate 0.5); at most 1" }
 * ```
 */
export const parse = (argv: ReadonlyArray<string>): Parsed => {
  try {
    let flags: ReturnType<typeof read>
    try {
      flags = read(argv)
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error)
      return { _tag: "Invalid", message: message.replace(/\s*\n\s*/g, " ") }
    }
    if (flags.help === true) return { _tag: "Help" }
    const port = integer("port", flags.port, 0, 65535)
    const persons = integer("persons", flags.persons, 0, 100_000_000)
    const rateLimit = integer("rate-limit", flags["rate-limit"], 1, 1_000_000)
    const searchRateLimit = integer("search-rate-limit", flags["search-rate-limit"], 1, 1_000_000)
    const dailyBudget = integer("daily-budget", flags["daily-budget"], 1, 1_000_000_000)
    const slowMillis = integer("slow-ms", flags["slow-ms"], 0, 3_600_000)
    const latencyMs = latency(flags["latency-ms"])
    const searchLagMs = integer("search-lag-ms", flags["search-lag-ms"], 0, 86_400_000)
    const bulkUpdateShare = rate("bulk-update-share", flags["bulk-update-share"])
    const token = nonEmpty("token", flags.token)
    const regularTokens = flags["regular-token"] ?? []
    for (const regular of regularTokens) nonEmpty("regular-token", regular)

    const faults: { -readonly [K in keyof Faults.Options]: Faults.Options[K] } = {}
    const given: Array<string> = []
    let sum = 0
    for (const [flag, key] of RATE_FLAGS) {
      const value = rate(flag, flags[flag])
      if (value === undefined) continue
      faults[key] = value
      sum += value
      if (value > 0) given.push(`--${flag} ${value}`)
    }
    if (sum > 1 + SUM_SLACK) {
      throw new Invalid(`the fault rates add up to ${Number(sum.toFixed(6))} (${given.join(", ")}); at most 1`)
    }
    if (slowMillis !== undefined) faults.slowMillis = slowMillis
    const anyFault = Object.keys(faults).length > 0
    faults.seed = flags.seed ?? "sandbox"

    return {
      _tag: "Run",
      options: {
        ...(port === undefined ? {} : { port }),
        ...(persons === undefined ? {} : { persons }),
        ...(flags.seed === undefined ? {} : { seed: flags.seed }),
        ...(token === undefined ? {} : { token }),
        ...(regularTokens.length === 0 ? {} : { regularTokens }),
        ...(rateLimit === undefined ? {} : { rateLimit }),
        ...(searchRateLimit === undefined ? {} : { searchRateLimit }),
        ...(dailyBudget === undefined ? {} : { dailyBudget }),
        ...(anyFault ? { faults } : {}),
        ...(latencyMs === undefined ? {} : { latencyMs }),
        ...(searchLagMs === undefined ? {} : { searchLagMs }),
        ...(bulkUpdateShare === undefined ? {} : { bulkUpdateShare }),
        verbose: flags.verbose === true
      }
    }
  } catch (error) {
    if (error instanceof Invalid) return { _tag: "Invalid", message: error.message }
    throw error
  }
}
