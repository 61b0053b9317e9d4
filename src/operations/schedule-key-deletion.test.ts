// ScheduleKeyDeletion through dispatch: the 7..30-day window, the exact deletion date, and what pending deletion blocks.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { DAY_MS, assertAwsError, createKey, encryptUnder, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

describe('ScheduleKeyDeletion', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  afterEach(() => h.close())

  it('defaults to 30 days and returns the exact deletion date', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('ScheduleKeyDeletion', { KeyId: key.keyId }))
    const deletion = new Date(h.clock.now().getTime() + 30 * DAY_MS)
    assert.deepEqual(res.body, { KeyId: key.arn, DeletionDate: deletion.getTime() / 1000, KeyState: 'PendingDeletion', PendingWindowInDays: 30 })
    assert.deepEqual(record.responseElements, { keyId: key.arn, deletionDate: deletion.toISOString(), keyState: 'PendingDeletion', pendingWindowInDays: 30 })
    assert.deepEqual(record.requestParameters, { keyId: key.keyId })
  })

  it('accepts the bounds 7 and 30, from Enabled or Disabled, by key id or ARN', async () => {
    const res = await ok(h, 'ScheduleKeyDeletion', { KeyId: key.arn, PendingWindowInDays: 7 })
    assert.equal(res.DeletionDate, (h.clock.now().getTime() + 7 * DAY_MS) / 1000)
    const disabled = await createKey(h)
    await ok(h, 'DisableKey', { KeyId: disabled.keyId })
    assert.equal((await ok(h, 'ScheduleKeyDeletion', { KeyId: disabled.keyId, PendingWindowInDays: 30 })).PendingWindowInDays, 30)
  })

  it('rejects windows outside 7..30 days with ValidationException and leaves the key enabled', async () => {
    const cases: [number, string][] = [
      [6, "Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7"],
      [31, "Value '31' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 30"],
      [0, "Value '0' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 1"],
      [366, "Value '366' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value less than or equal to 365"],
    ]
    for (const [days, detail] of cases) {
      assertAwsError(await h.call('ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: days }), 'ValidationException', `1 validation error detected: ${detail}`)
    }
    assert.equal(((await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as { KeyState: string }).KeyState, 'Enabled')
  })

  it('refuses to schedule a key that is already pending deletion, keeping the first date', async () => {
    const first = await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    h.clock.advance(DAY_MS)
    assertAwsError(await h.call('ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 30 }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`)
    assert.equal(((await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as { DeletionDate: number }).DeletionDate, first.DeletionDate)
  })

  it('blocks cryptographic and most management operations while pending, but not reads', async () => {
    const blob = await encryptUnder(h, key.keyId, 'kept')
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    const pending = `${key.arn} is pending deletion.`
    const blocked: [string, Record<string, unknown>][] = [
      ['Encrypt', { KeyId: key.keyId, Plaintext: b64('x') }],
      ['Decrypt', { CiphertextBlob: blob }],
      ['GenerateDataKey', { KeyId: key.keyId, KeySpec: 'AES_128' }],
      ['GenerateDataKeyWithoutPlaintext', { KeyId: key.keyId, KeySpec: 'AES_128' }],
      ['ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: (await createKey(h)).keyId }],
      ['EnableKey', { KeyId: key.keyId }],
      ['DisableKey', { KeyId: key.keyId }],
      ['UpdateKeyDescription', { KeyId: key.keyId, Description: 'x' }],
      ['TagResource', { KeyId: key.keyId, Tags: [{ TagKey: 'a', TagValue: 'b' }] }],
      ['UntagResource', { KeyId: key.keyId, TagKeys: ['a'] }],
      ['CreateAlias', { AliasName: 'alias/late', TargetKeyId: key.keyId }],
    ]
    for (const [op, body] of blocked) assertAwsError(await h.call(op, body), 'KMSInvalidStateException', pending)
    for (const [op, body] of [['DescribeKey', { KeyId: key.keyId }], ['GetKeyPolicy', { KeyId: key.keyId }], ['ListKeyPolicies', { KeyId: key.keyId }],
      ['ListResourceTags', { KeyId: key.keyId }], ['ListAliases', { KeyId: key.keyId }], ['ListKeys', {}]] as const) {
      assert.equal((await h.call(op, body)).status, 200, op)
    }
  })
})
