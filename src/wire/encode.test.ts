// encodeOutput(): base64 blobs, epoch-second timestamps, omitted absent members, nothing outside the model.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { encodeOutput } from './encode.js'

describe('encodeOutput()', () => {
  it('encodes blobs as base64 and drops members the model does not have', () => {
    const out = encodeOutput('EncryptResponse', {
      CiphertextBlob: new Uint8Array([0, 1, 2, 250]), KeyId: 'arn:k', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', internalMaterial: new Uint8Array(32),
    })
    assert.deepEqual(out, { CiphertextBlob: 'AAEC+g==', KeyId: 'arn:k', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' })
  })

  it('encodes timestamps as epoch seconds, keeping milliseconds as a fraction', () => {
    const out = encodeOutput('ScheduleKeyDeletionResponse', { KeyId: 'k', DeletionDate: new Date(1607472987918), KeyState: 'PendingDeletion', PendingWindowInDays: 7 })
    assert.deepEqual(out, { KeyId: 'k', DeletionDate: 1607472987.918, KeyState: 'PendingDeletion', PendingWindowInDays: 7 })
  })

  it('omits undefined and null members but keeps false and empty values', () => {
    const out = encodeOutput('ListKeysResponse', { Keys: [], NextMarker: undefined, Truncated: false })
    assert.deepEqual(out, { Keys: [], Truncated: false })
    assert.deepEqual(encodeOutput('GetKeyPolicyResponse', { Policy: '', PolicyName: null }), { Policy: '' })
  })

  it('walks nested structures, lists and maps', () => {
    const out = encodeOutput('DescribeKeyResponse', {
      KeyMetadata: { KeyId: 'k', CreationDate: new Date(2000), Enabled: true, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], Secret: 'x' },
    })
    assert.deepEqual(out, { KeyMetadata: { KeyId: 'k', CreationDate: 2, Enabled: true, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } })
    const grants = encodeOutput('ListGrantsResponse', {
      Grants: [{ GrantId: 'g', CreationDate: new Date(1500), Constraints: { EncryptionContextEquals: { a: '1' } } }], Truncated: false,
    })
    assert.deepEqual(grants, { Grants: [{ GrantId: 'g', CreationDate: 1.5, Constraints: { EncryptionContextEquals: { a: '1' } } }], Truncated: false })
  })

  it('returns {} for operations without output', () => {
    assert.deepEqual(encodeOutput(null, { anything: 1 }), {})
    assert.deepEqual(encodeOutput('EncryptResponse', undefined), {})
  })
})
