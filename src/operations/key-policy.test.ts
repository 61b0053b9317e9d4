// Key policy checks in CreateKey and PutKeyPolicy: grammar, unknown principals, size, and the lockout
// safety check with and without BypassPolicyLockoutSafetyCheck.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, createHarness, type Harness } from '../../test/support/harness.js'
import { addUser, policyText } from '../../test/support/identities.js'
import { assertAwsError, createKey, ok, type TestKey } from '../../test/support/kms-fixtures.js'

const LOCKOUT = 'The new key policy will not allow you to update the key policy in the future.'
const INVALID_PRINCIPALS = 'Policy contains a statement with one or more invalid principals.'
const rootAll = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }

describe('key policy validation', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  afterEach(() => h.close())

  const put = (policy: string, extra: object = {}) => h.call('PutKeyPolicy', { KeyId: key.keyId, Policy: policy, ...extra })
  const stored = async () => (await ok(h, 'GetKeyPolicy', { KeyId: key.keyId })).Policy

  it('refuses grammar errors with MalformedPolicyDocumentException, keeping the old policy', async () => {
    const before = await stored()
    const cases: [string, string][] = [
      [policyText({ ...rootAll, Effect: 'Permit' }), 'Statement 0 must have an Effect of Allow or Deny.'],
      [policyText({ Effect: 'Allow', Action: 'kms:*', Resource: '*' }), 'Statement 0 must name a Principal.'],
      [policyText({ ...rootAll, Condition: { StringEqualz: { 'aws:username': 'x' } } }), 'Statement 0 has an unknown condition operator: StringEqualz.'],
      [policyText({ ...rootAll, Principal: { AWS: 'arn:aws:iam::111122223333:user/*' } }), INVALID_PRINCIPALS],
    ]
    for (const [policy, message] of cases) assertAwsError(await put(policy), 'MalformedPolicyDocumentException', message)
    assert.equal(await stored(), before)
  })

  it('refuses principals that do not exist and accepts ones that do', async () => {
    assertAwsError(await put(policyText(rootAll, { ...rootAll, Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:user/ghost` } })), 'MalformedPolicyDocumentException', INVALID_PRINCIPALS)
    assertAwsError(await put(policyText(rootAll, { ...rootAll, Principal: { AWS: '999988887777' } })), 'MalformedPolicyDocumentException', INVALID_PRINCIPALS)
    const alice = await addUser(h, 'alice')
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, Policy: policyText(rootAll, { ...rootAll, Principal: { AWS: [alice.arn, '*'] } }) })
  })

  it('refuses a policy that would lock the caller out, unless the check is bypassed', async () => {
    const alice = await addUser(h, 'alice')
    const aliceOnly = policyText({ ...rootAll, Principal: { AWS: alice.arn } })
    assertAwsError(await put(aliceOnly), 'MalformedPolicyDocumentException', LOCKOUT)
    assertAwsError(await put(aliceOnly, { BypassPolicyLockoutSafetyCheck: false }), 'MalformedPolicyDocumentException', LOCKOUT)
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, Policy: aliceOnly, BypassPolicyLockoutSafetyCheck: true })
    assert.equal((await h.services.store.getKey(key.keyId))?.policy, aliceOnly)
    // Locked out indeed: the root can no longer read or change the policy.
    assertAwsError(await put(policyText(rootAll)), 'AccessDeniedException', /because no resource-based policy allows the kms:PutKeyPolicy action$/)
    assertAwsError(await h.call('GetKeyPolicy', { KeyId: key.keyId }), 'AccessDeniedException', /kms:GetKeyPolicy on resource/)
  })

  it('lets a user keep the policy it can still update', async () => {
    const alice = await addUser(h, 'alice', { admin: [{ Effect: 'Allow', Action: 'kms:PutKeyPolicy', Resource: '*' }] })
    const res = await h.call('PutKeyPolicy', { KeyId: key.keyId, Policy: policyText(rootAll, { ...rootAll, Principal: { AWS: alice.arn }, Action: 'kms:Encrypt' }) }, alice.credentials)
    assert.equal(res.status, 200, JSON.stringify(res.body))
    const lockSelfOut = policyText({ ...rootAll, Principal: { AWS: alice.arn }, Action: 'kms:Encrypt' })
    assertAwsError(await h.call('PutKeyPolicy', { KeyId: key.keyId, Policy: lockSelfOut }, alice.credentials), 'MalformedPolicyDocumentException', LOCKOUT)
  })

  it('applies the same checks to a policy given to CreateKey', async () => {
    const alice = await addUser(h, 'alice')
    assertAwsError(await h.call('CreateKey', { Policy: policyText({ ...rootAll, Principal: { AWS: alice.arn } }) }), 'MalformedPolicyDocumentException', LOCKOUT)
    assertAwsError(await h.call('CreateKey', { Policy: policyText({ ...rootAll, Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:role/none` } }) }), 'MalformedPolicyDocumentException', INVALID_PRINCIPALS)
    const bypassed = await h.call('CreateKey', { Policy: policyText({ ...rootAll, Principal: { AWS: alice.arn } }), BypassPolicyLockoutSafetyCheck: true })
    assert.equal(bypassed.status, 200)
    const created = await createKey(h, { Policy: policyText(rootAll) })
    assert.equal((await ok(h, 'GetKeyPolicy', { KeyId: created.keyId })).Policy, policyText(rootAll))
  })
})
