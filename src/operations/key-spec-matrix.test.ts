// The whole AWS key-spec matrix through dispatch: every spec × usage at CreateKey (allowed ones work,
// others get AWS's exception), the algorithms each key advertises, and every signing and encryption
// algorithm of every key pair working end to end while the algorithms of other specs are refused.
import assert from 'node:assert/strict'
import { createHash } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, type TestKey } from '../../test/support/kms-fixtures.js'

const usages = ['ENCRYPT_DECRYPT', 'SIGN_VERIFY', 'GENERATE_VERIFY_MAC', 'KEY_AGREEMENT'] as const
const RSA_SIGNING = ['RSASSA_PKCS1_V1_5_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_384', 'RSASSA_PKCS1_V1_5_SHA_512', 'RSASSA_PSS_SHA_256', 'RSASSA_PSS_SHA_384', 'RSASSA_PSS_SHA_512']
const ALL_SIGNING = [...RSA_SIGNING, 'ECDSA_SHA_256', 'ECDSA_SHA_384', 'ECDSA_SHA_512', 'ED25519_SHA_512', 'ED25519_PH_SHA_512', 'ML_DSA_SHAKE_256']

/** What AWS allows per spec (facts §4): usage → the algorithm list KeyMetadata shows for it. */
const matrix: Record<string, Partial<Record<(typeof usages)[number], Record<string, string[]>>>> = {
  SYMMETRIC_DEFAULT: { ENCRYPT_DECRYPT: { EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } },
  HMAC_224: { GENERATE_VERIFY_MAC: { MacAlgorithms: ['HMAC_SHA_224'] } },
  HMAC_256: { GENERATE_VERIFY_MAC: { MacAlgorithms: ['HMAC_SHA_256'] } },
  HMAC_384: { GENERATE_VERIFY_MAC: { MacAlgorithms: ['HMAC_SHA_384'] } },
  HMAC_512: { GENERATE_VERIFY_MAC: { MacAlgorithms: ['HMAC_SHA_512'] } },
  ...Object.fromEntries(['RSA_2048', 'RSA_3072', 'RSA_4096'].map((spec) => [spec, {
    ENCRYPT_DECRYPT: { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }, SIGN_VERIFY: { SigningAlgorithms: RSA_SIGNING },
  }])),
  ECC_NIST_P256: { SIGN_VERIFY: { SigningAlgorithms: ['ECDSA_SHA_256'] }, KEY_AGREEMENT: { KeyAgreementAlgorithms: ['ECDH'] } },
  ECC_NIST_P384: { SIGN_VERIFY: { SigningAlgorithms: ['ECDSA_SHA_384'] }, KEY_AGREEMENT: { KeyAgreementAlgorithms: ['ECDH'] } },
  ECC_NIST_P521: { SIGN_VERIFY: { SigningAlgorithms: ['ECDSA_SHA_512'] }, KEY_AGREEMENT: { KeyAgreementAlgorithms: ['ECDH'] } },
  ECC_SECG_P256K1: { SIGN_VERIFY: { SigningAlgorithms: ['ECDSA_SHA_256'] } },
  ECC_NIST_EDWARDS25519: { SIGN_VERIFY: { SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] } },
  ML_DSA_44: { SIGN_VERIFY: { SigningAlgorithms: ['ML_DSA_SHAKE_256'] } },
  ML_DSA_65: { SIGN_VERIFY: { SigningAlgorithms: ['ML_DSA_SHAKE_256'] } },
  ML_DSA_87: { SIGN_VERIFY: { SigningAlgorithms: ['ML_DSA_SHAKE_256'] } },
}

/** Message types that work with each signing algorithm, and the digest hash for DIGEST. */
function messageTypes(algorithm: string): { type: string; hash?: string }[] {
  if (algorithm === 'ML_DSA_SHAKE_256') return [{ type: 'RAW' }]
  if (algorithm === 'ED25519_SHA_512') return [{ type: 'RAW' }]
  if (algorithm === 'ED25519_PH_SHA_512') return [{ type: 'DIGEST', hash: 'sha512' }]
  const hash = `sha${algorithm.slice(-3)}`
  return [{ type: 'RAW' }, { type: 'DIGEST', hash }]
}

const legacySpecs = new Set(['RSA_2048', 'RSA_3072', 'RSA_4096', 'ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521', 'ECC_SECG_P256K1', 'SYMMETRIC_DEFAULT', 'HMAC_224', 'HMAC_256', 'HMAC_384', 'HMAC_512'])

