// Starts the real compiled server (dist/src/main.js) as a child process on a free port with its own data
// directory, waits until it says it is listening, and guarantees every child is killed when the test ends.
// With TRENT_TEST_DATABASE=postgres each data directory also gets a fresh PostgreSQL schema (support/database.ts).
import { spawn, type ChildProcess } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join, resolve } from 'node:path'
import { fileURLToPath } from 'node:url'
import { databaseEnv, dropE2eSchemas } from './database.js'
import { createTestToken, softHsmMissing, type TestToken } from '../../support/softhsm.js'

export const E2E_REGION = 'us-east-1'
export const E2E_ACCOUNT_ID = '111122223333'
export const E2E_CREDENTIALS = { accessKeyId: 'AKIDE2ETESTROOT00001', secretAccessKey: 'e2e-secret-access-key-for-the-root-0001' }

const MAIN_JS = fileURLToPath(new URL('../../../src/main.js', import.meta.url))
const STARTUP_TIMEOUT_MS = 30_000
const STOP_TIMEOUT_MS = 10_000

export interface StartOptions {
  /** Extra environment; a value of undefined removes that variable. Applied after the defaults. */
  env?: Record<string, string | undefined>
  /** Reuse a data directory (for restarts); a fresh temporary one otherwise. */
  dataDir?: string
  /** Extra command-line arguments, e.g. ['--port', '0']. */
  args?: string[]
  /** 'fixed' (default) seeds E2E_CREDENTIALS and E2E_ACCOUNT_ID; 'generated' lets the server pick them. */
  bootstrap?: 'fixed' | 'generated'
}

export interface ExitStatus {
  code: number | null
  signal: NodeJS.Signals | null
}

export interface TrentProcess {
  url: string
  port: number
  dataDir: string
  pid: number
  /** Everything the server has written to stdout / stderr so far. */
  stdout(): string
  stderr(): string
  /** SIGTERM, then SIGKILL if it has not exited in time. */
  stop(): Promise<ExitStatus>
  /** SIGKILL: no shutdown code runs, as in a power cut of the process. */
  kill9(): Promise<ExitStatus>
  readonly exited: Promise<ExitStatus>
  isRunning(): boolean
  /** Resolves once stdout or stderr matches `pattern` (the two pipes are read independently, so order is not guaranteed). */
  waitForOutput(stream: 'stdout' | 'stderr', pattern: RegExp): Promise<void>
}

const liveChildren = new Set<ChildProcess>()
const tempDirs = new Set<string>()

// A last resort if a test file dies without running its `after` hook: never leave a server behind.
process.on('exit', () => {
  for (const child of liveChildren) child.kill('SIGKILL')
})

/** A fresh private temporary directory, removed by cleanupTrent(). */
export function makeTempDir(prefix = 'trent-e2e-'): string {
  const dir = mkdtempSync(join(tmpdir(), prefix))
  tempDirs.add(dir)
  return dir
}

let sharedToken: TestToken | undefined
let fileRootKeyOnly = false

/**
 * For a test file about the root key file itself (its creation, permissions, replacement) or whose fixtures
 * wrap with the file's raw bytes: its servers keep the file provider even under TRENT_E2E_ROOT_KEY_PROVIDER=pkcs11.
 */
export function useFileRootKey(): void {
  fileRootKeyOnly = true
}

/**
 * With TRENT_E2E_ROOT_KEY_PROVIDER=pkcs11 every server a test starts keeps its root key in one private
 * SoftHSM2 token (created on first use, removed at exit), unless the test chose a root key itself: the whole
 * e2e suite then runs on the PKCS#11 provider (npm run test:e2e:pkcs11).
 */
function rootKeyOverride(options: StartOptions): Record<string, string> {
  if (process.env.TRENT_E2E_ROOT_KEY_PROVIDER !== 'pkcs11' || fileRootKeyOnly) return {}
  if (Object.keys(options.env ?? {}).some((k) => k.startsWith('TRENT_ROOT_KEY') || k.startsWith('TRENT_PKCS11_'))) return {}
  if (!sharedToken) {
    const missing = softHsmMissing()
    if (missing) throw new Error(`TRENT_E2E_ROOT_KEY_PROVIDER=pkcs11: ${missing}`)
    const token = createTestToken('trent-e2e')
    sharedToken = token
    process.on('exit', () => token.cleanup())
  }
  return { TRENT_ROOT_KEY_PROVIDER: 'pkcs11', ...sharedToken.env('trent-e2e-root') }
}

/** Data directories whose servers got the PKCS#11 override: CLI runs on them need it too. */
const overridden = new Set<string>()

/** The root key settings a CLI run on `dataDir` needs to open it as its server did (empty unless overridden). */
export function e2eRootKeyEnv(dataDir: string | undefined): Record<string, string> {
  return dataDir !== undefined && overridden.has(resolve(dataDir)) ? rootKeyOverride({}) : {}
}

