// Runs every compiled *.test.js under dist/ with node's test runner (Node 20 has no glob support in --test).
// With paths as arguments, runs only the test files under them.
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { spawnSync } from 'node:child_process'

function findTests(dir) {
  const out = []
  for (const name of readdirSync(dir)) {
    const p = join(dir, name)
    if (statSync(p).isDirectory()) out.push(...findTests(p))
    else if (name.endsWith('.test.js')) out.push(p)
  }
  return out
}

const roots = process.argv.slice(2).length > 0 ? process.argv.slice(2) : ['dist/src', 'dist/test', 'dist/bench']
const files = roots.flatMap((r) => { try { return findTests(r) } catch { return [] } }).sort()
if (files.length === 0) {
  console.error('no test files found')
  process.exit(1)
}
const run = (testFiles, env = process.env) =>
  spawnSync(process.execPath, ['--test', '--test-concurrency=2', ...testFiles], { stdio: 'inherit', env }).status ?? 1

// The whole run (no arguments) first passes the end-to-end suite with every server's root key in a SoftHSM2
// token (test/e2e/support/server.ts), then runs everything with the file root key; its summary comes last.
let status = 0
if (process.argv.length <= 2) {
  const e2e = files.filter((f) => f.startsWith(join('dist', 'test', 'e2e')))
  console.log(`# pass 1 of 2: ${e2e.length} end-to-end files with TRENT_E2E_ROOT_KEY_PROVIDER=pkcs11`)
  status = run(e2e, { ...process.env, TRENT_E2E_ROOT_KEY_PROVIDER: 'pkcs11' })
  console.log(`# pass 2 of 2: all ${files.length} test files${status === 0 ? '' : ' (the PKCS#11 pass FAILED)'}`)
}
const main = run(files)
process.exit(status !== 0 ? status : main)
