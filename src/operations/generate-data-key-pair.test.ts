// GenerateDataKeyPair through dispatch: every KeyPairSpec AWS offers, a PKCS#8 private key that matches
// the SPKI public key and decrypts back from its ciphertext, and the refusals.
import assert from 'node:assert/strict'
import { createPrivateKey, createPublicKey } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

const specs = {
  RSA_2048: ['rsa', { modulusLength: 2048 }], RSA_3072: ['rsa', { modulusLength: 3072 }], RSA_4096: ['rsa', { modulusLength: 4096 }],
  ECC_NIST_P256: ['ec', { namedCurve: 'prime256v1' }], ECC_NIST_P384: ['ec', { namedCurve: 'secp384r1' }], ECC_NIST_P521: ['ec', { namedCurve: 'secp521r1' }],
  ECC_SECG_P256K1: ['ec', { namedCurve: 'secp256k1' }], ECC_NIST_EDWARDS25519: ['ed25519', {}],
} as const

describe('GenerateDataKeyPair', () => {
  let h: Harness
  let wrapping: TestKey
  before(async () => {
    h = await createHarness()
    wrapping = await createKey(h)
  })
  after(() => h.close())

  it('makes every KeyPairSpec: PKCS#8 matching the SPKI, sealed under the KMS key with its context', async () => {
    await Promise.all(Object.entries(specs).map(async ([spec, [type, details]]) => {
      const context = { purpose: spec }
      const body = await ok(h, 'GenerateDataKeyPair', { KeyId: wrapping.keyId, KeyPairSpec: spec, EncryptionContext: context })
      assert.deepEqual(Object.keys(body).sort(), ['KeyId', 'KeyMaterialId', 'KeyPairSpec', 'PrivateKeyCiphertextBlob', 'PrivateKeyPlaintext', 'PublicKey'])
      assert.deepEqual([body.KeyId, body.KeyPairSpec], [wrapping.arn, spec])
      const privateKey = createPrivateKey({ key: unb64(body.PrivateKeyPlaintext), format: 'der', type: 'pkcs8' })
      assert.equal(privateKey.asymmetricKeyType, type)
      assert.deepEqual({ ...privateKey.asymmetricKeyDetails, publicExponent: undefined }, { ...details, publicExponent: undefined })
      const publicKey = createPublicKey({ key: unb64(body.PublicKey), format: 'der', type: 'spki' })
      assert.deepEqual(createPublicKey(privateKey).export({ type: 'spki', format: 'der' }), publicKey.export({ type: 'spki', format: 'der' }))
      const opened = await ok(h, 'Decrypt', { CiphertextBlob: body.PrivateKeyCiphertextBlob, EncryptionContext: context })
      assert.equal(opened.Plaintext, body.PrivateKeyPlaintext)
    }))
  })

  it('gives a different pair every time', async () => {
    const request = { KeyId: wrapping.keyId, KeyPairSpec: 'ECC_NIST_P256' }
    assert.notEqual((await ok(h, 'GenerateDataKeyPair', request)).PublicKey, (await ok(h, 'GenerateDataKeyPair', request)).PublicKey)
  })

  it('refuses SM2, key pairs and HMAC keys as the wrapping key, and a Disabled key', async () => {
    assertAwsError(await h.call('GenerateDataKeyPair', { KeyId: wrapping.keyId, KeyPairSpec: 'SM2' }), 'UnsupportedOperationException', 'KeyPairSpec SM2 is not supported in this Region.')
    const rsa = await createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })
    assertAwsError(await h.call('GenerateDataKeyPair', { KeyId: rsa.keyId, KeyPairSpec: 'ECC_NIST_P256' }), 'InvalidKeyUsageException',
      `${rsa.arn} key spec is RSA_2048 which is not valid for GenerateDataKeyPair.`)
    const hmac = await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
    assertAwsError(await h.call('GenerateDataKeyPair', { KeyId: hmac.keyId, KeyPairSpec: 'ECC_NIST_P256' }), 'InvalidKeyUsageException',
      `${hmac.arn} key usage is GENERATE_VERIFY_MAC which is not valid for GenerateDataKeyPair.`)
    const off = await createKey(h)
    await ok(h, 'DisableKey', { KeyId: off.keyId })
    assertAwsError(await h.call('GenerateDataKeyPair', { KeyId: off.keyId, KeyPairSpec: 'ECC_NIST_P256' }), 'DisabledException', `${off.arn} is disabled.`)
    assertAwsError(await h.call('GenerateDataKeyPair', { KeyId: wrapping.keyId, KeyPairSpec: 'ML_DSA_44' }), 'ValidationException',
      "1 validation error detected: Value 'ML_DSA_44' at 'keyPairSpec' failed to satisfy constraint: Member must satisfy enum value set: [RSA_2048, RSA_3072, RSA_4096, ECC_NIST_P256, ECC_NIST_P384, ECC_NIST_P521, ECC_SECG_P256K1, SM2, ECC_NIST_EDWARDS25519]")
  })

  it('answers DryRun and audits without key material', async () => {
    assertAwsError(await h.call('GenerateDataKeyPair', { KeyId: wrapping.keyId, KeyPairSpec: 'ECC_NIST_P256', DryRun: true }),
      'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
    const { res, record } = await withOneAudit(h, () => h.call('GenerateDataKeyPair', { KeyId: wrapping.keyId, KeyPairSpec: 'ECC_NIST_P384' }))
    const text = JSON.stringify(record)
    for (const secret of [res.body.PrivateKeyPlaintext, res.body.PrivateKeyCiphertextBlob, res.body.PublicKey]) assert.ok(!text.includes(String(secret)))
    assert.deepEqual(record.requestParameters, { keyId: wrapping.keyId, keyPairSpec: 'ECC_NIST_P384' })
  })
})
