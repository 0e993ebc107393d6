/**
 * List everything: 100,000 persons through v2 cursor pagination (limit 500), by this library's
 * `Persons.stream`, the official client's `getPersons` loop and raw `fetch` + `JSON.parse`, from
 * (a) the static server replaying pre-rendered pages and (b) the sandbox bin; and (c) under Deno,
 * `Persons.stream` against raw `fetch` + `JSON.parse` (bench/deno-list.ts), from the static server.
 * Every contender runs in its own child process each round, rounds rotating the order; persons/s
 * and peak RSS each.
 *
 *   node bench/dist/list-everything.js [--persons 100000] [--rounds 5]
 *   node bench/dist/list-everything.js --child pipedrive-effect --url URL --persons N   (one run)
 *
 * Prints one JSON object (what `run.mjs` writes into BENCHMARKS.md).
 */
import { createRequire } from "node:module"
import { dirname, join } from "node:path"
import { parseArgs } from "node:util"
import { type Contender, clientOf, contenderOf, contenders } from "./contenders.ts"
import { benchScript, repoPath, runCommandJson, runJson, startSandbox, startServer } from "./processes.ts"
import { peakRssMiB, rotation, round, spread } from "./stats.ts"

const { values } = parseArgs({
  options: {
    persons: { type: "string", default: "100000" },
    rounds: { type: "string", default: "5" },
    child: { type: "string" },
    url: { type: "string" }
  }
})
const persons = Number(values.persons)

/** What one child reports. */
interface Run {
  readonly contender: Contender
  readonly persons: number
  readonly seconds: number
  readonly personsPerSecond: number
  /** This process's CPU time (user + system) for the walk: unlike the wall time, not stretched by other processes. */
  readonly cpuSeconds: number
  readonly peakRssMiB: number
}

const child = async (contender: Contender, url: string): Promise<Run> => {
  const client = await clientOf(contender, url)
  const started = performance.now()
  const cpuStarted = process.cpuUsage()
  const count = await client.listAll()
  const seconds = (performance.now() - started) / 1000
  const cpu = process.cpuUsage(cpuStarted)
  await client.dispose()
  if (count !== persons) throw new Error(`${contender} listed ${count} persons, expected ${persons}`)
  return { contender, persons: count, seconds: round(seconds, 3), personsPerSecond: Math.round(count / seconds), cpuSeconds: round((cpu.user + cpu.system) / 1e6, 3), peakRssMiB: peakRssMiB() }
}

const measureServer = async (server: string, url: string, rounds: number) => {
  const runs: Array<Run> = []
  for (let r = 0; r < rounds; r++) {
    for (const contender of rotation(contenders, r)) {
      const run = await runJson<Run>(benchScript("list-everything.js"), ["--child", contender, "--url", url, "--persons", String(persons)])
      console.error(`  ${server} round ${r + 1}: ${contender} ${run.personsPerSecond} persons/s, ${run.peakRssMiB} MiB`)
      runs.push(run)
    }
  }
  const of = (contender: Contender) => runs.filter((run) => run.contender === contender)
  const results = contenders.map((contender) => ({
    contender,
    personsPerSecond: spread(of(contender).map((run) => run.personsPerSecond)),
    seconds: spread(of(contender).map((run) => run.seconds), 2),
    cpuSeconds: spread(of(contender).map((run) => run.cpuSeconds), 2),
    peakRssMiB: spread(of(contender).map((run) => run.peakRssMiB), 1)
  }))
  // Ratios of the same round's runs (the contenders ran minutes apart at most), then their median:
  // a round slowed by a neighbour slows all three.
  const ratio = (a: Contender, b: Contender) =>
    spread(of(a).map((run, i) => run.personsPerSecond / (of(b)[i]?.personsPerSecond ?? Number.NaN)), 2)
  return {
    server,
    results,
    ratios: {
      libraryVsRawFetch: ratio("pipedrive-effect", "raw-fetch"),
      libraryVsOfficial: ratio("pipedrive-effect", "official"),
      officialVsRawFetch: ratio("official", "raw-fetch")
    },
    runs
  }
}

// The deno binary itself: `node_modules/.bin/deno` is a Node shim that would add a Node start-up.
const deno = join(dirname(createRequire(import.meta.url).resolve("deno/package.json")), "deno")
const denoContenders = ["pipedrive-effect", "raw-fetch"] as const

/** Under Deno: `Persons.stream` (HttpTransport is fetch there) against raw fetch, from the TypeScript sources. */
const measureDeno = async (url: string, rounds: number) => {
  const runs: Array<Run> = []
  for (let r = 0; r < rounds; r++) {
    for (const contender of rotation(denoContenders, r)) {
      const run = await runCommandJson<Run>(deno, ["run", "-A", repoPath("bench/deno-list.ts"), "--child", contender, "--url", url, "--persons", String(persons)])
      console.error(`  deno round ${r + 1}: ${contender} ${run.personsPerSecond} persons/s, ${run.peakRssMiB} MiB`)
      runs.push(run)
    }
  }
  const of = (contender: Contender) => runs.filter((run) => run.contender === contender)
  return {
    server: "deno",
    results: denoContenders.map((contender) => ({
      contender,
      personsPerSecond: spread(of(contender).map((run) => run.personsPerSecond)),
      seconds: spread(of(contender).map((run) => run.seconds), 2),
      cpuSeconds: spread(of(contender).map((run) => run.cpuSeconds), 2),
      peakRssMiB: spread(of(contender).map((run) => run.peakRssMiB), 1)
    })),
    ratios: {
      libraryVsRawFetch: spread(
        of("pipedrive-effect").map((run, i) => run.personsPerSecond / (of("raw-fetch")[i]?.personsPerSecond ?? Number.NaN)),
        2
      )
    },
    runs
  }
}

const main = async () => {
  const rounds = Number(values.rounds)
  const sandbox = await startSandbox(persons)
  try {
    const staticServer = await startServer(process.execPath, [benchScript("static-server.js"), "--from", sandbox.url])
    try {
      console.error("> list-everything: static server")
      const onStatic = await measureServer("static", staticServer.url, rounds)
      console.error("> list-everything: Deno, static server")
      const onDeno = await measureDeno(staticServer.url, rounds)
      console.error("> list-everything: sandbox")
      const onSandbox = await measureServer("sandbox", sandbox.url, rounds)
      console.log(JSON.stringify({ benchmark: "list-everything", persons, rounds, servers: [onStatic, onSandbox], deno: onDeno }))
    } finally {
      staticServer.stop()
    }
  } finally {
    sandbox.stop()
  }
}

const done = values.child === undefined
  ? main()
  : child(contenderOf(values.child), values.url ?? "").then((run) => console.log(JSON.stringify(run)))
done.catch((error) => {
  console.error(error)
  process.exit(1)
})
