// Rule: a key that is gone for good leaves its private key parsed in no crypto worker, and its material in
// no keyring cache. ScheduleKeyDeletion already drops both (a key pending deletion can do no crypto); the
// deletion job drops them again, for whatever was parsed in between.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { createAsymmetricPool, workerEngine } from '../crypto/asymmetric/engine.js'
import type { WorkerPool } from '../crypto/worker-pool.js'
import { MaterialUnavailableError, type MaterialOwner } from '../keys/keyring.js'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { DAY_MS, createKey, ok } from '../../test/support/kms-fixtures.js'
import { deleteExpiredKeys } from './delete-expired-keys.js'

/** The fields the keyring binds material to, for an RSA_2048 signing key. */
const rsaSignKey = (keyId: string): MaterialOwner => ({ keyId, keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' })

describe('a deleted key in the crypto workers', () => {
  let h: Harness
  let pool: WorkerPool
  before(async () => {
    pool = createAsymmetricPool({ size: 2 })
    h = await createHarness({ asymmetric: workerEngine(pool) })
  })
  after(async () => {
    await h.close()
    await pool.close()
  })

  /** How many workers hold a parsed version of `keyId`. */
  const workersHolding = async (keyId: string) => (await pool.heldKeys()).filter((names) => names.some((n) => n.startsWith(`${keyId}/`))).length

  const signFourAtOnce = (keyId: string) => Promise.all([1, 2, 3, 4].map(() =>
    ok(h, 'Sign', { KeyId: keyId, Message: b64('to be signed'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })))

  it('is held by no worker, and by no keyring cache, once the deletion job has destroyed the key', async () => {
    const key = await createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })
    await signFourAtOnce(key.keyId)
    assert.equal(await workersHolding(key.keyId), 2)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    h.clock.advance(7 * DAY_MS + 1)
    assert.ok((await deleteExpiredKeys(h.services)).includes(key.keyId))
    assert.equal(await workersHolding(key.keyId), 0)
    const misses = h.services.keyring.stats.misses
    await assert.rejects(h.services.keyring.withMaterial(rsaSignKey(key.keyId), 1, () => undefined), MaterialUnavailableError)
    assert.equal(h.services.keyring.stats.misses, misses + 1, 'the keyring had to look the material up: it held none')
  })

  it('is dropped from every worker as soon as the key is scheduled for deletion', async () => {
    const key = await createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })
    await signFourAtOnce(key.keyId)
    assert.equal(await workersHolding(key.keyId), 2)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    assert.equal(await workersHolding(key.keyId), 0)
  })

  it('is dropped by the deletion job even when a worker parsed it again after scheduling', async () => {
    const key = await createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    // No request can use a key pending deletion; a direct engine call stands in for one that was in flight.
    await h.services.keyring.withMaterial(rsaSignKey(key.keyId), 1, ({ material, materialId }) => h.services.asymmetric.sign(
      { owner: key.keyId, name: `${key.keyId}/1/${materialId}`, material }, { family: 'rsa-pss', hash: 'sha256' }, { form: 'message', bytes: new Uint8Array(4) }))
    assert.equal(await workersHolding(key.keyId), 1)
    h.clock.advance(7 * DAY_MS + 1)
    assert.ok((await deleteExpiredKeys(h.services)).includes(key.keyId))
    assert.equal(await workersHolding(key.keyId), 0)
  })
})
