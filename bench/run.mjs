// `npm run bench [name...]` (or `-- --render`): runs each benchmark (or the named ones) in its own Node process, keeps
// its figures in results/NAME.json with the machine and the date, and rewrites BENCHMARKS.md from
// every result kept, so running one benchmark leaves the others' last figures in place.
// Benchmarks are never part of `npm test`.
import { execFileSync, spawnSync } from "node:child_process"
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs"
import os from "node:os"
import { fileURLToPath } from "node:url"

const here = (path) => fileURLToPath(new URL(path, import.meta.url))
// `--render`: run nothing, only rewrite BENCHMARKS.md from the results kept.
const renderOnly = process.argv.includes("--render")
const only = process.argv.slice(2).filter((arg) => arg !== "--render")

const all = [
  { name: "list-everything", script: "dist/list-everything.js", args: ["--persons", "100000", "--rounds", "5"], node: [] },
  { name: "single-requests", script: "dist/single-requests.js", args: ["--requests", "2000", "--rounds", "5"], node: [] },
  { name: "request-overhead", script: "dist/request-overhead.js", args: ["--requests", "2000", "--rounds", "5"], node: [] },
  { name: "decode", script: "dist/decode.js", args: ["--persons", "10000", "--rounds", "5"], node: [] },
  { name: "startup", script: "dist/startup.js", args: ["--rounds", "10"], node: [] },
  { name: "export-scale", script: "dist/export-scale.js", args: ["--sizes", "10000,100000,1000000", "--rounds", "5"], node: [] },
  { name: "stream-heap", script: "dist/stream-heap.js", args: ["--persons", "1000000"], node: ["--expose-gc"] },
  { name: "rate-limit", script: "dist/rate-limit.js", args: ["--seconds", "60"], node: [] },
  { name: "import-rate-limit", script: "dist/import-rate-limit.js", args: ["--creates", "150", "--updates", "200"], node: [] },
  { name: "export-partitioned", script: "dist/export-partitioned.js", args: ["--persons", "30000", "--limits", "20,120"], node: [] },
  { name: "import-tokens", script: "dist/import-tokens.js", args: ["--scale", "1"], node: [] }
]
const unknown = only.filter((name) => !all.some((b) => b.name === name))
if (unknown.length > 0) throw new Error(`unknown benchmark ${unknown.join(", ")}; known: ${all.map((b) => b.name).join(", ")}`)
const benchmarks = renderOnly ? [] : all.filter((b) => only.length === 0 || only.includes(b.name))

const run = (bench) => {
  console.error(`> ${bench.name}`)
  const result = spawnSync("node", [...bench.node, here(bench.script), ...bench.args], {
    encoding: "utf8",
    stdio: ["ignore", "pipe", "inherit"],
    maxBuffer: 64 * 1024 * 1024
  })
  if (result.status !== 0) throw new Error(`${bench.name} failed with ${result.status}`)
  return JSON.parse(result.stdout.trim().split("\n").at(-1))
}

const version = (pkg) => JSON.parse(readFileSync(here(`../node_modules/${pkg}/package.json`), "utf8")).version
const machine = [
  `- Date: ${new Date().toISOString().slice(0, 10)}`,
  `- Machine: ${os.cpus()[0]?.model ?? "unknown CPU"}, ${os.cpus().length} cores, ${Math.round(os.totalmem() / 2 ** 30)} GiB, ${os.platform()} ${os.release()}`,
  `- Node ${process.version}; effect ${version("effect")}, @effect/platform ${version("@effect/platform")}; git ${execFileSync("git", ["rev-parse", "--short", "HEAD"], { encoding: "utf8" }).trim()}`
].join("\n")

const resultsDir = here("results")
mkdirSync(resultsDir, { recursive: true })
// The machine is shared (other jobs may run beside a benchmark): the load average before and after
// each run goes into its section, so a noisy figure can be told from a slow one.
const load = () => os.loadavg().map((l) => l.toFixed(1)).join(" / ")
for (const bench of benchmarks) {
  const before = load()
  const result = run(bench)
  const out = { ...result, machine: `${machine}\n- Load average (1/5/15 min) before: ${before}; after: ${load()}` }
  writeFileSync(`${resultsDir}/${bench.name}.json`, `${JSON.stringify(out, null, 2)}\n`)
}

// ---- rendering ---------------------------------------------------------------------------------

