/**
 * One rate-limit bucket of `RateLimit` (all requests, or search): a sliding log of the slots taken,
 * with the rule that decides when each frees up.
 *
 * Pipedrive counts a request when it ARRIVES, in the rolling window before that moment. The client
 * cannot see the arrival, only the send and the answer, so a slot frees at the earlier of
 * - `sent + window + slack`: the arrival came after the send, and the slack covers how much later
 *   than another this request may have reached the server, so a request sent then arrives after the
 *   old one has left the server's window. The slack is the margin (jitter), or, when the answer took
 *   longer than the fastest answers by more than that, the whole excess: a request that waited for
 *   a new connection (a TLS handshake) or a busy server may have arrived that much later; and
 * - `answered + window`: the server counted it before it answered, so this is safe whatever the
 *   network did (and earlier than the first rule when the answer came within the margin).
 * Until the answer, the first rule with the margin holds.
 * A request that fails without an answer keeps its slot until a window after the failure, since the
 * server may have counted it at any moment until then. A 429 means the margin was too small for
 * this network (or another program spent the token): the margin doubles, up to a window (once for
 * all the requests sent under the same margin).
 */
import type * as Headers from "@effect/platform/Headers"

/** What the limiter reads from an answer. */
export interface Observed {
  readonly status: number
  readonly headers: Headers.Headers
}

/** Reads a numeric header (`x-ratelimit-*`); `undefined` when absent or not a number. */
type HeaderNumber = (headers: Observed["headers"], name: string) => number | undefined

/** One taken slot: when it was sent, and when it frees (lowered when the answer comes early). */
export interface Slot {
  readonly sent: number
  free: number
}

// How long sends are remembered after they left the window: enough to tell, when a slow answer
// arrives, which of our own requests the server may have counted with it.
const memory = 30_000
// Weight of the newest latency sample in the moving average.
const latencyWeight = 0.2
// The fastest answer among this many recent ones is the floor (so one lucky answer long ago does
// not make every later one look late, nor a slow spell hide the late ones).
const floorSamples = 64
/**
 * Requests sent at once before any answer told the real limit. The plan a limiter starts from may
 * be a wrong guess (an `enterprise` limiter on an `essential` token), so it does not pace by it
 * alone; two at a time cannot exceed any limit Pipedrive has (10 searches, 20 requests per window
 * at the least) unless another program spent the token's window (then a single request would get
 * the 429 as well). Two, not one, so that a job can ask its two first questions at once (a
 * partitioned walk's ends of the span), a whole latency sooner.
 */
export const unlearnedInFlight = 2

export class SlidingLog {
  learned = false
  inFlight = 0
  pausedUntil = 0
  /** Moving average of send → answer headers, in milliseconds; `undefined` before any answer. */
  latency: number | undefined
  private readonly recent: Array<number> = []
  // Our slots, in the order they were sent. `live` is the first whose `sent + hold` is still ahead:
  // those before it have freed by the first rule. `kept` is the oldest still remembered.
  private slots: Array<Slot> = []
  private live = 0
  // Slots freeing at a window after a moment seen (ascending): requests the server counted that the
  // log did not know of (another program), and requests that failed without an answer.
  private extra: Array<number> = []
  private extraHead = 0
  private hold: number
  private grownAt = Number.NEGATIVE_INFINITY

  constructor(public limit: number | undefined, readonly window: number, public margin: number) {
    this.hold = window + margin
  }

  private advance(now: number): void {
    while (this.live < this.slots.length && this.slots[this.live]!.sent + this.hold <= now) this.live++
    while (this.extraHead < this.extra.length && this.extra[this.extraHead]! <= now) this.extraHead++
    let kept = 0
    while (kept < this.live && this.slots[kept]!.sent + this.hold + memory <= now) kept++
    if (kept > 256) {
      this.slots = this.slots.slice(kept)
      this.live -= kept
    }
    if (this.extraHead > 256) {
      this.extra = this.extra.slice(this.extraHead)
      this.extraHead = 0
    }
  }

  used(now: number): number {
    this.advance(now)
    let used = this.extra.length - this.extraHead
    for (let i = this.live; i < this.slots.length; i++) if (this.slots[i]!.free > now) used++
    return used
  }

