// GetPublicKey through dispatch: SPKI DER that OpenSSL loads, the fields per key usage, and refusals.
import assert from 'node:assert/strict'
import { createPublicKey } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, withOneAudit } from '../../test/support/kms-fixtures.js'

describe('GetPublicKey', () => {
  let h: Harness
  before(async () => {
    h = await createHarness()
  })
  after(() => h.close())

  it('returns the SPKI and the algorithms of the key usage only', async () => {
    const cases = [
      ['RSA_2048', 'ENCRYPT_DECRYPT', { EncryptionAlgorithms: ['RSAES_OAEP_SHA_1', 'RSAES_OAEP_SHA_256'] }, 'rsa'],
      ['ECC_NIST_P521', 'KEY_AGREEMENT', { KeyAgreementAlgorithms: ['ECDH'] }, 'ec'],
      ['ECC_SECG_P256K1', 'SIGN_VERIFY', { SigningAlgorithms: ['ECDSA_SHA_256'] }, 'ec'],
      ['ECC_NIST_EDWARDS25519', 'SIGN_VERIFY', { SigningAlgorithms: ['ED25519_SHA_512', 'ED25519_PH_SHA_512'] }, 'ed25519'],
    ] as const
    for (const [spec, usage, algorithms, type] of cases) {
      const key = await createKey(h, { KeySpec: spec, KeyUsage: usage })
      const body = await ok(h, 'GetPublicKey', { KeyId: key.keyId })
      const legacy = spec === 'ECC_NIST_EDWARDS25519' ? {} : { CustomerMasterKeySpec: spec }
      assert.deepEqual(body, { KeyId: key.arn, PublicKey: body.PublicKey, KeySpec: spec, KeyUsage: usage, ...legacy, ...algorithms })
      assert.equal(createPublicKey({ key: unb64(body.PublicKey), format: 'der', type: 'spki' }).asymmetricKeyType, type)
    }
  })

  it('returns the RFC 9881 SPKI of an ML-DSA key, without CustomerMasterKeySpec', async () => {
    const key = await createKey(h, { KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY' })
    const body = await ok(h, 'GetPublicKey', { KeyId: key.keyId })
    const spki = unb64(body.PublicKey)
    assert.equal(spki.length, 1334)
    assert.equal(spki.subarray(4, 17).toString('hex'), '300b0609608648016503040311')
    assert.deepEqual(body, { KeyId: key.arn, PublicKey: body.PublicKey, KeySpec: 'ML_DSA_44', KeyUsage: 'SIGN_VERIFY', SigningAlgorithms: ['ML_DSA_SHAKE_256'] })
  })

  it('gives the same public key every time', async () => {
    const key = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    assert.equal((await ok(h, 'GetPublicKey', { KeyId: key.keyId })).PublicKey, (await ok(h, 'GetPublicKey', { KeyId: key.arn })).PublicKey)
  })

  it('refuses symmetric and HMAC keys with UnsupportedOperationException, and a disabled key', async () => {
    for (const body of [{}, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }]) {
      const key = await createKey(h, body)
      const spec = (body as { KeySpec?: string }).KeySpec ?? 'SYMMETRIC_DEFAULT'
      assertAwsError(await h.call('GetPublicKey', { KeyId: key.keyId }), 'UnsupportedOperationException', `${key.arn} key spec is ${spec}, which has no public key.`)
    }
    const off = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    await ok(h, 'DisableKey', { KeyId: off.keyId })
    assertAwsError(await h.call('GetPublicKey', { KeyId: off.keyId }), 'DisabledException', `${off.arn} is disabled.`)
  })

  it('writes one read-only audit record', async () => {
    const key = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    const { record } = await withOneAudit(h, () => h.call('GetPublicKey', { KeyId: key.keyId }))
    assert.deepEqual([record.eventName, record.readOnly, record.requestParameters], ['GetPublicKey', true, { keyId: key.keyId }])
  })
})