const n = (value) => value.toLocaleString("en")
/** A figure over rounds: the median in bold, the spread after it. */
const fig = (spread, unit = "") => `**${n(spread.median)}${unit}** (${n(spread.min)}–${n(spread.max)})`
const ratioFig = (spread) => `**${spread.median}×** (${spread.min}–${spread.max})`
const verdict = (met) => (met ? "**met**" : "**missed**")
/** Every target of issue 5/6 with its measured figure, gathered by the sections for the summary at the top. */
const targets = []
const target = (name, measured, met) => {
  targets.push(`| ${name} | ${measured} | ${verdict(met)} |`)
  return `${measured}: ${verdict(met)}`
}
const machineLine = (out) => out.machine.split("\n").map((line) => line.replace(/^- /, "")).join("; ")
const shared =
  "The machine is shared with other jobs (tests of other work in progress ran beside these runs; see the load average): " +
  "figures are medians over rounds, each contender in its own process, the rounds rotating which goes first, so a " +
  "disturbed round shows as spread and disturbs every contender alike."
/** A contender's row name: `calls` says which of its functions ran (`stream`: a listing; `get`: one person). */
const contenderName = (contender, calls) =>
  ({
    "pipedrive-effect": `pipedrive-effect \`Persons.${calls}\``,
    official: `official \`pipedrive\` v33 \`PersonsApi.${calls === "stream" ? "getPersons" : "getPerson"}\``,
    "raw-fetch": "raw `fetch` + `JSON.parse` (floor)"
  })[contender]

/** A Deno contender's row name (`bench/deno-list.ts`). */
const denoName = (contender) =>
  ({
    "pipedrive-effect": "pipedrive-effect `Persons.stream` (Deno; `HttpTransport` is `fetch`)",
    "raw-fetch": "raw `fetch` + `JSON.parse` (Deno, the floor)"
  })[contender]

/** Persons per CPU-second of the library over the others', from the median CPU times. */
const cpuRatios = (server) => {
  const cpu = (contender) => server.results.find((r) => r.contender === contender).cpuSeconds.median
  const ratio = (other) => (cpu(other) / cpu("pipedrive-effect")).toFixed(2)
  return `pipedrive-effect ÷ raw fetch **${ratio("raw-fetch")}×**, pipedrive-effect ÷ official **${ratio("official")}×**.`
}

const listEverything = (out) => {
  const staticServer = out.servers.find((s) => s.server === "static")
  const ratios = staticServer?.ratios
  const rss = (contender) => staticServer.results.find((r) => r.contender === contender).peakRssMiB.median
  const rssLimit = Math.round(rss("official") * 1.2 * 10) / 10
  const deno = out.deno === undefined ? [] : [
    "### (c) Under Deno, static server",
    "",
    "`bench/deno-list.ts` run by the `deno` binary from the TypeScript sources (the workspace's `deno.json`), each contender in",
    "its own process per round: the same `Persons.stream({ limit: 500 })` (under Deno `HttpTransport` is `fetch`) against",
    "raw `fetch` + `JSON.parse` under Deno.",
    "",
    "| contender | persons/s | time | CPU time of the client process | peak RSS (MiB) |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...out.deno.results.map((r) =>
      `| ${denoName(r.contender)} | ${fig(r.personsPerSecond)} | ${fig(r.seconds, " s")} | ${fig(r.cpuSeconds, " s")} | ${fig(r.peakRssMiB)} |`
    ),
    "",
    `Ratio (persons/s, per round, then the median): pipedrive-effect ÷ raw fetch under Deno ${ratioFig(out.deno.ratios.libraryVsRawFetch)}.`,
    ""
  ]
  const tables = out.servers.flatMap((server) => [
    `### ${server.server === "static" ? "(a) Static server (pre-rendered pages replayed from memory)" : "(b) The sandbox bin"}`,
    "",
    "| contender | persons/s | time | CPU time of the client process | peak RSS (MiB) |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...server.results.map((r) =>
      `| ${contenderName(r.contender, "stream")} | ${fig(r.personsPerSecond)} | ${fig(r.seconds, " s")} | ${fig(r.cpuSeconds, " s")} | ${fig(r.peakRssMiB)} |`
    ),
    "",
    `Ratios (persons/s, per round, then the median): pipedrive-effect ÷ raw fetch ${ratioFig(server.ratios.libraryVsRawFetch)}; ` +
      `pipedrive-effect ÷ official ${ratioFig(server.ratios.libraryVsOfficial)}; official ÷ raw fetch ${ratioFig(server.ratios.officialVsRawFetch)}.`,
    ""
  ])
  return [
    `## List everything: ${n(out.persons)} persons, v2 cursor pages of 500`,
    "",
    "`bench/list-everything.ts`: every person through `GET /api/v2/persons?limit=500` and its cursors. pipedrive-effect:",
    "`Persons.stream({ limit: 500 })` counted with `Stream.runCount` (full Schema decoding, the default client on",
    "`HttpTransport` (`node:http` on Node) with its rate limiter; neither server sends rate-limit headers, so nothing is paced). Official: a loop over",
    "`PersonsApi.getPersons({ limit: 500, cursor })`. Raw fetch: `fetch` + `JSON.parse`, no validation. The static server",
    "(`bench/static-server.ts`) replays the sandbox's pages, rendered once, from memory keyed by cursor. Each contender runs in",
    `its own child process per round (${out.rounds} rounds); peak RSS is that process's \`maxRSS\`, CPU time its user + system`,
    "time during the walk (what the client itself spent, however busy the machine). Figures: median (min–max).",
    "",
    shared,
    "",
    machineLine(out),
    "",
    ...tables,
    ...deno,
    "Targets (static server):",
    "",
    `- at least 1.0× the raw fetch floor (issue 16): ${target("Listing ≥ 1.0× raw fetch (static server; issue 16)", ratioFig(ratios.libraryVsRawFetch), ratios.libraryVsRawFetch.median >= 1.0)}`,
    `- at least 1.05× the official client (issue 16): ${target("Listing ≥ 1.05× the official client (static server; issue 16)", ratioFig(ratios.libraryVsOfficial), ratios.libraryVsOfficial.median >= 1.05)}`,
    `- peak RSS at most the official client's + 20% = ${rssLimit} MiB (issue 16): ${target("Listing peak RSS ≤ the official client's + 20% (static server; issue 16)", `${rss("pipedrive-effect")} MiB against ${rss("official")} MiB (limit ${rssLimit})`, rss("pipedrive-effect") <= rssLimit)}`,
    ...(out.deno === undefined ? [] : [
      `- under Deno, at least 0.8× Deno's raw fetch floor (issue 16): ${target("Listing under Deno ≥ 0.8× raw fetch under Deno (static server; issue 16)", ratioFig(out.deno.ratios.libraryVsRawFetch), out.deno.ratios.libraryVsRawFetch.median >= 0.8)}`
    ]),
    `- at least 1.5× the official client (issue 7): ${target("Listing ≥ 1.5× the official client (static server; issue 7)", ratioFig(ratios.libraryVsOfficial), ratios.libraryVsOfficial.median >= 1.5)}`,
    "",
    "The same ratios by CPU time (the client process's own work, which other jobs on the machine do not stretch): " +
      cpuRatios(out.servers.find((s) => s.server === "static"))
  ].join("\n")
}

