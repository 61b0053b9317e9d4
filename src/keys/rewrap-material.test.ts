// The start-up rewrap: a previous-version database opens, every row moves to the bound format one atomic
// row at a time (so a kill -9 anywhere leaves every row readable), reruns and concurrent runs are harmless.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { memoryLogger } from '../logging/logger.js'
import { inProcessRootKey } from '../rootkey/root-key.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import { Keyring } from './keyring.js'
import { deriveMaterialId } from './material-binding.js'
import { rewrapLegacyMaterial, rewrapOne } from './rewrap-material.js'
import { b64, createHarness, TEST_ACCOUNT, TEST_REGION } from '../../test/support/harness.js'
import { ok } from '../../test/support/kms-fixtures.js'
import { previousPlaintext, writePreviousDatabase, type PreviousKey } from '../../test/support/previous-database.js'

const rootBytes = new Uint8Array(32).fill(7) // the harness's root key
const rootKey = inProcessRootKey(rootBytes, 'test')
const specs: PreviousKey['keySpec'][] = ['SYMMETRIC_DEFAULT', 'HMAC_256', 'SYMMETRIC_DEFAULT', 'HMAC_256', 'SYMMETRIC_DEFAULT']

let dir: string
before(() => { dir = mkdtempSync(join(tmpdir(), 'trent-rewrap-')) })
after(() => rmSync(dir, { recursive: true, force: true }))

function formats(path: string): number[] {
  const db = new Database(path, { readonly: true })
  try {
    return (db.prepare('SELECT wrap_format FROM key_versions ORDER BY key_id').all() as { wrap_format: number }[]).map((r) => r.wrap_format)
  } finally {
    db.close()
  }
}

/** Every key's material unwraps through a cold keyring, whichever format its row is in. */
async function assertAllReadable(path: string, keys: PreviousKey[]): Promise<void> {
  const store = await openSqliteStore(path)
  try {
    const keyring = new Keyring(rootKey, store)
    for (const k of keys) assert.deepEqual(await keyring.withMaterial((await store.getKey(k.keyId))!, 1, (u) => Uint8Array.from(u.material)), k.material)
  } finally {
    await store.close()
  }
}

describe('rewrapLegacyMaterial()', () => {
  it('a database written by the previous version opens, rewraps, and its ciphertexts, MACs and public ids survive', async () => {
    const path = join(dir, 'previous.db')
    const keys = writePreviousDatabase(path, rootBytes, TEST_ACCOUNT, TEST_REGION, specs)
    const h = await createHarness({ storePath: path })
    try {
      const report = await rewrapLegacyMaterial(h.services.store, h.services.rootKey, memoryLogger())
      assert.deepEqual(report, { rewrapped: keys.length, refused: 0 })
      assert.deepEqual(formats(path), keys.map(() => 2))
      for (const k of keys) {
        if (k.ciphertext) {
          const dec = await ok(h, 'Decrypt', { CiphertextBlob: b64(k.ciphertext) })
          assert.deepEqual(new Uint8Array(Buffer.from(dec.Plaintext as string, 'base64')), previousPlaintext)
          // Clients may have recorded a symmetric key's material id: it must not change.
          assert.equal(dec.KeyMaterialId, k.materialId)
          assert.equal(((await ok(h, 'DescribeKey', { KeyId: k.keyId })).KeyMetadata as Record<string, unknown>).CurrentKeyMaterialId, k.materialId)
        } else {
          const oldMac = createHmac('sha256', k.material).update('message').digest()
          const verified = await ok(h, 'VerifyMac', { KeyId: k.keyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64('message'), Mac: b64(oldMac) })
          assert.equal(verified.MacValid, true)
          // An HMAC key's legacy id was a GenerateMac answer; it was never shown, so it is replaced.
          const stored = (await h.services.store.getKeyVersion(k.keyId, 1))!
          assert.notEqual(stored.materialId, k.materialId)
          assert.equal(stored.materialId, deriveMaterialId(2, k.keyId, k.material))
        }
      }
      assert.deepEqual(await rewrapLegacyMaterial(h.services.store, h.services.rootKey, memoryLogger()), { rewrapped: 0, refused: 0 })
    } finally {
      await h.close()
    }
  })

  it('stopped after any row (as by kill -9), every row is still readable and a rerun finishes the rest', async () => {
    const path = join(dir, 'crash.db')
    const keys = writePreviousDatabase(path, rootBytes, TEST_ACCOUNT, TEST_REGION, specs)
    for (let done = 1; done < keys.length; done++) {
      const store = await openSqliteStore(path)
      const next = (await store.listLegacyWrappedVersions(1))[0]!
      assert.equal(await rewrapOne(store, rootKey, next, memoryLogger()), 'rewrapped')
      await store.close() // the "crash": nothing else of the run happens
      assert.equal(formats(path).filter((f) => f === 2).length, done)
      await assertAllReadable(path, keys)
    }
    const store = await openSqliteStore(path)
    assert.deepEqual(await rewrapLegacyMaterial(store, rootKey, memoryLogger()), { rewrapped: 1, refused: 0 })
    await store.close()
    await assertAllReadable(path, keys)
  })

  it('a row rewrapped by another process in between is left alone (compare-and-set), and concurrent runs agree', async () => {
    const path = join(dir, 'race.db')
    const keys = writePreviousDatabase(path, rootBytes, TEST_ACCOUNT, TEST_REGION, specs)
    const [a, b] = [await openSqliteStore(path), await openSqliteStore(path)]
    const stale = (await a.getKeyVersion(keys[0]!.keyId, 1))!
    assert.equal(await rewrapOne(b, rootKey, stale, memoryLogger()), 'rewrapped')
    assert.equal(await a.rewrapKeyVersion(stale, { wrappedMaterial: new Uint8Array(60), materialId: '00'.repeat(32), materialIdFormat: 2 }), false)
    const reports = await Promise.all([rewrapLegacyMaterial(a, rootKey, memoryLogger()), rewrapLegacyMaterial(b, rootKey, memoryLogger())])
    assert.equal(reports[0].rewrapped + reports[1].rewrapped, keys.length - 1)
    await Promise.all([a.close(), b.close()])
    assert.deepEqual(formats(path), keys.map(() => 2))
    await assertAllReadable(path, keys)
  })

  it('a legacy row whose material id is not its own is refused, left legacy, and logged without material', async () => {
    const path = join(dir, 'tampered.db')
    const [key] = writePreviousDatabase(path, rootBytes, TEST_ACCOUNT, TEST_REGION, ['HMAC_256'])
    const raw = new Database(path)
    raw.prepare('UPDATE key_versions SET material_id = ?').run('cd'.repeat(32))
    raw.close()
    const store = await openSqliteStore(path)
    const logger = memoryLogger()
    assert.deepEqual(await rewrapLegacyMaterial(store, rootKey, logger), { rewrapped: 0, refused: 1 })
    await assert.rejects(new Keyring(rootKey, store).withMaterial((await store.getKey(key!.keyId))!, 1, () => undefined), { name: 'MaterialIntegrityError' })
    await store.close()
    assert.deepEqual(formats(path), [1])
    const logged = JSON.stringify(logger.lines)
    assert.match(logged, /cannot be rewrapped/)
    for (const form of [Buffer.from(key!.material).toString('hex'), Buffer.from(key!.material).toString('base64')]) assert.ok(!logged.includes(form))
  })
})
