// encodeOutput(): the exact JSON text of a reply. Base64 blobs, epoch-second timestamps, omitted absent members,
// nothing outside the model, and the same bytes JSON.stringify would write for the same encoded object.
import { describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { encodeOutput } from './encode.js'
import { wireModel } from './model.generated.js'

describe('encodeOutput()', () => {
  it('encodes blobs as base64 and drops members the model does not have', () => {
    const out = encodeOutput('EncryptResponse', {
      CiphertextBlob: new Uint8Array([0, 1, 2, 250]), KeyId: 'arn:k', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT', internalMaterial: new Uint8Array(32),
    })
    assert.equal(out, JSON.stringify({ CiphertextBlob: 'AAEC+g==', KeyId: 'arn:k', EncryptionAlgorithm: 'SYMMETRIC_DEFAULT' }))
  })

  it('encodes only the bytes of a blob that is a view into a larger buffer', () => {
    const whole = randomBytes(64)
    const view = whole.subarray(8, 40)
    assert.equal(encodeOutput('GenerateRandomResponse', { Plaintext: view }), JSON.stringify({ Plaintext: Buffer.from(view).toString('base64') }))
  })

  it('escapes strings that need it', () => {
    const tricky = 'quote " backslash \\ newline \n tab \t nul \u0000 é \u2028 😀'
    const out = encodeOutput('GetKeyPolicyResponse', { Policy: tricky, PolicyName: 'default' })
    assert.equal(out, JSON.stringify({ Policy: tricky, PolicyName: 'default' }))
    assert.deepEqual(JSON.parse(out), { Policy: tricky, PolicyName: 'default' })
  })

  it('encodes timestamps as epoch seconds, keeping milliseconds as a fraction', () => {
    const out = encodeOutput('ScheduleKeyDeletionResponse', { KeyId: 'k', DeletionDate: new Date(1607472987918), KeyState: 'PendingDeletion', PendingWindowInDays: 7 })
    assert.equal(out, JSON.stringify({ KeyId: 'k', DeletionDate: 1607472987.918, KeyState: 'PendingDeletion', PendingWindowInDays: 7 }))
  })

  it('omits undefined and null members but keeps false and empty values', () => {
    const out = encodeOutput('ListKeysResponse', { Keys: [], NextMarker: undefined, Truncated: false })
    assert.equal(out, '{"Keys":[],"Truncated":false}')
    assert.equal(encodeOutput('GetKeyPolicyResponse', { Policy: '', PolicyName: null }), '{"Policy":""}')
  })

  it('walks nested structures, lists and maps', () => {
    const out = encodeOutput('DescribeKeyResponse', {
      KeyMetadata: { KeyId: 'k', CreationDate: new Date(2000), Enabled: true, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], Secret: 'x' },
    })
    assert.equal(out, JSON.stringify({ KeyMetadata: { KeyId: 'k', CreationDate: 2, Enabled: true, EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'] } }))
    const grants = encodeOutput('ListGrantsResponse', {
      Grants: [{ GrantId: 'g', CreationDate: new Date(1500), Constraints: { EncryptionContextEquals: { 'a"b': '1', skipped: undefined } } }], Truncated: false,
    })
    assert.equal(grants, JSON.stringify({ Grants: [{ GrantId: 'g', CreationDate: 1.5, Constraints: { EncryptionContextEquals: { 'a"b': '1' } } }], Truncated: false }))
  })

  it('returns {} for operations without output', () => {
    assert.equal(encodeOutput(null, { anything: 1 }), '{}')
    assert.equal(encodeOutput('EncryptResponse', undefined), '{}')
  })

  it('can write member names unescaped: every structure member in the model is a plain identifier', () => {
    for (const [name, shape] of Object.entries(wireModel.shapes)) {
      if (shape.type !== 'structure') continue
      for (const member of Object.keys(shape.members)) assert.match(member, /^[A-Za-z][A-Za-z0-9_]*$/, `${name}.${member}`)
    }
  })
})
