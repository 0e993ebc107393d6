/**
 * A resizable count of permits whose waiters are woken in turn, one for each permit that frees.
 * Effect's `Semaphore` (3.22) calls every waiter when a permit frees, and all but one go back to
 * waiting: an import holds each of its rows waiting here for the rate limit's 20 or so permits, and
 * with 2,000 rows a run spent its time waking fibers (bench/PROFILE-notes.md, "Rows waiting for a
 * permit").
 */
import { Effect } from "effect"

/** The gate. */
export interface Gate {
  /** Runs `effect` once a permit is free, and frees it after, however `effect` ends. */
  readonly withPermit: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** Sets the number of permits (at least 1); permits taken beyond a smaller size free as they return. */
  readonly resize: (permits: number) => Effect.Effect<void>
  /** Permits taken now. */
  readonly taken: () => number
  /** Waiters now. */
  readonly waiting: () => number
  /** Times anyone has started to wait (a waiter woken too late waits again, and counts again). */
  readonly waits: () => number
}

/** A gate of `permits` (at least 1). */
export const make = (permits: number): Gate => {
  let size = Math.max(1, permits)
  let taken = 0
  // Woken, not yet run: they will take a permit (or wait again), so they are not woken for again.
  let woken = 0
  let waits = 0
  // Insertion order is the order of arrival: the first waiter is woken first.
  const waiters = new Set<() => void>()

  const wake = () => {
    let free = size - taken - woken
    for (const waiter of waiters) {
      if (free <= 0) break
      free -= 1
      waiter()
    }
  }

  // One wait for a turn: at once when a permit is free and nobody waits, else when woken, which it
  // marks in `state` (a woken waiter counts in `woken` until it takes its permit or stops).
  const turn = (state: { woken: boolean }): Effect.Effect<void> =>
    Effect.async<void>((resume) => {
      if (taken + woken < size && waiters.size === 0) return resume(Effect.void)
      waits += 1
      const waiter = () => {
        waiters.delete(waiter)
        woken += 1
        state.woken = true
        resume(Effect.void)
      }
      waiters.add(waiter)
      return Effect.sync(() => {
        waiters.delete(waiter)
      })
    })

  const release = Effect.sync(() => {
    taken -= 1
    wake()
  })

  return {
    withPermit: (effect) =>
      Effect.uninterruptibleMask((restore) => {
        // The permit is taken, and its release installed, outside `restore`: an interruption cannot
        // fall between the two. A waiter interrupted after it was woken hands its turn on.
        const acquire: Effect.Effect<void> = Effect.suspend(() => {
          const state = { woken: false }
          const settle = () => {
            if (!state.woken) return
            state.woken = false
            woken -= 1
          }
          return Effect.flatMap(
            Effect.onInterrupt(restore(turn(state)), () =>
              Effect.sync(() => {
                settle()
                wake()
              })),
            () => {
              settle()
              if (taken >= size) return acquire
              taken += 1
              return Effect.void
            }
          )
        })
        return Effect.zipRight(acquire, Effect.ensuring(restore(effect), release))
      }),
    resize: (permits) =>
      Effect.sync(() => {
        size = Math.max(1, permits)
        wake()
      }),
    taken: () => taken,
    waiting: () => waiters.size,
    waits: () => waits
  }
}
