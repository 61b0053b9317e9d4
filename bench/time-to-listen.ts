// Time from spawning `node dist/src/main.js` to its "trent listening" log line, on a built tree: the first start
// (which creates the database and the default account) once, then restarts on that data dir.
import { randomBytes } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { performance } from 'node:perf_hooks'
import { startChildServer } from './child-server.js'
import { median } from './stats.js'
import { TRENT_MAIN, trentEnvironment } from './trent-process.js'

export interface StartupTimes {
  firstStartMs: number
  restartsMs: number[]
  medianRestartMs: number
}

async function timeOneStart(env: Record<string, string>): Promise<number> {
  const started = performance.now()
  const server = await startChildServer({ script: TRENT_MAIN, readyMessage: 'trent listening', env })
  const elapsed = performance.now() - started
  await server.stop()
  return elapsed
}

/** Starts Trent 1 + `restarts` times on one fresh data dir. Throws RangeError when `restarts` < 1. */
export async function measureStartup(restarts: number): Promise<StartupTimes> {
  if (!(restarts >= 1)) throw new RangeError(`restarts must be at least 1, got ${restarts}`)
  const dataDir = mkdtempSync(join(tmpdir(), 'trent-startup-'))
  try {
    const env = trentEnvironment(dataDir, { accessKeyId: `BENCH${randomBytes(10).toString('hex').toUpperCase()}`, secretAccessKey: randomBytes(30).toString('base64url') })
    const firstStartMs = await timeOneStart(env)
    const restartsMs: number[] = []
    for (let i = 0; i < restarts; i++) restartsMs.push(await timeOneStart(env))
    return { firstStartMs, restartsMs, medianRestartMs: median(restartsMs) }
  } finally {
    rmSync(dataDir, { recursive: true, force: true })
  }
}
