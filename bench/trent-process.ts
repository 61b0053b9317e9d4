// Starts a real Trent (dist/src/main.js) for one scenario: fresh temp data dir, random root key and
// bootstrap credentials, port 0, plus the scenario's extra environment. Removes the data dir on stop.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'
import { startChildServer, type ChildServer } from './child-server.js'
import type { BenchCredentials } from './sign-request.js'

export const BENCH_REGION = 'us-east-1'
const TRENT_MAIN = fileURLToPath(new URL('../src/main.js', import.meta.url))

export interface TrentProcess {
  server: ChildServer
  region: string
  credentials: BenchCredentials
  stop(): Promise<void>
}

function benchCredentials(): BenchCredentials {
  return {
    accessKeyId: `BENCH${randomBytes(10).toString('hex').toUpperCase()}`,
    secretAccessKey: randomBytes(30).toString('base64url'),
  }
}

/** Starts Trent and resolves once it is listening. Throws (with Trent's last log lines) when it fails to start. */
export async function startTrent(extraEnv: Readonly<Record<string, string>> = {}): Promise<TrentProcess> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trent-bench-'))
  const credentials = benchCredentials()
  try {
    const server = await startChildServer({
      script: TRENT_MAIN,
      readyMessage: 'trent listening',
      env: {
        TRENT_DATA_DIR: dataDir,
        TRENT_HOST: '127.0.0.1',
        TRENT_PORT: '0',
        TRENT_REGION: BENCH_REGION,
        TRENT_ROOT_KEY: randomBytes(32).toString('base64'),
        TRENT_BOOTSTRAP_ACCESS_KEY_ID: credentials.accessKeyId,
        TRENT_BOOTSTRAP_SECRET_ACCESS_KEY: credentials.secretAccessKey,
        ...extraEnv,
      },
    })
    const stop = async () => {
      await server.stop()
      rmSync(dataDir, { recursive: true, force: true })
    }
    return { server, region: BENCH_REGION, credentials, stop }
  } catch (e) {
    rmSync(dataDir, { recursive: true, force: true })
    throw e
  }
}
