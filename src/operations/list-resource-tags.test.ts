// ListResourceTags through dispatch: a key's tags ordered by tag key, paginated, in every key state.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createAlias, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

type Tag = { TagKey: string; TagValue: string }

describe('ListResourceTags', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h, { Tags: ['e', 'b', 'd', 'a', 'c'].map((k) => ({ TagKey: k, TagValue: k.toUpperCase() })) })
  })
  afterEach(() => h.close())

  it('lists every tag ordered by key', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('ListResourceTags', { KeyId: key.arn }))
    assert.deepEqual(res.body, { Tags: ['a', 'b', 'c', 'd', 'e'].map((k) => ({ TagKey: k, TagValue: k.toUpperCase() })), Truncated: false })
    assert.equal(record.readOnly, true)
  })

  it('pages with Limit and NextMarker', async () => {
    const seen: string[] = []
    let marker: string | undefined
    const sizes: number[] = []
    do {
      const body = await ok(h, 'ListResourceTags', { KeyId: key.keyId, Limit: 2, Marker: marker })
      sizes.push((body.Tags as Tag[]).length)
      seen.push(...(body.Tags as Tag[]).map((t) => t.TagKey))
      marker = body.NextMarker as string | undefined
      assert.equal(body.Truncated, marker !== undefined)
    } while (marker)
    assert.deepEqual(sizes, [2, 2, 1])
    assert.deepEqual(seen, ['a', 'b', 'c', 'd', 'e'])
  })

  it('pages through tag keys outside the Basic Multilingual Plane without losing any', async () => {
    const k = await createKey(h, { Tags: ['\u{1D49C}', '\uFF21', 'z'].map((TagKey) => ({ TagKey, TagValue: '' })) })
    const first = await ok(h, 'ListResourceTags', { KeyId: k.keyId, Limit: 2 })
    const second = await ok(h, 'ListResourceTags', { KeyId: k.keyId, Limit: 2, Marker: first.NextMarker })
    const keys = [...(first.Tags as Tag[]), ...(second.Tags as Tag[])].map((t) => t.TagKey)
    assert.deepEqual([...keys].sort(), ['\u{1D49C}', '\uFF21', 'z'].sort())
    assert.equal(second.Truncated, false)
  })

  it('returns an empty list for an untagged key', async () => {
    assert.deepEqual(await ok(h, 'ListResourceTags', { KeyId: (await createKey(h)).keyId }), { Tags: [], Truncated: false })
  })

  it('works in every state, including pending deletion', async () => {
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    assert.equal(((await ok(h, 'ListResourceTags', { KeyId: key.keyId })).Tags as Tag[]).length, 5)
  })

  it('rejects an alias, a bad marker and an out-of-range limit', async () => {
    await createAlias(h, 'alias/tags', key.keyId)
    assertAwsError(await h.call('ListResourceTags', { KeyId: 'alias/tags' }), 'NotFoundException', "Invalid keyId 'alias/tags'")
    assertAwsError(await h.call('ListResourceTags', { KeyId: key.keyId, Marker: 'a' }), 'InvalidMarkerException',
      'The request was rejected because the marker that specifies where pagination should next begin is not valid.')
    assertAwsError(await h.call('ListResourceTags', { KeyId: key.keyId, Limit: 0 }), 'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
    assertAwsError(await h.call('ListResourceTags', { KeyId: key.keyId, Limit: 51 }), 'ValidationException',
      "1 validation error detected: Value '51' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 50")
    assert.equal((await h.call('ListResourceTags', { KeyId: key.keyId, Limit: 50 })).status, 200)
  })
})
