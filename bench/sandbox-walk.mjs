#!/usr/bin/env node
/**
 * Walks every person of a sandbox with raw `fetch`, the way an exporter would, and reports the time
 * and the server's memory. Starts its own sandbox (built: `packages/sandbox/dist/bin.js`) unless
 * `--url` is given.
 *
 *   node bench/sandbox-walk.mjs [--persons 1000000] [--limit 500] [--api v2|v1]
 *                                        [--runtime node|deno] [--url URL]
 */
import { spawn } from "node:child_process"
import { readFileSync } from "node:fs"
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { createInterface } from "node:readline"
import { fileURLToPath } from "node:url"
import { parseArgs } from "node:util"

const { values } = parseArgs({
  options: {
    persons: { type: "string", default: "1000000" },
    limit: { type: "string", default: "500" },
    api: { type: "string", default: "v2" },
    url: { type: "string" },
    token: { type: "string", default: "sandbox-token" },
    runtime: { type: "string", default: "node" }
  }
})
const limit = Number(values.limit)

let child
let url = values.url
if (url === undefined) {
  const bin = fileURLToPath(new URL(values.runtime === "deno" ? "../packages/sandbox/src/bin.ts" : "../packages/sandbox/dist/bin.js", import.meta.url))
  // The deno binary itself, not `npx deno`: a signal to npx would not reach the server.
  const deno = join(dirname(createRequire(import.meta.url).resolve("deno/package.json")), "deno")
  const [command, args] = values.runtime === "deno" ? [deno, ["run", "-A", bin]] : [process.execPath, [bin]]
  child = spawn(command, [...args, "--port", "0", "--persons", values.persons], { stdio: ["ignore", "pipe", "inherit"] })
  const first = await new Promise((resolve) => createInterface({ input: child.stdout }).once("line", resolve))
  url = String(first).replace(/^READY /, "")
}

// The server's resident memory, from /proc (Linux); the largest in the child's process tree, in
// case the runtime forks.
const rssOf = (pid) => {
  try {
    const status = readFileSync(`/proc/${pid}/status`, "utf8")
    const kb = Number(/VmRSS:\s+(\d+)/.exec(status)?.[1] ?? 0)
    const children = readFileSync(`/proc/${pid}/task/${pid}/children`, "utf8").trim().split(/\s+/).filter(Boolean)
    return Math.max(kb, ...children.map(rssOf))
  } catch {
    return 0
  }
}
const rss = () => (child === undefined ? 0 : rssOf(child.pid))
const mb = (kb) => `${(kb / 1024).toFixed(0)} MiB`

const headers = { "x-api-token": values.token }
const rssStart = rss()
let rssMax = rssStart
const samples = []
const started = performance.now()
let count = 0
let pages = 0
let bytes = 0
if (values.api === "v2") {
  let cursor = null
  do {
    const query = new URLSearchParams({ limit: String(limit), ...(cursor === null ? {} : { cursor }) })
    const response = await fetch(`${url}/api/v2/persons?${query}`, { headers })
    const text = await response.text()
    if (response.status !== 200) throw new Error(`${response.status}: ${text}`)
    const body = JSON.parse(text)
    bytes += text.length
    count += body.data.length
    cursor = body.additional_data.next_cursor
    pages++
    if (pages % 100 === 0) {
      const now = rss()
      rssMax = Math.max(rssMax, now)
      samples.push(now)
    }
  } while (cursor !== null)
} else {
  let start = 0
  let more = true
  while (more) {
    const response = await fetch(`${url}/api/v1/persons?start=${start}&limit=${limit}`, { headers })
    const text = await response.text()
    if (response.status !== 200) throw new Error(`${response.status}: ${text}`)
    const body = JSON.parse(text)
    bytes += text.length
    count += body.data === null ? 0 : body.data.length
    more = body.additional_data.pagination.more_items_in_collection
    start = body.additional_data.pagination.next_start ?? start
    pages++
    if (pages % 100 === 0) {
      const now = rss()
      rssMax = Math.max(rssMax, now)
      samples.push(now)
    }
  }
}
const seconds = (performance.now() - started) / 1000
console.log(JSON.stringify({
  api: values.api,
  runtime: values.runtime,
  persons: count,
  pages,
  limit,
  seconds: Number(seconds.toFixed(2)),
  personsPerSecond: Math.round(count / seconds),
  megabytes: Math.round(bytes / 1e6),
  serverRss: child === undefined
    ? "n/a (--url)"
    : { beforeWalk: mb(rssStart), max: mb(rssMax), samplesEvery100Pages: samples.map(mb).join(" ") }
}, null, 2))
child?.kill("SIGTERM")
