// UntagResource through dispatch: removes by tag key; absent keys are a silent no-op.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { UNKNOWN_KEY_ID, assertAwsError, createKey, notFoundMessage, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

describe('UntagResource', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h, { Tags: [{ TagKey: 'a', TagValue: '1' }, { TagKey: 'b', TagValue: '2' }, { TagKey: 'c', TagValue: '3' }] })
  })
  afterEach(() => h.close())

  const tagKeys = async () => ((await ok(h, 'ListResourceTags', { KeyId: key.keyId })).Tags as { TagKey: string }[]).map((t) => t.TagKey)

  it('removes the named tags and ignores names that are not there', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('UntagResource', { KeyId: key.arn, TagKeys: ['a', 'zzz', 'C'] }))
    assert.equal(res.status, 200)
    assert.deepEqual(record.requestParameters, { keyId: key.arn, tagKeys: ['a', 'zzz', 'C'] })
    assert.deepEqual(await tagKeys(), ['b', 'c'])
    await ok(h, 'UntagResource', { KeyId: key.keyId, TagKeys: ['a'] })
    await ok(h, 'UntagResource', { KeyId: key.keyId, TagKeys: [] })
    assert.deepEqual(await tagKeys(), ['b', 'c'])
  })

  it('refuses the reserved aws: prefix and changes nothing', async () => {
    assertAwsError(await h.call('UntagResource', { KeyId: key.keyId, TagKeys: ['b', 'aws:x'] }), 'TagException', 'Tags beginning with aws: are reserved')
    assert.deepEqual(await tagKeys(), ['a', 'b', 'c'])
  })

  it('refuses a key pending deletion and an unknown key', async () => {
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    assertAwsError(await h.call('UntagResource', { KeyId: key.keyId, TagKeys: ['a'] }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`)
    assert.deepEqual(await tagKeys(), ['a', 'b', 'c'])
    assertAwsError(await h.call('UntagResource', { KeyId: UNKNOWN_KEY_ID, TagKeys: ['a'] }), 'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
  })

  it('requires TagKeys', async () => {
    assertAwsError(await h.call('UntagResource', { KeyId: key.keyId }), 'ValidationException',
      "1 validation error detected: Value null at 'tagKeys' failed to satisfy constraint: Member must not be null")
  })
})