const singleRequests = (out) => {
  const table = (rows) => [
    "| contender | p50 (ms) | p99 (ms) | requests/s | CPU ms per request |",
    "| --- | ---: | ---: | ---: | ---: |",
    ...rows.map((r) =>
      `| ${contenderName(r.contender, "get")} | ${fig(r.p50)} | ${fig(r.p99)} | ${fig(r.requestsPerSecond)} | ${fig(r.cpuMsPerRequest)} |`
    )
  ]
  const { sequential, concurrent } = out.ratios
  return [
    `## Single requests: one person by id, sequential and ${out.concurrency} at a time`,
    "",
    "`bench/single-requests.ts`: `GET /api/v2/persons/{id}` (ids 1–1,000 in turn) against the **static server**, which answers",
    "every id with one fixed, pre-rendered sandbox person (all custom fields): `Persons.get(id)` (the default client on",
    "`HttpTransport`, `node:http` on Node, run with `ManagedRuntime.runPromise` per call) versus the official `PersonsApi.getPerson({ id })` versus raw `fetch` + `JSON.parse`.",
    `Each child process warms up (${out.warmup} requests sequential, ${out.warmup} concurrent), then times ${n(out.requests)} sequential`,
    `requests and ${n(out.requests)} at concurrency ${out.concurrency}; ${out.rounds} rounds. Figures: median over rounds (min–max) of each round's`,
    "percentile.",
    "",
    shared,
    "",
    machineLine(out),
    "",
    "Sequential:",
    "",
    ...table(out.sequential),
    "",
    `Concurrency ${out.concurrency}:`,
    "",
    ...table(out.concurrent),
    "",
    "Targets (p50, ratio per round, then the median):",
    "",
    `- sequential p50 within 1.2× of raw fetch: ${target("Single request p50 ≤ 1.2× raw fetch (sequential)", ratioFig(sequential.libraryVsRawFetch), sequential.libraryVsRawFetch.median <= 1.2)}`,
    `- sequential p50 not slower than the official client: ${target("Single request p50 ≤ 1× the official client (sequential)", ratioFig(sequential.libraryVsOfficial), sequential.libraryVsOfficial.median <= 1)}`,
    `- concurrent p50 within 1.2× of raw fetch: ${target(`Single request p50 ≤ 1.2× raw fetch (×${out.concurrency})`, ratioFig(concurrent.libraryVsRawFetch), concurrent.libraryVsRawFetch.median <= 1.2)}`,
    `- concurrent p50 not slower than the official client: ${target(`Single request p50 ≤ 1× the official client (×${out.concurrency})`, ratioFig(concurrent.libraryVsOfficial), concurrent.libraryVsOfficial.median <= 1)}`
  ].join("\n")
}

