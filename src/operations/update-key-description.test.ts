// UpdateKeyDescription through dispatch: replaces the description, refused while pending deletion.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

describe('UpdateKeyDescription', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h, { Description: 'old' })
  })
  afterEach(() => h.close())

  const description = async () => ((await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as { Description: string }).Description

  it('replaces the description, including with an empty one or the maximum 8192 characters', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('UpdateKeyDescription', { KeyId: key.arn, Description: 'new ✓' }))
    assert.equal(res.status, 200)
    assert.deepEqual(record.requestParameters, { keyId: key.arn, description: 'new ✓' })
    assert.equal(await description(), 'new ✓')
    await ok(h, 'UpdateKeyDescription', { KeyId: key.keyId, Description: '' })
    assert.equal(await description(), '')
    await ok(h, 'UpdateKeyDescription', { KeyId: key.keyId, Description: 'x'.repeat(8192) })
    assert.equal(await description(), 'x'.repeat(8192))
  })

  it('works on a disabled key but not on one pending deletion', async () => {
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    await ok(h, 'UpdateKeyDescription', { KeyId: key.keyId, Description: 'disabled' })
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    assertAwsError(await h.call('UpdateKeyDescription', { KeyId: key.keyId, Description: 'pending' }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`)
    assert.equal(await description(), 'disabled')
  })

  it('requires a description and limits it to 8192 characters', async () => {
    assertAwsError(await h.call('UpdateKeyDescription', { KeyId: key.keyId }), 'ValidationException',
      "1 validation error detected: Value null at 'description' failed to satisfy constraint: Member must not be null")
    assertAwsError(await h.call('UpdateKeyDescription', { KeyId: key.keyId, Description: 'x'.repeat(8193) }), 'ValidationException',
      `1 validation error detected: Value '${'x'.repeat(1024)}...' at 'description' failed to satisfy constraint: Member must have length less than or equal to 8192`)
    assert.equal(await description(), 'old')
  })
})
