#!/usr/bin/env node
// npm links bins before `prepare` builds dist/, and build output is not executable; this committed
// shim is both present at link time and executable. It runs the bundled CLI (see ../bundle.mjs),
// with Node's compile cache on where Node has one (22.1 and later), for a faster start.
import module from "node:module"

module.enableCompileCache?.()
await import("../dist/cli/bin.mjs")
