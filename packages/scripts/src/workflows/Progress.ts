/**
 * Progress of a bulk job, on stderr so stdout stays for data and the summary: a `cli-progress` bar
 * on a terminal (items, rate, and bar and ETA when the total is known), otherwise one plain line
 * every few seconds (a log or CI keeps a readable trace). `cli-progress` is the most used Node
 * progress bar, has no native code, and only needs a writable stream, so it runs on Deno too.
 *
 * @example
 * ```ts
 * import { Progress } from "@pipedrive-effect/scripts"
 * import { Effect } from "effect"
 *
 * const job = Effect.scoped(Effect.gen(function*() {
 *   const progress = yield* Progress.make({ label: "export", unit: "persons" })
 *   yield* progress.add(500) // after each page
 * }))
 * ```
 *
 * @module
 */
import { PipedriveClient, type RateLimit } from "@pipedrive-effect/core"
import cliProgress from "cli-progress"
import { Clock, Console, Duration, Effect, Option, Ref, type Scope } from "effect"

/** What a job reports its progress to. */
export interface Progress {
  /** `n` more items done. */
  readonly add: (n: number) => Effect.Effect<void>
  /** The total, once known (on a terminal the bar's layout is chosen by `make`: pass `total` there for a bar and an ETA). */
  readonly setTotal: (total: number) => Effect.Effect<void>
  /** Items done so far. */
  readonly done: Effect.Effect<number>
}

/** Options of `make`. */
export interface Options {
  /** What the job is called in each line, e.g. `export`. */
  readonly label: string
  /** What is counted, e.g. `persons`. */
  readonly unit?: string | undefined
  readonly total?: number | undefined
  /** A bar (`true`) or periodic lines (`false`); default: `wantsBar` of stderr and the environment. */
  readonly tty?: boolean | undefined
  /** How often a line is written without a terminal; default 5 seconds. */
  readonly every?: Duration.DurationInput | undefined
  /** Where those lines go; default stderr. */
  readonly write?: ((line: string) => Effect.Effect<void>) | undefined
}

/**
 * How a workflow gets a progress for each of its phases (a phase has its own label and total): the
 * CLI passes `make`; a program that runs a workflow quietly passes nothing (`none`).
 */
export type Factory = (options: Options) => Effect.Effect<Progress, never, Scope.Scope>

/** A progress that reports nothing (for programs that run a workflow without the CLI). */
export const silent: Effect.Effect<Progress> = Effect.map(Ref.make(0), (count) => ({
  add: (n) => Ref.update(count, (c) => c + n),
  setTotal: () => Effect.void,
  done: Ref.get(count)
}))

/** The factory of silent progresses: a workflow's default. */
export const none: Factory = () => silent

/** A duration as a summary prints it: `850 ms` under a second, else seconds with one decimal (`12.3 s`). */
export const formatDuration = (millis: number): string =>
  millis < 1000 ? `${Math.round(millis)} ms` : `${(millis / 1000).toFixed(1)} s`

/** Items per second, rounded. */
const rate = (items: number, millis: number) => (millis <= 0 ? 0 : Math.round((items * 1000) / millis))

/**
 * Where the rate limiter stands, for a progress line: `rate limit 18/20, 3 waiting, daily budget
 * 9500 left` (`paused` while a 429 holds requests back); empty when nothing is limited.
 */
export const rateLimitText = (state: RateLimit.State, now: number, sending?: RequestRate): string => {
  const parts: Array<string> = []
  if (state.general.limit !== undefined) {
    parts.push(`rate limit ${state.general.used}/${state.general.limit}`)
    // The limit per second is what "in use" is measured against (Pipedrive's window is 2 s).
    if (sending !== undefined && sending.millis > 0) {
      const perSecond = ((state.sent - sending.sentBefore) * 1000) / sending.millis
      const allowed = state.general.limit / (state.windowMillis / 1000)
      parts.push(`${perSecond.toFixed(1)} req/s of ${allowed}/s (${Math.round((perSecond / allowed) * 100)}%)`)
    }
  }
  if (state.waiting > 0) parts.push(`${state.waiting} waiting`)
  if (state.general.pausedUntil !== undefined && state.general.pausedUntil > now) {
    parts.push(`paused ${Math.ceil((state.general.pausedUntil - now) / 1000)} s after a 429`)
  }
  if (state.dailyRequestsLeft !== undefined) parts.push(`daily budget ${state.dailyRequestsLeft} left`)
  return parts.join(", ")
}

/** Requests sent since a job began, to show the share of the rate limit it uses. */
export interface RequestRate {
  /** The limiter's `sent` when the job began. */
  readonly sentBefore: number
  /** Milliseconds since. */
  readonly millis: number
}

/** The time left at the rate so far (`ETA 1m 05s`); empty until something is done and a total is known. */
export const eta = (done: number, total: number | undefined, millis: number): string => {
  if (total === undefined || done <= 0 || total <= done || millis <= 0) return ""
  const seconds = Math.ceil(((total - done) * millis) / done / 1000)
  return `ETA ${seconds >= 60 ? `${Math.floor(seconds / 60)}m ${String(seconds % 60).padStart(2, "0")}s` : `${seconds}s`}`
}

/**
 * The plain line of a non-terminal: `export: 12000 persons, 2400/s` (`of N` and the ETA when the
 * total is known or estimated), then the rate limiter's state when there is one.
 */
