import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

describe('GenerateDataKeyPairWithoutPlaintext', () => {
  let h: Harness
  let wrapping: TestKey
  before(async () => {
    h = await createHarness()
    wrapping = await createKey(h)
  })
  after(() => h.close())

  it('returns no plaintext private key; Decrypt of the ciphertext gives the PKCS#8 of the public key', async () => {
    const body = await ok(h, 'GenerateDataKeyPairWithoutPlaintext', { KeyId: wrapping.keyId, KeyPairSpec: 'ECC_NIST_EDWARDS25519' })
    assert.deepEqual(Object.keys(body).sort(), ['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PublicKey'])
    const privateDer = unb64((await ok(h, 'Decrypt', { CiphertextBlob: body.PrivateKeyCiphertextBlob })).Plaintext)
    const fromPrivate = createPublicKey(createPrivateKey({ key: privateDer, format: 'der', type: 'pkcs8' })).export({ type: 'spki', format: 'der' })
    assert.deepEqual(fromPrivate, unb64(body.PublicKey))
  })

  it('records its own event name and refuses a key pair as wrapping key', async () => {
    const { record } = await withOneAudit(h, () => h.call('GenerateDataKeyPairWithoutPlaintext', { KeyId: wrapping.keyId, KeyPairSpec: 'RSA_2048' }))
    assert.equal(record.eventName, 'GenerateDataKeyPairWithoutPlaintext')
    const signer = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    assertAwsError(await h.call('GenerateDataKeyPairWithoutPlaintext', { KeyId: signer.keyId, KeyPairSpec: 'RSA_2048' }), 'InvalidKeyUsageException',
      `${signer.arn} key usage is SIGN_VERIFY which is not valid for GenerateDataKeyPairWithoutPlaintext.`)
  })
})
