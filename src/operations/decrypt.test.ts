// Decrypt through dispatch: the key comes from the blob; a named key must match it; context, states, DryRun, audit.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import {
  UNKNOWN_KEY_ID, addAccount, aliasArnFor, assertAwsError, createAlias, createKey, encryptUnder, notFoundMessage, ok, withOneAudit, type TestKey,
} from '../../test/support/kms-fixtures.js'

const INVALID_CIPHERTEXT = null
const INCORRECT_KEY = 'The key ID in the request does not identify a CMK that can perform this operation.'

describe('Decrypt', () => {
  let h: Harness
  let key: TestKey
  let other: TestKey
  let blob: string
  before(async () => {
    h = await createHarness()
    key = await createKey(h)
    other = await createKey(h)
    await createAlias(h, 'alias/right', key.keyId)
    await createAlias(h, 'alias/wrong', other.keyId)
    blob = await encryptUnder(h, key.keyId, 'decrypt me', { b: '2', a: '1' })
  })
  after(() => h.close())

  it('decrypts without a KeyId and reports the key, algorithm and material id', async () => {
    const body = await ok(h, 'Decrypt', { CiphertextBlob: blob, EncryptionContext: { a: '1', b: '2' } })
    const meta = (await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as { CurrentKeyMaterialId: string }
    assert.deepEqual(body, { KeyId: key.arn, Plaintext: b64('decrypt me'), EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', KeyMaterialId: meta.CurrentKeyMaterialId })
  })

  it('accepts the right key by id, ARN, alias name and alias ARN', async () => {
    for (const name of [key.keyId, key.arn, 'alias/right', aliasArnFor('alias/right')]) {
      const body = await ok(h, 'Decrypt', { CiphertextBlob: blob, KeyId: name, EncryptionContext: { a: '1', b: '2' } })
      assert.equal(unb64(body.Plaintext).toString(), 'decrypt me', name)
    }
  })

  it('rejects a KeyId that names another key with IncorrectKeyException', async () => {
    for (const name of [other.keyId, other.arn, 'alias/wrong']) {
      assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob, KeyId: name, EncryptionContext: { a: '1', b: '2' } }), 'IncorrectKeyException', INCORRECT_KEY)
    }
  })

  it('reports an unknown or malformed KeyId before trying the blob', async () => {
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob, KeyId: UNKNOWN_KEY_ID }), 'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob, KeyId: 'alias/none' }), 'NotFoundException', `Alias ${aliasArnFor('alias/none')} is not found.`)
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob, KeyId: 'arn:aws:kms:us-east-1:111122223333:key/x' }), 'InvalidArnException', 'Invalid arn')
  })

  it('needs the exact encryption context, in any order', async () => {
    for (const ctx of [undefined, {}, { a: '1' }, { a: '1', b: '2', c: '3' }, { A: '1', b: '2' }, { a: '1', b: '2 ' }]) {
      assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: ctx }), 'InvalidCiphertextException', INVALID_CIPHERTEXT)
    }
  })

  it('treats an empty encryption context as none', async () => {
    const withEmpty = await encryptUnder(h, key.keyId, 'empty', {})
    assert.equal(unb64((await ok(h, 'Decrypt', { CiphertextBlob: withEmpty })).Plaintext).toString(), 'empty')
    const withNone = await encryptUnder(h, key.keyId, 'none')
    assert.equal(unb64((await ok(h, 'Decrypt', { CiphertextBlob: withNone, EncryptionContext: {} })).Plaintext).toString(), 'none')
  })

  it('rejects garbage, truncated and tampered blobs with InvalidCiphertextException', async () => {
    const bytes = unb64(blob)
    const tampered = Buffer.from(bytes)
    tampered[tampered.length - 1]! ^= 1
    for (const bad of [b64('not a ciphertext'), b64(bytes.subarray(0, 20)), b64(tampered), b64(new Uint8Array(1))]) {
      assertAwsError(await h.call('Decrypt', { CiphertextBlob: bad, EncryptionContext: { a: '1', b: '2' } }), 'InvalidCiphertextException', INVALID_CIPHERTEXT)
    }
  })

  it('requires a ciphertext', async () => {
    assertAwsError(await h.call('Decrypt', { KeyId: key.keyId }), 'ValidationException',
      "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null")
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: b64(new Uint8Array(6145)) }), 'ValidationException',
      "1 validation error detected: Value at 'ciphertextBlob' failed to satisfy constraint: Member must have length less than or equal to 6144")
  })

  it('answers a DryRun with DryRunOperationException', async () => {
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { a: '1', b: '2' }, DryRun: true }),
      'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
  })

  it('rejects an asymmetric algorithm and a Recipient for a symmetric ciphertext', async () => {
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { a: '1', b: '2' }, EncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
      'InvalidKeyUsageException', 'Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SYMMETRIC_DEFAULT.')
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob, Recipient: { AttestationDocument: b64('doc') } }),
      'UnsupportedOperationException', 'Recipient attestation is not supported by this Trent server.')
  })

  it('follows the key state: disabled, re-enabled, pending deletion', async () => {
    const k = await createKey(h)
    const c = await encryptUnder(h, k.keyId, 'state')
    await ok(h, 'DisableKey', { KeyId: k.keyId })
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: c }), 'DisabledException', `${k.arn} is disabled.`)
    await ok(h, 'EnableKey', { KeyId: k.keyId })
    assert.equal(unb64((await ok(h, 'Decrypt', { CiphertextBlob: c })).Plaintext).toString(), 'state')
    await ok(h, 'ScheduleKeyDeletion', { KeyId: k.keyId })
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: c }), 'KMSInvalidStateException', `${k.arn} is pending deletion.`)
  })

  it('denies a caller from another account', async () => {
    const stranger = await addAccount(h, '444455556666')
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob, EncryptionContext: { a: '1', b: '2' } }, stranger), 'AccessDeniedException',
      `User: arn:aws:iam::444455556666:root is not authorized to perform: kms:Decrypt on resource: ${key.arn} because no resource-based policy allows the kms:Decrypt action`)
  })

  it('writes one audit record without the plaintext or the ciphertext', async () => {
    const secret = 'audit-must-not-see-this'
    const c = await encryptUnder(h, key.keyId, secret)
    const { res, record } = await withOneAudit(h, () => h.call('Decrypt', { CiphertextBlob: c }))
    assert.equal(res.status, 200)
    const text = JSON.stringify(record)
    for (const forbidden of [secret, b64(secret), c]) assert.ok(!text.includes(forbidden), forbidden)
    assert.equal(record.readOnly, true)
    assert.equal(record.requestParameters, null)
    assert.equal((record.responseElements as { keyId: string }).keyId, key.arn)
  })
})