const requestOverhead = (out) => [
  "## Where a single request's time goes (the profile behind the single-request figures)",
  "",
  "`bench/request-overhead.ts`: the same `GET /api/v2/persons/{id}` against the static server, one layer added per rung; the",
  "difference between two rungs is what that layer costs. A CPU profile spreads the Effect runtime's cost over its fiber",
  "loop, so this ladder is the clearer profile. \"CPU ms\" is the client process's own CPU time (user + system) per request,",
  `which other jobs on the machine do not stretch. ${out.rounds} rounds, each rung in its own process.`,
  "",
  shared,
  "",
  machineLine(out),
  "",
  "| rung | adds | sequential p50 (ms) | CPU ms per request, sequential | requests/s at ×16 | CPU ms per request at ×16 |",
  "| --- | --- | ---: | ---: | ---: | ---: |",
  ...out.results.map((r) =>
    `| ${r.rung} | ${r.adds} | ${fig(r.sequentialP50)} | ${fig(r.sequentialCpuMs)} | ${fig(r.concurrentRequestsPerSecond)} | ${fig(r.concurrentCpuMs)} |`
  )
].join("\n")

const decode = (out) => {
  const v2 = out.results.find((r) => r.name === "v2 Persons.ListResponse")
  return [
    "## Decode: persons per second, in memory",
    "",
    `\`bench/decode.ts\`: ${n(out.persons)} sandbox persons (pages of ${out.pageSize}, every one with the seed's ${out.customFields} custom`,
    "fields, one of every type), fetched once, then decoded in one process with no server running: the client's decoder",
    "(`SchemaGuard.decoder`: the schema compiled to a check, Effect's decoder only for a failing body) of core's",
    "`Persons.ListResponse` (v2) and `PersonsV1.ListResponse` (v1) on the parsed pages (and, for reference, Effect's",
    "`Schema.decodeUnknownSync` alone on v2); the same followed by",
    "`CustomFields.decode(catalog, person.custom_fields)` / `CustomFields.decodeV1(catalog, person)` (custom fields by name,",
    "typed); `Persons.list` through the default client on an in-memory `HttpClient` (JSON text in, so parsing included: the",
    "decode path the client really takes); and `JSON.parse` alone, for scale. Each workload runs whole passes for",
    `${out.secondsPerRound} s per round, ${out.rounds} rounds rotating the order, after a warm-up. One thread.`,
    "",
    shared,
    "",
    machineLine(out),
    "",
    "| workload | persons per CPU-second | persons/s (wall clock) |",
    "| --- | ---: | ---: |",
    ...out.results.map((r) => `| ${r.name} | ${fig(r.personsPerCpuSecond)} | ${fig(r.personsPerSecond)} |`),
    "",
    "Persons per CPU-second divide by the process's own CPU time (user + system), which other jobs on the machine do not",
    "stretch: it is the speed on one core. The wall-clock figure is what this run saw.",
    "",
    "Target: at least 200,000 v2 persons/s on one core (`Persons.ListResponse`, per CPU-second): " +
      target(
        "Decode ≥ 200,000 v2 persons/s on one core",
        `${fig(v2.personsPerCpuSecond)} (${(v2.personsPerCpuSecond.median / 200000).toFixed(2)}× the target)`,
        v2.personsPerCpuSecond.median >= 200000
      )
  ].join("\n")
}

const startup = (out) => [
  "## Start-up: process start to first request",
  "",
  "`bench/startup.ts`: from spawning the process to its first request arriving at a server in the benchmark's process (which",
  "replays the sandbox's person fields at once), and to the process's exit. `pipedrive-effect fields list` under Node",
  "(`packages/scripts/bin/pipedrive-effect.mjs`) and under Deno (the `deno` binary of the npm package, `run -A",
  "packages/scripts/src/bin.ts`), a Node script that imports the official client and calls `PersonFieldsApi.getPersonFields`",
  "(`bench/startup-official.ts`), and a one-line `fetch` under Node (the runtime's own start). Each is run once to warm the",
  `disk and Deno's caches, then ${out.rounds} rounds rotating the order.`,
  "",
  shared,
  "",
  machineLine(out),
  "",
  "| command | to first request (ms) | to exit (ms) |",
  "| --- | ---: | ---: |",
  ...out.results.map((r) => `| ${r.name} | ${fig(r.firstRequestMs)} | ${fig(r.exitMs)} |`),
  "",
  "Target: the CLI under Node no slower than importing the official client (to first request, ratio per round, then the median): " +
    target("CLI start-up under Node ≤ 1× a script importing the official client", ratioFig(out.cliNodeVsOfficial), out.cliNodeVsOfficial.median <= 1)
].join("\n")

