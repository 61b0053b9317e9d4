// GenerateRandom through dispatch: 1..1024 bytes from the injected random source, never audited.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { assertAwsError, withOneAudit } from '../../test/support/kms-fixtures.js'

describe('GenerateRandom', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness({ random: (n) => new Uint8Array(n).map((_, i) => (i * 7 + 3) & 0xff) })
  })
  afterEach(() => h.close())

  it('returns exactly the requested number of bytes from the random source', async () => {
    for (const n of [1, 32, 1024]) {
      const res = await h.call('GenerateRandom', { NumberOfBytes: n })
      assert.equal(res.status, 200)
      assert.deepEqual(Object.keys(res.body), ['Plaintext'])
      assert.deepEqual(unb64(res.body.Plaintext), Buffer.from(new Uint8Array(n).map((_, i) => (i * 7 + 3) & 0xff)))
    }
  })

  it('requires NumberOfBytes within 1..1024', async () => {
    assertAwsError(await h.call('GenerateRandom', {}), 'ValidationException',
      'NumberOfBytes is required.')
    assertAwsError(await h.call('GenerateRandom', { NumberOfBytes: 0 }), 'ValidationException',
      "1 validation error detected: Value '0' at 'numberOfBytes' failed to satisfy constraint: Member must have value greater than or equal to 1")
    assertAwsError(await h.call('GenerateRandom', { NumberOfBytes: 1025 }), 'ValidationException',
      "1 validation error detected: Value '1025' at 'numberOfBytes' failed to satisfy constraint: Member must have value less than or equal to 1024")
  })

  it('has no custom key stores and no attestation', async () => {
    assertAwsError(await h.call('GenerateRandom', { NumberOfBytes: 8, CustomKeyStoreId: 'cks-1234567890abcdef0' }), 'CustomKeyStoreNotFoundException',
      'The request was rejected because KMS cannot find a custom key store with the specified key store ID.')
    assertAwsError(await h.call('GenerateRandom', { NumberOfBytes: 8, Recipient: { AttestationDocument: b64('doc') } }),
      'UnsupportedOperationException', 'Recipient attestation is not supported by this Trent server.')
  })

  it('writes one audit record with the length and not the bytes', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('GenerateRandom', { NumberOfBytes: 64 }))
    assert.ok(!JSON.stringify(record).includes(String(res.body.Plaintext)))
    assert.deepEqual(record.requestParameters, { numberOfBytes: 64 })
    assert.equal(record.responseElements, null)
    assert.deepEqual(record.resources, [])
  })
})
