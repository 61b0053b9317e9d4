// The request facts operations hand to the policy, through the real pipeline: tags a request adds or
// removes (aws:RequestTag/<key>, aws:TagKeys), a parameter that was not sent (absent, so Null matches),
// kms:ReEncryptOnSameKey on both ReEncrypt decisions, and NotPrincipal with Deny sparing only what it lists.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { TEST_ACCOUNT, b64, createHarness, type CallResult, type Credentials, type Harness } from '../../test/support/harness.js'
import { addRoleSession, addUser, policyText, type TestIdentity } from '../../test/support/identities.js'
import { createKey, encryptUnder } from '../../test/support/kms-fixtures.js'

const ROOT = `arn:aws:iam::${TEST_ACCOUNT}:root`
const rootAll = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }
const tags = (pairs: Record<string, string>) => Object.entries(pairs).map(([TagKey, TagValue]) => ({ TagKey, TagValue }))

function allowed(res: CallResult): void {
  assert.equal(res.status, 200, JSON.stringify(res.body))
}

function denied(res: CallResult): void {
  assert.equal(res.body.__type, 'AccessDeniedException', JSON.stringify(res.body))
  assert.equal(res.status, 400)
}

describe('aws:RequestTag and aws:TagKeys reach the tagging decisions', () => {
  let h: Harness
  let tagger: TestIdentity
  let keyId: string

  before(async () => {
    h = await createHarness()
    tagger = await addUser(h, 'tagger', { create: [
      { Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*' },
      { Effect: 'Allow', Action: 'kms:TagResource', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/project': 'x' } } },
    ] })
    const policy = policyText(rootAll,
      { Effect: 'Allow', Principal: { AWS: tagger.arn }, Action: 'kms:TagResource', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/project': 'x' } } },
      { Effect: 'Allow', Principal: { AWS: tagger.arn }, Action: 'kms:UntagResource', Resource: '*', Condition: { 'ForAllValues:StringEquals': { 'aws:TagKeys': ['project', 'Stage'] } } })
    keyId = (await createKey(h, { Policy: policy })).keyId
  })
  after(() => h.close())

  const tag = (pairs: Record<string, string>, who: Credentials) => h.call('TagResource', { KeyId: keyId, Tags: tags(pairs) }, who)

  it('a key policy allowing TagResource only for aws:RequestTag/project=x allows that tag', async () => {
    allowed(await tag({ project: 'x' }, tagger.credentials))
  })

  it('the same policy refuses another value and a request without that tag key', async () => {
    denied(await tag({ project: 'y' }, tagger.credentials))
    denied(await tag({ owner: 'x' }, tagger.credentials))
  })

  it('the condition key name is case-insensitive, the tag value is not', async () => {
    const policy = policyText(rootAll, { Effect: 'Allow', Principal: { AWS: tagger.arn }, Action: 'kms:TagResource', Resource: '*', Condition: { StringEquals: { 'aws:RequestTag/PROJECT': 'x' } } })
    const other = (await createKey(h, { Policy: policy })).keyId
    allowed(await h.call('TagResource', { KeyId: other, Tags: tags({ project: 'x' }) }, tagger.credentials))
    denied(await h.call('TagResource', { KeyId: other, Tags: tags({ project: 'X' }) }, tagger.credentials))
  })

  it('two tag keys differing only in case fail closed rather than the last one winning', async () => {
    denied(await tag({ project: 'x', Project: 'y' }, tagger.credentials))
    denied(await tag({ Project: 'y', project: 'x' }, tagger.credentials))
    const listed = await h.call('ListResourceTags', { KeyId: keyId })
    assert.deepEqual(listed.body.Tags, tags({ project: 'x' }))
  })

  it('UntagResource sets aws:TagKeys to the keys removed, and ForAllValues limits them', async () => {
    allowed(await h.call('UntagResource', { KeyId: keyId, TagKeys: ['project'] }, tagger.credentials))
    allowed(await h.call('UntagResource', { KeyId: keyId, TagKeys: ['project', 'Stage'] }, tagger.credentials))
    denied(await h.call('UntagResource', { KeyId: keyId, TagKeys: ['owner'] }, tagger.credentials))
    denied(await h.call('UntagResource', { KeyId: keyId, TagKeys: ['project', 'owner'] }, tagger.credentials))
    // aws:TagKeys values compare case-sensitively under StringEquals, as tag keys are case-sensitive.
    denied(await h.call('UntagResource', { KeyId: keyId, TagKeys: ['stage'] }, tagger.credentials))
  })

  it('CreateKey with Tags carries aws:RequestTag to its decisions', async () => {
    allowed(await h.call('CreateKey', { Tags: tags({ project: 'x' }) }, tagger.credentials))
    denied(await h.call('CreateKey', { Tags: tags({ project: 'y' }) }, tagger.credentials))
    allowed(await h.call('CreateKey', {}, tagger.credentials))
  })
})

describe('a parameter that was not sent is absent from the request context', () => {
  let h: Harness
  let admin: TestIdentity
  let policy: string
  let keyId: string

  before(async () => {
    h = await createHarness()
    admin = await addUser(h, 'admin')
    // The AWS guide's example: PutKeyPolicy only when the request has no BypassPolicyLockoutSafetyCheck.
    policy = policyText(rootAll, { Effect: 'Allow', Principal: { AWS: admin.arn }, Action: 'kms:PutKeyPolicy', Resource: '*', Condition: { Null: { 'kms:BypassPolicyLockoutSafetyCheck': true } } })
    keyId = (await createKey(h, { Policy: policy })).keyId
  })
  after(() => h.close())

  it('Null on kms:BypassPolicyLockoutSafetyCheck matches a PutKeyPolicy without the parameter', async () => {
    allowed(await h.call('PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: policy }, admin.credentials))
  })

  it('the parameter sent, even as false, is present and fails the Null condition', async () => {
    denied(await h.call('PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: policy, BypassPolicyLockoutSafetyCheck: false }, admin.credentials))
    denied(await h.call('PutKeyPolicy', { KeyId: keyId, PolicyName: 'default', Policy: policy, BypassPolicyLockoutSafetyCheck: true }, admin.credentials))
  })

  it('an identity Null condition on CreateKey sees an omitted parameter as absent', async () => {
    const creator = await addUser(h, 'creator', { p: [{ Effect: 'Allow', Action: 'kms:CreateKey', Resource: '*', Condition: { Null: { 'kms:BypassPolicyLockoutSafetyCheck': true } } }] })
    allowed(await h.call('CreateKey', {}, creator.credentials))
    denied(await h.call('CreateKey', { BypassPolicyLockoutSafetyCheck: false }, creator.credentials))
  })
})

describe('kms:ReEncryptOnSameKey', () => {
  let h: Harness
  let user: TestIdentity
  let sameOnly: string
  let open: string

  before(async () => {
    h = await createHarness()
    user = await addUser(h, 'reencrypter')
    const guarded = policyText(rootAll,
      { Effect: 'Allow', Principal: { AWS: user.arn }, Action: 'kms:Encrypt', Resource: '*' },
      { Effect: 'Allow', Principal: { AWS: user.arn }, Action: 'kms:ReEncrypt*', Resource: '*', Condition: { Bool: { 'kms:ReEncryptOnSameKey': true } } })
    sameOnly = (await createKey(h, { Policy: guarded })).arn
    open = (await createKey(h, { Policy: policyText(rootAll, { Effect: 'Allow', Principal: { AWS: user.arn }, Action: 'kms:ReEncrypt*', Resource: '*' }) })).arn
  })
  after(() => h.close())

  it('a key policy allowing kms:ReEncrypt* only on the same key allows re-encrypting under that key', async () => {
    const blob = await encryptUnder(h, sameOnly, 'secret')
    allowed(await h.call('ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: sameOnly }, user.credentials))
  })

  it('it still refuses re-encrypting to another key', async () => {
    const blob = await encryptUnder(h, sameOnly, 'secret')
    denied(await h.call('ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: open }, user.credentials))
  })

  it('a dry run without a ciphertext on the same key gets the same answer as the real call', async () => {
    const res = await h.call('ReEncrypt', { CiphertextBlob: b64('ignored'), SourceKeyId: sameOnly, DestinationKeyId: sameOnly, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }, user.credentials)
    assert.equal(res.body.__type, 'DryRunOperationException', JSON.stringify(res.body))
    const other = await h.call('ReEncrypt', { CiphertextBlob: b64('ignored'), SourceKeyId: sameOnly, DestinationKeyId: open, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }, user.credentials)
    denied(other)
  })
})

describe('NotPrincipal with Deny', () => {
  let h: Harness
  let alice: TestIdentity
  let keyId: string

  before(async () => {
    h = await createHarness()
    alice = await addUser(h, 'alice')
    const policy = policyText(rootAll,
      { Effect: 'Allow', Principal: { AWS: alice.arn }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
      { Effect: 'Deny', NotPrincipal: { AWS: ROOT }, Action: 'kms:Decrypt', Resource: '*' })
    keyId = (await createKey(h, { Policy: policy })).keyId
  })
  after(() => h.close())

  it('listing the account root exempts only the root, not every principal of the account', async () => {
    const blob = await encryptUnder(h, keyId, 'secret')
    denied(await h.call('Decrypt', { CiphertextBlob: blob }, alice.credentials))
    allowed(await h.call('Decrypt', { CiphertextBlob: blob }))
  })

  it('a user listed with its account is exempt; a session needs its ARN, its role and the account', async () => {
    const session = await addRoleSession(h, 'Auditor', 'audit-1')
    const other = await addRoleSession(h, 'Reader', 'read-1')
    const policy = policyText(rootAll,
      { Effect: 'Allow', Principal: { AWS: [alice.arn, session.roleArn, other.roleArn] }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' },
      { Effect: 'Deny', NotPrincipal: { AWS: [alice.arn, session.arn, session.roleArn, other.roleArn, ROOT] }, Action: 'kms:Decrypt', Resource: '*' })
    const key = (await createKey(h, { Policy: policy })).keyId
    const blob = await encryptUnder(h, key, 'secret')
    allowed(await h.call('Decrypt', { CiphertextBlob: blob }, alice.credentials))
    allowed(await h.call('Decrypt', { CiphertextBlob: blob }, session.credentials))
    // Reader's role and the account are listed, but not this session.
    denied(await h.call('Decrypt', { CiphertextBlob: blob }, other.credentials))
  })
})
