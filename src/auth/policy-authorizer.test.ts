// The policy authorizer through the real pipeline: identity policies, key policies, explicit denials with
// AWS's exact messages, global and key-derived condition keys, and the reasons recorded in the audit log.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, b64, createHarness, type Harness } from '../../test/support/harness.js'
import { addRootCredentials, addUser, policyText } from '../../test/support/identities.js'
import { assertAwsError, createKey, lastAudit, ok, type TestKey } from '../../test/support/kms-fixtures.js'

const OTHER = '444455556666'
const denied = (who: string, action: string, resource: string, tail: string) => `User: ${who} is not authorized to perform: ${action} on resource: ${resource} ${tail}`

describe('policy authorizer', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  afterEach(() => h.close())

  const encrypt = (credentials?: Parameters<Harness['call']>[2], extra: object = {}) =>
    h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x'), ...extra }, credentials)

  it('lets the account root use its key under the default policy and records why', async () => {
    await ok(h, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('x') })
    assert.equal((await lastAudit(h)).trentAuthorization,
      'kms:Encrypt: ALLOW: Allow by key policy statement 0 "Enable IAM User Permissions" (delegated to the account\'s identity policies); identity: root of account 111122223333')
  })

  it('denies a user without an identity policy, with AWS\'s message and the reason in the audit record', async () => {
    const alice = await addUser(h, 'alice')
    assertAwsError(await encrypt(alice.credentials), 'AccessDeniedException', denied(alice.arn, 'kms:Encrypt', key.arn, 'because no identity-based policy allows the kms:Encrypt action'))
    const record = await lastAudit(h)
    assert.equal(record.errorCode, 'AccessDeniedException')
    assert.equal(record.trentAuthorization, 'kms:Encrypt: DENY (no identity policy allows)')
  })

  it('allows a user whose identity policy allows the action, naming the statement', async () => {
    const alice = await addUser(h, 'alice', { 'use-keys': [{ Sid: 'UseKeys', Effect: 'Allow', Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: `arn:aws:kms:*:${TEST_ACCOUNT}:key/*` }] })
    assert.equal((await encrypt(alice.credentials)).status, 200)
    assert.match(String((await lastAudit(h)).trentAuthorization), /identity policy "use-keys" of arn:aws:iam::111122223333:user\/alice statement 0 "UseKeys"/)
  })

  it('allows a user the key policy names, without an identity policy', async () => {
    const alice = await addUser(h, 'alice')
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, Policy: policyText(
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      { Sid: 'Alice', Effect: 'Allow', Principal: { AWS: alice.arn }, Action: 'kms:Encrypt', Resource: '*' }) })
    assert.equal((await encrypt(alice.credentials)).status, 200)
    assertAwsError(await h.call('DescribeKey', { KeyId: key.keyId }, alice.credentials), 'AccessDeniedException',
      denied(alice.arn, 'kms:DescribeKey', key.arn, 'because no identity-based policy allows the kms:DescribeKey action'))
  })

  it('reports an explicit deny in the key policy and in an identity policy', async () => {
    const alice = await addUser(h, 'alice', { all: [{ Effect: 'Allow', Action: 'kms:*', Resource: '*' }], guard: [{ Effect: 'Deny', Action: 'kms:Decrypt', Resource: '*' }] })
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, Policy: policyText(
      { Effect: 'Allow', Principal: { AWS: TEST_ACCOUNT }, Action: 'kms:*', Resource: '*' },
      { Sid: 'NoEncryptForAlice', Effect: 'Deny', Principal: { AWS: alice.arn }, Action: 'kms:Encrypt', Resource: '*' }) })
    assertAwsError(await encrypt(alice.credentials), 'AccessDeniedException', denied(alice.arn, 'kms:Encrypt', key.arn, 'with an explicit deny in a resource-based policy'))
    assert.equal((await lastAudit(h)).trentAuthorization, 'kms:Encrypt: DENY (explicit deny in the key policy): Deny by key policy statement 1 "NoEncryptForAlice"')
    const blob = (await ok(h, 'Encrypt', { KeyId: key.keyId, Plaintext: b64('x') })).CiphertextBlob
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: blob }, alice.credentials), 'AccessDeniedException', denied(alice.arn, 'kms:Decrypt', key.arn, 'with an explicit deny in an identity-based policy'))
  })

  it('refuses another account\'s root under the default policy and allows it once the key policy names that account', async () => {
    const other = await addRootCredentials(h, OTHER)
    assertAwsError(await encrypt(other.credentials, { KeyId: key.arn }), 'AccessDeniedException', denied(other.arn, 'kms:Encrypt', key.arn, 'because no resource-based policy allows the kms:Encrypt action'))
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, Policy: policyText(
      { Effect: 'Allow', Principal: { AWS: TEST_ACCOUNT }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: OTHER }, Action: 'kms:Encrypt', Resource: '*' }) })
    assert.equal((await encrypt(other.credentials, { KeyId: key.arn })).status, 200)
  })

  it('decides account-level actions by identity policy alone, on resource *', async () => {
    const alice = await addUser(h, 'alice')
    assertAwsError(await h.call('CreateKey', {}, alice.credentials), 'AccessDeniedException', denied(alice.arn, 'kms:CreateKey', '*', 'because no identity-based policy allows the kms:CreateKey action'))
    assertAwsError(await h.call('ListKeys', {}, alice.credentials), 'AccessDeniedException', denied(alice.arn, 'kms:ListKeys', '*', 'because no identity-based policy allows the kms:ListKeys action'))
    const bob = await addUser(h, 'bob', { make: [{ Effect: 'Allow', Action: ['kms:CreateKey', 'kms:ListKeys'], Resource: '*', Condition: { StringEquals: { 'kms:KeySpec': 'SYMMETRIC_DEFAULT' } } }] })
    assert.equal((await h.call('CreateKey', {}, bob.credentials)).status, 200)
    assertAwsError(await h.call('CreateKey', { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' }, bob.credentials), 'AccessDeniedException', /kms:CreateKey on resource: \* because no identity-based policy/)
  })

  it('checks the alias side of CreateAlias against the alias ARN', async () => {
    const alice = await addUser(h, 'alice', { aliases: [{ Effect: 'Allow', Action: 'kms:CreateAlias', Resource: [`arn:aws:kms:us-east-1:${TEST_ACCOUNT}:alias/app-*`, `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:key/*`] }] })
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, Policy: policyText({ Effect: 'Allow', Principal: { AWS: TEST_ACCOUNT }, Action: 'kms:*', Resource: '*' }) })
    assert.equal((await h.call('CreateAlias', { AliasName: 'alias/app-1', TargetKeyId: key.keyId }, alice.credentials)).status, 200)
    assertAwsError(await h.call('CreateAlias', { AliasName: 'alias/ops-1', TargetKeyId: key.keyId }, alice.credentials), 'AccessDeniedException',
      denied(alice.arn, 'kms:CreateAlias', `arn:aws:kms:us-east-1:${TEST_ACCOUNT}:alias/ops-1`, 'because no identity-based policy allows the kms:CreateAlias action'))
  })

  it('reads aws:SourceIp, aws:ResourceTag, kms:ResourceAliases and aws:PrincipalTag from the request and the store', async () => {
    const alice = await addUser(h, 'alice', { abac: [{
      Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*',
      Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' }, StringEquals: { 'aws:ResourceTag/team': '${aws:PrincipalTag/team}' }, 'ForAnyValue:StringLike': { 'kms:ResourceAliases': 'alias/team-*' } },
    }] })
    await h.services.store.putPrincipalTags(alice.arn, [{ tagKey: 'team', tagValue: 'blue' }])
    assert.equal((await encrypt(alice.credentials)).status, 400, 'no tag and no alias yet')
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [{ TagKey: 'team', TagValue: 'blue' }] })
    assert.equal((await encrypt(alice.credentials)).status, 400, 'still no alias')
    await ok(h, 'CreateAlias', { AliasName: 'alias/team-blue', TargetKeyId: key.keyId })
    assert.equal((await encrypt(alice.credentials)).status, 200)
    await h.services.store.putPrincipalTags(alice.arn, [{ tagKey: 'team', tagValue: 'red' }])
    assert.equal((await encrypt(alice.credentials)).status, 400, 'the principal tag no longer matches')
  })

  it('a Deny on a key tag applies when the key carries two tag keys that differ only in case', async () => {
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, Policy: policyText(
      { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' },
      { Effect: 'Deny', Principal: '*', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/project': 'secret' } } }) })
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [{ TagKey: 'Project', TagValue: 'secret' }] })
    assertAwsError(await encrypt(), 'AccessDeniedException', /with an explicit deny in a resource-based policy/)
    // "project" comes last both as added and in sorted order, so a last-one-wins fold would read "open".
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [{ TagKey: 'project', TagValue: 'open' }] })
    assertAwsError(await encrypt(), 'AccessDeniedException', /with an explicit deny in a resource-based policy/)
  })

  it('a Deny on a principal tag applies when the caller has two tag keys that differ only in case', async () => {
    const alice = await addUser(h, 'alice', {
      use: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }],
      guard: [{ Effect: 'Deny', Action: 'kms:Encrypt', Resource: '*', Condition: { StringEquals: { 'aws:PrincipalTag/clearance': 'none' } } }],
    })
    await h.services.store.putPrincipalTags(alice.arn, [{ tagKey: 'Clearance', tagValue: 'none' }, { tagKey: 'clearance', tagValue: 'top' }])
    assertAwsError(await encrypt(alice.credentials), 'AccessDeniedException', /with an explicit deny in an identity-based policy/)
  })

  it('the lockout safety check evaluates the new policy with the request\'s source IP', async () => {
    const denyLoopback = { Effect: 'Deny', Principal: '*', Action: 'kms:*', Resource: '*', Condition: { IpAddress: { 'aws:SourceIp': '127.0.0.0/8' } } }
    const admin = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }
    assertAwsError(await h.call('PutKeyPolicy', { KeyId: key.keyId, Policy: policyText(admin, denyLoopback) }), 'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.')
    assertAwsError(await h.call('CreateKey', { Policy: policyText(admin, denyLoopback) }), 'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.')
    const elsewhere = { ...denyLoopback, Condition: { IpAddress: { 'aws:SourceIp': '192.0.2.0/24' } } }
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, Policy: policyText(admin, elsewhere) })
  })

  it('the lockout safety check of CreateKey sees the tags the new key is created with', async () => {
    const admin = { Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:root` }, Action: 'kms:*', Resource: '*' }
    const denyLocked = { Effect: 'Deny', Principal: '*', Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { StringEquals: { 'aws:ResourceTag/locked': 'yes' } } }
    assertAwsError(await h.call('CreateKey', { Policy: policyText(admin, denyLocked), Tags: [{ TagKey: 'locked', TagValue: 'yes' }] }), 'MalformedPolicyDocumentException',
      'The new key policy will not allow you to update the key policy in the future.')
    await ok(h, 'CreateKey', { Policy: policyText(admin, denyLocked), Tags: [{ TagKey: 'locked', TagValue: 'no' }] })
  })

  it('rejects a grant token that names no grant with InvalidGrantTokenException', async () => {
    assertAwsError(await encrypt(undefined, { GrantTokens: ['not-a-token'] }), 'InvalidGrantTokenException', 'The request was rejected because the specified grant token is not valid.')
  })
})