  /** The next moment a slot frees (after `now`), if any is taken. */
  private nextFree(now: number): number | undefined {
    let next = this.extraHead < this.extra.length ? this.extra[this.extraHead] : undefined
    for (let i = this.live; i < this.slots.length; i++) {
      const free = this.slots[i]!.free
      if (free > now && (next === undefined || free < next)) next = free
    }
    return next
  }

  /** `undefined`: room now; a time: room (perhaps) then; `"busy"`: wait for the answer in flight. */
  blockedUntil(now: number): number | "busy" | undefined {
    if (now < this.pausedUntil) return this.pausedUntil
    // Until an answer tells the real limit, a guess above it would cost 429s: only a couple at once.
    if (!this.learned && this.inFlight >= unlearnedInFlight) return "busy"
    if (this.limit === undefined || this.used(now) < this.limit) return undefined
    return this.nextFree(now) ?? "busy"
  }

  take(now: number): Slot {
    this.inFlight += 1
    const slot = { sent: now, free: now + this.hold }
    this.slots.push(slot)
    return slot
  }

  /** The request of `slot` ended at `now`, answered or not. */
  settle(slot: Slot, now: number, answered: boolean): void {
    this.inFlight -= 1
    if (answered) {
      const sample = now - slot.sent
      this.latency = this.latency === undefined ? sample : this.latency + latencyWeight * (sample - this.latency)
      this.recent.push(sample)
      if (this.recent.length > floorSamples) this.recent.shift()
      // The fastest recent answer: this one's delay beyond it may all have been on the way there.
      const floor = Math.min(...this.recent)
      // Whole milliseconds: a wake-up timer for a fraction of one would fire before it.
      const slack = Math.ceil(Math.max(this.margin, sample - floor))
      const free = Math.min(now + this.window, slot.sent + this.window + slack)
      if (free <= slot.free) slot.free = free
      else this.holdLonger(slot, free)
    } else {
      this.holdLonger(slot, now + this.window)
    }
  }

  // Past `sent + window + margin` a slot is no longer among the live ones: it moves to `extra`.
  private holdLonger(slot: Slot, free: number): void {
    slot.free = 0
    let at = this.extra.length
    while (at > this.extraHead && this.extra[at - 1]! > free) at--
    this.extra.splice(at, 0, free)
  }

  /** Our slots the server may have counted when it answered the request sent at `sent`. */
  private ownAround(sent: number): number {
    let count = 0
    for (let i = this.slots.length - 1; i >= 0; i--) {
      const at = this.slots[i]!.sent
      if (at <= sent - this.hold) break
      if (at <= sent) count++
    }
    return count + this.extra.length - this.extraHead
  }

  /** No request until the 429's `x-ratelimit-reset` (seconds; absent: a window) has passed. */
  pause(now: number, response: Observed, headerNumber: HeaderNumber): void {
    const reset = headerNumber(response.headers, "x-ratelimit-reset")
    const wait = reset === undefined || reset <= 0 ? this.window : Math.max(1, reset) * 1000
    this.pausedUntil = Math.max(this.pausedUntil, now + wait)
  }

  learn(now: number, slot: Slot, response: Observed, headerNumber: HeaderNumber): void {
    const limit = headerNumber(response.headers, "x-ratelimit-limit")
    if (limit !== undefined && limit > 0) {
      this.limit = limit
      this.learned = true
      const remaining = headerNumber(response.headers, "x-ratelimit-remaining")
      if (remaining !== undefined) {
        // Spent by someone else (another program, the web app): it counts for us too. Compared with
        // our requests sent within a window (and margin) before this one, as the server counted then.
        this.advance(now)
        const unknown = limit - remaining - this.ownAround(slot.sent)
        for (let i = 0; i < unknown; i++) this.extra.push(now + this.window)
      }
    } else if (response.status >= 200 && response.status < 300) {
      this.limit = undefined
      this.learned = true
    }
    if (response.status === 429) {
      this.pause(now, response, headerNumber)
      // Once per margin: the 429s of requests sent before it last grew say nothing of the new one.
      // Slots only ever free later than before, so the log stays safe for those already taken.
      if (slot.sent >= this.grownAt) {
        this.grownAt = now
        this.margin = Math.min(this.window, Math.max(2 * this.margin, 50))
        this.hold = this.window + this.margin
      }
    }
  }
}
