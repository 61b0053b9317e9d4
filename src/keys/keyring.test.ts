// Keyring. Key material is bound to what it is: a row whose spec or usage was changed, or whose material id was
// replaced, makes the operation fail as a server fault instead of serving the material as something else;
// and lending: material is lent, not handed out; what leaves the cache is zeroed once no caller still uses
// it, and forget() reaches the other holders (the crypto workers).
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { mkdtempSync, rmSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import Database from 'better-sqlite3'
import { INTERNAL_ERROR_MESSAGE } from '../http/protocol.js'
import { inProcessRootKey } from '../rootkey/root-key.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import type { Store } from '../store/store.js'
import { Keyring, type MaterialOwner } from './keyring.js'
import { assertAwsError, createKey, ok } from '../../test/support/kms-fixtures.js'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { rewriteAsPreviousCode } from '../../test/support/legacy-material.js'

const harnessRootKey = new Uint8Array(32).fill(7)

/** A copy of the material, made while it is lent. */
const materialOf = (keyring: Keyring, key: MaterialOwner) =>
  keyring.withMaterial(key, 1, (u) => ({ material: Uint8Array.from(u.material), materialId: u.materialId }))

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

  // A second connection is another process: its writes reach the server's caches through the change feed.
  const setType = async (keyId: string, spec: string, usage: string) => {
    db.prepare('UPDATE keys SET key_spec = ?, key_usage = ? WHERE key_id = ?').run(spec, usage, keyId)
    await h.services.changes.pollNow()
  }

  it('GenerateMac with a symmetric key flipped to HMAC_256 fails as KMSInternalException, even with the material cached', async () => {
    const { keyId } = await createKey(h)
    const enc = await ok(h, 'Encrypt', { KeyId: keyId, Plaintext: b64('secret') })
    await setType(keyId, 'HMAC_256', 'GENERATE_VERIFY_MAC')
    const res = await h.call('GenerateMac', { KeyId: keyId, MacAlgorithm: 'HMAC_SHA_256', Message: b64('anything') })
    assertAwsError(res, 'KMSInternalException', INTERNAL_ERROR_MESSAGE, 500)
    assert.equal(res.body.Mac, undefined)
    await setType(keyId, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT')
    const dec = await ok(h, 'Decrypt', { CiphertextBlob: enc.CiphertextBlob })
    assert.equal(Buffer.from(dec.Plaintext as string, 'base64').toString(), 'secret')
  })

  it('an HMAC key flipped to SYMMETRIC_DEFAULT does not encrypt under its material', async () => {
    const { keyId } = await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
    await setType(keyId, 'SYMMETRIC_DEFAULT', 'ENCRYPT_DECRYPT')
    assertAwsError(await h.call('Encrypt', { KeyId: keyId, Plaintext: b64('x') }), 'KMSInternalException', INTERNAL_ERROR_MESSAGE, 500)
    await setType(keyId, 'HMAC_256', 'GENERATE_VERIFY_MAC')
  })

  it('a replaced material_id is detected after unwrapping, not trusted', async () => {
    const { keyId } = await createKey(h)
    db.prepare('UPDATE key_versions SET material_id = ? WHERE key_id = ?').run('ab'.repeat(32), keyId)
    await h.services.changes.pollNow()
    // A fresh keyring, as after a restart: the cache cannot hide the tampering.
    const keyring = new Keyring(h.services.rootKey, h.services.store)
    const key = (await h.services.store.getKey(keyId))!
    await assert.rejects(materialOf(keyring, key), { name: 'MaterialIntegrityError' })
  })

  it('a row still in the legacy format (before the start-up rewrap) is read with the legacy AAD', async () => {
    const { keyId } = await createKey(h)
    const legacyIds = rewriteAsPreviousCode(db, harnessRootKey)
    await h.services.changes.pollNow()
    const keyring = new Keyring(h.services.rootKey, h.services.store)
    const key = (await h.services.store.getKey(keyId))!
    const { materialId } = await materialOf(keyring, key)
    assert.equal(materialId, legacyIds.get(`${keyId}/1`))
  })
})

describe('Keyring lends material and zeroes what leaves the cache', () => {
  let store: Store
  const rootKey = inProcessRootKey(new Uint8Array(32).fill(7), 'test')
  const now = new Date('2026-01-15T10:00:00Z')
  const material = (byte: number) => new Uint8Array(32).fill(byte)
  const owner = (keyId: string): MaterialOwner => ({ keyId, keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT' })
  before(async () => { store = await openSqliteStore(':memory:') })
  after(() => store.close())

  it('zeroes material evicted at its bound', async () => {
    const keyring = new Keyring(rootKey, store, { maxEntries: 1 })
    const first = material(1)
    await keyring.wrapVersion(owner('key-1'), 1, first, now)
    await keyring.wrapVersion(owner('key-2'), 1, material(2), now)
    assert.deepEqual(first, new Uint8Array(32))
  })

  it('does not zero evicted material while a caller is still using it, and zeroes it when that caller is done', async () => {
    const keyring = new Keyring(rootKey, store, { maxEntries: 1 })
    const lent = material(3)
    await keyring.wrapVersion(owner('key-3'), 1, lent, now)
    const seen = await keyring.withMaterial(owner('key-3'), 1, async ({ material: m }) => {
      await keyring.wrapVersion(owner('key-4'), 1, material(4), now) // evicts key-3 mid-use
      return Uint8Array.from(m)
    })
    assert.deepEqual(seen, material(3))
    assert.deepEqual(lent, new Uint8Array(32))
  })

  it('forget() zeroes the key\'s material and tells the other holders to forget it', async () => {
    const forgotten: string[] = []
    const keyring = new Keyring(rootKey, store, { forgetElsewhere: async (keyId) => { forgotten.push(keyId) } })
    const [v1, other] = [material(5), material(6)]
    await keyring.wrapVersion(owner('key-5'), 1, v1, now)
    await keyring.wrapVersion(owner('key-6'), 1, other, now)
    await keyring.forget('key-5')
    assert.deepEqual(v1, new Uint8Array(32))
    assert.deepEqual(other, material(6))
    assert.deepEqual(forgotten, ['key-5'])
  })
})
