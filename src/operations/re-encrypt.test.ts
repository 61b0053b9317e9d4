// ReEncrypt through dispatch: moves a ciphertext to another key or context without exposing the plaintext.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import {
  UNKNOWN_KEY_ID, aliasArnFor, assertAwsError, createAlias, createKey, encryptUnder, notFoundMessage, ok, withOneAudit, type TestKey,
} from '../../test/support/kms-fixtures.js'

const INVALID_CIPHERTEXT = null

describe('ReEncrypt', () => {
  let h: Harness
  let source: TestKey
  let destination: TestKey
  let blob: string
  before(async () => {
    h = await createHarness()
    source = await createKey(h)
    destination = await createKey(h)
    await createAlias(h, 'alias/source', source.keyId)
    await createAlias(h, 'alias/destination', destination.keyId)
    blob = await encryptUnder(h, source.keyId, 'moving secret', { stage: 'one' })
  })
  after(() => h.close())

  const materialOf = async (k: TestKey) => ((await ok(h, 'DescribeKey', { KeyId: k.keyId })).KeyMetadata as { CurrentKeyMaterialId: string }).CurrentKeyMaterialId

  it('re-encrypts under the destination key and context, reporting both keys', async () => {
    const body = await ok(h, 'ReEncrypt', {
      CiphertextBlob: blob, SourceEncryptionContext: { stage: 'one' }, DestinationKeyId: destination.keyId, DestinationEncryptionContext: { stage: 'two' },
    })
    assert.deepEqual({ ...body, CiphertextBlob: undefined }, {
      CiphertextBlob: undefined, SourceKeyId: source.arn, KeyId: destination.arn, SourceEncryptionAlgorithm: 'SYMMETRIC_DEFAULT',
      DestinationEncryptionAlgorithm: 'SYMMETRIC_DEFAULT', SourceKeyMaterialId: await materialOf(source), DestinationKeyMaterialId: await materialOf(destination),
    })
    const dec = await ok(h, 'Decrypt', { CiphertextBlob: body.CiphertextBlob, EncryptionContext: { stage: 'two' } })
    assert.equal(dec.KeyId, destination.arn)
    assert.equal(unb64(dec.Plaintext).toString(), 'moving secret')
  })

  it('re-encrypts under the same key to change only the context', async () => {
    const body = await ok(h, 'ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { stage: 'one' }, DestinationKeyId: 'alias/source' })
    assert.equal(body.KeyId, source.arn)
    assert.equal(unb64((await ok(h, 'Decrypt', { CiphertextBlob: body.CiphertextBlob })).Plaintext).toString(), 'moving secret')
  })

  it('accepts aliases and alias ARNs for both keys', async () => {
    const body = await ok(h, 'ReEncrypt', {
      CiphertextBlob: blob, SourceEncryptionContext: { stage: 'one' }, SourceKeyId: aliasArnFor('alias/source'), DestinationKeyId: aliasArnFor('alias/destination'),
    })
    assert.equal(body.KeyId, destination.arn)
    assert.equal((await ok(h, 'ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { stage: 'one' }, SourceKeyId: 'alias/source', DestinationKeyId: destination.arn })).SourceKeyId, source.arn)
  })

  it('rejects a SourceKeyId that is not the key of the ciphertext', async () => {
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { stage: 'one' }, SourceKeyId: 'alias/destination', DestinationKeyId: destination.keyId }),
      'IncorrectKeyException', 'The key ID in the request does not identify a CMK that can perform this operation.')
  })

  it('rejects a wrong source context, an unknown destination and a missing ciphertext', async () => {
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: destination.keyId }), 'InvalidCiphertextException', INVALID_CIPHERTEXT)
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { stage: 'one' }, DestinationKeyId: UNKNOWN_KEY_ID }),
      'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
    assertAwsError(await h.call('ReEncrypt', { DestinationKeyId: destination.keyId }), 'ValidationException',
      "1 validation error detected: Value null at 'ciphertextBlob' failed to satisfy constraint: Member must not be null")
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: blob }), 'ValidationException',
      "1 validation error detected: Value null at 'destinationKeyId' failed to satisfy constraint: Member must not be null")
  })

  it('needs both keys usable', async () => {
    const off = await createKey(h)
    await ok(h, 'DisableKey', { KeyId: off.keyId })
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { stage: 'one' }, DestinationKeyId: off.keyId }), 'DisabledException', `${off.arn} is disabled.`)
    const gone = await createKey(h)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: gone.keyId })
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { stage: 'one' }, DestinationKeyId: gone.keyId }),
      'KMSInvalidStateException', `${gone.arn} is pending deletion.`)
  })

  it('rejects asymmetric algorithms for symmetric keys', async () => {
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { stage: 'one' }, DestinationKeyId: destination.keyId, DestinationEncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }),
      'InvalidKeyUsageException', 'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.')
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { stage: 'one' }, DestinationKeyId: destination.keyId, SourceEncryptionAlgorithm: 'RSAES_OAEP_SHA_1' }),
      'InvalidKeyUsageException', 'Algorithm RSAES_OAEP_SHA_1 is incompatible with key spec SYMMETRIC_DEFAULT.')
  })

  it('answers a DryRun with DryRunOperationException', async () => {
    assertAwsError(await h.call('ReEncrypt', { CiphertextBlob: blob, SourceEncryptionContext: { stage: 'one' }, DestinationKeyId: destination.keyId, DryRun: true }),
      'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
  })

  it('writes one audit record naming both keys and no plaintext', async () => {
    const secret = 'reencrypt-plaintext-never-audited'
    const c = await encryptUnder(h, source.keyId, secret)
    const { res, record } = await withOneAudit(h, () => h.call('ReEncrypt', { CiphertextBlob: c, DestinationKeyId: 'alias/destination' }))
    assert.equal(res.status, 200)
    const text = JSON.stringify(record)
    assert.ok(!text.includes(secret) && !text.includes(b64(secret)) && !text.includes(c))
    assert.deepEqual(record.resources.map((r) => r.ARN).sort(), [source.arn, destination.arn].sort())
    assert.deepEqual(record.requestParameters, { destinationKeyId: 'alias/destination' })
  })
})
