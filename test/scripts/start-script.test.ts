// `npm start` (scripts/start.mjs) runs tsc only when dist is missing or older than the sources, so a built
// tree starts without a build. Checked on a scratch copy of the script whose "tsc" records that it ran.
import assert from 'node:assert/strict'
import { spawnSync } from 'node:child_process'
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, rmSync, utimesSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

const SCRIPT = fileURLToPath(new URL('../../../scripts/start.mjs', import.meta.url))
const CONSOLE_SCRIPT = fileURLToPath(new URL('../../../scripts/build-console.mjs', import.meta.url))
const dirs: string[] = []
after(() => { for (const d of dirs) rmSync(d, { recursive: true, force: true }) })

/**
 * A tree with the real start.mjs and build-console.mjs, one source and one console file, a fake tsc that builds
 * dist and logs each run of the server's build (not the console's), and a main.js that says it ran.
 */
function scratchTree(): string {
  const root = mkdtempSync(join(tmpdir(), 'trent-start-'))
  dirs.push(root)
  for (const d of ['scripts', 'src', 'console/static', 'node_modules/typescript/bin']) mkdirSync(join(root, d), { recursive: true })
  copyFileSync(SCRIPT, join(root, 'scripts/start.mjs'))
  copyFileSync(CONSOLE_SCRIPT, join(root, 'scripts/build-console.mjs'))
  writeFileSync(join(root, 'console/static/index.html'), '<!doctype html>\n')
  writeFileSync(join(root, 'src/main.ts'), 'export {}\n')
  writeFileSync(join(root, 'tsconfig.json'), '{}\n')
  writeFileSync(join(root, 'package.json'), '{"type":"module"}\n')
  writeFileSync(join(root, 'node_modules/typescript/bin/tsc'), [
    "import { appendFileSync, mkdirSync, writeFileSync } from 'node:fs'",
    "if (process.argv.includes('console/tsconfig.json')) { appendFileSync('console-runs.log', 'ran\\n'); process.exit(0) }",
    "appendFileSync('tsc-runs.log', 'ran\\n')",
    "mkdirSync('dist/src', { recursive: true })",
    "writeFileSync('dist/src/main.js', \"process.stdout.write('main ran ' + process.argv.slice(2).join(' '))\\n\")",
    "writeFileSync('dist/.tsbuildinfo', '{}')",
  ].join('\n'))
  return root
}

const start = (root: string, ...args: string[]) => spawnSync(process.execPath, [join(root, 'scripts/start.mjs'), ...args], { cwd: root, encoding: 'utf8' })
const runsIn = (root: string, log: string) => existsSync(join(root, log)) ? (spawnSync('cat', [join(root, log)], { encoding: 'utf8' }).stdout.match(/ran/g) ?? []).length : 0
const tscRuns = (root: string) => runsIn(root, 'tsc-runs.log')
const age = (path: string, secondsAgo: number) => { const t = new Date(Date.now() - secondsAgo * 1000); utimesSync(path, t, t) }

describe('npm start (scripts/start.mjs)', () => {
  it('builds when dist is missing, then runs main.js with the flags it was given', () => {
    const root = scratchTree()
    const run = start(root, '--port', '0')
    assert.equal(run.status, 0, run.stderr)
    assert.equal(run.stdout, 'main ran --port 0')
    assert.equal(tscRuns(root), 1)
    assert.equal(runsIn(root, 'console-runs.log'), 1, 'the console was built too')
    assert.ok(existsSync(join(root, 'dist/console/index.html')), 'the console\'s static files were copied into dist/console')
  })

  it('does not run tsc on a built tree whose dist is newer than every source', () => {
    const root = scratchTree()
    start(root)
    for (const f of ['src/main.ts', 'console/static/index.html', 'tsconfig.json', 'package.json']) age(join(root, f), 60)
    const run = start(root)
    assert.equal(run.stdout, 'main ran ')
    assert.equal(tscRuns(root), 1, 'the second start did not build')
  })

  it('rebuilds when a source is newer than the last build', () => {
    const root = scratchTree()
    start(root)
    age(join(root, 'dist/.tsbuildinfo'), 60)
    age(join(root, 'dist/.start-built'), 60)
    start(root)
    assert.equal(tscRuns(root), 2)
  })

  it('rebuilds when a console file is newer than the last build', () => {
    const root = scratchTree()
    start(root)
    for (const f of ['src/main.ts', 'tsconfig.json', 'package.json', 'dist/.tsbuildinfo', 'dist/.start-built', 'dist/console/.built']) age(join(root, f), 60)
    age(join(root, 'console/static/index.html'), 30)
    start(root)
    assert.equal(tscRuns(root), 2)
    assert.equal(runsIn(root, 'console-runs.log'), 2)
  })

  it('judges the tree stale when only the console changed after the server\'s last build', async () => {
    const root = scratchTree()
    start(root)
    const { buildState } = (await import(join(root, 'scripts/start.mjs'))) as { buildState(root: string): string }
    for (const f of ['src/main.ts', 'console/static/index.html', 'tsconfig.json', 'package.json']) age(join(root, f), 60)
    assert.equal(buildState(root), 'fresh')
    age(join(root, 'dist/console/.built'), 120)
    assert.equal(buildState(root), 'stale')
  })

  it('judges this repository\'s own built tree fresh', async () => {
    const { buildState } = (await import(SCRIPT)) as { buildState(root: string): string }
    assert.equal(buildState(fileURLToPath(new URL('../../..', import.meta.url))), 'fresh')
  })
})
