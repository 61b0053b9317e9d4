// ListKeyPolicies through dispatch: always the single policy name `default`.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { UNKNOWN_KEY_ID, assertAwsError, createKey, notFoundMessage, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

describe('ListKeyPolicies', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  afterEach(() => h.close())

  it('lists only `default`, untruncated', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('ListKeyPolicies', { KeyId: key.arn, Limit: 1 }))
    assert.deepEqual(res.body, { PolicyNames: ['default'], Truncated: false })
    assert.deepEqual(record.requestParameters, { keyId: key.arn, limit: 1 })
    assert.equal(record.resources[0]?.ARN, key.arn)
  })

  it('works while the key is pending deletion', async () => {
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    assert.deepEqual(await ok(h, 'ListKeyPolicies', { KeyId: key.keyId }), { PolicyNames: ['default'], Truncated: false })
  })

  it('rejects a bad marker, an out-of-range limit and an unknown key', async () => {
    assertAwsError(await h.call('ListKeyPolicies', { KeyId: key.keyId, Marker: 'default' }), 'InvalidMarkerException',
      'The request was rejected because the marker that specifies where pagination should next begin is not valid.')
    assertAwsError(await h.call('ListKeyPolicies', { KeyId: key.keyId, Limit: 1001 }), 'ValidationException',
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000")
    assertAwsError(await h.call('ListKeyPolicies', { KeyId: UNKNOWN_KEY_ID }), 'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
  })
})
