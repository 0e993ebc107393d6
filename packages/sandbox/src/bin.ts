#!/usr/bin/env node
/**
 * `pipedrive-sandbox`: runs the sandbox until SIGINT or SIGTERM.
 *
 * Its first line on stdout is `READY http://127.0.0.1:PORT`, printed once it listens, so a parent
 * process can wait for that line and read the port from it. Nothing else goes to stdout; request
 * logs (`--verbose`) and errors go to stderr. Bad flags exit with code 2.
 */
import { parseArgs } from "node:util"
import { NodeRuntime } from "@effect/platform-node"
import { Console, Effect, Logger } from "effect"
import * as PipedriveSandbox from "./PipedriveSandbox.ts"

const USAGE = `Usage: pipedrive-sandbox [options]

  --port N         port on 127.0.0.1 (default 0: any free port)
  --persons N      how many persons to seed (default 0)
  --seed S         seed of the generated persons and of the injected faults (default "sandbox")
  --token T        API token to accept (default "sandbox-token"), a global admin's
  --regular-token T  another token, of a user without admin rights (repeatable)
  --verbose        log each request to stderr
  --rate-limit N   token cost each token may spend per rolling 2 s (default: no limit)
  --daily-budget N token cost the company may spend per UTC day (default: no limit)
  --fail-rate P    share of requests answered 503 before processing, 0 to 1 (default 0)
  --help           print this help
`

const usageError = (message: string): never => {
  process.stderr.write(`pipedrive-sandbox: ${message.replace(/\s*\n\s*/g, " ")} (see --help)\n`)
  process.exit(2)
}

const integer = (flag: string, text: string | undefined, min: number, max: number): number | undefined => {
  if (text === undefined) return undefined
  const value = /^\d+$/.test(text) ? Number(text) : Number.NaN
  if (!Number.isSafeInteger(value) || value < min || value > max) {
    return usageError(`--${flag} must be an integer from ${min} to ${max}, got ${JSON.stringify(text)}`)
  }
  return value
}

const parse = () => {
  try {
    return parseArgs({
      options: {
        port: { type: "string" },
        persons: { type: "string" },
        seed: { type: "string" },
        token: { type: "string" },
        "regular-token": { type: "string", multiple: true },
        verbose: { type: "boolean" },
        "rate-limit": { type: "string" },
        "daily-budget": { type: "string" },
        "fail-rate": { type: "string" },
        help: { type: "boolean" }
      },
      strict: true,
      allowPositionals: false
    }).values
  } catch (error) {
    return usageError(error instanceof Error ? error.message : String(error))
  }
}

const flags = parse()
if (flags.help === true) {
  process.stdout.write(USAGE)
  process.exit(0)
}
const port = integer("port", flags.port, 0, 65535)
const persons = integer("persons", flags.persons, 0, 100_000_000)
const rateLimit = integer("rate-limit", flags["rate-limit"], 1, 1_000_000)
const dailyBudget = integer("daily-budget", flags["daily-budget"], 1, 1_000_000_000)
const failRate = flags["fail-rate"] === undefined ? undefined : Number(flags["fail-rate"])
if (flags["fail-rate"] !== undefined) {
  if (flags["fail-rate"].trim() === "" || !(failRate !== undefined && failRate >= 0 && failRate <= 1)) {
    usageError(`--fail-rate must be a number from 0 to 1, got ${JSON.stringify(flags["fail-rate"])}`)
  }
}
if (flags.token !== undefined && flags.token.trim() === "") usageError("--token must not be empty")
const regularTokens = flags["regular-token"] ?? []
if (regularTokens.some((token) => token.trim() === "")) usageError("--regular-token must not be empty")

const options: PipedriveSandbox.Options = {
  ...(port === undefined ? {} : { port }),
  ...(persons === undefined ? {} : { persons }),
  ...(flags.seed === undefined ? {} : { seed: flags.seed }),
  ...(flags.token === undefined ? {} : { token: flags.token }),
  ...(regularTokens.length === 0 ? {} : { regularTokens }),
  ...(rateLimit === undefined ? {} : { rateLimit }),
  ...(dailyBudget === undefined ? {} : { dailyBudget }),
  ...(failRate === undefined ? {} : { faults: { failRate, seed: flags.seed ?? "sandbox" } }),
  verbose: flags.verbose === true
}

const program = Effect.gen(function*() {
  const sandbox = yield* PipedriveSandbox.start(options)
  yield* Console.log(`READY ${sandbox.url}`)
  return yield* Effect.never
}).pipe(
  Effect.scoped,
  Effect.tapError((error) => {
    const reason = error.cause instanceof Error ? error.cause.message : String(error.cause)
    return Console.error(`pipedrive-sandbox: could not listen on 127.0.0.1:${port ?? 0}: ${reason}`)
  }),
  Effect.provide(Logger.replace(Logger.defaultLogger, Logger.prettyLogger({ stderr: true, colors: false })))
)

NodeRuntime.runMain(program, { disableErrorReporting: true })
