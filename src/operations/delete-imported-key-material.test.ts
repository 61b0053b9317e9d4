// DeleteImportedKeyMaterial through the real pipeline: the key waits for import, its bytes leave the store and
// the keyring at once, the same material brings the key and its old ciphertexts back, pending deletion stays.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { callImport, importMaterial } from '../../test/support/import-fixtures.js'
import { assertAwsError, createKey, encryptUnder, ok } from '../../test/support/kms-fixtures.js'

const INCORRECT_MATERIAL = 'The request was rejected because the key material in the request is, expired, invalid, or does not meet expectations. For example, it is not the same key material that was previously imported or KMS expected new key material but the key material being imported is already associated with the KMS key.'
const describeKey = async (h: Harness, keyId: string) => (await ok(h, 'DescribeKey', { KeyId: keyId })).KeyMetadata as Record<string, unknown>

describe('DeleteImportedKeyMaterial', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(() => h.close())

  it('DeleteImportedKeyMaterial makes the key PendingImport; the same material restores it and old ciphertexts decrypt', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    const material = randomBytes(32)
    const id = await importMaterial(h, key.keyId, material)
    const blob = await encryptUnder(h, key.keyId, 'kept across deletion')
    const deleted = await ok(h, 'DeleteImportedKeyMaterial', { KeyId: key.keyId })
    assert.deepEqual(deleted, { KeyId: key.arn, KeyMaterialId: id })
    assert.equal((await describeKey(h, key.keyId)).KeyState, 'PendingImport')
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob }), 'KMSInvalidStateException', `${key.arn} is pending import.`)
    const row = await h.services.store.getKeyVersion(key.keyId, 1)
    assert.equal(row?.wrappedMaterial.length, 0, 'the wrapped bytes are gone from the store')
    assert.equal(row?.materialId, id)
    assert.deepEqual(await ok(h, 'DeleteImportedKeyMaterial', { KeyId: key.keyId }), { KeyId: key.arn, KeyMaterialId: id }, 'a second delete changes nothing')
    assertAwsError(await callImport(h, key.keyId, randomBytes(32)), 'IncorrectKeyMaterialException', INCORRECT_MATERIAL)
    assert.equal(await importMaterial(h, key.keyId, material), id)
    assert.equal((await describeKey(h, key.keyId)).KeyState, 'Enabled')
    assert.equal(unb64((await ok(h, 'Decrypt', { CiphertextBlob: blob })).Plaintext).toString(), 'kept across deletion')
  })

  it('forgets the deleted material at once: the keyring must unwrap again, and cannot', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    await importMaterial(h, key.keyId, randomBytes(32))
    await encryptUnder(h, key.keyId, 'warm the cache')
    await ok(h, 'DeleteImportedKeyMaterial', { KeyId: key.keyId })
    const owner = { keyId: key.keyId, keySpec: 'SYMMETRIC_DEFAULT' as const, keyUsage: 'ENCRYPT_DECRYPT' as const }
    const misses = h.services.keyring.stats.misses
    await assert.rejects(h.services.keyring.withMaterial(owner, 1, () => undefined), { name: 'MaterialUnavailableError' })
    assert.equal(h.services.keyring.stats.misses, misses + 1)
  })

  it('a key pending deletion keeps its state when its material is deleted', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    await importMaterial(h, key.keyId, randomBytes(32))
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    await ok(h, 'DeleteImportedKeyMaterial', { KeyId: key.keyId })
    assert.equal((await describeKey(h, key.keyId)).KeyState, 'PendingDeletion')
  })

  it('CancelKeyDeletion returns a key without its material to PendingImport, and one with it to Disabled', async () => {
    const never = await createKey(h, { Origin: 'EXTERNAL' })
    const deleted = await createKey(h, { Origin: 'EXTERNAL' })
    const whole = await createKey(h, { Origin: 'EXTERNAL' })
    await importMaterial(h, deleted.keyId, randomBytes(32))
    await importMaterial(h, whole.keyId, randomBytes(32))
    for (const key of [never, deleted, whole]) await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    await ok(h, 'DeleteImportedKeyMaterial', { KeyId: deleted.keyId })
    for (const key of [never, deleted, whole]) await ok(h, 'CancelKeyDeletion', { KeyId: key.keyId })
    assert.equal((await describeKey(h, never.keyId)).KeyState, 'PendingImport')
    assert.equal((await describeKey(h, deleted.keyId)).KeyState, 'PendingImport')
    assert.equal((await describeKey(h, whole.keyId)).KeyState, 'Disabled')
    assertAwsError(await h.call('EnableKey', { KeyId: never.keyId }), 'KMSInvalidStateException', `${never.arn} is pending import.`)
  })
})
