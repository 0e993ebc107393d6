#!/usr/bin/env node
// The `pipedrive-effect` bin. npm links bins before `prepare` builds dist/, and build output is not
// executable; this committed file is both present at link time and executable.
//
// It runs the bundled CLI (../dist/cli.cjs, see ../bundle.mjs) through V8's code cache: compiling
// the 3.7 MB bundle is a quarter of a cold start, so the code V8 compiled in one run is kept in
// ~/.cache/pipedrive-effect (or $XDG_CACHE_HOME) and reused by the next, as Node 22's compile
// cache would do. V8 checks a cache against the source and itself and rejects any that does not
// match; then it is written anew. The directory is the user's own (0700), and a cache file someone
// else owns is never read. Any failure to read or write the cache only costs the compile.
//
// It also lets V8's heap grow by half its live size before a full collection (V8 otherwise allows up
// to four times as much, on a machine with a large heap limit): the live data of an export stays
// near 30 MB however many persons pass through, and the garbage around it is what made a
// 200,000-person export peak at 225 MiB (149-162 MiB with this, for 5-15% more CPU time). Unlike a
// heap cap (--max-old-space-size), V8 reads this flag at every collection, so it can be set here;
// and it caps nothing, so `persons dedupe` of a large account, whose live data is large, only
// collects more often. A heap flag of the user's own (`node --heap-growing-percent=N …`, or
// --max-old-space-size, also in NODE_OPTIONS) takes its place.
import { mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from "node:fs"
import module from "node:module"
import { homedir } from "node:os"
import { dirname, join } from "node:path"
import { fileURLToPath } from "node:url"
import v8 from "node:v8"
import { Script } from "node:vm"

const heapFlags = /--(heap-growing-percent|max-old-space-size)\b/
if (![...process.execArgv, process.env.NODE_OPTIONS ?? ""].some((flag) => heapFlags.test(flag))) {
  v8.setFlagsFromString("--heap-growing-percent=50")
}

const bundle = fileURLToPath(new URL("../dist/cli.cjs", import.meta.url))
const cacheDirectory = join(process.env.XDG_CACHE_HOME || join(homedir(), ".cache"), "pipedrive-effect")
const cacheFile = join(cacheDirectory, `cli-${process.version}-${process.arch}.v8cache`)

const readCache = () => {
  try {
    const stat = statSync(cacheFile)
    if (typeof process.getuid === "function" && stat.uid !== process.getuid()) return undefined
    return readFileSync(cacheFile)
  } catch {
    return undefined
  }
}

const writeCache = (script) => {
  try {
    mkdirSync(cacheDirectory, { recursive: true, mode: 0o700 })
    const temp = `${cacheFile}.${process.pid}`
    writeFileSync(temp, script.createCachedData(), { mode: 0o600 })
    renameSync(temp, cacheFile)
  } catch {
    // A read-only home, a full disk: the next run compiles again.
  }
}

const cached = readCache()
const source = readFileSync(bundle, "utf8").replace(/^#!.*/, "")
const script = new Script(module.wrap(source), { filename: bundle, cachedData: cached })
// At exit the cache holds every function the run compiled, not only the bundle's top level.
if (cached === undefined || script.cachedDataRejected) process.once("exit", () => writeCache(script))
const bundleModule = { exports: {} }
script.runInThisContext().call(bundleModule.exports, bundleModule.exports, module.createRequire(bundle), bundleModule, bundle, dirname(bundle))
