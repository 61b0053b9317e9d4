// TagResource through dispatch: add and overwrite, 50 per key, the reserved aws: prefix, duplicates, key state.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createAlias, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

const tag = (TagKey: string, TagValue = '') => ({ TagKey, TagValue })

describe('TagResource', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  afterEach(() => h.close())

  const tags = async () => (await ok(h, 'ListResourceTags', { KeyId: key.keyId })).Tags

  it('adds tags and overwrites the value of an existing key', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('TagResource', { KeyId: key.arn, Tags: [tag('env', 'dev'), tag('Env', 'case-sensitive')] }))
    assert.equal(res.status, 200)
    assert.deepEqual(record.requestParameters, { keyId: key.arn, tags: [tag('env', 'dev'), tag('Env', 'case-sensitive')] })
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [tag('env', 'prod'), tag('owner', '')] })
    assert.deepEqual(await tags(), [tag('Env', 'case-sensitive'), tag('env', 'prod'), tag('owner', '')])
  })

  it('allows 50 tags per key and refuses a request that would exceed it, changing nothing', async () => {
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: Array.from({ length: 49 }, (_, i) => tag(`t${String(i).padStart(2, '0')}`)) })
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [tag('t00', 'overwrite-does-not-count'), tag('t49')] })
    assertAwsError(await h.call('TagResource', { KeyId: key.keyId, Tags: [tag('t50')] }), 'LimitExceededException', 'A KMS key can have at most 50 tags.')
    // More than 50 in one request is refused as CreateKey refuses it (TagException), before the key's total is counted.
    assertAwsError(await h.call('TagResource', { KeyId: (await createKey(h)).keyId, Tags: Array.from({ length: 51 }, (_, i) => tag(`n${i}`)) }),
      'TagException', 'Too many tags')
    const now = await tags() as { TagKey: string; TagValue: string }[]
    assert.equal(now.length, 50)
    assert.deepEqual(now[0], tag('t00', 'overwrite-does-not-count'))
  })

  it('refuses the reserved aws: prefix in any case, and duplicate keys, changing nothing', async () => {
    for (const bad of ['aws:createdBy', 'AWS:x', 'Aws:y']) {
      assertAwsError(await h.call('TagResource', { KeyId: key.keyId, Tags: [tag('fine'), tag(bad)] }), 'TagException', 'Tags beginning with aws: are reserved')
    }
    assertAwsError(await h.call('TagResource', { KeyId: key.keyId, Tags: [tag('dup', '1'), tag('dup', '2')] }), 'TagException', 'Duplicate tag keys')
    assert.deepEqual(await tags(), [])
  })

  it('checks tag key and value lengths and characters', async () => {
    assertAwsError(await h.call('TagResource', { KeyId: key.keyId, Tags: [tag('')] }), 'ValidationException',
      "1 validation error detected: Value '' at 'tags.1.member.tagKey' failed to satisfy constraint: Member must have length greater than or equal to 1")
    assertAwsError(await h.call('TagResource', { KeyId: key.keyId, Tags: [tag('ok'), tag('v', 'x'.repeat(257))] }), 'ValidationException',
      `1 validation error detected: Value '${'x'.repeat(257)}' at 'tags.2.member.tagValue' failed to satisfy constraint: Member must have length less than or equal to 256`)
    assertAwsError(await h.call('TagResource', { KeyId: key.keyId, Tags: [tag('semi;colon')] }), 'TagException',
      'Tag keys and values may contain only Unicode letters, digits, white space, and _ . : / = + - @')
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [tag('k'.repeat(128), 'v'.repeat(256)), tag('Café owner', 'a+b=c@d/e:f.g-h_i')] })
    assert.equal((await tags() as unknown[]).length, 2)
  })

  it('works on a disabled key but not on one pending deletion, by key id or ARN only', async () => {
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [tag('a')] })
    await createAlias(h, 'alias/tagged', key.keyId)
    assertAwsError(await h.call('TagResource', { KeyId: 'alias/tagged', Tags: [tag('b')] }), 'NotFoundException', "Invalid keyId 'alias/tagged'")
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    assertAwsError(await h.call('TagResource', { KeyId: key.keyId, Tags: [tag('c')] }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`)
    assert.deepEqual(await tags(), [tag('a')])
  })
})
