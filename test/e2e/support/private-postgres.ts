// A private PostgreSQL cluster for tests that stop and start the database: initdb into a temporary folder, its
// own port, trust auth on 127.0.0.1 only, never the machine's shared server. Run as the `postgres` user when
// the tests run as root (initdb refuses root).
import { execFileSync } from 'node:child_process'
import { chownSync, existsSync, mkdtempSync, rmSync } from 'node:fs'
import { createServer } from 'node:net'
import { tmpdir } from 'node:os'
import { join } from 'node:path'

const BIN = '/usr/lib/postgresql/15/bin'

export interface PrivatePostgres {
  url: string
  start(): void
  /** Fast shutdown: connections are cut, as in a crash or a failover. */
  stop(): void
  destroy(): void
}

/** Why a private cluster cannot be made here, or undefined when it can (CI must have the binaries). */
export function privatePostgresUnavailable(): string | undefined {
  if (existsSync(`${BIN}/initdb`) && existsSync(`${BIN}/pg_ctl`)) return undefined
  const reason = `PostgreSQL server binaries are not in ${BIN}`
  if (process.env.CI === 'true') throw new Error(`${reason}; CI needs them`)
  return reason
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer()
    s.once('error', reject)
    s.listen(0, '127.0.0.1', () => {
      const address = s.address()
      const port = typeof address === 'object' && address ? address.port : 0
      s.close(() => resolve(port))
    })
  })
}

function asPostgres(command: string, args: string[]): void {
  const root = process.getuid?.() === 0
  const [file, argv] = root ? ['runuser', ['-u', 'postgres', '--', command, ...args]] : [command, args]
  execFileSync(file, argv, { stdio: 'pipe', timeout: 60_000 })
}

/** Creates and starts the cluster. Throws when initdb or pg_ctl fail. */
export async function startPrivatePostgres(): Promise<PrivatePostgres> {
  const dir = mkdtempSync(join(tmpdir(), 'trent-pg-'))
  if (process.getuid?.() === 0) {
    const uid = Number(execFileSync('id', ['-u', 'postgres']).toString().trim())
    const gid = Number(execFileSync('id', ['-g', 'postgres']).toString().trim())
    chownSync(dir, uid, gid)
  }
  const data = join(dir, 'data')
  const port = await freePort()
  asPostgres(`${BIN}/initdb`, ['-D', data, '-A', 'trust', '-U', 'postgres', '--no-sync'])
  const options = `-p ${port} -k ${dir} -c listen_addresses=127.0.0.1 -c fsync=on`
  const start = () => asPostgres(`${BIN}/pg_ctl`, ['-D', data, '-o', options, '-l', join(dir, 'log'), '-w', 'start'])
  const stop = () => asPostgres(`${BIN}/pg_ctl`, ['-D', data, '-m', 'fast', '-w', 'stop'])
  start()
  return {
    url: `postgres://postgres@127.0.0.1:${port}/postgres`,
    start,
    stop,
    destroy() {
      try {
        stop()
      } catch {
        // already stopped
      }
      rmSync(dir, { recursive: true, force: true })
    },
  }
}
