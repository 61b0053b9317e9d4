// Starts a real Trent (dist/src/main.js) for one scenario: fresh temp data dir, random root key and
// bootstrap credentials, port 0, plus the scenario's extra environment. Removes the data dir on stop.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, readdirSync, readFileSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startChildServer, type ChildServer } from './child-server.js'
import type { BenchCredentials } from './sign-request.js'

export const BENCH_REGION = 'us-east-1'
export const TRENT_MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url))

export interface TrentOptions {
  /** Extra environment (e.g. TRENT_BENCH_AUDIT=off); the baseline never sees it. */
  env?: Readonly<Record<string, string>>
  /** Passed as `--workers <n>` and TRENT_WORKERS=<n>; absent leaves Trent's own default. */
  workers?: number
}

export interface TrentProcess {
  server: ChildServer
  region: string
  credentials: BenchCredentials
  /** The primary plus its direct child processes, counted once listening: what `--workers` actually gave. */
  processes: number
  stop(): Promise<void>
}

/** Thrown when Trent refuses `--workers` (a build from before the cluster work): the bench then reports N=1 only. */
export class WorkersFlagRejected extends Error {
  override readonly name = 'WorkersFlagRejected'
}

function benchCredentials(): BenchCredentials {
  return {
    accessKeyId: `BENCH${randomBytes(10).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  }
}

/** The environment of a bench Trent using `dataDir`. The same object starts it again on the same data. */
export function trentEnvironment(dataDir: string, credentials: BenchCredentials): Record<string, string> {
  return {
    TRENT_DATA_DIR: dataDir,
    TRENT_HOST: '127.0.0.1',
    TRENT_PORT: '0',
    TRENT_REGION: BENCH_REGION,
    TRENT_ROOT_KEY: randomBytes(32).toString('base64'),
    TRENT_BOOTSTRAP_ACCESS_KEY_ID: credentials.accessKeyId,
    TRENT_BOOTSTRAP_SECRET_ACCESS_KEY: credentials.secretAccessKey,
    // The benchmarks measure the server's peak, above AWS's per-account quotas (ECC 1000/s); throttling is
    // tested on its own (src/quotas), not measured here.
    TRENT_QUOTAS: 'off',
  }
}

/** Direct children of `pid`, read from /proc (Linux); 0 where /proc is unavailable. */
export function childProcessCount(pid: number): number {
  let count = 0
  try {
    for (const entry of readdirSync('/proc')) {
      if (!/^\d+$/.test(entry)) continue
      try {
        // Field 4 of /proc/<pid>/stat is the parent pid; the command name (field 2) may hold spaces, so split after ')'.
        const stat = readFileSync(`/proc/${entry}/stat`, 'utf8')
        const ppid = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1])
        if (ppid === pid) count++
      } catch {
        // The process exited while we looked.
      }
    }
  } catch {
    return 0
  }
  return count
}

/**
 * Starts Trent and resolves once it is listening. Throws WorkersFlagRejected when `workers` was asked for and
 * Trent does not know the flag; otherwise throws (with Trent's last log lines) when it fails to start.
 */
export async function startTrent(options: TrentOptions = {}): Promise<TrentProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trent-bench-'))
  const credentials = benchCredentials()
  const workers: Record<string, string> = options.workers === undefined ? {} : { TRENT_WORKERS: String(options.workers) }
  try {
    const server = await startChildServer({
      script: TRENT_MAIN,
      args: options.workers === undefined ? [] : ['--workers', String(options.workers)],
      readyMessage: 'trent listening',
      env: { ...trentEnvironment(dataDir, credentials), ...workers, ...options.env },
    })
    // Workers may log "listening" a moment after the primary; give them that moment before counting.
    await new Promise((resolve) => setTimeout(resolve, options.workers === undefined ? 300 : 1000))
    const stop = async () => {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
    return { server, region: BENCH_REGION, credentials, processes: 1 + childProcessCount(server.pid), stop }
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true })
    const message = e instanceof Error ? e.message : String(e)
    if (options.workers !== undefined && /unknown option '--workers'/i.test(message)) {
      throw new WorkersFlagRejected(`this Trent build rejects --workers (${message.split('\n').find((l) => /workers/i.test(l))?.trim() ?? ''})`)
    }
    throw e
  }
}
