/**
 * An attempt's time limit, handed to core's own transports with the request, so that the client's
 * timeout needs no fiber of its own. `PipedriveClient` bounds each attempt with a timer; on the live
 * clock and over a transport of core's (`HttpTransport`, which says so by `honour`), the timer stops
 * what is on the wire through the deadline, the way the transport stops it when its fiber is
 * interrupted: the request is destroyed (or aborted), and the read waiting on it fails. Forking the
 * attempt so that a timer could interrupt it cost a fiber a request: 7% of a single request's p50 and
 * ~15 ms of a 100,000-person listing (bench/PROFILE-notes.md, "The timeout's fiber").
 *
 * A deadline is watched by one reader at a time (the exchange, then the body's read); whatever else
 * an attempt does (the limiter's bookkeeping, decoding) runs to its end, as it did in the timer's
 * fiber, which could stop it only between operations either.
 */
import type * as HttpClient from "@effect/platform/HttpClient"
import type * as HttpClientRequest from "@effect/platform/HttpClientRequest"

/** One attempt's limit: passed (`expired`), and whether it stopped a read (`stopped`). */
export interface Deadline {
  expired: boolean
  /** A read was stopped, or refused, because the limit had passed: the attempt's failure is a timeout. */
  stopped: boolean
  /** The reader to stop when the limit passes. */
  watcher: (() => void) | undefined
}

/** A limit not yet passed. */
export const make = (): Deadline => ({ expired: false, stopped: false, watcher: undefined })

/** The limit has passed: stops the reader watching it, if any. */
export const expire = (deadline: Deadline): void => {
  deadline.expired = true
  const watcher = deadline.watcher
  deadline.watcher = undefined
  if (watcher !== undefined) {
    deadline.stopped = true
    watcher()
  }
}

// By request: the transports receive the request object `PipedriveClient` built for the attempt.
const byRequest = new WeakMap<HttpClientRequest.HttpClientRequest, Deadline>()

/** `request`, sent under `deadline`. */
export const attach = (
  request: HttpClientRequest.HttpClientRequest,
  deadline: Deadline | undefined
): HttpClientRequest.HttpClientRequest => {
  if (deadline !== undefined) byRequest.set(request, deadline)
  return request
}

const unwatched = () => {}

/**
 * For a transport: calls `stop` when `request`'s deadline passes, or at once (returning `undefined`
 * then) when it has passed already; otherwise returns how to stop watching (call it once the read
 * is over). A request without a deadline is never stopped.
 */
export const watch = (request: HttpClientRequest.HttpClientRequest, stop: () => void): (() => void) | undefined => {
  const deadline = byRequest.get(request)
  if (deadline === undefined) return unwatched
  if (deadline.expired) {
    deadline.stopped = true
    stop()
    return undefined
  }
  deadline.watcher = stop
  return () => {
    if (deadline.watcher === stop) deadline.watcher = undefined
  }
}

/** Why a read was stopped: the attempt's time was up (the cause of the transport's error). */
export class Exceeded extends Error {
  constructor() {
    super("the request's time limit passed")
    this.name = "DeadlineExceeded"
  }
}

const honouring = new WeakSet<HttpClient.HttpClient>()

/** Marks `client` as one that watches its requests' deadlines (core's transports). */
export const honour = (client: HttpClient.HttpClient): HttpClient.HttpClient => {
  honouring.add(client)
  return client
}

/** Whether `client` watches its requests' deadlines; any other is bounded by a timer fiber. */
export const isHonouredBy = (client: HttpClient.HttpClient): boolean => honouring.has(client)