const exportScale = (out) => {
  const largest = out.results.at(-1)
  const mb = largest.peakRssMiB.median * 1.048576
  return [
    "## Scale: `persons export` of 10k, 100k and 1M persons",
    "",
    "`bench/export-scale.ts`: `pipedrive-effect persons export --out FILE` (NDJSON, v2 cursor pages) under Node against the",
    "sandbox bin (one sandbox per size, started before the rounds): wall time of the whole command and the CLI process's",
    "peak RSS (`maxRSS`, written by the process itself at exit through a preloaded `bench/rss-report.ts`); the file's line",
    `count is checked. ${out.rounds} rounds rotating the order of the sizes.`,
    "",
    shared,
    "",
    machineLine(out),
    "",
    "| persons | time | persons/s | CPU time of the CLI | peak RSS (MiB) | file (MB) |",
    "| ---: | ---: | ---: | ---: | ---: | ---: |",
    ...out.results.map((r) =>
      `| ${n(r.persons)} | ${fig(r.seconds, " s")} | ${fig(r.personsPerSecond)} | ${fig(r.cpuSeconds, " s")} | ${fig(r.peakRssMiB)} | ${n(r.fileMB)} |`
    ),
    "",
    "Targets:",
    "",
    `- peak RSS of the ${n(largest.persons)} export under 200 MB: ${target(`Export of ${n(largest.persons)}: peak RSS < 200 MB`, `${largest.peakRssMiB.median} MiB = ${mb.toFixed(0)} MB`, mb < 200)}`,
    `- its time within 1.2× of 10 × the previous size's: ${target(`Export of ${n(largest.persons)}: time ≤ 1.2 × 10 × the ${n(out.results.at(-2).persons)} time`, `${out.linearity}× (CPU time: ${out.cpuLinearity}×)`, out.linearity <= 1.2)}`,
    ...(out.capped === undefined ? [] : [
      "",
      `The same ${n(out.capped.persons)} export with \`NODE_OPTIONS=--max-old-space-size=${out.capped.cap}\` (a heap cap of the user's own, in place of the bin's ` +
        "`--heap-growing-percent=50`, which the figures above have; see the scripts README): " +
        `peak RSS ${fig(out.capped.peakRssMiB, " MiB")}, time ${fig(out.capped.seconds, " s")}, CPU ${fig(out.capped.cpuSeconds, " s")}.`
    ])
  ].join("\n")
}

