// ListAliases through dispatch: all aliases or one key's, ordered by name, paginated.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { UNKNOWN_KEY_ID, addAccount, aliasArnFor, assertAwsError, createAlias, createKey, notFoundMessage, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

type Entry = { AliasName: string; AliasArn: string; TargetKeyId: string }

describe('ListAliases', () => {
  let h: Harness
  let a: TestKey
  let b: TestKey
  beforeEach(async () => {
    h = await createHarness()
    a = await createKey(h)
    b = await createKey(h)
    for (const name of ['alias/c', 'alias/a', 'alias/e']) await createAlias(h, name, a.keyId)
    for (const name of ['alias/d', 'alias/b']) await createAlias(h, name, b.keyId)
  })
  afterEach(() => h.close())

  const names = (body: Record<string, unknown>) => (body.Aliases as Entry[]).map((x) => x.AliasName)

  it('lists every alias of the account ordered by name, with ARN and target', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('ListAliases', {}))
    const body = res.body
    assert.deepEqual(names(body), ['alias/a', 'alias/b', 'alias/c', 'alias/d', 'alias/e'])
    assert.equal(record.eventName, 'ListAliases')
    assert.equal(record.requestParameters, null)
    assert.equal(body.Truncated, false)
    assert.equal('NextMarker' in body, false)
    const first = (body.Aliases as Entry[])[0]!
    assert.deepEqual([first.AliasArn, first.TargetKeyId], [aliasArnFor('alias/a'), a.keyId])
  })

  it('filters by key id or key ARN', async () => {
    assert.deepEqual(names(await ok(h, 'ListAliases', { KeyId: a.keyId })), ['alias/a', 'alias/c', 'alias/e'])
    assert.deepEqual(names(await ok(h, 'ListAliases', { KeyId: b.arn })), ['alias/b', 'alias/d'])
    assert.deepEqual(names(await ok(h, 'ListAliases', { KeyId: (await createKey(h)).keyId })), [])
  })

  it('pages with Limit and NextMarker, also within one key', async () => {
    const seen: string[] = []
    let marker: string | undefined
    do {
      const body = await ok(h, 'ListAliases', { Limit: 2, Marker: marker })
      seen.push(...names(body))
      marker = body.NextMarker as string | undefined
      assert.equal(body.Truncated, marker !== undefined)
    } while (marker)
    assert.deepEqual(seen, ['alias/a', 'alias/b', 'alias/c', 'alias/d', 'alias/e'])
    const page1 = await ok(h, 'ListAliases', { KeyId: a.keyId, Limit: 2 })
    assert.deepEqual(names(page1), ['alias/a', 'alias/c'])
    assert.deepEqual(names(await ok(h, 'ListAliases', { KeyId: a.keyId, Marker: page1.NextMarker })), ['alias/e'])
  })

  it('keeps listing aliases of keys pending deletion', async () => {
    await ok(h, 'ScheduleKeyDeletion', { KeyId: b.keyId })
    assert.deepEqual(names(await ok(h, 'ListAliases', { KeyId: b.keyId })), ['alias/b', 'alias/d'])
  })

  it('does not show another account\'s aliases, nor whether its keys exist', async () => {
    const stranger = await addAccount(h, '444455556666')
    const res = await h.call('ListAliases', {}, stranger)
    assert.deepEqual(res.body, { Aliases: [], Truncated: false })
    assertAwsError(await h.call('ListAliases', { KeyId: a.arn }, stranger), 'NotFoundException', notFoundMessage(a.keyId))
  })

  it('rejects an unknown or alias-named key, a bad marker and an out-of-range limit', async () => {
    assertAwsError(await h.call('ListAliases', { KeyId: UNKNOWN_KEY_ID }), 'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
    assertAwsError(await h.call('ListAliases', { KeyId: 'alias/a' }), 'NotFoundException', "Invalid keyId 'alias/a'")
    assertAwsError(await h.call('ListAliases', { Marker: 'alias/a' }), 'InvalidMarkerException',
      'The request was rejected because the marker that specifies where pagination should next begin is not valid.')
    assertAwsError(await h.call('ListAliases', { Limit: 0 }), 'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
    assertAwsError(await h.call('ListAliases', { Limit: 101 }), 'ValidationException',
      "1 validation error detected: Value '101' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 100")
    assert.equal((await h.call('ListAliases', { Limit: 100 })).status, 200)
  })
})