function childEnv(options: StartOptions, dataDir: string): NodeJS.ProcessEnv {
  // Start from nothing the developer's shell might set (TRENT_*, AWS_*): only PATH and HOME carry over.
  // One process unless a test asks for a cluster (TRENT_WORKERS): the suite pins today's single-process server.
  // Request quotas stay on at AWS's rates, but a bucket holds a minute of its rate: test files make short bursts of
  // management calls (six CreateKeys at once) that AWS's 5/s would refuse. quotas.test.ts sets its own burst.
  const env: Record<string, string | undefined> = {
    PATH: process.env.PATH, HOME: process.env.HOME, TRENT_DATA_DIR: dataDir, TRENT_PORT: '0', TRENT_WORKERS: '1', TRENT_QUOTA_BURST_SECONDS: '60', ...databaseEnv(dataDir),
  }
  if ((options.bootstrap ?? 'fixed') === 'fixed') {
    env.TRENT_ACCOUNT_ID = E2E_ACCOUNT_ID
    env.TRENT_BOOTSTRAP_ACCESS_KEY_ID = E2E_CREDENTIALS.accessKeyId
    env.TRENT_BOOTSTRAP_SECRET_ACCESS_KEY = E2E_CREDENTIALS.secretAccessKey
  }
  const override = rootKeyOverride(options)
  if (Object.keys(override).length > 0) overridden.add(resolve(dataDir))
  Object.assign(env, override, options.env ?? {})
  const out: NodeJS.ProcessEnv = {}
  for (const [k, v] of Object.entries(env)) if (v !== undefined) out[k] = v
  return out
}

/** The URL from the `trent listening` JSON log line, or undefined if `line` is not that line. */
function listeningUrl(line: string): string | undefined {
  if (!line.startsWith('{')) return undefined
  try {
    const parsed = JSON.parse(line) as { msg?: unknown; url?: unknown }
    return parsed.msg === 'trent listening' && typeof parsed.url === 'string' ? parsed.url : undefined
  } catch {
    return undefined
  }
}

function waitForListening(child: ChildProcess, output: { stderr: string }, exited: Promise<ExitStatus>): Promise<string> {
  return new Promise((resolve, reject) => {
    let scanned = 0
    const timer = setTimeout(() => {
      child.kill('SIGKILL')
      reject(new Error(`trent did not report listening within ${STARTUP_TIMEOUT_MS} ms; stderr:\n${output.stderr}`))
    }, STARTUP_TIMEOUT_MS)
    const onData = () => {
      const lines = output.stderr.slice(scanned).split('\n')
      lines.pop() // an incomplete last line is scanned again when it is finished
      for (const line of lines) {
        scanned += line.length + 1
        const url = listeningUrl(line)
        if (url) {
          clearTimeout(timer)
          child.stderr?.off('data', onData)
          resolve(url)
          return
        }
      }
    }
    child.stderr?.on('data', onData)
    void exited.then((status) => {
      clearTimeout(timer)
      reject(new StartupFailure(status, output.stderr))
    })
  })
}

/** The server exited before it was listening; `stderr` holds what it said. */
export class StartupFailure extends Error {
  override readonly name = 'StartupFailure'
  readonly status: ExitStatus
  readonly stderr: string

  constructor(status: ExitStatus, stderr: string) {
    super(`trent exited before listening (code ${status.code}, signal ${status.signal}); stderr:\n${stderr}`)
    this.status = status
    this.stderr = stderr
  }
}

async function waitForOutput(read: () => string, pattern: RegExp, exited: Promise<ExitStatus>): Promise<void> {
  let gone = false
  void exited.then(() => { gone = true })
  const deadline = Date.now() + STARTUP_TIMEOUT_MS
  while (!pattern.test(read())) {
    // After the child is gone its pipes are drained ('close'), so a missing match will never come.
    if (gone || Date.now() > deadline) throw new Error(`output never matched ${String(pattern)}; it was:\n${read()}`)
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

/** Starts `node dist/src/main.js` and resolves once it listens. Rejects with StartupFailure if it exits first. */
export async function startTrent(options: StartOptions = {}): Promise<TrentProcess> {
  const dataDir = options.dataDir ?? join(makeTempDir(), 'data')
  const child = spawn(process.execPath, [MAIN_JS, ...(options.args ?? [])], { env: childEnv(options, dataDir), stdio: ['ignore', 'pipe', 'pipe'] })
  liveChildren.add(child)
  const output = { stdout: '', stderr: '' }
  child.stdout?.setEncoding('utf8').on('data', (s: string) => { output.stdout += s })
  child.stderr?.setEncoding('utf8').on('data', (s: string) => { output.stderr += s })
  let running = true
  const exited = new Promise<ExitStatus>((resolve) => {
    // 'close' rather than 'exit': it fires after stdout and stderr have been read to the end.
    child.on('close', (code, signal) => {
      running = false
      liveChildren.delete(child)
      resolve({ code, signal })
    })
  })
  const url = await waitForListening(child, output, exited)
  const stopWith = async (signal: NodeJS.Signals): Promise<ExitStatus> => {
    if (running) child.kill(signal)
    const timer = setTimeout(() => child.kill('SIGKILL'), STOP_TIMEOUT_MS)
    try {
      return await exited
    } finally {
      clearTimeout(timer)
    }
  }
  return {
    url, port: Number(new URL(url).port), dataDir, pid: child.pid ?? -1, exited,
    stdout: () => output.stdout,
    stderr: () => output.stderr,
    stop: () => stopWith('SIGTERM'),
    kill9: () => stopWith('SIGKILL'),
    isRunning: () => running,
    waitForOutput: (stream, pattern) => waitForOutput(() => output[stream], pattern, exited),
  }
}

/** Kills every server still running and removes the temporary directories (and schemas). Use as `after(cleanupTrent)`. */
export async function cleanupTrent(): Promise<void> {
  const waits = [...liveChildren].map((child) => new Promise<void>((resolve) => {
    child.once('close', () => resolve())
    child.kill('SIGKILL')
  }))
  await Promise.all(waits)
  for (const dir of tempDirs) rmSync(dir, { recursive: true, force: true })
  tempDirs.clear()
  await dropE2eSchemas()
}
