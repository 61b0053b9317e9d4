// Key material is bound to what it is: a row whose spec or usage was changed, or whose material id was
// replaced, makes the operation fail as a server fault instead of serving the material as something else.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { INTERNAL_ERROR_MESSAGE } from '../http/protocol.js'
import { Keyring } from './keyring.js'
import { assertAwsError, createKey, ok } from '../../test/support/kms-fixtures.js'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { rewriteAsPreviousCode } from '../../test/support/legacy-material.js'

const harnessRootKey = new Uint8Array(32).fill(7)

describe('Keyring binds material to its key spec and usage', () => {
  let dir: string
  let h: Harness
  let db: Database.Database
  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'trent-keyring-'))
    h = await createHarness({ storePath: join(dir, 'trent.db') })
    db = new Database(join(dir, 'trent.db'))
  })
  after(async () => {
    db.close()
    await h.close()
    rmSync(dir, { recursive: true, force: true })
  })

  const setType = (keyId: string, spec: string, usage: string) =>
    db.prepare('UPDATE keys SET key_spec = ?, key_usage = ? WHERE key_id = ?').run(spec, usage, keyId)

  it('GenerateMac with a symmetric key flipped to HMAC_256 fails as KMSInternalException, even with the material cached', async () => {
    const { keyId } = await createKey(h)
    const enc = await ok(h, 'Encrypt', { KeyId: keyId, Plaintext: b64('secret') })
    setType(keyId, 'HMAC_256', 'GENERATE_VERIFY_MAC')
    const res = await h.call('GenerateMac', { KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64('anything') })
    assertAwsError(res, 'KMSInternalException', INTERNAL_ERROR_MESSAGE, 500)
    assert.equal(res.body.Mac, undefined)
    setType(keyId, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT')
    const dec = await ok(h, 'Decrypt', { CiphertextBlob: enc.CiphertextBlob })
    assert.equal(Buffer.from(dec.Plaintext as string, 'base64').toString(), 'secret')
  })

  it('an HMAC key flipped to SYMMETRIC_DEFAULT does not encrypt under its material', async () => {
    const { keyId } = await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
    setType(keyId, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT')
    assertAwsError(await h.call('Encrypt', { KeyId: keyId, Plaintext: b64('x') }), 'KMSInternalException', INTERNAL_ERROR_MESSAGE, 500)
    setType(keyId, 'HMAC_256', 'GENERATE_VERIFY_MAC')
  })

  it('a replaced material_id is detected after unwrapping, not trusted', async () => {
    const { keyId } = await createKey(h)
    db.prepare('UPDATE key_versions SET material_id = ? WHERE key_id = ?').run('ab'.repeat(32), keyId)
    // A fresh keyring, as after a restart: the cache cannot hide the tampering.
    const keyring = new Keyring(h.services.rootKey, h.services.store)
    const key = (await h.services.store.getKey(keyId))!
    await assert.rejects(keyring.material(key, 1), { name: 'MaterialIntegrityError' })
  })

  it('a row still in the legacy format (before the start-up rewrap) is read with the legacy AAD', async () => {
    const { keyId } = await createKey(h)
    const legacyIds = rewriteAsPreviousCode(db, harnessRootKey)
    const keyring = new Keyring(h.services.rootKey, h.services.store)
    const key = (await h.services.store.getKey(keyId))!
    const { materialId } = await keyring.material(key, 1)
    assert.equal(materialId, legacyIds.get(`${keyId}/1`))
  })
})
