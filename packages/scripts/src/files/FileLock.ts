/**
 * A lock file beside a file two processes must not write at once (a journal): `FILE.lock`, holding
 * the owner's pid and host, written whole to a file of its own and then hard-linked into place (a
 * link fails when the name exists, so exactly one process gets it, and a kill never leaves a lock
 * without its owner). It is removed when the scope closes. A lock left by a process that is gone
 * (killed with SIGKILL, the machine rebooted) is taken over: on the same host, a pid that no longer
 * runs cannot be holding it. (Taking over is remove-then-link: two runs started within the same few
 * milliseconds over one stale lock could both get it. Taking a free lock has no such window.)
 *
 * @example
 * ```ts
 * import { FileLock } from "@pipedrive-effect/scripts"
 * import { Effect } from "effect"
 *
 * // Fails with `LockHeld` while another run holds people.journal.lock.
 * const program = Effect.scoped(Effect.gen(function*() {
 *   yield* FileLock.acquire("people.journal")
 *   // … append to people.journal …
 * }))
 * ```
 *
 * @module
 */
import { FileSystem } from "@effect/platform"
import type { PlatformError } from "@effect/platform/Error"
import { Effect, Schema, type Scope } from "effect"
import { hostname } from "node:os"
import process from "node:process"

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const LockHeldBase: Schema.TaggedErrorClass<LockHeld, "LockHeld", {
  readonly _tag: Schema.tag<"LockHeld">
} & {
  /** The lock file. */
  lock: typeof Schema.String
  /** What the lock file says about its owner. */
  owner: typeof Schema.String
}> = Schema.TaggedError<LockHeld>()("LockHeld", {
  /** The lock file. */
  lock: Schema.String,
  /** What the lock file says about its owner. */
  owner: Schema.String
})
/** Another live process holds the lock (or one on another host, which cannot be checked). */
export class LockHeld extends LockHeldBase {
  override get message(): string {
    return `${this.lock} is held by ${this.owner}; another run is using the same file. If that run is gone, delete ${this.lock}`
  }
}

/** The lock file of `path`. */
export const lockPath = (path: string): string => `${path}.lock`

/** What a lock file holds. */
const Owner = Schema.parseJson(Schema.Struct({ pid: Schema.Int, host: Schema.String, since: Schema.String }))

/** Whether a pid on this host runs (EPERM: it runs, as another user). */
const running = (pid: number): boolean => {
  try {
    process.kill(pid, 0)
    return true
  } catch (error) {
    return typeof error === "object" && error !== null && "code" in error && error.code === "EPERM"
  }
}

const isAlreadyExists = (error: PlatformError) => error._tag === "SystemError" && error.reason === "AlreadyExists"

/**
 * Takes `FILE.lock` for the scope's lifetime. Fails with `LockHeld` (naming the lock file) when a
 * running process holds it; takes over a lock whose process on this host is gone.
 */
export const acquire = (path: string): Effect.Effect<void, LockHeld | PlatformError, FileSystem.FileSystem | Scope.Scope> =>
  Effect.gen(function*() {
    const fs = yield* FileSystem.FileSystem
    const lock = lockPath(path)
    const me = { pid: process.pid, host: hostname(), since: new Date().toISOString() }
    // Written whole to a file of its own, then linked into place: a run killed at any moment leaves
    // either no lock or a complete one (never the empty file an exclusive open then a write can).
    const temp = `${lock}.${me.pid}.tmp`
    const create = Effect.acquireUseRelease(
      fs.writeFileString(temp, `${JSON.stringify(me)}\n`, { mode: 0o600 }),
      () => fs.link(temp, lock),
      () => Effect.ignore(fs.remove(temp))
    )
    const held = (owner: string) => new LockHeld({ lock, owner })

    const attempt = Effect.flatMap(Effect.either(create), (result) => {
      if (result._tag === "Right") return Effect.succeed(true)
      if (!isAlreadyExists(result.left)) return Effect.fail(result.left)
      return Effect.gen(function*() {
        const text = yield* fs.readFileString(lock).pipe(Effect.orElseSucceed(() => ""))
        const owner = Schema.decodeUnknownOption(Owner)(text.trim())
        if (owner._tag === "None") {
          // Not written by this module (locks are linked into place whole): leave it to the user.
          return yield* Effect.fail(
            held(`an unreadable lock file (${JSON.stringify(text.slice(0, 60))}); delete it if no run is using ${path}`)
          )
        }
        const { host, pid, since } = owner.value
        if (host !== me.host || running(pid)) return yield* Effect.fail(held(`pid ${pid} on ${host} since ${since}`))
        yield* fs.remove(lock).pipe(Effect.catchIf((e) => e._tag === "SystemError" && e.reason === "NotFound", () => Effect.void))
        return false
      })
    })
    // A stale lock is removed once, then created again; losing that race to another run is `LockHeld`.
    const taken = yield* attempt
    if (!taken) {
      const retaken = yield* attempt
      if (!retaken) return yield* Effect.fail(held("another run that took over the same stale lock"))
    }
    yield* Effect.addFinalizer(() => Effect.ignore(fs.remove(lock)))
  })
