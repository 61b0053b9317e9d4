// Builds the web console into dist/console: its TypeScript (console/tsconfig.json, browser ES modules loaded as
// they are, no bundler) and its static files (console/static). The server serves exactly that folder at /console.
import { spawnSync } from 'node:child_process'
import { cpSync, mkdirSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath } from 'node:url'

/** Touched after each console build, so `npm start` can tell whether console/ changed since (tsc may skip writes). */
export const CONSOLE_STAMP = 'dist/console/.built'

/** Compiles and copies the console under `root`, then touches CONSOLE_STAMP; throws when tsc fails. */
export function buildConsole(root) {
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  const result = spawnSync(process.execPath, [tsc, '-p', 'console/tsconfig.json'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`console tsc failed (exit ${result.status ?? result.signal})`)
  mkdirSync(join(root, 'dist/console'), { recursive: true })
  cpSync(join(root, 'console/static'), join(root, 'dist/console'), { recursive: true })
  const stamp = join(root, CONSOLE_STAMP)
  writeFileSync(stamp, '')
  const now = new Date()
  utimesSync(stamp, now, now)
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  try {
    buildConsole(fileURLToPath(new URL('..', import.meta.url)))
  } catch (e) {
    process.stderr.write(`trent: ${e instanceof Error ? e.message : String(e)}\n`)
    process.exit(1)
  }
}
