import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'

describe('Encrypt and Decrypt through dispatch', () => {
  let h: Harness
  let keyArn: string
  before(async () => {
    h = await createHarness()
    const created = await h.call('CreateKey', { Description: 'unit' })
    assert.equal(created.status, 200)
    keyArn = (created.body.KeyMetadata as { Arn: string }).Arn
  })
  after(() => h.close())

  it('round-trips plaintext under an encryption context', async () => {
    const enc = await h.call('Encrypt', { KeyId: keyArn, Plaintext: b64('secret data'), EncryptionContext: { purpose: 'test' } })
    assert.equal(enc.status, 200)
    assert.equal(enc.body.KeyId, keyArn)
    assert.equal(enc.body.EncryptionAlgorithm, 'SYMMETRIC_DEFAULT')
    const dec = await h.call('Decrypt', { CiphertextBlob: enc.body.CiphertextBlob, EncryptionContext: { purpose: 'test' } })
    assert.equal(dec.status, 200)
    assert.equal(unb64(dec.body.Plaintext).toString(), 'secret data')
    assert.equal(dec.body.KeyId, keyArn)
  })

  it('rejects a wrong encryption context with InvalidCiphertextException', async () => {
    const enc = await h.call('Encrypt', { KeyId: keyArn, Plaintext: b64('x'), EncryptionContext: { purpose: 'test' } })
    const dec = await h.call('Decrypt', { CiphertextBlob: enc.body.CiphertextBlob, EncryptionContext: { purpose: 'other' } })
    assert.equal(dec.status, 400)
    assert.equal(dec.body.__type, 'InvalidCiphertextException')
  })

  it('rejects plaintext over 4096 bytes with AWS\'s validation message', async () => {
    const res = await h.call('Encrypt', { KeyId: keyArn, Plaintext: b64(new Uint8Array(4097)) })
    assert.equal(res.status, 400)
    assert.deepEqual(res.body, {
      __type: 'ValidationException',
      message: "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    })
  })
})
