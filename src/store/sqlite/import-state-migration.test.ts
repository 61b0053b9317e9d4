// The migration that adds per-material import state: material rows written before it open unchanged, as
// generated material with no import fields, and are never listed for expiry or rotation.
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { after, describe, it } from 'node:test'
import Database from 'better-sqlite3'
import { migrations } from './migrations.js'
import { openSqliteStore } from './sqlite-store.js'

const KEY_ID = '1234abcd-12ab-34cd-56ef-1234567890ab'
/** The shipped schema before the import-state step (the step itself is found by what it adds). */
const PREVIOUS_VERSION = migrations.findIndex((m) => m.includes('ADD COLUMN import_state'))

const dir = mkdtempSync(join(tmpdir(), 'trent-import-state-'))
after(() => rmSync(dir, { recursive: true, force: true }))

describe('import-state migration', () => {
  it('opens material rows written before it as generated material, with nothing to expire or promote', async () => {
    assert.ok(PREVIOUS_VERSION > 0)
    const path = join(dir, 'trent.db')
    const db = new Database(path)
    for (const step of migrations.slice(0, PREVIOUS_VERSION)) db.exec(step)
    db.pragma(`user_version = ${PREVIOUS_VERSION}`)
    db.prepare(`INSERT INTO keys (key_id, account_id, region, created_at, description, key_spec, key_usage, origin, key_state,
      policy, current_version, multi_region) VALUES (?, '111122223333', 'us-east-1', 1, '', 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT', 'AWS_KMS', 'Enabled', '{}', 1, 0)`).run(KEY_ID)
    db.prepare(`INSERT INTO key_versions (key_id, version, material_id, wrapped_material, created_at, wrap_format, material_id_format)
      VALUES (?, 1, ?, ?, 2, 2, 2)`).run(KEY_ID, 'ab'.repeat(32), Buffer.alloc(61, 1))
    db.close()
    const store = await openSqliteStore(path)
    try {
      const version = await store.getKeyVersion(KEY_ID, 1)
      assert.equal(version?.materialId, 'ab'.repeat(32))
      assert.deepEqual(new Uint8Array(version!.wrappedMaterial), new Uint8Array(61).fill(1))
      assert.equal('imported' in version!, false)
      assert.deepEqual(await store.listExpiredImportedVersions(new Date('2999-01-01T00:00:00Z'), 10), [])
      assert.equal(await store.getPendingRotationVersion(KEY_ID), undefined)
      assert.equal(await store.deleteImportedVersion(KEY_ID, 1), false, 'generated material is never "deleted imported material"')
      assert.equal((await store.getKeyVersion(KEY_ID, 1))?.wrappedMaterial.length, 61)
    } finally {
      await store.close()
    }
  })
})
