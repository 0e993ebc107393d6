/**
 * The official client's side of the start-up comparison: a script that imports `pipedrive` and
 * lists the person fields (`PersonFieldsApi.getPersonFields`, v2), as `pipedrive-effect fields list`
 * does, printing them as JSON. Reads `PIPEDRIVE_BASE_URL` and `PIPEDRIVE_API_TOKEN` like the CLI.
 */
import { v2 } from "pipedrive"

const basePath = `${process.env["PIPEDRIVE_BASE_URL"] ?? ""}/api/v2`
const api = new v2.PersonFieldsApi(new v2.Configuration({ apiKey: process.env["PIPEDRIVE_API_TOKEN"] ?? "", basePath }))
const fields = await api.getPersonFields({ limit: 500 })
console.log(JSON.stringify(fields.data ?? []))
