// GenerateDataKeyWithoutPlaintext through dispatch: only the sealed copy is returned.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createAlias, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

describe('GenerateDataKeyWithoutPlaintext', () => {
  let h: Harness
  let key: TestKey
  before(async () => {
    h = await createHarness()
    key = await createKey(h)
    await createAlias(h, 'alias/nodk', key.keyId)
  })
  after(() => h.close())

  it('returns no plaintext, and the ciphertext decrypts to a key of the requested length', async () => {
    for (const [request, length] of [[{ KeySpec: 'AES_256' }, 32], [{ KeySpec: 'AES_128' }, 16], [{ NumberOfBytes: 7 }, 7]] as const) {
      const body = await ok(h, 'GenerateDataKeyWithoutPlaintext', { KeyId: 'alias/nodk', EncryptionContext: { k: 'v' }, ...request })
      assert.deepEqual(Object.keys(body).sort(), ['CiphertextBlob', 'KeyId', 'KeyMaterialId'])
      assert.equal(body.KeyId, key.arn)
      const dec = await ok(h, 'Decrypt', { CiphertextBlob: body.CiphertextBlob, EncryptionContext: { k: 'v' } })
      assert.equal(unb64(dec.Plaintext).length, length)
    }
  })

  it('requires exactly one of KeySpec and NumberOfBytes', async () => {
    for (const extra of [{}, { KeySpec: 'AES_128', NumberOfBytes: 16 }]) {
      assertAwsError(await h.call('GenerateDataKeyWithoutPlaintext', { KeyId: key.keyId, ...extra }), 'ValidationException', 'Please specify either number of bytes or key spec.')
    }
  })

  it('answers a DryRun with DryRunOperationException and refuses a key pending deletion', async () => {
    assertAwsError(await h.call('GenerateDataKeyWithoutPlaintext', { KeyId: key.keyId, KeySpec: 'AES_256', DryRun: true }),
      'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
    const k = await createKey(h)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: k.keyId })
    assertAwsError(await h.call('GenerateDataKeyWithoutPlaintext', { KeyId: k.keyId, KeySpec: 'AES_256' }), 'KMSInvalidStateException', `${k.arn} is pending deletion.`)
  })

  it('writes one audit record without the ciphertext', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('GenerateDataKeyWithoutPlaintext', { KeyId: key.keyId, KeySpec: 'AES_256' }))
    assert.ok(!JSON.stringify(record).includes(String(res.body.CiphertextBlob)))
    assert.deepEqual(record.requestParameters, { keyId: key.keyId, keySpec: 'AES_256' })
    assert.equal(record.eventName, 'GenerateDataKeyWithoutPlaintext')
  })
})
