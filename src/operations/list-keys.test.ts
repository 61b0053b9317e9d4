// ListKeys through dispatch: keys of the caller's account in every state, paginated with opaque markers.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { addAccount, assertAwsError, createKey, ok, withOneAudit } from '../../test/support/kms-fixtures.js'

type Entry = { KeyId: string; KeyArn: string }
const INVALID_MARKER = 'The request was rejected because the marker that specifies where pagination should next begin is not valid.'

describe('ListKeys', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('lists the account\'s keys in every state, ordered by key id, with their ARNs', async () => {
    const keys = [await createKey(h), await createKey(h), await createKey(h)]
    await ok(h, 'DisableKey', { KeyId: keys[1]!.keyId })
    await ok(h, 'ScheduleKeyDeletion', { KeyId: keys[2]!.keyId })
    const { res, record } = await withOneAudit(h, () => h.call('ListKeys', { Limit: 10 }))
    const expected = keys.map((k) => ({ KeyId: k.keyId, KeyArn: k.arn })).sort((a, b) => a.KeyId.localeCompare(b.KeyId))
    assert.deepEqual(res.body, { Keys: expected, Truncated: false })
    assert.deepEqual(record.requestParameters, { limit: 10 })
    assert.equal(record.readOnly, true)
  })

  it('pages with Limit and NextMarker until Truncated is false', async () => {
    const ids = []
    for (let i = 0; i < 5; i++) ids.push((await createKey(h)).keyId)
    const seen: string[] = []
    let marker: string | undefined
    const pageSizes: number[] = []
    do {
      const body = await ok(h, 'ListKeys', { Limit: 2, Marker: marker })
      const page = body.Keys as Entry[]
      pageSizes.push(page.length)
      seen.push(...page.map((k) => k.KeyId))
      marker = body.NextMarker as string | undefined
      assert.equal(body.Truncated, marker !== undefined)
    } while (marker)
    assert.deepEqual(pageSizes, [2, 2, 1])
    assert.deepEqual(seen, [...ids].sort())
  })

  it('returns 100 keys by default', async () => {
    for (let i = 0; i < 101; i++) await createKey(h)
    const body = await ok(h, 'ListKeys', {})
    assert.equal((body.Keys as Entry[]).length, 100)
    assert.equal(body.Truncated, true)
    const rest = await ok(h, 'ListKeys', { Marker: body.NextMarker })
    assert.equal((rest.Keys as Entry[]).length, 1)
    assert.equal(rest.Truncated, false)
  })

  it('never shows another account\'s keys', async () => {
    const mine = await createKey(h)
    const other = await addAccount(h, '444455556666')
    await createKey(h, {}, other)
    assert.deepEqual(await ok(h, 'ListKeys', {}), { Keys: [{ KeyId: mine.keyId, KeyArn: mine.arn }], Truncated: false })
  })

  it('rejects markers it did not issue and out-of-range limits', async () => {
    for (const Marker of ['garbage', 'trent1:', 'trent1:!!', 'trent1:YQ==']) {
      assertAwsError(await h.call('ListKeys', { Marker }), 'InvalidMarkerException', INVALID_MARKER)
    }
    assertAwsError(await h.call('ListKeys', { Limit: 0 }), 'ValidationException',
      "1 validation error detected: Value '0' at 'limit' failed to satisfy constraint: Member must have value greater than or equal to 1")
    assertAwsError(await h.call('ListKeys', { Limit: 1001 }), 'ValidationException',
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000")
    assertAwsError(await h.call('ListKeys', { Marker: '' }), 'ValidationException',
      "1 validation error detected: Value '' at 'marker' failed to satisfy constraint: Member must have length greater than or equal to 1")
  })
})
