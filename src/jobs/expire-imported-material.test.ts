// The import-expiry job with the ManualClock: material expires at its ValidTo and not a millisecond before,
// with one DeleteExpiredKeyMaterial service event; the key waits for import until the same material returns,
// and then its old ciphertexts decrypt. Runs are idempotent and finish what an interrupted run left.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { importMaterial } from '../../test/support/import-fixtures.js'
import { DAY_MS, assertAwsError, auditRecords, createKey, encryptUnder, ok, type TestKey } from '../../test/support/kms-fixtures.js'
import type { Store } from '../store/store.js'
import { expireImportedMaterial } from './expire-imported-material.js'

const state = async (h: Harness, keyId: string) => ((await ok(h, 'DescribeKey', { KeyId: keyId })).KeyMetadata as { KeyState: string }).KeyState
const expiryEvents = async (h: Harness) => (await auditRecords(h)).filter((r) => r.eventName === 'DeleteExpiredKeyMaterial')

describe('expireImportedMaterial()', () => {
  let h: Harness
  let failDeletes = 0
  beforeEach(async () => {
    failDeletes = 0
    // A store whose deleteImportedVersion can be made to fail, standing in for a crash after the audit record.
    h = await createHarness({ wrapStore: (inner: Store) => ({ ...inner, deleteImportedVersion: (...args: Parameters<Store['deleteImportedVersion']>) => {
      if (failDeletes > 0) { failDeletes--; return Promise.reject(new Error('killed mid-job')) }
      return inner.deleteImportedVersion(...args)
    } }) })
  })
  afterEach(() => h.close())

  const importExpiring = async (key: TestKey, material: Uint8Array, inMs: number) =>
    importMaterial(h, key.keyId, material, { extra: { ValidTo: (h.clock.now().getTime() + inMs) / 1000 } })

  it('expires material at ValidTo exactly, audits it, and the same material restores the key and its ciphertexts', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    const material = randomBytes(32)
    const id = await importExpiring(key, material, 30 * DAY_MS)
    const blob = await encryptUnder(h, key.keyId, 'written before expiry')
    h.clock.advance(30 * DAY_MS - 1)
    assert.deepEqual(await expireImportedMaterial(h.services), [])
    assert.equal(await state(h, key.keyId), 'Enabled')
    h.clock.advance(1)
    assert.deepEqual(await expireImportedMaterial(h.services), [{ keyId: key.keyId, materialId: id }])
    const events = await expiryEvents(h)
    assert.equal(events.length, 1)
    assert.equal(events[0]!.eventType, 'AwsServiceEvent')
    assert.equal(events[0]!.eventTime, h.clock.now().toISOString())
    assert.deepEqual(events[0]!.resources, [{ ARN: key.arn, accountId: TEST_ACCOUNT, type: 'AWS::KMS::Key' }])
    assert.equal(await state(h, key.keyId), 'PendingImport')
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob }), 'KMSInvalidStateException', `${key.arn} is pending import.`)
    assert.equal((await h.services.store.getKeyVersion(key.keyId, 1))?.wrappedMaterial.length, 0)
    assert.equal(await importMaterial(h, key.keyId, material), id)
    assert.equal(await state(h, key.keyId), 'Enabled')
    assert.equal(unb64((await ok(h, 'Decrypt', { CiphertextBlob: blob })).Plaintext).toString(), 'written before expiry')
  })

  it('is idempotent, never touches material that does not expire, and reading never expires anything', async () => {
    const expiring = await createKey(h, { Origin: 'EXTERNAL' })
    const forever = await createKey(h, { Origin: 'EXTERNAL' })
    await importExpiring(expiring, randomBytes(32), DAY_MS)
    await importMaterial(h, forever.keyId, randomBytes(32))
    h.clock.advance(400 * DAY_MS)
    assert.equal(await state(h, expiring.keyId), 'Enabled', 'past ValidTo, reads leave it to the job')
    assert.equal((await expireImportedMaterial(h.services)).length, 1)
    assert.deepEqual(await expireImportedMaterial(h.services), [])
    assert.equal((await expiryEvents(h)).length, 1)
    assert.equal(await state(h, forever.keyId), 'Enabled')
  })

  it('finishes on the next run what a run killed between its audit record and the deletion left', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    await importExpiring(key, randomBytes(32), DAY_MS)
    h.clock.advance(DAY_MS)
    failDeletes = 1
    await assert.rejects(expireImportedMaterial(h.services), /killed mid-job/)
    assert.equal(await state(h, key.keyId), 'Enabled')
    assert.equal((await expireImportedMaterial(h.services)).length, 1)
    assert.equal(await state(h, key.keyId), 'PendingImport')
  })

  it('stops when it may not continue (lease lost), and the next run expires the rest', async () => {
    const keys = [await createKey(h, { Origin: 'EXTERNAL' }), await createKey(h, { Origin: 'EXTERNAL' })]
    for (const key of keys) await importExpiring(key, randomBytes(32), DAY_MS)
    h.clock.advance(DAY_MS)
    let allowed = 1
    assert.equal((await expireImportedMaterial(h.services, async () => allowed-- > 0)).length, 1)
    assert.equal((await expireImportedMaterial(h.services)).length, 1)
    for (const key of keys) assert.equal(await state(h, key.keyId), 'PendingImport')
  })

  it('keeps the material when the audit record cannot be written', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    await importExpiring(key, randomBytes(32), DAY_MS)
    h.clock.advance(DAY_MS)
    const failing = { ...h.services, auditLog: { write: () => Promise.reject(new Error('disk full')) } }
    await assert.rejects(expireImportedMaterial(failing), /disk full/)
    assert.equal(await state(h, key.keyId), 'Enabled')
  })

  it('a re-import that moved ValidTo before the run wins; a key pending deletion keeps its state', async () => {
    const moved = await createKey(h, { Origin: 'EXTERNAL' })
    const doomed = await createKey(h, { Origin: 'EXTERNAL' })
    const material = randomBytes(32)
    await importExpiring(moved, material, DAY_MS)
    await importExpiring(doomed, randomBytes(32), DAY_MS)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: doomed.keyId, PendingWindowInDays: 30 })
    h.clock.advance(DAY_MS - 1000)
    await importExpiring(moved, material, 10 * DAY_MS)
    h.clock.advance(1000)
    assert.deepEqual((await expireImportedMaterial(h.services)).map((e) => e.keyId), [doomed.keyId])
    assert.equal(await state(h, moved.keyId), 'Enabled')
    assert.equal(await state(h, doomed.keyId), 'PendingDeletion')
  })
})
