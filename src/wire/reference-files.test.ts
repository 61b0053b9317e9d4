// referenceFile(): TRENT_REFERENCE_DIR first, then shared/reference beside the project (or beside the checkout a
// clean clone came from); a file found nowhere is reported missing at the first place looked.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, it } from 'node:test'
import { referenceDirs, referenceFile } from './reference-files.js'

describe('referenceFile()', () => {
  it('takes the file from TRENT_REFERENCE_DIR before any other folder', () => {
    const dir = mkdtempSync(join(tmpdir(), 'trent-reference-'))
    try {
      writeFileSync(join(dir, 'kms-service-2.json'), '{}')
      assert.deepEqual(referenceFile('kms-service-2.json', { TRENT_REFERENCE_DIR: dir }), { path: join(dir, 'kms-service-2.json'), found: true })
      assert.equal(referenceDirs({ TRENT_REFERENCE_DIR: dir })[0], dir)
    } finally {
      rmSync(dir, { recursive: true, force: true })
    }
  })

  it('reports a file found in no folder as missing, at the first folder looked in', () => {
    const env = { TRENT_REFERENCE_DIR: join(tmpdir(), 'no-such-reference-folder') }
    assert.deepEqual(referenceFile('no-such-file.json', env), { path: join(env.TRENT_REFERENCE_DIR, 'no-such-file.json'), found: false })
  })

  it('looks in shared/reference beside the project', () => {
    assert.ok(referenceDirs({}).some((d) => d.endsWith(join('shared', 'reference'))))
  })
})
