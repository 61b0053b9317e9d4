// GetParametersForImport through the real pipeline: an RSA wrapping key of the asked size, a token that works
// until exactly 24 hours later, the wrapping choices AWS refuses, and the key states that allow it.
import assert from 'node:assert/strict'
import { createPublicKey, randomBytes } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { getImportParameters, importMaterial, wrapForImport } from '../../test/support/import-fixtures.js'
import { DAY_MS, assertAwsError, createKey, ok } from '../../test/support/kms-fixtures.js'

describe('GetParametersForImport', () => {
  let h: Harness
  before(async () => { h = await createHarness() })
  after(() => h.close())

  it('GetParametersForImport returns a DER public key of the asked size and a token valid for exactly 24 hours', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    const params = await getImportParameters(h, key.keyId, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_3072')
    assert.equal(params.parametersValidTo * 1000, h.clock.now().getTime() + DAY_MS)
    assert.equal(createPublicKey({ key: params.publicKey, format: 'der', type: 'spki' }).asymmetricKeyDetails?.modulusLength, 3072)
    const wrapped = b64(wrapForImport(params.publicKey, params.algorithm, randomBytes(32)))
    const body = { KeyId: key.keyId, ImportToken: params.importToken, EncryptedKeyMaterial: wrapped, ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' }
    h.clock.advance(DAY_MS)
    assertAwsError(await h.call('ImportKeyMaterial', body), 'ExpiredImportTokenException',
      'The request was rejected because the specified import token is expired. Use GetParametersForImport to get a new import token and public key, use the new public key to encrypt the key material, and then try the request again.')
    h.clock.advance(-1)
    assert.equal((await h.call('ImportKeyMaterial', body)).status, 200, 'one millisecond before ParametersValidTo it still works')
  })

  it('refuses RSAES_PKCS1_V1_5 and the China-only SM2 wrapping', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    assertAwsError(await h.call('GetParametersForImport', { KeyId: key.keyId, WrappingAlgorithm: 'RSAES_PKCS1_V1_5', WrappingKeySpec: 'RSA_2048' }), 'ValidationException',
      'The RSAES_PKCS1_V1_5 wrapping algorithm is no longer supported. Use an RSAES_OAEP or RSA_AES_KEY_WRAP wrapping algorithm.')
    assertAwsError(await h.call('GetParametersForImport', { KeyId: key.keyId, WrappingAlgorithm: 'SM2PKE', WrappingKeySpec: 'SM2' }), 'UnsupportedOperationException', 'WrappingKeySpec SM2 is not supported in this Region.')
    assertAwsError(await h.call('GetParametersForImport', { KeyId: key.keyId, WrappingAlgorithm: 'SM2PKE', WrappingKeySpec: 'RSA_2048' }), 'UnsupportedOperationException', 'WrappingAlgorithm SM2PKE is not supported in this Region.')
  })

  it('refuses the import operations on a key pending deletion, and GetParametersForImport on a disabled key is fine', async () => {
    const key = await createKey(h, { Origin: 'EXTERNAL' })
    await importMaterial(h, key.keyId, randomBytes(32))
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    await getImportParameters(h, key.keyId)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    assertAwsError(await h.call('GetParametersForImport', { KeyId: key.keyId, WrappingAlgorithm: 'RSAES_OAEP_SHA_256', WrappingKeySpec: 'RSA_2048' }),
      'KMSInvalidStateException', `${key.arn} is pending deletion.`)
  })

  it('the largest case fits the model\'s 6144-byte blobs: an RSA_4096 private key under an RSA_4096 wrapping key', async () => {
    const { generateKeyPairSync } = await import('node:crypto')
    const pair = generateKeyPairSync('rsa', { modulusLength: 4096 })
    const key = await createKey(h, { Origin: 'EXTERNAL', KeySpec: 'RSA_4096', KeyUsage: 'SIGN_VERIFY' })
    const params = await getImportParameters(h, key.keyId, 'RSA_AES_KEY_WRAP_SHA_256', 'RSA_4096')
    assert.ok(Buffer.from(params.importToken, 'base64').length <= 6144)
    const material = pair.privateKey.export({ type: 'pkcs8', format: 'der' })
    const encrypted = wrapForImport(params.publicKey, params.algorithm, material)
    assert.ok(encrypted.length <= 6144)
    assert.equal((await h.call('ImportKeyMaterial', { KeyId: key.keyId, ImportToken: params.importToken, EncryptedKeyMaterial: encrypted.toString('base64'), ExpirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE' })).status, 200)
    const pub = await ok(h, 'GetPublicKey', { KeyId: key.keyId })
    assert.equal(pub.PublicKey, pair.publicKey.export({ type: 'spki', format: 'der' }).toString('base64'))
  })
})
