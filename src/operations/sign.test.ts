// Sign through dispatch: MessageType rules per algorithm, signature formats, key states, DryRun, audit.
import assert from 'node:assert/strict'
import { createHash, createPublicKey, verify as nodeVerify } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

const message = Buffer.from('sign me, Trent')
const sha = (hash: string, data: Uint8Array) => createHash(hash).update(data).digest()

describe('Sign', () => {
  let h: Harness
  let rsa: TestKey, p384: TestKey, ed: TestKey, mlDsa: TestKey
  before(async () => {
    h = await createHarness()
    ;[rsa, p384, ed, mlDsa] = await Promise.all([
      createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'SIGN_VERIFY' }), createKey(h, { KeySpec: 'ECC_NIST_P384', KeyUsage: 'SIGN_VERIFY' }),
      createKey(h, { KeySpec: 'ECC_NIST_EDWARDS25519', KeyUsage: 'SIGN_VERIFY' }), createKey(h, { KeySpec: 'ML_DSA_65', KeyUsage: 'SIGN_VERIFY' }),
    ])
  })
  after(() => h.close())

  async function publicKey(key: TestKey) {
    return createPublicKey({ key: unb64((await ok(h, 'GetPublicKey', { KeyId: key.keyId })).PublicKey), format: 'der', type: 'spki' })
  }

  it('makes RSA signatures as long as the modulus and DER ECDSA signatures, defaulting to RAW', async () => {
    const rsaSig = unb64((await ok(h, 'Sign', { KeyId: rsa.keyId, Message: b64(message), SigningAlgorithm: 'RSASSA_PKCS1_V1_5_SHA_256' })).Signature)
    assert.equal(rsaSig.length, 256)
    assert.equal(nodeVerify('sha256', message, await publicKey(rsa), rsaSig), true)
    const ecSig = unb64((await ok(h, 'Sign', { KeyId: p384.keyId, Message: b64(message), SigningAlgorithm: 'ECDSA_SHA_384' })).Signature)
    assert.equal(ecSig[0], 0x30)
    assert.equal(nodeVerify('sha384', message, { key: await publicKey(p384), dsaEncoding: 'der' }, ecSig), true)
  })

  it('signs a DIGEST without hashing it again, and RAW by hashing once', async () => {
    const digest = sha('sha384', message)
    const fromDigest = unb64((await ok(h, 'Sign', { KeyId: p384.keyId, Message: b64(digest), MessageType: 'DIGEST', SigningAlgorithm: 'ECDSA_SHA_384' })).Signature)
    assert.equal(nodeVerify('sha384', message, { key: await publicKey(p384), dsaEncoding: 'der' }, fromDigest), true)
    const digestAsRaw = unb64((await ok(h, 'Sign', { KeyId: p384.keyId, Message: b64(digest), MessageType: 'RAW', SigningAlgorithm: 'ECDSA_SHA_384' })).Signature)
    assert.equal(nodeVerify('sha384', message, { key: await publicKey(p384), dsaEncoding: 'der' }, digestAsRaw), false, 'RAW on a digest hashes twice')
  })

  it('gives ML-DSA signatures of FIPS 204 size, for RAW and for a 64-byte EXTERNAL_MU', async () => {
    const raw = unb64((await ok(h, 'Sign', { KeyId: mlDsa.keyId, Message: b64(message), SigningAlgorithm: 'ML_DSA_SHAKE_256' })).Signature)
    assert.equal(raw.length, 3309)
    const mu = unb64((await ok(h, 'Sign', { KeyId: mlDsa.keyId, Message: b64(Buffer.alloc(64, 1)), MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ML_DSA_SHAKE_256' })).Signature)
    assert.equal(mu.length, 3309)
  })

  it('refuses MessageTypes the algorithm does not take', async () => {
    const cases: [TestKey, string, string, Buffer, string][] = [
      [mlDsa, 'ML_DSA_SHAKE_256', 'DIGEST', Buffer.alloc(64), 'Message type DIGEST is incompatible with key spec ML_DSA_65.'],
      [rsa, 'RSASSA_PSS_SHA_256', 'EXTERNAL_MU', Buffer.alloc(64), 'Message type EXTERNAL_MU is incompatible with key spec RSA_2048.'],
      [ed, 'ED25519_SHA_512', 'DIGEST', Buffer.alloc(64), 'Message type DIGEST is incompatible with signing algorithm ED25519_SHA_512.'],
      [ed, 'ED25519_PH_SHA_512', 'RAW', message, 'Message type RAW is incompatible with signing algorithm ED25519_PH_SHA_512.'],
    ]
    for (const [key, algorithm, type, payload, text] of cases) {
      assertAwsError(await h.call('Sign', { KeyId: key.keyId, Message: b64(payload), MessageType: type, SigningAlgorithm: algorithm }), 'ValidationException', text)
    }
  })

  it('refuses a DIGEST of the wrong length and a μ that is not 64 bytes', async () => {
    for (const [key, algorithm, length] of [[rsa, 'RSASSA_PSS_SHA_384', 32], [p384, 'ECDSA_SHA_384', 64], [ed, 'ED25519_PH_SHA_512', 32]] as const) {
      assertAwsError(await h.call('Sign', { KeyId: key.keyId, Message: b64(Buffer.alloc(length)), MessageType: 'DIGEST', SigningAlgorithm: algorithm }),
        'ValidationException', `Digest is invalid length for algorithm ${algorithm}.`)
    }
    assertAwsError(await h.call('Sign', { KeyId: mlDsa.keyId, Message: b64(Buffer.alloc(32)), MessageType: 'EXTERNAL_MU', SigningAlgorithm: 'ML_DSA_SHAKE_256' }),
      'ValidationException', 'External mu is invalid length for algorithm ML_DSA_SHAKE_256; it must be 64 bytes.')
  })

  it('refuses SM2DSA and a message over 4096 bytes', async () => {
    assertAwsError(await h.call('Sign', { KeyId: p384.keyId, Message: b64(message), SigningAlgorithm: 'SM2DSA' }), 'InvalidKeyUsageException',
      'Algorithm SM2DSA is incompatible with key spec ECC_NIST_P384.')
    assertAwsError(await h.call('Sign', { KeyId: rsa.keyId, Message: b64(Buffer.alloc(4097)), SigningAlgorithm: 'RSASSA_PSS_SHA_256' }), 'ValidationException',
      "1 validation error detected: Value at 'message' failed to satisfy constraint: Member must have length less than or equal to 4096")
  })

  it('needs an Enabled key: Disabled and PendingDeletion keys give the AWS exceptions', async () => {
    const off = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    await ok(h, 'DisableKey', { KeyId: off.keyId })
    assertAwsError(await h.call('Sign', { KeyId: off.keyId, Message: b64(message), SigningAlgorithm: 'ECDSA_SHA_256' }), 'DisabledException', `${off.arn} is disabled.`)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: off.keyId })
    assertAwsError(await h.call('Sign', { KeyId: off.keyId, Message: b64(message), SigningAlgorithm: 'ECDSA_SHA_256' }), 'KMSInvalidStateException', `${off.arn} is pending deletion.`)
  })

  it('answers DryRun with DryRunOperationException and signs through an alias', async () => {
    assertAwsError(await h.call('Sign', { KeyId: rsa.keyId, Message: b64(message), SigningAlgorithm: 'RSASSA_PSS_SHA_256', DryRun: true }),
      'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
    await ok(h, 'CreateAlias', { AliasName: 'alias/signer', TargetKeyId: rsa.keyId })
    assert.equal((await ok(h, 'Sign', { KeyId: 'alias/signer', Message: b64(message), SigningAlgorithm: 'RSASSA_PSS_SHA_256' })).KeyId, rsa.arn)
  })

  it('writes one audit record without the message or the signature', async () => {
    const secret = Buffer.from('message-that-must-not-be-audited')
    const { res, record } = await withOneAudit(h, () => h.call('Sign', { KeyId: rsa.keyId, Message: b64(secret), SigningAlgorithm: 'RSASSA_PSS_SHA_512' }))
    assert.equal(res.status, 200)
    const text = JSON.stringify(record)
    assert.ok(!text.includes(b64(secret)) && !text.includes(String(res.body.Signature)))
    assert.deepEqual(record.requestParameters, { keyId: rsa.keyId, signingAlgorithm: 'RSASSA_PSS_SHA_512' })
    assert.deepEqual(record.responseElements, { keyId: rsa.arn, signingAlgorithm: 'RSASSA_PSS_SHA_512' })
  })
})
