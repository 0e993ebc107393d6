/**
 * Every way a Pipedrive call can fail, as values you can `Effect.catchTag`.
 *
 * Each error says which operation failed (`method`, `path`, `operation`), the HTTP status where there
 * was one, and Pipedrive's own error text. None of them ever holds the request, its headers or the
 * token, so an error can be logged or printed as it is.
 *
 * @example
 * ```ts
 * import { Persons } from "@pipedrive-effect/core"
 * import { Effect } from "effect"
 *
 * const nameOrNone = (id: number) =>
 *   Persons.get(id).pipe(
 *     Effect.map((person) => person.name ?? null),
 *     Effect.catchTag("NotFound", () => Effect.succeed(null))
 *   )
 * ```
 *
 * @module
 */
import * as ParseResult from "effect/ParseResult"
import * as Schema from "effect/Schema"

/** Which request failed: enough to find it in Pipedrive's docs and in your own logs (the schema fields every error has). */
export type RequestFields = {
  /** Pipedrive's operationId, e.g. `getPersons`. */
  operation: typeof Schema.String
  method: typeof Schema.String
  /** The path without the origin or query, e.g. `/api/v2/persons/12`. */
  path: typeof Schema.String
}
const RequestFields: RequestFields = {
  /** Pipedrive's operationId, e.g. `getPersons`. */
  operation: Schema.String,
  method: Schema.String,
  /** The path without the origin or query, e.g. `/api/v2/persons/12`. */
  path: Schema.String
}

/** What Pipedrive said: the HTTP status and the `error` / `error_info` / `code` of its error body. */
export type ResponseFields = RequestFields & {
  status: typeof Schema.Number
  /** Pipedrive's `error` text (or a short description when the body had none). */
  error: typeof Schema.String
  /** Pipedrive's `error_info`, when sent. */
  errorInfo: Schema.optional<typeof Schema.String>
  /** Pipedrive's machine-readable `code` (API v2), when sent. */
  code: Schema.optional<typeof Schema.String>
}
const ResponseFields: ResponseFields = {
  ...RequestFields,
  status: Schema.Number,
  /** Pipedrive's `error` text (or a short description when the body had none). */
  error: Schema.String,
  /** Pipedrive's `error_info`, when sent. */
  errorInfo: Schema.optional(Schema.String),
  /** Pipedrive's machine-readable `code` (API v2), when sent. */
  code: Schema.optional(Schema.String)
}

/** The base of an error class tagged `Tag` with the schema fields `Fields`. */
type ErrorBase<Self, Tag extends string, Fields extends Schema.Struct.Fields> = Schema.TaggedErrorClass<
  Self,
  Tag,
  { readonly _tag: Schema.tag<Tag> } & Fields
>

const describe = (self: {
  readonly operation: string
  readonly method: string
  readonly path: string
  readonly status?: number
  readonly error?: string
}) => `${self.operation} (${self.method} ${self.path})${self.status === undefined ? "" : ` → ${self.status}`}${self.error === undefined ? "" : `: ${self.error}`}`

// A class's base is a typed constant of its own: JSR's fast check infers no `extends` expression.
const UnauthorizedBase: ErrorBase<Unauthorized, "Unauthorized", ResponseFields> =
  Schema.TaggedError<Unauthorized>()("Unauthorized", ResponseFields)
/** 401: the token is missing, wrong or revoked. */
export class Unauthorized extends UnauthorizedBase {
  override get message(): string {
    return `${describe(this)}`
  }
}

const ForbiddenBase: ErrorBase<Forbidden, "Forbidden", ResponseFields> =
  Schema.TaggedError<Forbidden>()("Forbidden", ResponseFields)
/** 402 or 403: the plan, the user's permissions, or Pipedrive's abuse protection refused the call. */
export class Forbidden extends ForbiddenBase {
  override get message(): string {
    return `${describe(this)}`
  }
}

const NotFoundBase: ErrorBase<NotFound, "NotFound", ResponseFields> =
  Schema.TaggedError<NotFound>()("NotFound", ResponseFields)
/** 404: the person (or route) does not exist, or is not visible to this user. */
export class NotFound extends NotFoundBase {
  override get message(): string {
    return `${describe(this)}`
  }
}

const ValidationFailedBase: ErrorBase<ValidationFailed, "ValidationFailed", ResponseFields> =
  Schema.TaggedError<ValidationFailed>()("ValidationFailed", ResponseFields)
/** 400 or 422: Pipedrive refused the request's parameters or body. */
export class ValidationFailed extends ValidationFailedBase {
  override get message(): string {
    return `${describe(this)}`
  }
}

