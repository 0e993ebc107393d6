#!/usr/bin/env node
/**
 * `pipedrive-sandbox`: runs the sandbox until SIGINT or SIGTERM.
 *
 * Its first line on stdout is `READY http://127.0.0.1:PORT`, printed once it listens, so a parent
 * process can wait for that line and read the port from it. Nothing else goes to stdout; request
 * logs (`--verbose`) and errors go to stderr. Bad flags exit with code 2.
 */
import * as NodeRuntime from "@effect/platform-node/NodeRuntime"
import { Console, Effect, Logger } from "effect"
import * as Flags from "./internal/Flags.ts"
import * as PipedriveSandbox from "./PipedriveSandbox.ts"

const parsed = Flags.parse(process.argv.slice(2))
if (parsed._tag === "Help") {
  process.stdout.write(Flags.USAGE)
  process.exit(0)
}
if (parsed._tag === "Invalid") {
  process.stderr.write(`pipedrive-sandbox: ${parsed.message} (see --help)\n`)
  process.exit(2)
}
const options: PipedriveSandbox.Options = parsed.options
const port = options.port

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
