// UpdateAlias through dispatch: re-points an alias; the new target must not be pending deletion.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { UNKNOWN_KEY_ID, aliasArnFor, assertAwsError, createAlias, createKey, notFoundMessage, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

type AliasEntry = { AliasName: string; TargetKeyId: string; CreationDate: number; LastUpdatedDate: number }

describe('UpdateAlias', () => {
  let h: Harness
  let first: TestKey
  let second: TestKey
  beforeEach(async () => {
    h = await createHarness()
    first = await createKey(h)
    second = await createKey(h)
    await createAlias(h, 'alias/moving', first.keyId)
  })
  afterEach(() => h.close())

  const entry = async () => ((await ok(h, 'ListAliases', { Limit: 100 })).Aliases as AliasEntry[]).find((a) => a.AliasName === 'alias/moving')

  it('points the alias at the new key and updates only LastUpdatedDate', async () => {
    const created = await entry()
    h.clock.advance(60_000)
    const { res, record } = await withOneAudit(h, () => h.call('UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: second.arn }))
    assert.equal(res.status, 200)
    assert.deepEqual(record.requestParameters, { aliasName: 'alias/moving', targetKeyId: second.arn })
    assert.deepEqual(record.resources.map((r) => r.ARN).sort(), [first.arn, second.arn].sort())
    const updated = await entry()
    assert.equal(updated?.TargetKeyId, second.keyId)
    assert.equal(updated?.CreationDate, created?.CreationDate)
    assert.equal(updated?.LastUpdatedDate, (created?.LastUpdatedDate ?? 0) + 60)
    assert.equal((await ok(h, 'Encrypt', { KeyId: 'alias/moving', Plaintext: b64('x') })).KeyId, second.arn)
  })

  it('refuses a new target pending deletion but allows moving away from one', async () => {
    await ok(h, 'ScheduleKeyDeletion', { KeyId: second.keyId })
    assertAwsError(await h.call('UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: second.keyId }), 'KMSInvalidStateException', `${second.arn} is pending deletion.`)
    assert.equal((await entry())?.TargetKeyId, first.keyId)
    const third = await createKey(h)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: first.keyId })
    await ok(h, 'UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: third.keyId })
    assert.equal((await entry())?.TargetKeyId, third.keyId)
  })

  it('reports an unknown alias and an unknown or alias-named target', async () => {
    assertAwsError(await h.call('UpdateAlias', { AliasName: 'alias/nobody', TargetKeyId: second.keyId }), 'NotFoundException', `Alias ${aliasArnFor('alias/nobody')} is not found.`)
    assertAwsError(await h.call('UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: UNKNOWN_KEY_ID }), 'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
    assertAwsError(await h.call('UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: 'alias/moving' }), 'NotFoundException', "Invalid keyId 'alias/moving'")
    assert.equal((await entry())?.TargetKeyId, first.keyId)
  })

  it('enforces the naming rules and the per-key limit on the new target', async () => {
    assertAwsError(await h.call('UpdateAlias', { AliasName: 'alias/aws/ebs', TargetKeyId: second.keyId }), 'InvalidAliasNameException',
      'Alias must not begin with "alias/aws/". These aliases are reserved for AWS managed keys.')
    assertAwsError(await h.call('UpdateAlias', { AliasName: 'moving', TargetKeyId: second.keyId }), 'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html')
    for (let i = 0; i < 50; i++) await createAlias(h, `alias/full${i}`, second.keyId)
    assertAwsError(await h.call('UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: second.keyId }), 'LimitExceededException', 'A KMS key can have at most 50 aliases.')
    assert.equal((await entry())?.TargetKeyId, first.keyId)
  })

  it('re-pointing to the same key is allowed, even when that key is at the alias limit', async () => {
    for (let i = 0; i < 49; i++) await createAlias(h, `alias/more${i}`, first.keyId)
    await ok(h, 'UpdateAlias', { AliasName: 'alias/moving', TargetKeyId: first.keyId })
    assert.equal((await entry())?.TargetKeyId, first.keyId)
  })
})
