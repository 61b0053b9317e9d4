// Starts the judges' minimal audited Encrypt server (../shared/bench-tools/ceiling-server.js, not ours and not
// committed here) beside Trent, so a run can say how far Trent is from it on the same machine in the same minutes.
// The host's speed varies from day to day by a factor of two; a ratio to this server does not.
import { spawn } from 'node:child_process'
import { existsSync, rmSync } from 'node:fs'
import { createServer, connect } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { setTimeout as sleep } from 'node:timers/promises'
import type { ChildServer } from './child-server.js'

const PROJECT_ROOT = fileURLToPath(new URL('../../', import.meta.url))
/** Where the workplace keeps it; TRENT_BENCH_CEILING names another copy. */
export const DEFAULT_CEILING_SCRIPT = join(PROJECT_ROOT, '..', 'shared', 'bench-tools', 'ceiling-server.js')

export function ceilingScript(env: NodeJS.ProcessEnv = process.env): string | undefined {
  const path = env.TRENT_BENCH_CEILING ?? DEFAULT_CEILING_SCRIPT
  return existsSync(path) ? path : undefined
}

/** A port nothing listens on right now (the script takes a port number, not 0). */
function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = createServer()
    probe.once('error', reject)
    probe.listen(0, '127.0.0.1', () => {
      const address = probe.address()
      probe.close(() => (typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port'))))
    })
  })
}

function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => { socket.destroy(); resolve(true) })
    socket.once('error', () => resolve(false))
  })
}

/**
 * Starts the script with audit on (`AUDIT=1`: one SQLite row per request, WAL, synchronous=FULL) and the secret the
 * pool was signed with, and resolves once its port accepts connections. Rejects if it exits or is not up in 10 s.
 */
export async function startCeilingServer(script: string, secretAccessKey: string): Promise<ChildServer> {
  const port = await freePort()
  const child = spawn(process.execPath, [script, String(port)], {
    env: { PATH: process.env.PATH ?? '', NODE_PATH: join(PROJECT_ROOT, 'node_modules'), AUDIT: '1', AWS_SECRET_ACCESS_KEY: secretAccessKey },
    stdio: ['ignore', 'ignore', 'pipe'],
  })
  const log: string[] = []
  child.stderr.setEncoding('utf8').on('data', (chunk: string) => log.push(...chunk.split('\n').filter((l) => l !== '').slice(-20)))
  const stderrClosed = new Promise((resolve) => child.stderr.once('close', resolve))
  const exited = () => child.exitCode !== null || child.signalCode !== null
  const stop = async () => {
    if (!exited()) {
      const gone = new Promise((resolve) => child.once('exit', resolve))
      child.kill('SIGKILL')
      await gone
    }
    // The script keeps its audit database in the temp dir, named by its pid.
    for (const suffix of ['', '-wal', '-shm']) rmSync(join(tmpdir(), `ceiling-${child.pid}.db${suffix}`), { force: true })
  }
  const deadline = Date.now() + 10_000
  while (!(await accepts(port))) {
    if (exited() || Date.now() > deadline) {
      await stop()
      await stderrClosed
      throw new Error(`${script} did not start listening on ${port}:\n${log.join('\n')}`)
    }
    await sleep(50)
  }
  return { url: new URL(`http://127.0.0.1:${port}/`), pid: child.pid ?? 0, hasExited: exited, recentLog: () => log.slice(-20), stop }
}
