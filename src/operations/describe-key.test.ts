// DescribeKey through dispatch: every way to name a key, every key state, and the cross-account rule.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, type Harness } from '../../test/support/harness.js'
import {
  DAY_MS, UNKNOWN_KEY_ID, addAccount, aliasArnFor, assertAwsError, createAlias, createKey, notFoundMessage, ok, withOneAudit, type TestKey,
} from '../../test/support/kms-fixtures.js'

type Meta = Record<string, unknown>

describe('DescribeKey', () => {
  let h: Harness
  let key: TestKey
  before(async () => {
    h = await createHarness()
    key = await createKey(h, { Description: 'described' })
    await createAlias(h, 'alias/described', key.keyId)
  })
  after(() => h.close())

  async function describeKey(keyId: string): Promise<Meta> {
    return (await ok(h, 'DescribeKey', { KeyId: keyId })).KeyMetadata as Meta
  }

  it('accepts a key id, key ARN, alias name and alias ARN', async () => {
    for (const name of [key.keyId, key.arn, 'alias/described', aliasArnFor('alias/described')]) {
      const meta = await describeKey(name)
      assert.equal(meta.Arn, key.arn, name)
      assert.equal(meta.Description, 'described')
    }
  })

  it('works in every state and shows DeletionDate only while pending deletion', async () => {
    const k = await createKey(h)
    await ok(h, 'DisableKey', { KeyId: k.keyId })
    const disabled = await describeKey(k.keyId)
    assert.equal(disabled.KeyState, 'Disabled')
    assert.equal(disabled.Enabled, false)
    assert.equal('DeletionDate' in disabled, false)
    const scheduled = await ok(h, 'ScheduleKeyDeletion', { KeyId: k.keyId, PendingWindowInDays: 7 })
    const pending = await describeKey(k.keyId)
    assert.equal(pending.KeyState, 'PendingDeletion')
    assert.equal(pending.Enabled, false)
    assert.equal(pending.DeletionDate, scheduled.DeletionDate)
    assert.equal(pending.DeletionDate, (h.clock.now().getTime() + 7 * DAY_MS) / 1000)
  })

  it('is audited as a read-only call naming the key', async () => {
    const { record } = await withOneAudit(h, () => h.call('DescribeKey', { KeyId: 'alias/described' }))
    assert.equal(record.readOnly, true)
    assert.deepEqual(record.requestParameters, { keyId: 'alias/described' })
    assert.equal(record.resources[0]?.ARN, key.arn)
  })

  it('reports unknown keys and aliases with AWS\'s messages', async () => {
    assertAwsError(await h.call('DescribeKey', { KeyId: UNKNOWN_KEY_ID }), 'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
    assertAwsError(await h.call('DescribeKey', { KeyId: 'alias/missing' }), 'NotFoundException', `Alias ${aliasArnFor('alias/missing')} is not found.`)
    assertAwsError(await h.call('DescribeKey', { KeyId: 'arn:aws:kms:us-east-1:111122223333:key/nope' }), 'InvalidArnException', 'Invalid arn')
  })

  it('denies another account\'s key named by ARN and hides it when named by id', async () => {
    const other = await addAccount(h, '444455556666')
    const res = await h.call('DescribeKey', { KeyId: key.arn }, other)
    assertAwsError(res, 'AccessDeniedException',
      `User: arn:aws:iam::444455556666:root is not authorized to perform: kms:DescribeKey on resource: ${key.arn} because no resource-based policy allows the kms:DescribeKey action`)
    assertAwsError(await h.call('DescribeKey', { KeyId: key.keyId }, other), 'NotFoundException', notFoundMessage(key.keyId, '444455556666'))
  })
})
