// Starts a server script as a child node process and waits for its JSON "listening" log line on stderr.
// Trent and the echo baseline both go through here, so they get the same node binary, flags and env handling.
import { spawn, type ChildProcess } from 'node:child_process'
import { createInterface } from 'node:readline'

export interface ChildServer {
  url: URL
  pid: number
  /** Whether the process has exited (a crash mid-run shows up as socket errors; this says why). */
  hasExited(): boolean
  /** The last stderr lines, for diagnosing a crash. */
  recentLog(): string[]
  /** SIGTERM, then SIGKILL if the process has not exited within a few seconds. */
  stop(): Promise<void>
}

export interface ChildServerOptions {
  script: string
  /** Command-line arguments after the script. */
  args?: readonly string[]
  /** Added to a copy of this process's environment with every inherited TRENT_* variable removed. */
  env: Record<string, string>
  /** The `msg` of the log line whose `url` field is the listening address. */
  readyMessage: string
  readyTimeoutMs?: number
}

const KEPT_LOG_LINES = 20
const live = new Set<ChildProcess>()
process.on('exit', () => {
  for (const child of live) child.kill('SIGKILL')
})

function childEnv(extra: Record<string, string>): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {}
  for (const [name, value] of Object.entries(process.env)) if (!name.startsWith('TRENT_')) env[name] = value
  return { ...env, ...extra }
}

function listeningUrl(line: string, readyMessage: string): URL | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; url?: unknown }
    return parsed.msg === readyMessage && typeof parsed.url === 'string' ? new URL(parsed.url) : undefined
  } catch {
    return undefined
  }
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve()
  return new Promise((resolve) => {
    const kill = setTimeout(() => child.kill('SIGKILL'), 6000)
    child.once('exit', () => {
      clearTimeout(kill)
      resolve()
    })
    child.kill('SIGTERM')
  })
}

/** Spawns `node <script>` and resolves once it logs `readyMessage`. Rejects (with its last log lines) on early exit or timeout. */
export function startChildServer(options: ChildServerOptions): Promise<ChildServer> {
  const child = spawn(process.execPath, [options.script, ...(options.args ?? [])], { env: childEnv(options.env), stdio: ['ignore', 'ignore', 'pipe'] })
  live.add(child)
  child.once('exit', () => live.delete(child))
  const log: string[] = []
  const server = (url: URL): ChildServer => ({
    url,
    pid: child.pid ?? 0,
    hasExited: () => child.exitCode !== null || child.signalCode !== null,
    recentLog: () => [...log],
    stop: () => stopChild(child),
  })
  return new Promise((resolve, reject) => {
    let settled = false
    const fail = (why: string) => {
      if (settled) return
      settled = true
      clearTimeout(timer)
      child.kill('SIGKILL')
      reject(new Error(`${options.script} ${why}\n${log.join('\n')}`))
    }
    const timer = setTimeout(() => fail('did not start listening in time'), options.readyTimeoutMs ?? 20_000)
    // 'close' (not 'exit') so every stderr line is in the log by the time we report the failure.
    child.once('close', (code, signal) => fail(`exited before listening (code ${code}, signal ${signal})`))
    // Keep reading stderr for the child's whole life so a chatty server never blocks on a full pipe.
    createInterface({ input: child.stderr as NodeJS.ReadableStream }).on('line', (line) => {
      log.push(line)
      if (log.length > KEPT_LOG_LINES) log.shift()
      const url = settled ? undefined : listeningUrl(line, options.readyMessage)
      if (url === undefined) return
      settled = true
      clearTimeout(timer)
      resolve(server(url))
    })
  })
}
