// One record per request whatever its outcome: success, denial, validation failure, authentication failure.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, TEST_CREDENTIALS, b64, createHarness, type Harness } from '../../test/support/harness.js'
import { addAccount, createKey, withOneAudit } from '../../test/support/kms-fixtures.js'

describe('one audit record per request', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('records a success with the caller, the key and the authorization reason', async () => {
    const key = await createKey(h)
    const { res, record } = await withOneAudit(h, () => h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x'), EncryptionContext: { a: 'b' } }))
    assert.equal(res.status, 200)
    assert.deepEqual([record.eventName, record.errorCode, record.userIdentity?.accessKeyId, record.resources.map((r) => r.ARN)], ['Encrypt', undefined, TEST_CREDENTIALS.accessKeyId, [key.arn]])
    assert.deepEqual(record.requestParameters, { keyId: key.keyId, encryptionContext: { a: 'b' } })
    assert.match(String(record.trentAuthorization), /^kms:Encrypt: /)
  })

  it('records a cross-account denial in the caller\'s account with the key it was denied', async () => {
    const key = await createKey(h)
    const other = await addAccount(h, '999988887777')
    const { res, record } = await withOneAudit(h, () => h.call('DescribeKey', { KeyId: key.arn }, other))
    assert.equal(res.status, 400)
    assert.deepEqual([record.errorCode, record.recipientAccountId, record.resources.map((r) => r.ARN)], ['AccessDeniedException', '999988887777', [key.arn]])
  })

  it('records a validation failure', async () => {
    const { record } = await withOneAudit(h, () => h.call('GenerateRandom', { NumberOfBytes: 0 }))
    assert.deepEqual([record.eventName, record.errorCode, record.userIdentity?.accountId], ['GenerateRandom', 'ValidationException', TEST_ACCOUNT])
  })

  it('records authentication failures without an identity', async () => {
    const wrongSecret = await withOneAudit(h, () => h.call('ListKeys', {}, { ...TEST_CREDENTIALS, secretAccessKey: 'not-the-secret-at-all' }))
    assert.deepEqual([wrongSecret.record.eventName, wrongSecret.record.errorCode, wrongSecret.record.userIdentity], ['ListKeys', 'InvalidSignatureException', undefined])
    const unknown = await withOneAudit(h, () => h.call('ListKeys', {}, { accessKeyId: 'AKIDUNKNOWN000000000', secretAccessKey: 'whatever-secret-value' }))
    assert.equal(unknown.record.errorCode, 'UnrecognizedClientException')
  })
})
