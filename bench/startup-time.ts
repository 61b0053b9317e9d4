// Time from spawn to "trent listening" (the server accepts connections), median of several starts, on a
// built tree. `node dist/bench/startup-time.js [runs]` prints a table: `npm start` (scripts/start.mjs,
// which must not run tsc here), the old start command (tsc, then main.js) for comparison, and
// node dist/src/main.js directly with 1 and N workers. measureStartup() is for the bench report.
import { spawn } from 'node:child_process'
import { mkdtempSync, rmSync } from 'node:fs'
import { availableParallelism, tmpdir } from 'node:os'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

const ROOT = fileURLToPath(new URL('../..', import.meta.url))
const TIMEOUT_MS = 60_000

export interface StartupCase {
  name: string
  /** Run through `sh -c` in the repository root. */
  command: string
  workers: number
}

/** Milliseconds until the server logs that it listens; the process (group) is killed afterwards. */
function timeOneStart(c: StartupCase): Promise<number> {
  const dataDir = mkdtempSync(join(tmpdir(), 'trent-startup-'))
  const env = { PATH: process.env.PATH, HOME: process.env.HOME, TRENT_DATA_DIR: join(dataDir, 'data'), TRENT_PORT: '0', TRENT_WORKERS: String(c.workers) }
  const started = performance.now()
  const child = spawn('sh', ['-c', c.command], { cwd: ROOT, env, stdio: ['ignore', 'ignore', 'pipe'], detached: true })
  return new Promise<number>((resolve, reject) => {
    let seen = ''
    const timer = setTimeout(() => finish(new Error(`${c.name}: not listening after ${TIMEOUT_MS} ms`)), TIMEOUT_MS)
    const finish = (result: number | Error) => {
      clearTimeout(timer)
      child.stderr?.removeAllListeners('data')
      child.once('close', () => {
        rmSync(dataDir, { recursive: true, force: true })
        if (typeof result === 'number') resolve(result)
        else reject(result)
      })
      try { process.kill(-child.pid!, 'SIGKILL') } catch { /* already gone */ }
    }
    child.stderr?.setEncoding('utf8').on('data', (s: string) => {
      seen += s
      if (seen.includes('"msg":"trent listening"')) finish(performance.now() - started)
    })
    child.once('exit', (code) => { if (!seen.includes('trent listening')) finish(new Error(`${c.name}: exited (${code}) before listening:\n${seen}`)) })
  })
}

/** Median of `runs` starts, run one after another. */
export async function measureStartup(c: StartupCase, runs = 5): Promise<{ name: string; medianMs: number; samplesMs: number[] }> {
  const samples: number[] = []
  for (let i = 0; i < runs; i++) samples.push(await timeOneStart(c))
  const sorted = [...samples].sort((a, b) => a - b)
  return { name: c.name, medianMs: sorted[Math.floor(sorted.length / 2)]!, samplesMs: samples }
}

export function startupCases(): StartupCase[] {
  const n = Math.min(64, availableParallelism())
  return [
    { name: 'npm start (scripts/start.mjs), 1 worker', command: 'exec node scripts/start.mjs', workers: 1 },
    { name: `npm start (scripts/start.mjs), ${n} workers`, command: 'exec node scripts/start.mjs', workers: n },
    { name: 'node dist/src/main.js, 1 worker', command: 'exec node dist/src/main.js', workers: 1 },
    { name: 'old npm start (tsc, then main.js), 1 worker', command: 'node node_modules/typescript/bin/tsc -p tsconfig.json && exec node dist/src/main.js', workers: 1 },
  ]
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? 5)
  for (const c of startupCases()) {
    const r = await measureStartup(c, runs)
    process.stdout.write(`${r.name.padEnd(48)} median ${r.medianMs.toFixed(0).padStart(6)} ms   (${r.samplesMs.map((s) => s.toFixed(0)).join(', ')})\n`)
  }
}
