// Verify through dispatch: a bad signature is KMSInvalidSignatureException, MessageType may differ from
// Sign's when it says truthfully whether the message is hashed, and OpenSSL-made signatures verify.
import assert from 'node:assert/strict'
import { createHash, generateKeyPairSync, sign as nodeSign } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, type TestKey } from '../../test/support/kms-fixtures.js'

const message = Buffer.from('verify me, Trent')
const INVALID = null

describe('Verify', () => {
  let h: Harness
  let rsa: TestKey, p256: TestKey, ed: TestKey, mlDsa: TestKey
  before(async () => {
    h = await createHarness()
    ;[rsa, p256, ed, mlDsa] = await Promise.all([
      createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }), createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' }),
      createKey(h, { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' }), createKey(h, { KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY' }),
    ])
  })
  after(() => h.close())

  async function signature(key: TestKey, algorithm: string, payload: Buffer, type = 'RAW'): Promise<string> {
    return String((await ok(h, 'Sign', { KeyId: key.keyId, Message: b64(payload), MessageType: type, SigningAlgorithm: algorithm })).Signature)
  }

  it('accepts a RAW signature checked as DIGEST and a DIGEST signature checked as RAW', async () => {
    for (const [key, algorithm, hash] of [[rsa, 'RSASSA_PSS_SHA_384', 'sha384'], [rsa, 'RSASSA_PKCS1_V1_5_SHA_512', 'sha512'], [p256, 'ECDSA_SHA_256', 'sha256']] as const) {
      const digest = createHash(hash).update(message).digest()
      const raw = await signature(key, algorithm, message)
      assert.equal((await ok(h, 'Verify', { KeyId: key.keyId, Message: b64(digest), MessageType: 'DIGEST', SigningAlgorithm: algorithm, Signature: raw })).SignatureValid, true)
      const fromDigest = await signature(key, algorithm, digest, 'DIGEST')
      assert.equal((await ok(h, 'Verify', { KeyId: key.keyId, Message: b64(message), SigningAlgorithm: algorithm, Signature: fromDigest })).SignatureValid, true)
      assertAwsError(await h.call('Verify', { KeyId: key.keyId, Message: b64(digest), MessageType: 'RAW', SigningAlgorithm: algorithm, Signature: raw }),
        'KMSInvalidSignatureException', INVALID)
    }
  })

  it('refuses altered signatures, altered messages and another algorithm with KMSInvalidSignatureException', async () => {
    for (const [key, algorithm, other] of [[rsa, 'RSASSA_PSS_SHA_256', 'RSASSA_PKCS1_V1_5_SHA_256'], [ed, 'ED25519_SHA_512', undefined], [mlDsa, 'ML_DSA_SHAKE_256', undefined]] as const) {
      const good = Buffer.from(await signature(key, algorithm, message), 'base64')
      const altered = Buffer.from(good)
      altered[good.length - 2]! ^= 0x01
      assertAwsError(await h.call('Verify', { KeyId: key.keyId, Message: b64(message), SigningAlgorithm: algorithm, Signature: b64(altered) }), 'KMSInvalidSignatureException', INVALID)
      assertAwsError(await h.call('Verify', { KeyId: key.keyId, Message: b64('verify me, trent'), SigningAlgorithm: algorithm, Signature: b64(good) }), 'KMSInvalidSignatureException', INVALID)
      assertAwsError(await h.call('Verify', { KeyId: key.keyId, Message: b64(message), SigningAlgorithm: algorithm, Signature: b64(good.subarray(1)) }), 'KMSInvalidSignatureException', INVALID)
      if (other) {
        assertAwsError(await h.call('Verify', { KeyId: key.keyId, Message: b64(message), SigningAlgorithm: other, Signature: b64(good) }), 'KMSInvalidSignatureException', INVALID)
      }
    }
  })

  it('refuses a signature made by another key pair of the same spec', async () => {
    const other = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    const theirs = await signature(other, 'ECDSA_SHA_256', message)
    assertAwsError(await h.call('Verify', { KeyId: p256.keyId, Message: b64(message), SigningAlgorithm: 'ECDSA_SHA_256', Signature: theirs }), 'KMSInvalidSignatureException', INVALID)
    const foreign = generateKeyPairSync('ec', { namedCurve: 'P-256' })
    const opensslSig = nodeSign('sha256', message, foreign.privateKey)
    assertAwsError(await h.call('Verify', { KeyId: p256.keyId, Message: b64(message), SigningAlgorithm: 'ECDSA_SHA_256', Signature: b64(opensslSig) }), 'KMSInvalidSignatureException', INVALID)
  })

  it('checks the same MessageType rules as Sign, and key state', async () => {
    assertAwsError(await h.call('Verify', { KeyId: ed.keyId, Message: b64(Buffer.alloc(64)), MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_SHA_512', Signature: b64(Buffer.alloc(64)) }),
      'ValidationException', 'Message type DIGEST is incompatible with signing algorithm ED25519_SHA_512.')
    assertAwsError(await h.call('Verify', { KeyId: p256.keyId, Message: b64(Buffer.alloc(20)), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_256', Signature: b64('x') }),
      'ValidationException', 'Digest is invalid length for algorithm ECDSA_SHA_256.')
    const off = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    await ok(h, 'DisableKey', { KeyId: off.keyId })
    assertAwsError(await h.call('Verify', { KeyId: off.keyId, Message: b64(message), SigningAlgorithm: 'ECDSA_SHA_256', Signature: b64('x') }), 'DisabledException', `${off.arn} is disabled.`)
    assertAwsError(await h.call('Verify', { KeyId: p256.keyId, Message: b64(message), SigningAlgorithm: 'ECDSA_SHA_256', Signature: b64('x'), DryRun: true }),
      'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
  })

  it('verifies Ed25519ph over a DIGEST that Sign made', async () => {
    const digest = createHash('sha512').update(message).digest()
    const sig = await signature(ed, 'ED25519_PH_SHA_512', digest, 'DIGEST')
    assert.equal((await ok(h, 'Verify', { KeyId: ed.keyId, Message: b64(digest), MessageType: 'DIGEST', SigningAlgorithm: 'ED25519_PH_SHA_512', Signature: sig })).SignatureValid, true)
    assertAwsError(await h.call('Verify', { KeyId: ed.keyId, Message: b64(digest), MessageType: 'RAW', SigningAlgorithm: 'ED25519_SHA_512', Signature: sig }), 'KMSInvalidSignatureException', INVALID)
  })
})
