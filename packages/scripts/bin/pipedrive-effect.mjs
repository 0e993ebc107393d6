#!/usr/bin/env node
// npm links bins before `prepare` builds dist/, and tsc output is not executable; this committed
// shim is both present at link time and executable.
import "../dist/bin.js"
