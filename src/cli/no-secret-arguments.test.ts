// No secret is ever taken from the command line (where `ps` and /proc/<pid>/cmdline show it to every user):
// no option of the server or of any `trent` verb names one; root keys and bootstrap secrets come from files
// or the environment, and generated secrets are printed, never read back from an argument.
import assert from 'node:assert/strict'
import { readdirSync, readFileSync } from 'node:fs'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'
import { ConfigError, loadConfig } from '../config/config.js'

const SRC = fileURLToPath(new URL('../../../src/', import.meta.url))
const SECRET_WORDS = /secret|password|passphrase|root-?key|token|private/i

function sources(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((e) => {
    const p = join(dir, e.name)
    if (e.isDirectory()) return sources(p)
    return e.name.endsWith('.ts') && !e.name.endsWith('.test.ts') ? [p] : []
  })
}

/** Option names declared to node:util parseArgs (`name: { type: 'string' | 'boolean' }`). */
function optionNames(text: string): string[] {
  return [...text.matchAll(/['"]?([A-Za-z][\w-]*)['"]?\s*:\s*\{\s*type:\s*'(?:string|boolean)'/g)].map((m) => m[1]!)
}

describe('secrets on the command line', () => {
  it('no server or CLI option is named for a secret', () => {
    const files = [...sources(join(SRC, 'cli')), join(SRC, 'config', 'config.ts')]
    const names = files.flatMap((f) => optionNames(readFileSync(f, 'utf8')))
    assert.ok(names.includes('data-dir') && names.includes('workers'), `the scan finds options: ${names.join(',')}`)
    assert.deepEqual(names.filter((n) => SECRET_WORDS.test(n)), [])
  })

  it('the server refuses a root key or secret passed as a flag', () => {
    for (const flag of ['--root-key', '--secret-access-key', '--bootstrap-secret-access-key']) {
      assert.throws(() => loadConfig([flag, 'AAAA'], {}), (e: unknown) => e instanceof TypeError || e instanceof ConfigError)
    }
  })
})
