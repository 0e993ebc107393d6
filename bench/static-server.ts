/**
 * The static server as a process: renders `/api/v2/persons` (limit 500), `/api/v2/personFields` and
 * one person from a running sandbox, then replays them from memory (see `static-pages.ts`). Prints
 * `READY <url>` once it listens, like the sandbox bin.
 *
 *   node bench/dist/static-server.js --from http://127.0.0.1:PORT [--limit 500] [--person 1]
 */
import { parseArgs } from "node:util"
import { renderList, renderPerson, serve } from "./static-pages.ts"

const { values } = parseArgs({
  options: {
    from: { type: "string" },
    limit: { type: "string", default: "500" },
    person: { type: "string", default: "1" }
  }
})
if (values.from === undefined) throw new Error("--from URL (a running sandbox) is required")
const from = values.from

const started = performance.now()
const persons = await renderList(from, "/api/v2/persons", Number(values.limit))
const fields = await renderList(from, "/api/v2/personFields", 500)
const person = await renderPerson(from, Number(values.person))
const { url } = await serve({
  lists: new Map([["/api/v2/persons", persons.pages], ["/api/v2/personFields", fields.pages]]),
  person
})
console.error(
  `static server: ${persons.items} persons in ${persons.pages.size} pages (${Math.round(persons.bytes / 1e6)} MB), ` +
    `${fields.items} fields, rendered in ${Math.round(performance.now() - started)} ms`
)
console.log(`READY ${url}`)