const RequestRejectedBase: ErrorBase<RequestRejected, "RequestRejected", ResponseFields> =
  Schema.TaggedError<RequestRejected>()("RequestRejected", ResponseFields)
/** Any other 4xx (405, 409, 410, 413, 415…): the request was refused for a reason without its own type. */
export class RequestRejected extends RequestRejectedBase {
  override get message(): string {
    return `${describe(this)}`
  }
}

const RateLimitedBase: ErrorBase<RateLimited, "RateLimited", ResponseFields & {
  limit: Schema.optional<typeof Schema.Number>
  remaining: Schema.optional<typeof Schema.Number>
  reset: Schema.optional<typeof Schema.Number>
  dailyRequestsLeft: Schema.optional<typeof Schema.Number>
}> = Schema.TaggedError<RateLimited>()("RateLimited", {
  ...ResponseFields,
  limit: Schema.optional(Schema.Number),
  remaining: Schema.optional(Schema.Number),
  reset: Schema.optional(Schema.Number),
  dailyRequestsLeft: Schema.optional(Schema.Number)
})
/** 429: the token's burst window is spent. `reset` is Pipedrive's `x-ratelimit-reset`, in seconds. */
export class RateLimited extends RateLimitedBase {
  override get message(): string {
    return `${describe(this)}${this.reset === undefined ? "" : ` (window resets in ${this.reset}s)`}`
  }
}

const ServerErrorBase: ErrorBase<ServerError, "ServerError", ResponseFields> =
  Schema.TaggedError<ServerError>()("ServerError", ResponseFields)
/** 5xx: Pipedrive failed. */
export class ServerError extends ServerErrorBase {
  override get message(): string {
    return `${describe(this)}`
  }
}

const TransportBase: ErrorBase<Transport, "Transport", RequestFields & {
  reason: Schema.Literal<["Unreachable", "Network", "Timeout"]>
  detail: typeof Schema.String
}> = Schema.TaggedError<Transport>()("Transport", {
  ...RequestFields,
  reason: Schema.Literal("Unreachable", "Network", "Timeout"),
  detail: Schema.String
})
/**
 * No response. `reason` says how far the request got: `Unreachable`, no connection could be made
 * (refused, DNS failure), so nothing was sent; `Network`, the connection failed or was dropped
 * after the request may have been sent; `Timeout`, no complete response in time.
 */
export class Transport extends TransportBase {
  override get message(): string {
    const what = this.reason === "Timeout" ? "timed out" : this.reason === "Unreachable" ? "unreachable" : "network error"
    return `${describe(this)}: ${what}: ${this.detail}`
  }
}

const DailyBudgetExhaustedBase: ErrorBase<DailyBudgetExhausted, "DailyBudgetExhausted", RequestFields & {
  /** When the budget refills. */
  resetsAt: typeof Schema.DateFromSelf
  /** What Pipedrive last reported left of the budget (estimated from costs spent since, with a reserve). */
  dailyRequestsLeft: typeof Schema.Number
  /** The reserve the caller asked to keep, when that is what stopped the request. */
  reserve: Schema.optional<typeof Schema.Number>
}> = Schema.TaggedError<DailyBudgetExhausted>()("DailyBudgetExhausted", {
  ...RequestFields,
  /** When the budget refills. */
  resetsAt: Schema.DateFromSelf,
  /** What Pipedrive last reported left of the budget (estimated from costs spent since, with a reserve). */
  dailyRequestsLeft: Schema.Number,
  /** The reserve the caller asked to keep, when that is what stopped the request. */
  reserve: Schema.optional(Schema.Number)
})
/**
 * 429 with the company's daily token budget spent (`x-daily-requests-left: 0`): every request fails
 * until `resetsAt` (midnight UTC), so it is never retried. Also raised before sending, when
 * `RateLimit`'s `dailyReserve` is set and the budget left falls under it (`reserve` is then set).
 */
export class DailyBudgetExhausted extends DailyBudgetExhaustedBase {
  override get message(): string {
    const why = this.reserve === undefined
      ? "the daily API budget is spent"
      : `${this.dailyRequestsLeft} tokens left of the daily API budget, under the reserve of ${this.reserve}`
    return `${describe(this)}: ${why}; it resets at ${this.resetsAt.toISOString()}`
  }
}

const AmbiguousWriteBase: ErrorBase<AmbiguousWrite, "AmbiguousWrite", RequestFields & {
  failure: Schema.Union<[typeof Transport, typeof ServerError]>
}> = Schema.TaggedError<AmbiguousWrite>()("AmbiguousWrite", {
  ...RequestFields,
  failure: Schema.Union(Transport, ServerError)
})
/**
 * A write (POST, PUT, PATCH, DELETE) failed in a way that does not tell whether Pipedrive applied it:
 * the connection dropped or timed out after the request was sent, or a 5xx other than a 503. It is
 * never retried blindly: look the record up (by email, by id) before trying again. `failure` is what
 * was observed.
 */
