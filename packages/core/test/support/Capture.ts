/**
 * Records every span and log line an effect produces, and renders them (with any values) as one
 * string, so a test can search every produced byte for a secret.
 */
import { Effect, Logger, LogLevel, Tracer } from "effect"

export interface Capture {
  readonly spans: Array<Tracer.Span>
  readonly logs: Array<string>
  /** Runs `effect` with the recording tracer and logger (all log levels). */
  readonly observe: <A, E, R>(effect: Effect.Effect<A, E, R>) => Effect.Effect<A, E, R>
  /** The spans (names, attributes, exits), the logs and `values`, as JSON. */
  readonly render: (values: unknown) => string
}

/** A fresh recorder over the tracer currently in use. */
export const make: Effect.Effect<Capture> = Effect.map(Effect.tracer, (base) => {
  const spans: Array<Tracer.Span> = []
  const logs: Array<string> = []
  const tracer = Tracer.make({
    span: (name, parent, context, links, startTime, kind) => {
      const span = base.span(name, parent, context, links, startTime, kind)
      spans.push(span)
      return span
    },
    context: base.context
  })
  const logger = Logger.make(({ annotations, logLevel, message }) =>
    logs.push(JSON.stringify({ level: logLevel.label, message, annotations: [...annotations] }))
  )
  return {
    spans,
    logs,
    observe: (effect) =>
      effect.pipe(
        Effect.withTracer(tracer),
        Logger.withMinimumLogLevel(LogLevel.All),
        Effect.provide(Logger.replace(Logger.defaultLogger, logger))
      ),
    render: (values) =>
      JSON.stringify(
        { values, logs, spans: spans.map((s) => ({ name: s.name, attributes: [...s.attributes], status: s.status })) },
        (_, value) => typeof value === "bigint" ? value.toString() : value
      )
  }
})
