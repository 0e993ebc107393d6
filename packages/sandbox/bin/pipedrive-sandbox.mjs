#!/usr/bin/env node
// The built CLI; a file tsc emits is not executable, and npm links bins before the build runs.
import "../dist/bin.js"
