/** `demo [--persons N] [--page-size N]`: what `npm start` runs. */
import type { FileSystem, Path } from "@effect/platform"
import type { ServeError } from "@effect/platform/HttpServerError"
import { Command } from "@effect/cli"
import { Effect } from "effect"
import * as Flags from "./Flags.ts"
import { type CommandError, runWorkflow } from "./RunWorkflow.ts"

/** The `demo` command. */
export const command = Command.make(
  "demo",
  {
    persons: Flags.positive("persons", 3000, "How many persons to seed the sandbox with"),
    pageSize: Flags.positive("page-size", 500, "Page size for the streams (1 to 500)")
  },
  (options): Effect.Effect<void, CommandError | ServeError, FileSystem.FileSystem | Path.Path> =>
    // Loaded here, not at the top: it brings the sandbox, which no other command needs.
    Effect.flatMap(Effect.promise(() => import("../workflows/Demo.ts")), (Demo) => runWorkflow(Demo.workflow, options))
).pipe(Command.withDescription("Start the bundled sandbox and run a full round trip against it (what `npm start` runs)"))