const sections = []
for (const bench of all) {
  const file = `${resultsDir}/${bench.name}.json`
  if (!existsSync(file)) continue
  const out = JSON.parse(readFileSync(file, "utf8"))
  if (out.benchmark === "list-everything") sections.push(listEverything(out))
  if (out.benchmark === "single-requests") sections.push(singleRequests(out))
  if (out.benchmark === "request-overhead") sections.push(requestOverhead(out))
  if (out.benchmark === "decode") sections.push(decode(out))
  if (out.benchmark === "startup") sections.push(startup(out))
  if (out.benchmark === "export-scale") sections.push(exportScale(out))
  if (out.benchmark === "import-rate-limit") {
    sections.push([
      "## Import under a 20 requests per 2 s limit",
      "",
      "`bench/import-rate-limit.ts`: `persons import` (the CLI under Node, its defaults: rows in flight as",
      "the limiter allows, `--lookup auto`) against the sandbox bin enforcing 20 requests per rolling 2 s and",
      "10 searches per 2 s; requests and statuses as the sandbox logged them. Rows matched by email are",
      "matched against a walk of the account (200 persons: one page, cheaper than a search a row), then",
      "each costs its create: the general limit (10 a second) bounds it. A row by id costs a read and a",
      "write, so 5 rows a second at most.",
      "",
      out.machine.split("\n").map((line) => line.replace(/^- /, "")).join("; "),
      "",
      "| run | rows | time | rows/s | requests | requests/s (limit 10/s) | 429 on wire | 403 |",
      "| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...out.results.map((r) =>
        `| ${r.name} | ${r.rows} | ${r.seconds} s | **${r.rowsPerSecond}** | ${r.requests} | ${r.requestsPerSecond} | ${r.wire429} | ${r.wire403} |`
      )
    ].join("\n"))
  }
  if (out.benchmark === "import-tokens") {
    const auto = (prefix) => out.results.find((r) => r.name.startsWith(prefix) && r.lookupFlag === "auto")
    const a = auto("(a)")
    const b = auto("(b)")
    const c = auto("(c)")
    if (out.scale === 1) {
      if (a !== undefined) target("Import (a) 500 updates + 500 creates into 20,000 persons: ≤ 6 tokens a row", `${a.tokensPerRow} tokens a row`, a.tokensPerRow <= 6)
      if (b !== undefined) target("Import (b) 10 creates into 200,000 persons: ≤ 300 tokens in all", `${b.tokens} tokens`, b.tokens <= 300)
      if (c !== undefined) target("Import (c) 300 creates, 400-600 ms, 20 requests / 2 s: utilisation ≥ 0.85", `${c.utilisation}`, c.utilisation >= 0.85)
    }
    sections.push([
      "## Import: tokens and requests a row, by lookup",
      "",
      "`bench/import-tokens.ts`: `persons import --match email` (the CLI under Node) against a fresh sandbox bin per",
      "run, with the lookup chosen by cost (`--lookup auto`: the first guess from the highest id, and a search",
      "that walks the rest once it would cost more than the walk) beside the same rows searched one by one",
      "(`--lookup search`). Tokens and requests are the CLI's summary (the limiter's counts, the probe",
      "included); utilisation is the requests on the wire over what 20 requests / 2 s allows between the run's",
      "first and last request. " + shared.split(":")[0] + ".",
      "",
      "Targets: (a) at most 6 tokens a row; (b) at most 300 tokens in all (it must not walk 200,000 persons",
      "for 10 rows); (c) at least 0.85 of the limit in use. (c) needs the limiter to free a slot a window",
      "after the SEND (Pipedrive counts a request when it arrives), not a window after the answer, which",
      "capped any client at about 0.8 with answers 0.4-0.6 s late; core's `RateLimit` does so since the",
      "partitioned walk. The rows in flight follow the limiter (its queue holds the rest).",
      "",
      machineLine(out),
      "",
      "| run | --lookup | chose | rows | time | tokens | tokens/row | requests/row | utilisation | 429 on wire |",
      "| --- | --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: |",
      ...out.results.map((r) =>
        `| ${r.name} | ${r.lookupFlag} | ${r.lookup} | ${n(r.rows)} | ${r.seconds} s | ${n(r.tokens)} | **${r.tokensPerRow}** | ${r.requestsPerRow} | ${r.utilisation ?? "–"} | ${r.wire429} |`
      )
    ].join("\n"))
  }
  if (out.benchmark === "rate-limit") {
    for (const r of out.results) {
      target(`Rate limit (${r.name}): utilisation ≥ 95%, no 429 or 403 on the wire`, `${r.utilisation}%, 429: ${r.wire["429"] ?? 0}, 403: ${r.wire["403"] ?? 0}`,
        r.utilisation >= 95 && (r.wire["429"] ?? 0) === 0 && (r.wire["403"] ?? 0) === 0)
    }
    const rows = out.results.map((r) =>
      `| ${r.name} | ${r.seconds} s | ${r.concurrency} | ${r.admitted} | **${r.utilisation}%** | ${r.completed} (${r.completedShare}%) | ${Object.entries(r.wire).map(([s, n]) => `${s}: ${n}`).join(", ")} | ${r.wire["429"] ?? 0} | ${r.surfaced.RateLimited ?? 0} | ${r.wire["403"] ?? 0} | ${Object.entries(r.surfaced).map(([t, n]) => `${t}: ${n}`).join(", ") || "none"} | ${r.creates.succeeded} / ${r.creates.found} / ${r.creates.duplicated} / ${r.creates.missing} |`
    )
    sections.push([
      `## Rate limit: using the whole burst allowance without a 429`,
      "",
      "`bench/rate-limit.ts`: the sandbox bin enforcing 20 requests per rolling 2 s (Pipedrive's Essential",
      "plan), many workers calling through one client with its default `RateLimit` and `Retry`: 90%",
      "`Persons.get`, 10% `Persons.create` with a unique name; then all persons are listed to check every",
      "created name exists exactly once. The second run has the sandbox answer 5% of requests 503.",
      "Utilisation: requests the sandbox admitted in the run's whole 2-second windows over what the limit",
      "allows in them (target ≥ 95%). Targets: 429s on the wire 0, 429s surfaced 0, 403s 0, reads all",
      "succeed, nothing duplicated.",
      "",
      out.machine.split("\n").map((line) => line.replace(/^- /, "")).join("; "),
      "",
      "| run | time | workers | admitted | utilisation | calls completed (share of limit) | answers on the wire | 429 on wire | 429 surfaced | 403 | errors surfaced | creates ok / found / duplicated / missing |",
      "| --- | ---: | ---: | ---: | ---: | ---: | --- | ---: | ---: | ---: | --- | --- |",
      ...rows
    ].join("\n"))
  }
  if (out.benchmark === "export-partitioned") {
    const persons = (count) => count.toLocaleString("en")
    const partitioned = out.results.filter((r) => r.contender === "streamPartitioned")
    for (const r of out.results.filter((r) => r.contender.startsWith("streamPartitioned"))) {
      target(
        `Partitioned export (${r.contender}) of ${persons(r.persons)} at ${r.limit} per 2 s: ≤ 1.5 × (pages ÷ (limit / 2 s) + one latency) = ${r.target} s`,
        `${r.seconds} s, ${r.requests} requests, ${r.wire429} 429s on the wire (none reached the program)`,
        r.met
      )
    }
    for (const r of partitioned) {
      target(`Partitioned export of ${persons(r.persons)} at ${r.limit} per 2 s: utilisation (whole run) ≥ 90%`, `${r.utilisation}%`, r.utilisation >= 90)
    }
    const row = (r) =>
      `| ${persons(r.persons)} | ${r.limit} | ${r.contender} | **${r.seconds} s**${r.rounds > 1 ? ` (${r.secondsMin}–${r.secondsMax}, median of ${r.rounds})` : ""} | ${r.requests} | ${r.requestsPer500} | ${r.requestsPerSecond} | ${r.utilisation}% | ${r.wire429} | ${r.marginMillis === undefined ? "" : `${r.marginMillis} ms`} | ${r.allowed} s | ${r.target} s | ${r.contender.startsWith("streamPartitioned") ? verdict(r.met) : ""} |`
    const verdicts = partitioned.map((r) =>
      `- ${persons(r.persons)} persons at ${r.limit} per 2 s: time ${r.seconds} s against ${r.target} s, ${verdict(r.met)}; utilisation ${r.utilisation}% against 90%, ${verdict(r.utilisation >= 90)}.`
    )
    sections.push([
      `## Exporting ${persons(out.persons)} persons at a real account's latency and limit`,
      "",
      "`bench/export-partitioned.ts`: the sandbox bin answering every request after " + out.latency + " ms (a",
      "500-person v2 page on a real account takes 300-700 ms) and enforcing the burst limit; each walk gets a",
      "fresh sandbox and client, one after the other. `Persons.streamPartitioned` reads two whole pages at",
      "once (the first by `update_time` ascending and descending: the span, and two windows already read),",
      "cuts the middle to the limiter's budget (about a page a window when they all go at once, else",
      "`RateLimit.concurrency` windows of whole pages, each one's last page nearly full), walks the",
      "windows at once (a free walker splits what is left of the biggest after whole pages) and ends",
      "with the catch-up; its requests count all of these. `Persons.stream` and the official client",
      "walk one cursor.",
      "Requests/500: requests per 500 persons (a plain walk's 1; discovery, each window's partial page",
      "and the catch-up add). Utilisation: requests/s over what the limit allows (limit / 2 s), over the",
      "whole run. Allowed: pages ÷ (limit / 2 s) + one latency; target: 1.5 × that. The partitioned walk",
      "also runs with a larger limiter margin (`RateLimit.layer({ margin })`): a request granted by the",
      "limiter reaches the sandbox (which counts it on arrival) up to ~150 ms later when a burst goes out",
      "on a busy shared machine, more than the default 100 ms covers. The last row is a larger account at the higher limit, partitioned walk",
      "only, where the walk lasts many windows of the limit. Partitioned walks of " + persons(out.persons) + ": the median",
      "of " + out.rounds + " runs (rotating which goes first; the spread in brackets); the others, one run each. On a",
      "machine shared with other jobs (see the load average). A 429 on the wire is one the sandbox",
      "answered; the limiter paused the token for `x-ratelimit-reset` and retried, and none reached the",
      "program in any run (a run that met one could not have finished).",
      "",
      machineLine(out),
      "",
      "| persons | limit / 2 s | walk | time | requests | requests/500 | requests/s | utilisation | 429 on the wire | limiter margin at the end | allowed | target | |",
      "| ---: | ---: | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | --- |",
      ...out.results.map(row),
      "",
      "Targets (the partitioned walk with the limiter's defaults):",
      "",
      ...verdicts,
      "",
      "Why utilisation over the whole run stays under 90% (found with `node bench/dist/export-partitioned.js",
      "--trace FILE`, which records every request, when it asked the limiter, was sent, answered and",
      "decoded, and prints the run's critical path in ms per cause):",
      "",
      "- A request takes the slot of the one sent a limit's worth of requests before it, which frees a",
      "  window and the limiter's margin after that send (2.1 s). A walk of M requests at a limit L",
      "  (the catch-up included) therefore ends no sooner than s + (⌈M / L⌉ − 1) × 2.1 s + a latency,",
      "  s being when the slot its last request takes was first used: 0 for discovery's two, a latency",
      "  later for the rest; and its catch-up comes at least a latency after its last main page (it",
      "  must read after it, or a person changed in between is missed by both). Both accounts are an",
      "  exact number of these cycles (30,000 persons: 60 pages, three cycles of 20; 300,000: 600",
      "  pages, five of 120), and every walk needs a few requests more than its pages (discovery leaves",
      "  its boundary seconds to the middle; every window ends in a page of its own; the catch-up),",
      "  which spill into one more cycle.",
      "- At 20 per 2 s: before this was measured, the middle's 7 windows were cut evenly, 8.3 pages'",
      "  worth each and 9 requests: 65 main requests, whose last 5 took slots first used at 0.68 s, so",
      "  0.68 + 3 × 2.1 + 2 × 0.55 ≈ 8.05 s (66 requests, 82%). Cut into whole pages the main phase is",
      "  62 requests: the fourth cycle holds 3 (two on discovery's slots, first used at 0.03 s; the",
      "  catch-up on one first used at 0.68 s), ≈ 0.68 + 3 × 2.1 + 0.5 ≈ 7.45 s (63 requests, 85%).",
      "  Any walk of these 30,000 persons sends more than 60 requests (61 at the very least: every",
      "  page full, and the catch-up), so its last waits for a slot's fourth use: 6.85 s at best",
      "  (89%), and with more than 60 main requests (discovery's boundary seconds alone make 61) the",
      "  catch-up comes a latency after the last of them, ≈ 7.4 s. More would take requests the walk",
      "  does not need, which cost daily tokens and gain nothing.",
      "- At 120 per 2 s, " + persons(out.persons) + " persons: every walk needs three round trips one after the other",
      "  (discovery; the middle; the catch-up): 1.5 s at 500 ms, while the 60 pages are 1 s of the",
      "  allowance. A walk sending only the pages it needs stays under 1 ÷ 1.5 ≈ 67%; the requests above",
      "  60 here are windows of about a page each (so the middle takes one round trip, not two or three),",
      "  and they count in the ratio.",
      "- On the larger account: about 620 main requests, six cycles, the last 20 on slots first used",
      "  about 0.6 s in: ≥ 0.6 + 5 × 2.1 + 2 × 0.55 ≈ 12.2 s, 85% at most. On this shared machine more:",
      "  a burst's requests reach the sandbox up to ~150 ms after the limiter granted them, later than",
      "  its 100 ms margin allows; the sandbox's `x-ratelimit-remaining` then shows one more request in the",
      "  window than the client knows of (the limiter holds a slot for it), and once in a while it",
      "  answers a 429 (the token pauses a second and the margin doubles)."
    ].join("\n"))
  }
  if (out.benchmark === "stream-heap") {
    const rows = out.results.map((r) =>
      `| ${r.name} | ${r.persons.toLocaleString("en")} | ${r.seconds} s | ${r.personsPerSecond.toLocaleString("en")} | ${r.heapMiB.min}–${r.heapMiB.max} MiB | ${r.heapMiB.steadyMin}–${r.heapMiB.steadyMax} MiB | ${r.peakRssMiB} MiB |`
    )
    sections.push([
      `## Streaming ${out.seeded.toLocaleString("en")} persons: heap stays flat`,
      "",
      "`bench/stream-heap.ts`: the sandbox bin in its own process, seeded with the persons; this process",
      "streams them all (500 a page) and samples `heapUsed` after a full GC every 50,000 persons: the live",
      "heap, which a leak would grow. \"Steady\" leaves out the first two samples (warm-up). The forced GCs",
      "cost some throughput; the persons/s here are not the speed benchmark (see issue 5/6's benchmarks).",
      "",
      "| stream | persons | time | persons/s | live heap (all samples) | live heap (steady) | RSS at end |",
      "| --- | ---: | ---: | ---: | --- | --- | ---: |",
      ...rows,
      "",
      out.machine.split("\n").map((line) => line.replace(/^- /, "")).join("; "),
      "",
      "Heap samples (MiB) every 50,000 persons:",
      "",
      ...out.results.map((r) => `- ${r.name}: ${r.samples.map((s) => s.heapMiB).join(", ")}`)
    ].join("\n"))
  }
}

const file = here("BENCHMARKS.md")
writeFileSync(
  file,
  `${[
    "# Benchmarks",
    "Written by `npm run bench` (or `npm run bench -- NAME`, or `npm run bench -- --render` to rewrite this page from the kept " +
    "results); each section gives the machine, date, commit and load average of its last run.",
    ...(targets.length === 0 ? [] : [
      ["## Targets at a glance (issues 7 and 16)", "", "| target | measured (median, spread over rounds) | |", "| --- | --- | --- |", ...targets].join("\n")
    ]),
    ...sections
  ].join("\n\n")}\n`
)
console.error(`wrote ${file}`)
