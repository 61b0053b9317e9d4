// The deletion job: destroys a key only once its deletion date has passed, audits it, and takes its aliases.
// Reading a key never deletes it.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { TEST_ACCOUNT, TEST_REGION, createHarness, type Harness } from '../../test/support/harness.js'
import { DAY_MS, assertAwsError, auditRecords, createAlias, createKey, encryptUnder, notFoundMessage, ok } from '../../test/support/kms-fixtures.js'
import { deleteExpiredKeys } from './delete-expired-keys.js'

describe('deleteExpiredKeys()', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('destroys a key only after its deletion date, with a DeleteKey service event', async () => {
    const key = await createKey(h)
    const other = await createKey(h)
    await createAlias(h, 'alias/doomed', key.keyId)
    await createAlias(h, 'alias/survivor', other.keyId)
    const blob = await encryptUnder(h, key.keyId, 'old secret')
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })

    h.clock.advance(7 * DAY_MS - 1)
    assert.deepEqual(await deleteExpiredKeys(h.services), [])
    assert.equal(((await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as { KeyState: string }).KeyState, 'PendingDeletion')

    h.clock.advance(1)
    const auditBefore = (await auditRecords(h)).length
    assert.deepEqual(await deleteExpiredKeys(h.services), [key.keyId])
    const written = (await auditRecords(h)).slice(auditBefore)
    assert.equal(written.length, 1)
    const event = written[0]!
    assert.equal(event.eventName, 'DeleteKey')
    assert.equal(event.eventType, 'AwsServiceEvent')
    assert.equal(event.eventTime, h.clock.now().toISOString())
    assert.equal(event.awsRegion, TEST_REGION)
    assert.equal(event.recipientAccountId, TEST_ACCOUNT)
    assert.deepEqual(event.resources, [{ ARN: key.arn, accountId: TEST_ACCOUNT, type: 'AWS::KMS::Key' }])
    assert.equal(event.userIdentity, undefined)

    assertAwsError(await h.call('DescribeKey', { KeyId: key.keyId }), 'NotFoundException', notFoundMessage(key.keyId))
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob }), 'InvalidCiphertextException', null)
    const aliases = (await ok(h, 'ListAliases', {})).Aliases as { AliasName: string }[]
    assert.deepEqual(aliases.map((a) => a.AliasName), ['alias/survivor'])
    const keys = (await ok(h, 'ListKeys', {})).Keys as { KeyId: string }[]
    assert.deepEqual(keys.map((k) => k.KeyId), [other.keyId])
    assert.equal(await h.services.store.getKeyVersion(key.keyId, 1), undefined)
  })

  it('keeps a key whose deletion is cancelled after the job listed it, and audits the abandoned deletion', async () => {
    const key = await createKey(h)
    const blob = await encryptUnder(h, key.keyId, 'still needed')
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    h.clock.advance(7 * DAY_MS)
    const store = h.services.store
    // The cancellation lands between the job's listing and its destroy.
    const racing = { ...h.services, store: Object.assign(Object.create(store) as typeof store, {
      listKeysDueForDeletion: async (now: Date) => {
        const due = await store.listKeysDueForDeletion(now)
        await ok(h, 'CancelKeyDeletion', { KeyId: key.keyId })
        return due
      },
    }) }
    const auditBefore = (await auditRecords(h)).length
    assert.deepEqual(await deleteExpiredKeys(racing), [])
    assert.equal(((await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as { KeyState: string }).KeyState, 'Disabled')
    await ok(h, 'EnableKey', { KeyId: key.keyId })
    assert.equal((await ok(h, 'Decrypt', { CiphertextBlob: blob })).KeyId, key.arn)
    const written = (await auditRecords(h)).slice(auditBefore).filter((r) => r.eventType === 'AwsServiceEvent')
    assert.deepEqual(written.map((r) => [r.eventName, (r as { additionalEventData?: unknown }).additionalEventData]), [
      ['DeleteKey', undefined], ['DeleteKey', { deletionAbandoned: 'the key was no longer due for deletion' }],
    ])
  })

  it('leaves a key whose deletion was cancelled, and keys that were never scheduled', async () => {
    const cancelled = await createKey(h)
    const untouched = await createKey(h)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: cancelled.keyId, PendingWindowInDays: 7 })
    await ok(h, 'CancelKeyDeletion', { KeyId: cancelled.keyId })
    h.clock.advance(400 * DAY_MS)
    assert.deepEqual(await deleteExpiredKeys(h.services), [])
    assert.equal((await ok(h, 'ListKeys', {})).Keys && ((await ok(h, 'ListKeys', {})).Keys as unknown[]).length, 2)
    assert.equal(((await ok(h, 'DescribeKey', { KeyId: untouched.keyId })).KeyMetadata as { KeyState: string }).KeyState, 'Enabled')
  })

  it('is never triggered by reading: a key past its date stays PendingDeletion until the job runs', async () => {
    const key = await createKey(h)
    const scheduled = await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    h.clock.advance(30 * DAY_MS)
    for (let i = 0; i < 2; i++) {
      const meta = (await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as Record<string, unknown>
      assert.equal(meta.KeyState, 'PendingDeletion')
      assert.equal(meta.DeletionDate, scheduled.DeletionDate)
      await ok(h, 'ListKeys', {})
      await ok(h, 'GetKeyPolicy', { KeyId: key.keyId })
      await ok(h, 'ListResourceTags', { KeyId: key.keyId })
    }
    assert.ok(await h.services.store.getKey(key.keyId))
    assert.ok(!(await auditRecords(h)).some((r) => r.eventName === 'DeleteKey'))
  })

  it('deletes several due keys in one run and is idempotent', async () => {
    const a = await createKey(h)
    const b = await createKey(h)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: a.keyId, PendingWindowInDays: 7 })
    await ok(h, 'ScheduleKeyDeletion', { KeyId: b.keyId, PendingWindowInDays: 8 })
    h.clock.advance(8 * DAY_MS)
    assert.deepEqual((await deleteExpiredKeys(h.services)).sort(), [a.keyId, b.keyId].sort())
    assert.deepEqual(await deleteExpiredKeys(h.services), [])
    assert.equal((await auditRecords(h)).filter((r) => r.eventName === 'DeleteKey').length, 2)
  })

  it('keeps the key when the audit record cannot be written', async () => {
    const key = await createKey(h)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    h.clock.advance(7 * DAY_MS)
    const failing = { ...h.services, auditLog: { write: () => Promise.reject(new Error('disk full')) } }
    await assert.rejects(deleteExpiredKeys(failing), /disk full/)
    assert.equal((await h.services.store.getKey(key.keyId))?.keyState, 'PendingDeletion')
  })
})
