// Encrypt, Decrypt and ReEncrypt with RSA key pairs through dispatch: bare OAEP ciphertext that outside
// tools can make, the KeyId and algorithm Decrypt needs, no encryption context, and crossing between
// symmetric and asymmetric keys in ReEncrypt.
import assert from 'node:assert/strict'
import { constants, createPublicKey, publicEncrypt } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, encryptUnder, ok, type TestKey } from '../../test/support/kms-fixtures.js'

const INCORRECT_KEY = 'The key ID in the request does not identify a CMK that can perform this operation.'

describe('asymmetric encryption', () => {
  let h: Harness
  let rsa: TestKey, rsa3072: TestKey, symmetric: TestKey
  before(async () => {
    h = await createHarness()
    ;[rsa, rsa3072, symmetric] = await Promise.all([
      createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' }), createKey(h, { KeySpec: 'RSA_3072', KeyUsage: 'ENCRYPT_DECRYPT' }), createKey(h),
    ])
  })
  after(() => h.close())

  async function encryptLocally(key: TestKey, hash: 'sha1' | 'sha256', plaintext: string): Promise<Buffer> {
    const der = unb64((await ok(h, 'GetPublicKey', { KeyId: key.keyId })).PublicKey)
    return publicEncrypt({ key: createPublicKey({ key: der, format: 'der', type: 'spki' }), padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, Buffer.from(plaintext))
  }

  it('decrypts what was encrypted offline with the public key', async () => {
    for (const [algorithm, hash] of [['RSAES_OAEP_SHA_1', 'sha1'], ['RSAES_OAEP_SHA_256', 'sha256']] as const) {
      const blob = await encryptLocally(rsa, hash, `offline ${hash}`)
      const body = await ok(h, 'Decrypt', { KeyId: rsa.keyId, CiphertextBlob: b64(blob), EncryptionAlgorithm: algorithm })
      assert.deepEqual(body, { KeyId: rsa.arn, Plaintext: b64(`offline ${hash}`), EncryptionAlgorithm: algorithm })
    }
  })

  it('refuses SYMMETRIC_DEFAULT (also as the default) for key pairs, and OAEP for HMAC keys', async () => {
    const message = 'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.'
    assertAwsError(await h.call('Encrypt', { KeyId: rsa.keyId, Plaintext: b64('x') }), 'InvalidKeyUsageException', message)
    assertAwsError(await h.call('Encrypt', { KeyId: rsa.keyId, Plaintext: b64('x'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }), 'InvalidKeyUsageException', message)
    assertAwsError(await h.call('Encrypt', { KeyId: rsa.keyId, Plaintext: b64('x'), EncryptionAlgorithm: 'SM2PKE' }), 'InvalidKeyUsageException',
      'Algorithm SM2PKE is incompatible with key spec RSA_2048.')
    const blob = b64(await encryptLocally(rsa, 'sha256', 'x'))
    assertAwsError(await h.call('Decrypt', { KeyId: rsa.keyId, CiphertextBlob: blob }), 'InvalidKeyUsageException', message)
  })

  it('refuses an encryption context with key pairs', async () => {
    assertAwsError(await h.call('Encrypt', { KeyId: rsa.keyId, Plaintext: b64('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } }),
      'ValidationException', `EncryptionContext is not supported with asymmetric KMS key ${rsa.arn}.`)
    const blob = b64(await encryptLocally(rsa, 'sha256', 'x'))
    assertAwsError(await h.call('Decrypt', { KeyId: rsa.keyId, CiphertextBlob: blob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256', EncryptionContext: { a: 'b' } }),
      'ValidationException', `EncryptionContext is not supported with asymmetric KMS key ${rsa.arn}.`)
  })

  it('reports a ciphertext that does not decrypt under the named key as IncorrectKeyException', async () => {
    const blob = b64(await encryptLocally(rsa, 'sha256', 'x'))
    assertAwsError(await h.call('Decrypt', { KeyId: rsa.keyId, CiphertextBlob: blob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }), 'IncorrectKeyException', INCORRECT_KEY)
    assertAwsError(await h.call('Decrypt', { KeyId: rsa3072.keyId, CiphertextBlob: blob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'IncorrectKeyException', INCORRECT_KEY)
    const changed = unb64(blob)
    changed[9]! ^= 0x40
    assertAwsError(await h.call('Decrypt', { KeyId: rsa.keyId, CiphertextBlob: b64(changed), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'IncorrectKeyException', INCORRECT_KEY)
  })

  it('cannot decrypt RSA ciphertext without the KeyId', async () => {
    const blob = b64(await encryptLocally(rsa, 'sha256', 'x'))
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob, EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'InvalidCiphertextException',
      null)
  })

  it('ReEncrypt moves data from a symmetric key to a key pair, between key pairs, and back', async () => {
    const start = await encryptUnder(h, symmetric.keyId, 'travelling secret', { leg: 'one' })
    const toRsa = await ok(h, 'ReEncrypt', { CiphertextBlob: start, SourceEncryptionContext: { leg: 'one' }, DestinationKeyId: rsa.keyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' })
    assert.deepEqual([toRsa.SourceKeyId, toRsa.KeyId, toRsa.SourceEncryptionAlgorithm, toRsa.DestinationEncryptionAlgorithm], [symmetric.arn, rsa.arn, 'SYMMETRIC_DEFAULT', 'RSAES_OAEP_SHA_256'])
    assert.equal(typeof toRsa.SourceKeyMaterialId, 'string')
    assert.equal('DestinationKeyMaterialId' in toRsa, false)
    assert.equal(unb64(toRsa.CiphertextBlob).length, 256)
    const toRsa3072 = await ok(h, 'ReEncrypt', {
      CiphertextBlob: toRsa.CiphertextBlob, SourceKeyId: rsa.keyId, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationKeyId: rsa3072.keyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1',
    })
    assert.equal(unb64(toRsa3072.CiphertextBlob).length, 384)
    const back = await ok(h, 'ReEncrypt', {
      CiphertextBlob: toRsa3072.CiphertextBlob, SourceKeyId: rsa3072.arn, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DestinationKeyId: symmetric.keyId, DestinationEncryptionContext: { leg: 'three' },
    })
    assert.deepEqual([back.SourceEncryptionAlgorithm, back.DestinationEncryptionAlgorithm, 'SourceKeyMaterialId' in back], ['RSAES_OAEP_SHA_1', 'SYMMETRIC_DEFAULT', false])
    const opened = await ok(h, 'Decrypt', { CiphertextBlob: back.CiphertextBlob, EncryptionContext: { leg: 'three' } })
    assert.equal(unb64(opened.Plaintext).toString(), 'travelling secret')
  })

  it('ReEncrypt applies the key-pair rules to either side', async () => {
    const start = await encryptUnder(h, symmetric.keyId, 'x')
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: start, DestinationKeyId: rsa.keyId }), 'InvalidKeyUsageException',
      'Algorithm SYMMETRIC_DEFAULT is incompatible with key spec RSA_2048.')
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: start, DestinationKeyId: rsa.keyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DestinationEncryptionContext: { a: 'b' } }),
      'ValidationException', `EncryptionContext is not supported with asymmetric KMS key ${rsa.arn}.`)
    const rsaBlob = b64(await encryptLocally(rsa, 'sha1', 'x'))
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: rsaBlob, SourceKeyId: rsa.keyId, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_256', DestinationKeyId: symmetric.keyId }),
      'IncorrectKeyException', INCORRECT_KEY)
    const signer = await createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' })
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: start, DestinationKeyId: signer.keyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
      'InvalidKeyUsageException', `${signer.arn} key usage is SIGN_VERIFY which is not valid for ReEncrypt.`)
  })

  it('needs the key pair Enabled, and answers DryRun before decrypting', async () => {
    const off = await createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })
    await ok(h, 'DisableKey', { KeyId: off.keyId })
    assertAwsError(await h.call('Encrypt', { KeyId: off.keyId, Plaintext: b64('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }), 'DisabledException', `${off.arn} is disabled.`)
    assertAwsError(await h.call('Decrypt', { KeyId: rsa.keyId, CiphertextBlob: b64(Buffer.alloc(256)), EncryptionAlgorithm: 'RSAES_OAEP_SHA_1', DryRun: true }),
      'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
  })
})
