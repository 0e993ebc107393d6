/**
 * Output without colour where colour does not belong: `@effect/cli` writes its help and usage
 * errors with ANSI escape codes, which a pipe (`--help | less`), a file or a log keeps as noise.
 * Under `NO_COLOR` (https://no-color.org), or when a stream is not a terminal, its text goes out
 * plain; on a terminal it is left as it is.
 */
import { Console, type Effect } from "effect"

// CSI sequences (colours, cursor moves): ESC [ parameters final-byte.
const escapes = /\u001b\[[0-9;?]*[ -/]*[@-~]/g

/** `text` without its ANSI escape sequences. */
export const strip = (text: string): string => text.replace(escapes, "")

const plainArgs = (args: ReadonlyArray<unknown>): Array<unknown> => args.map((arg) => (typeof arg === "string" ? strip(arg) : arg))

/** Whether a stream should get plain text: `NO_COLOR` set (to anything but ""), or not a terminal. */
export const wantsPlain = (stream: { readonly isTTY?: boolean | undefined }, env: Readonly<Record<string, string | undefined>>): boolean =>
  (env["NO_COLOR"] ?? "") !== "" || stream.isTTY !== true

/** `base`, with the escapes taken out of what goes to stdout (`log`, `info`, `debug`) and stderr (`error`, `warn`, `trace`) as asked. */
export const plain = (base: Console.Console, options: { readonly stdout: boolean; readonly stderr: boolean }): Console.Console => {
  const out = <F extends (...args: ReadonlyArray<any>) => unknown>(f: F, on: boolean): F =>
    (on ? (((...args: ReadonlyArray<unknown>) => f(...plainArgs(args))) as F) : f)
  return {
    ...base,
    log: out(base.log, options.stdout),
    info: out(base.info, options.stdout),
    debug: out(base.debug, options.stdout),
    error: out(base.error, options.stderr),
    warn: out(base.warn, options.stderr),
    trace: out(base.trace, options.stderr),
    unsafe: {
      ...base.unsafe,
      log: out(base.unsafe.log, options.stdout),
      info: out(base.unsafe.info, options.stdout),
      debug: out(base.unsafe.debug, options.stdout),
      error: out(base.unsafe.error, options.stderr),
      warn: out(base.unsafe.warn, options.stderr),
      trace: out(base.unsafe.trace, options.stderr)
    }
  }
}

/** Runs `effect` with plain output on the streams that want it (`wantsPlain`, for this process). */
export const forThisProcess = <A, E, R>(effect: Effect.Effect<A, E, R>): Effect.Effect<A, E, R> =>
  Console.consoleWith((base) =>
    Console.withConsole(
      effect,
      plain(base, { stdout: wantsPlain(process.stdout, process.env), stderr: wantsPlain(process.stderr, process.env) })
    )
  )
