// The cross-account rule: the pure check, and through dispatch that a refused foreign key is answered,
// audited and left exactly as an absent key would be.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import type { Principal } from '../auth/principal.js'
import type { KeyRecord } from '../keys/key.js'
import { registry } from '../operations/registry.js'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { addAccount, arnFor, assertAwsError, createKey, notFoundMessage, UNKNOWN_KEY_ID, visibleState, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'
import type { OperationName } from '../wire/types.generated.js'
import { allowsCrossAccountKey, requireKeyInReach } from './cross-account.js'

const B = '444455556666'
const principalOf = (accountId: string): Principal =>
  ({ accountId, arn: `arn:aws:iam::${accountId}:root`, type: 'Root', principalId: accountId, accessKeyId: 'AKIDTEST' }) as Principal
const keyOf = (accountId: string) => ({ keyId: UNKNOWN_KEY_ID, accountId, region: 'us-east-1' }) as KeyRecord

describe('requireKeyInReach', () => {
  it('lets every operation use its own account\'s keys', () => {
    for (const name of registry.keys()) assert.doesNotThrow(() => requireKeyInReach(name, principalOf('111122223333'), keyOf('111122223333')))
  })

  it('lets another account\'s key reach only the operations the model marks "Cross-account use: Yes"', () => {
    for (const name of ['Encrypt', 'Decrypt', 'ReEncrypt', 'CreateGrant', 'RetireGrant', 'RevokeGrant', 'ListGrants', 'Sign', 'VerifyMac'] as OperationName[]) {
      assert.ok(allowsCrossAccountKey(name), name)
      assert.doesNotThrow(() => requireKeyInReach(name, principalOf(B), keyOf('111122223333')))
    }
    for (const name of ['PutKeyPolicy', 'ScheduleKeyDeletion', 'DisableKey', 'TagResource', 'UpdateKeyDescription', 'CreateAlias', 'UpdateAlias', 'GenerateRandom'] as OperationName[]) {
      assert.equal(allowsCrossAccountKey(name), false, name)
      assert.throws(() => requireKeyInReach(name, principalOf(B), keyOf('111122223333')),
        { name: 'NotFoundException', message: notFoundMessage(UNKNOWN_KEY_ID) })
    }
  })
})

describe('a foreign key refused by the pipeline', () => {
  let h: Harness
  let key: TestKey
  let other: Awaited<ReturnType<typeof addAccount>>

  before(async () => {
    h = await createHarness()
    other = await addAccount(h, B)
    const policy = JSON.stringify({ Version: '2012-10-17', Statement: [
      { Effect: 'Allow', Principal: { AWS: 'arn:aws:iam::111122223333:root' }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${B}:root` }, Action: 'kms:*', Resource: '*' },
    ] })
    key = await createKey(h, { Policy: policy })
  })
  after(() => h.close())

  it('is answered and audited exactly as a key that does not exist, and changes nothing', async () => {
    const state = await visibleState(h, [key.keyId])
    const refused = await withOneAudit(h, () => h.call('UpdateKeyDescription', { KeyId: key.arn, Description: 'mine now' }, other))
    const absent = await withOneAudit(h, () => h.call('UpdateKeyDescription', { KeyId: arnFor(UNKNOWN_KEY_ID), Description: 'mine now' }, other))
    assertAwsError(refused.res, 'NotFoundException', notFoundMessage(key.keyId))
    assertAwsError(absent.res, 'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
    const comparable = (r: typeof refused.record) => {
      const { eventID: _e, requestID: _r, eventTime: _t, errorMessage: _m, requestParameters: _p, trentPreviousHash: _h, trentSequence: _s, ...rest } = r as unknown as Record<string, unknown>
      return rest
    }
    assert.deepEqual(comparable(refused.record), comparable(absent.record))
    assert.deepEqual(refused.record.resources, [])
    assert.equal(await visibleState(h, [key.keyId]), state)
  })

  it('still answers a cross-account operation by the policies (here: allowed)', async () => {
    const res = await h.call('DescribeKey', { KeyId: key.arn }, other)
    assert.equal(res.status, 200, JSON.stringify(res.body))
  })
})
