// `npm start`: builds only when dist is missing or older than the sources, then runs the server in this
// process. A fresh machine (`npm ci && npm start`) still builds first; a built tree starts without tsc.
import { spawnSync } from 'node:child_process'
import { readdirSync, statSync, utimesSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'
import { CONSOLE_STAMP, buildConsole } from './build-console.mjs'

const STAMP = 'dist/.start-built'

/** Newest modification time (ms) of the files under `dir` that `counts` (by name), or 0. */
function newestUnder(dir, counts) {
  let newest = 0
  if (!statSync(dir, { throwIfNoEntry: false })) return 0
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    const path = join(dir, entry.name)
    if (entry.isDirectory()) newest = Math.max(newest, newestUnder(path, counts))
    else if (counts(entry.name)) newest = Math.max(newest, statSync(path).mtimeMs)
  }
  return newest
}

/** Newest modification time (ms) of the server build's inputs under `root`: src/**\/*.ts, tsconfig.json, package.json. */
function newestInput(root) {
  let newest = newestUnder(join(root, 'src'), (name) => name.endsWith('.ts'))
  for (const file of ['tsconfig.json', 'package.json']) newest = Math.max(newest, statSync(join(root, file)).mtimeMs)
  return newest
}

function mtimeOrZero(path) {
  return statSync(path, { throwIfNoEntry: false })?.mtimeMs ?? 0
}

/**
 * 'fresh' when dist/src/main.js exists, the last server build (tsc's build info, or this script's stamp after a
 * build it ran) is at least as new as every server input, and the last console build (its stamp) at least as
 * new as every file under console/; 'stale' otherwise. tsc -p is incremental and skips rewriting outputs that
 * did not change, so the build info and the stamps, not main.js, date the builds.
 */
export function buildState(root) {
  if (mtimeOrZero(join(root, 'dist/src/main.js')) === 0) return 'stale'
  const built = Math.max(mtimeOrZero(join(root, 'dist/.tsbuildinfo')), mtimeOrZero(join(root, STAMP)))
  if (built < newestInput(root)) return 'stale'
  return mtimeOrZero(join(root, CONSOLE_STAMP)) >= newestUnder(join(root, 'console'), () => true) ? 'fresh' : 'stale'
}

/** Runs tsc -p tsconfig.json in `root`, then builds the console; throws when either fails. */
export function build(root) {
  const tsc = join(root, 'node_modules/typescript/bin/tsc')
  const result = spawnSync(process.execPath, [tsc, '-p', 'tsconfig.json'], { cwd: root, stdio: 'inherit' })
  if (result.status !== 0) throw new Error(`tsc failed (exit ${result.status ?? result.signal})`)
  buildConsole(root)
  const stamp = join(root, STAMP)
  writeFileSync(stamp, '')
  const now = new Date()
  utimesSync(stamp, now, now)
}

const root = fileURLToPath(new URL('..', import.meta.url))
if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  if (buildState(root) === 'stale') {
    try {
      build(root)
    } catch (e) {
      process.stderr.write(`trent: build failed: ${e instanceof Error ? e.message : String(e)}\n`)
      process.exit(1)
    }
  }
  // main.js reads process.argv.slice(2): the flags given to `npm start -- --port 9000` are already there.
  await import(pathToFileURL(join(root, 'dist/src/main.js')).href)
}