export class AmbiguousWrite extends AmbiguousWriteBase {
  override get message(): string {
    return `${describe(this)}: the write may or may not have been applied (${this.failure.message}); check before trying again`
  }
}

const DecodeBase: ErrorBase<Decode, "Decode", RequestFields & {
  status: typeof Schema.Number
  detail: typeof Schema.String
}> = Schema.TaggedError<Decode>()("Decode", {
  ...RequestFields,
  status: Schema.Number,
  detail: Schema.String
})
/** A 2xx response whose body is not JSON or does not have the shape this library expects. */
export class Decode extends DecodeBase {
  override get message(): string {
    return `${describe(this)}: ${this.detail}`
  }
}

const InvalidRequestBase: ErrorBase<InvalidRequest, "InvalidRequest", RequestFields & {
  detail: typeof Schema.String
}> = Schema.TaggedError<InvalidRequest>()("InvalidRequest", {
  ...RequestFields,
  detail: Schema.String
})
/** A request this library refused to send because its parameters or body are invalid. */
export class InvalidRequest extends InvalidRequestBase {
  override get message(): string {
    return `${describe(this)}: ${this.detail}`
  }
}

/** Anything a Pipedrive call can fail with. */
export type PipedriveError =
  | Unauthorized
  | Forbidden
  | NotFound
  | ValidationFailed
  | RequestRejected
  | RateLimited
  | ServerError
  | Transport
  | Decode
  | InvalidRequest
  | DailyBudgetExhausted
  | AmbiguousWrite

const tags: ReadonlySet<string> = new Set<PipedriveError["_tag"]>([
  "Unauthorized",
  "Forbidden",
  "NotFound",
  "ValidationFailed",
  "RequestRejected",
  "RateLimited",
  "ServerError",
  "Transport",
  "Decode",
  "InvalidRequest",
  "DailyBudgetExhausted",
  "AmbiguousWrite"
])

/**
 * Whether a value is one of the errors a Pipedrive call fails with (by its tag), so a program can
 * handle all of them at once and let its own errors pass.
 *
 * @example
 * ```ts
 * import { PipedriveError, Persons } from "@pipedrive-effect/core"
 * import { Effect } from "effect"
 *
 * Persons.get(1).pipe(
 *   Effect.catchIf(PipedriveError.isPipedriveError, (error) => Effect.logWarning(`Pipedrive said no: ${error._tag}`))
 * )
 * ```
 */
export const isPipedriveError = (value: unknown): value is PipedriveError =>
  typeof value === "object" && value !== null && "_tag" in value && typeof value._tag === "string" && tags.has(value._tag)

const ConfigurationErrorBase: Schema.TaggedErrorClass<ConfigurationError, "ConfigurationError", {
  readonly _tag: Schema.tag<"ConfigurationError">
} & {
  /** The setting at fault, e.g. `PIPEDRIVE_BASE_URL`. */
  setting: typeof Schema.String
  detail: typeof Schema.String
}> = Schema.TaggedError<ConfigurationError>()("ConfigurationError", {
  /** The setting at fault, e.g. `PIPEDRIVE_BASE_URL`. */
  setting: Schema.String,
  detail: Schema.String
})
/** The client could not be built: a missing or malformed setting. Raised once, when the layer is built. */
export class ConfigurationError extends ConfigurationErrorBase {
  override get message(): string {
    return `${this.setting}: ${this.detail}`
  }
}

/**
 * A parse error as one line per problem, `path: message` (e.g. `emails.0.value: must not be empty`),
 * at most `limit` of them: readable in a terminal, unlike the schema's full type.
 */
export const formatParseError = (error: ParseResult.ParseError, limit = 10): string => {
  const all = ParseResult.ArrayFormatter.formatErrorSync(error)
  // `optional(NullOr(X))` reports "Expected null" and "Expected undefined" beside X's real problem.
  const meaningful = all.filter((issue) => !/^Expected (null|undefined), actual/.test(issue.message))
  const issues = meaningful.length > 0 ? meaningful : all
  const lines = issues.slice(0, limit).map((issue) =>
    `${issue.path.length === 0 ? "(body)" : issue.path.map(String).join(".")}: ${
      // Effect lists every allowed key for an excess one; the key itself is what the user needs.
      issue.message.startsWith("is unexpected") ? "is not a field of this request" : issue.message
    }`
  )
  return issues.length > limit ? [...lines, `…and ${issues.length - limit} more`].join("; ") : lines.join("; ")
}
