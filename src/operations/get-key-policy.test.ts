// GetKeyPolicy through dispatch: AWS's default policy byte for byte; the only policy name is `default`.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { TEST_ACCOUNT, createHarness, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createAlias, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

const DEFAULT_POLICY = `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::${TEST_ACCOUNT}:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`

describe('GetKeyPolicy', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  afterEach(() => h.close())

  it('returns AWS\'s default key policy for a key created without one', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('GetKeyPolicy', { KeyId: key.keyId, PolicyName: 'default' }))
    assert.deepEqual(res.body, { Policy: DEFAULT_POLICY, PolicyName: 'default' })
    assert.deepEqual(record.requestParameters, { keyId: key.keyId, policyName: 'default' })
    assert.equal(record.readOnly, true)
  })

  it('treats an omitted PolicyName as default', async () => {
    assert.deepEqual(await ok(h, 'GetKeyPolicy', { KeyId: key.arn }), { Policy: DEFAULT_POLICY, PolicyName: 'default' })
  })

  it('reports any other policy name as not found', async () => {
    assertAwsError(await h.call('GetKeyPolicy', { KeyId: key.keyId, PolicyName: 'Default' }), 'NotFoundException', 'No such policy exists')
    assertAwsError(await h.call('GetKeyPolicy', { KeyId: key.keyId, PolicyName: 'other_policy' }), 'NotFoundException', 'No such policy exists')
  })

  it('works in every state and refuses aliases', async () => {
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    assert.equal((await ok(h, 'GetKeyPolicy', { KeyId: key.keyId })).Policy, DEFAULT_POLICY)
    await createAlias(h, 'alias/policy', (await createKey(h)).keyId)
    assertAwsError(await h.call('GetKeyPolicy', { KeyId: 'alias/policy' }), 'NotFoundException', "Invalid keyId 'alias/policy'")
  })
})
