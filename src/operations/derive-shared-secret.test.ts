// DeriveSharedSecret through dispatch: the secret equals the peer's own ECDH, peer keys are validated.
import assert from 'node:assert/strict'
import { createPublicKey, diffieHellman, generateKeyPairSync } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

const peerOf = (curve: string) => generateKeyPairSync('ec', { namedCurve: curve })
const spki = (key: ReturnType<typeof peerOf>['publicKey']) => key.export({ type: 'spki', format: 'der' })

describe('DeriveSharedSecret', () => {
  let h: Harness
  const keys: Record<string, TestKey> = {}
  before(async () => {
    h = await createHarness()
    for (const spec of ['ECC_NIST_P256', 'ECC_NIST_P384', 'ECC_NIST_P521']) keys[spec] = await createKey(h, { KeySpec: spec, KeyUsage: 'KEY_AGREEMENT' })
  })
  after(() => h.close())

  it('derives the same secret as the peer does with the KMS public key, on every NIST curve', async () => {
    for (const [spec, curve, length] of [['ECC_NIST_P256', 'P-256', 32], ['ECC_NIST_P384', 'P-384', 48], ['ECC_NIST_P521', 'P-521', 66]] as const) {
      const key = keys[spec]!
      const peer = peerOf(curve)
      const body = await ok(h, 'DeriveSharedSecret', { KeyId: key.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64(spki(peer.publicKey)) })
      assert.deepEqual(Object.keys(body).sort(), ['KeyAgreementAlgorithm', 'KeyId', 'KeyOrigin', 'SharedSecret'])
      assert.deepEqual([body.KeyId, body.KeyAgreementAlgorithm, body.KeyOrigin], [key.arn, 'ECDH', 'AWS_KMS'])
      const kmsPublic = createPublicKey({ key: unb64((await ok(h, 'GetPublicKey', { KeyId: key.keyId })).PublicKey), format: 'der', type: 'spki' })
      const expected = diffieHellman({ privateKey: peer.privateKey, publicKey: kmsPublic })
      assert.equal(expected.length, length)
      assert.deepEqual(unb64(body.SharedSecret), expected)
    }
  })

  it('refuses a peer key on another curve, off the curve, or not SPKI at all', async () => {
    const message = null // AWS sends a bare ValidationException here
    const offCurve = Buffer.from(spki(peerOf('P-256').publicKey))
    offCurve[offCurve.length - 1]! ^= 0x01
    const ed = generateKeyPairSync('ed25519').publicKey.export({ type: 'spki', format: 'der' })
    for (const peer of [spki(peerOf('P-384').publicKey), spki(peerOf('secp256k1').publicKey), offCurve, ed, Buffer.from('not a key'), Buffer.concat([spki(peerOf('P-256').publicKey), Buffer.of(0)])]) {
      assertAwsError(await h.call('DeriveSharedSecret', { KeyId: keys.ECC_NIST_P256!.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: b64(peer) }), 'ValidationException', message)
    }
  })

  it('needs a KEY_AGREEMENT key that is Enabled, and answers DryRun', async () => {
    const off = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'KEY_AGREEMENT' })
    await ok(h, 'DisableKey', { KeyId: off.keyId })
    const peer = b64(spki(peerOf('P-256').publicKey))
    assertAwsError(await h.call('DeriveSharedSecret', { KeyId: off.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer }), 'DisabledException', `${off.arn} is disabled.`)
    const symmetric = await createKey(h)
    assertAwsError(await h.call('DeriveSharedSecret', { KeyId: symmetric.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer }), 'InvalidKeyUsageException',
      `${symmetric.arn} key usage is ENCRYPT_DECRYPT which is not valid for DeriveSharedSecret.`)
    assertAwsError(await h.call('DeriveSharedSecret', { KeyId: keys.ECC_NIST_P256!.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer, DryRun: true }),
      'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
  })

  it('audits without the shared secret or the peer key', async () => {
    const peer = b64(spki(peerOf('P-256').publicKey))
    const { res, record } = await withOneAudit(h, () => h.call('DeriveSharedSecret', { KeyId: keys.ECC_NIST_P256!.keyId, KeyAgreementAlgorithm: 'ECDH', PublicKey: peer }))
    const text = JSON.stringify(record)
    assert.ok(!text.includes(String(res.body.SharedSecret)) && !text.includes(peer))
    assert.deepEqual(record.responseElements, { keyId: keys.ECC_NIST_P256!.arn, keyAgreementAlgorithm: 'ECDH', keyOrigin: 'AWS_KMS' })
  })
})