describe('the key-spec matrix', () => {
  let h: Harness
  const keys = new Map<string, TestKey>()
  before(async () => {
    h = await createHarness()
    const creations: Promise<void>[] = []
    for (const [spec, allowed] of Object.entries(matrix)) {
      for (const usage of Object.keys(allowed)) {
        creations.push(createKey(h, { KeySpec: spec, KeyUsage: usage }).then((key) => { keys.set(`${spec}/${usage}`, key) }))
      }
    }
    await Promise.all(creations)
  })
  after(() => h.close())

  it('CreateKey makes every allowed spec × usage, and DescribeKey shows its algorithms', async () => {
    for (const [spec, allowed] of Object.entries(matrix)) {
      for (const [usage, algorithms] of Object.entries(allowed)) {
        const meta = (await ok(h, 'DescribeKey', { KeyId: keys.get(`${spec}/${usage}`)!.keyId })).KeyMetadata as Record<string, unknown>
        assert.equal(meta.KeySpec, spec)
        assert.equal(meta.KeyUsage, usage)
        assert.equal(meta.CustomerMasterKeySpec, legacySpecs.has(spec) ? spec : undefined, spec)
        for (const field of ['EncryptionAlgorithms', 'SigningAlgorithms', 'MacAlgorithms', 'KeyAgreementAlgorithms']) {
          assert.deepEqual(meta[field], algorithms[field], `${spec}/${usage} ${field}`)
        }
        assert.equal('CurrentKeyMaterialId' in meta, spec === 'SYMMETRIC_DEFAULT')
      }
    }
  })

  it('CreateKey refuses every other spec × usage with ValidationException and creates nothing', async () => {
    const before = ((await ok(h, 'ListKeys', { Limit: 1000 })).Keys as unknown[]).length
    for (const [spec, allowed] of Object.entries(matrix)) {
      for (const usage of usages.filter((u) => !(u in allowed))) {
        assertAwsError(await h.call('CreateKey', { KeySpec: spec, KeyUsage: usage }), 'ValidationException', `KeyUsage ${usage} is not compatible with KeySpec ${spec}`)
      }
    }
    assert.equal(((await ok(h, 'ListKeys', { Limit: 1000 })).Keys as unknown[]).length, before)
  })

  it('CreateKey needs an explicit KeyUsage for every spec but SYMMETRIC_DEFAULT', async () => {
    for (const spec of Object.keys(matrix).filter((s) => s !== 'SYMMETRIC_DEFAULT')) {
      assertAwsError(await h.call('CreateKey', { KeySpec: spec }), 'ValidationException', 'You must specify a KeyUsage value for all KMS keys except for symmetric encryption keys.')
    }
  })

  it('CreateKey answers SM2 as AWS does outside China, with any usage', async () => {
    for (const usage of usages) {
      assertAwsError(await h.call('CreateKey', { KeySpec: 'SM2', KeyUsage: usage }), 'UnsupportedOperationException', 'KeySpec SM2 is not supported in this Region.')
    }
  })

  it('accepts the deprecated CustomerMasterKeySpec for asymmetric and HMAC specs', async () => {
    const meta = (await ok(h, 'CreateKey', { CustomerMasterKeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })).KeyMetadata as Record<string, unknown>
    assert.deepEqual([meta.KeySpec, meta.CustomerMasterKeySpec, meta.SigningAlgorithms], ['ECC_NIST_P256', 'ECC_NIST_P256', ['ECDSA_SHA_256']])
  })

  it('every SIGN_VERIFY key signs and verifies with each of its algorithms and message types', async () => {
    const message = Buffer.from('the matrix message')
    for (const [spec, allowed] of Object.entries(matrix)) {
      const signing = allowed.SIGN_VERIFY?.SigningAlgorithms
      if (!signing) continue
      const key = keys.get(`${spec}/SIGN_VERIFY`)!
      for (const algorithm of signing) {
        for (const { type, hash } of messageTypes(algorithm)) {
          const payload = hash ? createHash(hash).update(message).digest() : message
          const request = { KeyId: key.keyId, Message: b64(payload), MessageType: type, SigningAlgorithm: algorithm }
          const signed = await ok(h, 'Sign', request)
          assert.deepEqual([signed.KeyId, signed.SigningAlgorithm], [key.arn, algorithm], `${spec} ${algorithm} ${type}`)
          const verified = await ok(h, 'Verify', { ...request, Signature: signed.Signature })
          assert.deepEqual(verified, { KeyId: key.arn, SignatureValid: true, SigningAlgorithm: algorithm })
        }
      }
      for (const algorithm of ALL_SIGNING.filter((a) => !signing.includes(a))) {
        assertAwsError(await h.call('Sign', { KeyId: key.keyId, Message: b64(message), SigningAlgorithm: algorithm }),
          'InvalidKeyUsageException', `Algorithm ${algorithm} is incompatible with key spec ${spec}.`)
      }
    }
  })

  it('every ENCRYPT_DECRYPT key pair encrypts and decrypts with both OAEP hashes, at the AWS size limit', async () => {
    const limits: Record<string, [number, number]> = { RSA_2048: [214, 190], RSA_3072: [342, 318], RSA_4096: [470, 446] }
    for (const [spec, [sha1Limit, sha256Limit]] of Object.entries(limits)) {
      const key = keys.get(`${spec}/ENCRYPT_DECRYPT`)!
      for (const [algorithm, limit] of [['RSAES_OAEP_SHA_1', sha1Limit], ['RSAES_OAEP_SHA_256', sha256Limit]] as const) {
        const plaintext = Buffer.alloc(limit, 7)
        const encrypted = await ok(h, 'Encrypt', { KeyId: key.keyId, Plaintext: b64(plaintext), EncryptionAlgorithm: algorithm })
        assert.equal(unb64(encrypted.CiphertextBlob).length, Number(spec.slice(4)) / 8)
        const decrypted = await ok(h, 'Decrypt', { KeyId: key.keyId, CiphertextBlob: encrypted.CiphertextBlob, EncryptionAlgorithm: algorithm })
        assert.deepEqual(unb64(decrypted.Plaintext), plaintext)
        assert.deepEqual([decrypted.KeyId, decrypted.EncryptionAlgorithm, 'KeyMaterialId' in decrypted], [key.arn, algorithm, false])
        assertAwsError(await h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64(Buffer.alloc(limit + 1)), EncryptionAlgorithm: algorithm }),
          'ValidationException', `Algorithm ${algorithm} and key spec ${spec} cannot encrypt data larger than ${limit} bytes.`)
      }
    }
  })

  it('keys of the wrong usage refuse each operation with InvalidKeyUsageException', async () => {
    const signer = keys.get('RSA_2048/SIGN_VERIFY')!
    const encrypter = keys.get('RSA_2048/ENCRYPT_DECRYPT')!
    const agreer = keys.get('ECC_NIST_P256/KEY_AGREEMENT')!
    const mac = keys.get('HMAC_256/GENERATE_VERIFY_MAC')!
    const cases: [string, Record<string, unknown>, TestKey, string][] = [
      ['Encrypt', { Plaintext: b64('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }, signer, 'SIGN_VERIFY'],
      ['Sign', { Message: b64('x'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }, encrypter, 'ENCRYPT_DECRYPT'],
      ['Sign', { Message: b64('x'), SigningAlgorithm: 'ECDSA_SHA_256' }, agreer, 'KEY_AGREEMENT'],
      ['Verify', { Message: b64('x'), SigningAlgorithm: 'ECDSA_SHA_256', Signature: b64('x') }, agreer, 'KEY_AGREEMENT'],
      ['GenerateMac', { Message: b64('x'), MacAlgorithm: 'HMAC_SHA_256' }, signer, 'SIGN_VERIFY'],
      ['Sign', { Message: b64('x'), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }, mac, 'GENERATE_VERIFY_MAC'],
      ['Encrypt', { Plaintext: b64('x') }, mac, 'GENERATE_VERIFY_MAC'],
      ['DeriveSharedSecret', { KeyAgreementAlgorithm: 'ECDH', PublicKey: b64('x') }, keys.get('ECC_NIST_P256/SIGN_VERIFY')!, 'SIGN_VERIFY'],
    ]
    for (const [operation, body, key, usage] of cases) {
      assertAwsError(await h.call(operation, { KeyId: key.keyId, ...body }), 'InvalidKeyUsageException', `${key.arn} key usage is ${usage} which is not valid for ${operation}.`)
    }
  })
})
