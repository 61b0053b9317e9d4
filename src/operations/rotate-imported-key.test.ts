// RotateKeyOnDemand and ListKeyRotations on an imported (EXTERNAL) key, through the pipeline: the key rotates
// onto the material imported as NEW_KEY_MATERIAL, never onto generated material, and every old ciphertext
// still decrypts; without pending material it answers AWS's KMSInvalidStateException.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { importMaterial } from '../../test/support/import-fixtures.js'
import { assertAwsError, createKey, encryptUnder, ok } from '../../test/support/kms-fixtures.js'

const NEW = { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL', KeyMaterialDescription: 'second' }

describe('rotating an imported key', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(() => h.close())

  it('promotes the material pending rotation, which ListKeyRotations shows before and after', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    const first = await importMaterial(h, key.keyId, randomBytes(32))
    const oldBlob = await encryptUnder(h, key.keyId, 'before the rotation')
    const second = await importMaterial(h, key.keyId, randomBytes(32), { extra: NEW })

    const pending = (await ok(h, 'ListKeyRotations', { KeyId: key.keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL' })).Rotations as Array<Record<string, unknown>>
    assert.deepEqual(pending.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.ImportState, r.ExpirationModel]), [
      [first, 'CURRENT', 'IMPORTED', 'KEY_MATERIAL_DOES_NOT_EXPIRE'],
      [second, 'PENDING_ROTATION', 'IMPORTED', 'KEY_MATERIAL_DOES_NOT_EXPIRE'],
    ])
    assert.equal(pending[1]!.KeyMaterialDescription, 'second')
    assert.deepEqual((await ok(h, 'ListKeyRotations', { KeyId: key.keyId })).Rotations, [], 'nothing has rotated yet')

    h.clock.advance(60_000)
    await ok(h, 'RotateKeyOnDemand', { KeyId: key.keyId })
    const meta = (await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as Record<string, unknown>
    assert.equal(meta.CurrentKeyMaterialId, second)
    const rotations = (await ok(h, 'ListKeyRotations', { KeyId: key.keyId })).Rotations as Array<Record<string, unknown>>
    assert.deepEqual(rotations.map((r) => [r.KeyMaterialId, r.KeyMaterialState, r.RotationType, r.RotationDate]), [
      [second, 'CURRENT', 'ON_DEMAND', h.clock.now().getTime() / 1000],
    ])
    const newBlob = await encryptUnder(h, key.keyId, 'after the rotation')
    assert.equal((await ok(h, 'Decrypt', { CiphertextBlob: newBlob })).KeyMaterialId, second)
    const old = await ok(h, 'Decrypt', { CiphertextBlob: oldBlob })
    assert.equal(unb64(old.Plaintext).toString(), 'before the rotation')
    assert.equal(old.KeyMaterialId, first)
  })

  it('answers KMSInvalidStateException when no material is pending rotation, and changes nothing', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    const only = await importMaterial(h, key.keyId, randomBytes(32))
    await assertAwsError(await h.call('RotateKeyOnDemand', { KeyId: key.keyId }), 'KMSInvalidStateException',
      `No available key material pending rotation for the key: ${key.arn}.`)
    const meta = (await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as Record<string, unknown>
    assert.equal(meta.CurrentKeyMaterialId, only)
  })
})
