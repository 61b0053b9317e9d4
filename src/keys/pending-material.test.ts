// The query and the promotion RotateKeyOnDemand uses for imported keys: material imported as NEW_KEY_MATERIAL
// becomes current only through promotePendingMaterial, and old ciphertexts keep decrypting with theirs.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { importMaterial } from '../../test/support/import-fixtures.js'
import { assertAwsError, createKey, encryptUnder, ok } from '../../test/support/kms-fixtures.js'
import { KmsError } from '../wire/kms-error.js'
import { materialPendingRotation, promotePendingMaterial } from './pending-material.js'

const NEW = { ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', ImportType: 'NEW_KEY_MATERIAL' }

describe('material pending rotation', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(() => h.close())

  it('promotePendingMaterial() makes the pending material current: new encryptions use it, old ones still decrypt', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    const first = await importMaterial(h, key.keyId, randomBytes(32))
    const oldBlob = await encryptUnder(h, key.keyId, 'first material')
    assert.equal(await materialPendingRotation(h.services.store, key.keyId), undefined)
    const second = await importMaterial(h, key.keyId, randomBytes(32), { extra: NEW })
    assert.equal((await materialPendingRotation(h.services.store, key.keyId))?.materialId, second)
    const record = (await h.services.store.getKey(key.keyId))!
    const promoted = await promotePendingMaterial(h.services.store, record, h.clock.now())
    assert.equal(promoted.materialId, second)
    assert.equal(promoted.imported?.pendingRotation, false)
    assert.equal(await materialPendingRotation(h.services.store, key.keyId), undefined)
    const meta = (await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as Record<string, unknown>
    assert.equal(meta.CurrentKeyMaterialId, second)
    const newBlob = await encryptUnder(h, key.keyId, 'second material')
    assert.equal((await ok(h, 'Decrypt', { CiphertextBlob: newBlob })).KeyMaterialId, second)
    const old = await ok(h, 'Decrypt', { CiphertextBlob: oldBlob })
    assert.equal(unb64(old.Plaintext).toString(), 'first material')
    assert.equal(old.KeyMaterialId, first)
    // With nothing pending any more, a further NEW import is accepted again.
    await importMaterial(h, key.keyId, randomBytes(32), { extra: NEW })
  })

  it('promotePendingMaterial() refuses with AWS\'s message when nothing is pending, or the pending bytes were deleted', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    await importMaterial(h, key.keyId, randomBytes(32))
    const message = `No available key material pending rotation for the key: ${key.arn}.`
    const refuse = async () => {
      const e = await promotePendingMaterial(h.services.store, (await h.services.store.getKey(key.keyId))!, h.clock.now()).then(() => undefined, (err: unknown) => err)
      assert.ok(e instanceof KmsError)
      assert.equal(e.name, 'KMSInvalidStateException')
      assert.equal(e.message, message)
    }
    await refuse()
    const pending = await importMaterial(h, key.keyId, randomBytes(32), { extra: NEW })
    await ok(h, 'DeleteImportedKeyMaterial', { KeyId: key.keyId, KeyMaterialId: pending })
    await refuse()
    assert.equal((await h.services.store.getKey(key.keyId))?.currentVersion, 1)
    assertAwsError(await h.call('Encrypt', { KeyId: key.keyId, Plaintext: 'eA==' }), 'KMSInvalidStateException', `${key.arn} is pending import.`)
  })
})
