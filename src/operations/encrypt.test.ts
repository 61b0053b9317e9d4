// Encrypt through dispatch: round trips, every way to name the key, DryRun, key states, limits and the audit record.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, unb64, type Harness } from '../../test/support/harness.js'
import { aliasArnFor, assertAwsError, createAlias, createKey, ok, withOneAudit } from '../../test/support/kms-fixtures.js'

describe('Encrypt and Decrypt through dispatch', () => {
  let h: Harness
  let keyArn: string
  let keyId: string
  before(async () => {
    h = await createHarness()
    const created = await h.call('CreateKey', { Description: 'unit' })
    assert.equal(created.status, 200)
    keyArn = (created.body.KeyMetadata as { Arn: string }).Arn
    keyId = (created.body.KeyMetadata as { KeyId: string }).KeyId
    await createAlias(h, 'alias/enc', keyId)
  })
  after(() => h.close())

  it('round-trips plaintext under an encryption context', async () => {
    const enc = await h.call('Encrypt', { KeyId: keyArn, Plaintext: b64('secret data'), EncryptionContext: { purpose: 'test' } })
    assert.equal(enc.status, 200)
    assert.deepEqual(Object.keys(enc.body).sort(), ['CiphertextBlob', 'EncryptionAlgorithm', 'KeyId'])
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
    assertAwsError(dec, 'InvalidCiphertextException', null)
  })

  it('rejects plaintext over 4096 bytes with AWS\'s validation message', async () => {
    const res = await h.call('Encrypt', { KeyId: keyArn, Plaintext: b64(new Uint8Array(4097)) })
    assert.equal(res.status, 400)
    assert.deepEqual(res.body, {
      __type: 'ValidationException',
      message: "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length less than or equal to 4096",
    })
  })

  it('accepts exactly 4096 bytes and 1 byte, and rejects an empty plaintext', async () => {
    for (const size of [1, 4096]) {
      const enc = await ok(h, 'Encrypt', { KeyId: keyId, Plaintext: b64(new Uint8Array(size).fill(9)) })
      const dec = await ok(h, 'Decrypt', { CiphertextBlob: enc.CiphertextBlob })
      assert.deepEqual(unb64(dec.Plaintext), Buffer.alloc(size, 9))
    }
    assertAwsError(await h.call('Encrypt', { KeyId: keyId, Plaintext: '' }), 'ValidationException',
      "1 validation error detected: Value at 'plaintext' failed to satisfy constraint: Member must have length greater than or equal to 1")
  })

  it('accepts a key id, key ARN, alias name and alias ARN and always answers with the key ARN', async () => {
    for (const name of [keyId, keyArn, 'alias/enc', aliasArnFor('alias/enc')]) {
      const enc = await ok(h, 'Encrypt', { KeyId: name, Plaintext: b64('named') })
      assert.equal(enc.KeyId, keyArn, name)
    }
  })

  it('produces a different ciphertext each time for the same plaintext', async () => {
    const a = await ok(h, 'Encrypt', { KeyId: keyId, Plaintext: b64('same') })
    const b = await ok(h, 'Encrypt', { KeyId: keyId, Plaintext: b64('same') })
    assert.notEqual(a.CiphertextBlob, b.CiphertextBlob)
  })

  it('answers a DryRun with DryRunOperationException and returns no ciphertext', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('Encrypt', { KeyId: keyId, Plaintext: b64('dry'), DryRun: true }))
    assertAwsError(res, 'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
    assert.deepEqual(record.requestParameters, { keyId, dryRun: true })
    assert.equal((await h.call('Encrypt', { KeyId: keyId, Plaintext: b64('dry'), DryRun: false })).status, 200)
  })

  it('reports a DryRun against a disabled key as the real failure', async () => {
    const k = await createKey(h)
    await ok(h, 'DisableKey', { KeyId: k.keyId })
    assertAwsError(await h.call('Encrypt', { KeyId: k.keyId, Plaintext: b64('x'), DryRun: true }), 'DisabledException', `${k.arn} is disabled.`)
  })

  it('rejects an asymmetric encryption algorithm on a symmetric key', async () => {
    assertAwsError(await h.call('Encrypt', { KeyId: keyId, Plaintext: b64('x'), EncryptionAlgorithm: 'RSAES_OAEP_SHA_256' }), 'InvalidKeyUsageException',
      'Algorithm RSAES_OAEP_SHA_256 is incompatible with key spec SYMMETRIC_DEFAULT.')
    assertAwsError(await h.call('Encrypt', { KeyId: keyId, Plaintext: b64('x'), EncryptionAlgorithm: 'AES' }), 'ValidationException',
      "1 validation error detected: Value 'AES' at 'encryptionAlgorithm' failed to satisfy constraint: Member must satisfy enum value set: [SYMMETRIC_DEFAULT, RSAES_OAEP_SHA_1, RSAES_OAEP_SHA_256, SM2PKE]")
  })

  it('writes one audit record with the context but never the plaintext', async () => {
    const plaintext = 'do-not-log-this-plaintext'
    const { record } = await withOneAudit(h, () => h.call('Encrypt', { KeyId: 'alias/enc', Plaintext: b64(plaintext), EncryptionContext: { dept: 'x' } }))
    const text = JSON.stringify(record)
    assert.ok(!text.includes(plaintext) && !text.includes(b64(plaintext)), text)
    assert.deepEqual(record.requestParameters, { keyId: 'alias/enc', encryptionContext: { dept: 'x' } })
    assert.deepEqual(record.responseElements, { keyId: keyArn, encryptionAlgorithm: 'SYMMETRIC_DEFAULT' })
    assert.equal(record.resources[0]?.ARN, keyArn)
    const failed = await withOneAudit(h, () => h.call('Encrypt', { KeyId: 'alias/enc', Plaintext: b64(plaintext + 'x'.repeat(4096)) }))
    assert.ok(!JSON.stringify(failed.record).includes(plaintext))
  })
})
