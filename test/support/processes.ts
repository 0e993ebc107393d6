/**
 * Spawning the project's programs the way a user runs them: the sandbox bin, the CLI and the
 * examples, under Node (built `dist/`) and under Deno (TypeScript sources), with bounded waits.
 */
import { type ChildProcess, spawn } from "node:child_process"
import { once } from "node:events"
import { fileURLToPath } from "node:url"

export const root = fileURLToPath(new URL("../..", import.meta.url))
export const deno = `${root}node_modules/.bin/deno`

export interface Finished {
  readonly code: number | null
  readonly stdout: string
  readonly stderr: string
}

/** Runs a command to completion (killed after `timeoutMs`), collecting its output. */
export const run = async (
  command: string,
  args: ReadonlyArray<string>,
  options: { readonly env?: Record<string, string>; readonly timeoutMs?: number; readonly cwd?: string } = {}
): Promise<Finished> => {
  const child = spawn(command, args, {
    cwd: options.cwd ?? root,
    env: { ...process.env, NO_COLOR: "1", ...options.env },
    stdio: ["ignore", "pipe", "pipe"]
  })
  let stdout = ""
  let stderr = ""
  child.stdout.on("data", (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on("data", (chunk: Buffer) => (stderr += chunk.toString()))
  const timer = setTimeout(() => child.kill("SIGKILL"), options.timeoutMs ?? 60_000)
  const [code] = (await once(child, "close")) as [number | null]
  clearTimeout(timer)
  return { code, stdout, stderr }
}

export interface RunningSandbox {
  readonly url: string
  readonly stop: () => Promise<void>
}

const waitForReady = (child: ChildProcess, timeoutMs: number): Promise<string> =>
  new Promise((resolve, reject) => {
    let buffered = ""
    const timer = setTimeout(() => reject(new Error(`sandbox not READY within ${timeoutMs} ms: ${buffered}`)), timeoutMs)
    child.stdout?.on("data", (chunk: Buffer) => {
      buffered += chunk.toString()
      const line = buffered.split("\n")[0] ?? ""
      if (buffered.includes("\n")) {
        clearTimeout(timer)
        const match = /^READY (http:\/\/127\.0\.0\.1:\d+)$/.exec(line.trim())
        if (match?.[1] !== undefined) resolve(match[1])
        else reject(new Error(`unexpected first line from the sandbox: ${line}`))
      }
    })
    child.on("exit", (code) => reject(new Error(`sandbox exited with ${code} before READY`)))
  })

/**
 * Starts the sandbox bin (`pipedrive-sandbox --port 0 …`) under Node and waits for its READY line;
 * the workspace's bin unless `bin` names another (an installed package's).
 */
export const startSandbox = async (
  args: ReadonlyArray<string>,
  bin = `${root}packages/sandbox/bin/pipedrive-sandbox.mjs`
): Promise<RunningSandbox> => {
  const child = spawn("node", [bin, "--port", "0", ...args], {
    cwd: root,
    stdio: ["ignore", "pipe", "inherit"]
  })
  const url = await waitForReady(child, 30_000)
  return {
    url,
    stop: async () => {
      if (child.exitCode === null) {
        child.kill("SIGTERM")
        await once(child, "exit")
      }
    }
  }
}
