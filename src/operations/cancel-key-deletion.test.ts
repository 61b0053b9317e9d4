// CancelKeyDeletion through dispatch: PendingDeletion → Disabled, and refused for keys not pending deletion.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { DAY_MS, UNKNOWN_KEY_ID, assertAwsError, createKey, ok, notFoundMessage, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'
import { deleteExpiredKeys } from '../jobs/delete-expired-keys.js'

describe('CancelKeyDeletion', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  afterEach(() => h.close())

  const meta = async () => (await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as Record<string, unknown>

  it('leaves the key Disabled with no deletion date, and the job then spares it', async () => {
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    const { res, record } = await withOneAudit(h, () => h.call('CancelKeyDeletion', { KeyId: key.keyId }))
    assert.deepEqual(res.body, { KeyId: key.arn })
    assert.deepEqual(record.responseElements, { keyId: key.arn })
    const m = await meta()
    assert.equal(m.KeyState, 'Disabled')
    assert.equal(m.Enabled, false)
    assert.equal('DeletionDate' in m, false)
    h.clock.advance(8 * DAY_MS)
    assert.deepEqual(await deleteExpiredKeys(h.services), [])
    await ok(h, 'EnableKey', { KeyId: key.keyId })
    assert.equal((await meta()).KeyState, 'Enabled')
  })

  it('refuses keys that are not pending deletion', async () => {
    assertAwsError(await h.call('CancelKeyDeletion', { KeyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is not pending deletion.`)
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    assertAwsError(await h.call('CancelKeyDeletion', { KeyId: key.arn }), 'KMSInvalidStateException', `${key.arn} is not pending deletion.`)
    assert.equal((await meta()).KeyState, 'Disabled')
  })

  it('can be scheduled again after a cancel', async () => {
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    await ok(h, 'CancelKeyDeletion', { KeyId: key.keyId })
    const again = await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 10 })
    assert.equal(again.PendingWindowInDays, 10)
  })

  it('reports an unknown key and a missing KeyId', async () => {
    assertAwsError(await h.call('CancelKeyDeletion', { KeyId: UNKNOWN_KEY_ID }), 'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
    assertAwsError(await h.call('CancelKeyDeletion', {}), 'ValidationException',
      "1 validation error detected: Value null at 'keyId' failed to satisfy constraint: Member must not be null")
  })
})