export const line = (
  label: string,
  unit: string,
  done: number,
  total: number | undefined,
  millis: number,
  limits = ""
): string => {
  const left = eta(done, total, millis)
  return `${label}: ${done}${total === undefined ? "" : ` of ${total}`} ${unit}, ${rate(done, millis)}/s${left === "" ? "" : `, ${left}`}${
    limits === "" ? "" : ` | ${limits}`
  }`
}

/** Token cost of the requests the client in context has sent (`RateLimit`), for a job's summary. */
export const tokensSpent: Effect.Effect<number> = Effect.flatMap(
  Effect.serviceOption(PipedriveClient.PipedriveClient),
  Option.match({
    onNone: () => Effect.succeed(0),
    onSome: (client) => Effect.map(client.rateLimiter.state, (state) => state.tokensSpent)
  })
)

/** What a job cost: its time and the API tokens its requests spent. */
export interface Cost {
  readonly elapsedMillis: number
  readonly tokensSpent: number
}

/** A job's start (epoch milliseconds), and what it has cost since, read when a summary is written. */
export interface Meter {
  readonly started: number
  readonly cost: Effect.Effect<Cost>
}

/** Starts measuring a job's time and tokens. */
export const meter: Effect.Effect<Meter> = Effect.zipWith(
  Clock.currentTimeMillis,
  tokensSpent,
  (started, tokensBefore): Meter => ({
    started,
    cost: Effect.zipWith(Clock.currentTimeMillis, tokensSpent, (now, tokens) => ({
      elapsedMillis: now - started,
      tokensSpent: tokens - tokensBefore
    }))
  })
)

/**
 * Whether progress on `stream` may be a bar: only on a terminal, and not under `NO_COLOR`
 * (https://no-color.org; set to anything but ""), since a bar is drawn with cursor escape codes.
 */
export const wantsBar = (
  stream: { readonly isTTY?: boolean | undefined },
  env: Readonly<Record<string, string | undefined>>
): boolean => stream.isTTY === true && (env["NO_COLOR"] ?? "") === ""

/**
 * A progress for the scope's lifetime: a bar on a terminal, or a line every `every`; the bar is
 * stopped (and a last line written) when the scope closes. With a `PipedriveClient` in context,
 * its rate limiter's state is shown too.
 */
export const make = (options: Options): Effect.Effect<Progress, never, Scope.Scope> =>
  Effect.gen(function*() {
    const client = yield* Effect.serviceOption(PipedriveClient.PipedriveClient)
    const started = yield* Clock.currentTimeMillis
    const sentBefore = Option.isSome(client) ? (yield* client.value.rateLimiter.state).sent : 0
    const limits = Option.match(client, {
      onNone: () => Effect.succeed(""),
      onSome: (pipedrive) =>
        Effect.zipWith(
          pipedrive.rateLimiter.state,
          Clock.currentTimeMillis,
          (state, now) => rateLimitText(state, now, { sentBefore, millis: now - started })
        )
    })
    const unit = options.unit ?? "items"
    const count = yield* Ref.make(0)
    const total = yield* Ref.make(options.total)
    const tty = options.tty ?? wantsBar(process.stderr, process.env)
    if (tty) {
      // Totals may arrive (or be re-estimated) later: the bar's own ETA needs one up front, so ours is a payload.
      const bar = new cliProgress.SingleBar({
        format: `${options.label} {value}{of} ${unit} | {rate}/s{eta} {limits}`,
        stream: process.stderr,
        hideCursor: true,
        clearOnComplete: false
      })
      const payload = (done: number, known: number | undefined, now: number, text: string) => {
        const left = eta(done, known, now - started)
        return {
          of: known === undefined ? "" : ` of ${known}`,
          rate: rate(done, now - started),
          eta: left === "" ? "" : ` | ${left}`,
          limits: text === "" ? "" : `| ${text}`
        }
      }
      bar.start(options.total ?? 0, 0, payload(0, options.total, started, ""))
      yield* Effect.addFinalizer(() => Effect.sync(() => bar.stop()))
      const redraw = Effect.flatMap(Effect.all([Ref.get(count), Ref.get(total), Clock.currentTimeMillis, limits]), ([done, known, now, text]) =>
        Effect.sync(() => bar.update(done, payload(done, known, now, text))))
      return {
        add: (n) => Effect.zipRight(Ref.update(count, (c) => c + n), redraw),
        setTotal: (n) => Effect.zipRight(Ref.set(total, n), Effect.zipRight(Effect.sync(() => bar.setTotal(n)), redraw)),
        done: Ref.get(count)
      }
    }
    const write = options.write ?? ((text: string) => Console.error(text))
    const report = Effect.gen(function*() {
      const now = yield* Clock.currentTimeMillis
      yield* write(line(options.label, unit, yield* Ref.get(count), yield* Ref.get(total), now - started, yield* limits))
    })
    const every = Duration.decode(options.every ?? Duration.seconds(5))
    yield* Effect.forkScoped(Effect.forever(Effect.delay(report, every)))
    return {
      add: (n) => Ref.update(count, (c) => c + n),
      setTotal: (n) => Ref.set(total, n),
      done: Ref.get(count)
    }
  })

/** Label/value pairs as aligned lines, for the summary a job prints to stdout at the end. */
export const summary = (entries: ReadonlyArray<readonly [string, string | number]>): ReadonlyArray<string> => {
  const width = Math.max(0, ...entries.map(([label]) => label.length))
  return entries.map(([label, value]) => `${label.padEnd(width)}  ${value}`)
}
