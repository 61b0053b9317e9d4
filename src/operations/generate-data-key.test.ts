// GenerateDataKey through dispatch: lengths by KeySpec or NumberOfBytes, exactly one of them, states, DryRun, audit.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { aliasArnFor, assertAwsError, createAlias, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

const EITHER = 'Please specify either number of bytes or key spec.'

describe('GenerateDataKey', () => {
  let h: Harness
  let key: TestKey
  before(async () => {
    h = await createHarness()
    key = await createKey(h)
    await createAlias(h, 'alias/dk', key.keyId)
  })
  after(() => h.close())

  it('returns a data key of the requested length and its copy under the KMS key', async () => {
    for (const [request, length] of [[{ KeySpec: 'AES_256' }, 32], [{ KeySpec: 'AES_128' }, 16], [{ NumberOfBytes: 1 }, 1], [{ NumberOfBytes: 1024 }, 1024]] as const) {
      const body = await ok(h, 'GenerateDataKey', { KeyId: key.keyId, EncryptionContext: { use: 'dk' }, ...request })
      assert.deepEqual(Object.keys(body).sort(), ['CiphertextBlob', 'KeyId', 'KeyMaterialId', 'Plaintext'])
      assert.equal(body.KeyId, key.arn)
      assert.equal(unb64(body.Plaintext).length, length)
      const dec = await ok(h, 'Decrypt', { CiphertextBlob: body.CiphertextBlob, EncryptionContext: { use: 'dk' } })
      assert.equal(dec.Plaintext, body.Plaintext)
      assert.equal(dec.KeyMaterialId, body.KeyMaterialId)
    }
  })

  it('accepts aliases and alias ARNs', async () => {
    for (const name of ['alias/dk', aliasArnFor('alias/dk')]) {
      assert.equal((await ok(h, 'GenerateDataKey', { KeyId: name, KeySpec: 'AES_256' })).KeyId, key.arn)
    }
  })

  it('requires exactly one of KeySpec and NumberOfBytes', async () => {
    assertAwsError(await h.call('GenerateDataKey', { KeyId: key.keyId }), 'ValidationException', EITHER)
    assertAwsError(await h.call('GenerateDataKey', { KeyId: key.keyId, KeySpec: 'AES_256', NumberOfBytes: 32 }), 'ValidationException', EITHER)
  })

  it('checks the NumberOfBytes range and the KeySpec enum', async () => {
    assertAwsError(await h.call('GenerateDataKey', { KeyId: key.keyId, NumberOfBytes: 0 }), 'ValidationException',
      "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1")
    assertAwsError(await h.call('GenerateDataKey', { KeyId: key.keyId, NumberOfBytes: 1025 }), 'ValidationException',
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")
    assertAwsError(await h.call('GenerateDataKey', { KeyId: key.keyId, KeySpec: 'AES_512' }), 'ValidationException',
      "1 validation error detected: Value 'AES_512' at 'keySpec' failed to satisfy constraint: Member must satisfy enum value set: [AES_256, AES_128]")
  })

  it('answers a DryRun with DryRunOperationException', async () => {
    assertAwsError(await h.call('GenerateDataKey', { KeyId: key.keyId, KeySpec: 'AES_256', DryRun: true }),
      'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
  })

  it('needs an enabled key', async () => {
    const k = await createKey(h)
    await ok(h, 'DisableKey', { KeyId: k.keyId })
    assertAwsError(await h.call('GenerateDataKey', { KeyId: k.keyId, KeySpec: 'AES_256' }), 'DisabledException', `${k.arn} is disabled.`)
  })

  it('rejects a Recipient', async () => {
    assertAwsError(await h.call('GenerateDataKey', { KeyId: key.keyId, KeySpec: 'AES_256', Recipient: { AttestationDocument: b64('doc') } }),
      'UnsupportedOperationException', 'Recipient attestation is not supported by this Trent server.')
  })

  it('writes one audit record without the data key', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('GenerateDataKey', { KeyId: 'alias/dk', NumberOfBytes: 48 }))
    const text = JSON.stringify(record)
    assert.ok(!text.includes(String(res.body.Plaintext)) && !text.includes(String(res.body.CiphertextBlob)))
    assert.deepEqual(record.requestParameters, { keyId: 'alias/dk', numberOfBytes: 48 })
    assert.deepEqual(record.responseElements, { keyId: key.arn, keyMaterialId: res.body.KeyMaterialId })
  })
})
