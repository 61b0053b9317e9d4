// The real server driven by @aws-sdk/client-kms: aliases, tags and key policies.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient } from './support/clients.js'
import { E2E_ACCOUNT_ID, cleanupTrent, startTrent } from './support/server.js'

const T = { timeout: 60_000 }
const ALIAS_ARN_PREFIX = `arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:`

let kms: KMS

async function newKey(): Promise<{ keyId: string; arn: string }> {
  const { KeyMetadata } = await kms.createKey({})
  return { keyId: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! }
}

before(async () => {
  const server = await startTrent()
  kms = kmsClient(server.url)
}, T)

after(async () => {
  kms?.destroy()
  await cleanupTrent()
}, T)

test('CreateAlias, ListAliases with and without KeyId, UpdateAlias and DeleteAlias', T, async () => {
  const a = await newKey()
  const b = await newKey()
  const before = Date.now()
  await kms.createAlias({ AliasName: 'alias/e2e/orders', TargetKeyId: a.keyId })
  const forA = await kms.listAliases({ KeyId: a.keyId })
  assert.equal(forA.Truncated, false)
  assert.equal(forA.Aliases?.length, 1)
  const entry = forA.Aliases![0]!
  assert.deepEqual({ ...entry, CreationDate: undefined, LastUpdatedDate: undefined }, {
    AliasName: 'alias/e2e/orders', AliasArn: `${ALIAS_ARN_PREFIX}alias/e2e/orders`, TargetKeyId: a.keyId, CreationDate: undefined, LastUpdatedDate: undefined,
  })
  assert.ok(entry.CreationDate instanceof Date && Math.abs(entry.CreationDate.getTime() - before) < 120_000)
  const all = await kms.listAliases({})
  assert.ok(all.Aliases?.some((x) => x.AliasName === 'alias/e2e/orders' && x.TargetKeyId === a.keyId))
  assert.equal((await kms.encrypt({ KeyId: 'alias/e2e/orders', Plaintext: Buffer.from('x') })).KeyId, a.arn)

  await kms.updateAlias({ AliasName: 'alias/e2e/orders', TargetKeyId: b.arn })
  assert.deepEqual((await kms.listAliases({ KeyId: a.keyId })).Aliases, [])
  assert.deepEqual((await kms.listAliases({ KeyId: b.arn })).Aliases?.map((x) => x.AliasName), ['alias/e2e/orders'])
  assert.equal((await kms.encrypt({ KeyId: 'alias/e2e/orders', Plaintext: Buffer.from('x') })).KeyId, b.arn)

  await kms.deleteAlias({ AliasName: 'alias/e2e/orders' })
  assert.deepEqual((await kms.listAliases({ KeyId: b.keyId })).Aliases, [])
  await assertSdkError(kms.encrypt({ KeyId: 'alias/e2e/orders', Plaintext: Buffer.from('x') }), 'NotFoundException',
    `Alias ${ALIAS_ARN_PREFIX}alias/e2e/orders is not found.`)
  await assertSdkError(kms.deleteAlias({ AliasName: 'alias/e2e/orders' }), 'NotFoundException', `Alias ${ALIAS_ARN_PREFIX}alias/e2e/orders is not found.`)
})

test('ListAliases pages with Limit=1', T, async () => {
  const key = await newKey()
  for (const n of [1, 2, 3]) await kms.createAlias({ AliasName: `alias/e2e-page-${n}`, TargetKeyId: key.keyId })
  const names: string[] = []
  let marker: string | undefined
  for (let page = 0; page < 10; page++) {
    const out = await kms.listAliases({ KeyId: key.keyId, Limit: 1, ...(marker ? { Marker: marker } : {}) })
    assert.equal(out.Aliases?.length, 1)
    names.push(out.Aliases![0]!.AliasName!)
    if (!out.Truncated) break
    marker = out.NextMarker
  }
  assert.deepEqual(names, ['alias/e2e-page-1', 'alias/e2e-page-2', 'alias/e2e-page-3'])
})

test('alias names: alias/aws/ is reserved, the alias/ prefix is required, and a taken name is AlreadyExists', T, async () => {
  const key = await newKey()
  await assertSdkError(kms.createAlias({ AliasName: 'alias/aws/x', TargetKeyId: key.keyId }), 'InvalidAliasNameException',
    'Alias must not begin with "alias/aws/". These aliases are reserved for AWS managed keys.')
  await assertSdkError(kms.createAlias({ AliasName: 'e2e-no-prefix', TargetKeyId: key.keyId }), 'ValidationException',
    'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html')
  await kms.createAlias({ AliasName: 'alias/e2e-taken', TargetKeyId: key.keyId })
  const other = await newKey()
  await assertSdkError(kms.createAlias({ AliasName: 'alias/e2e-taken', TargetKeyId: other.keyId }), 'AlreadyExistsException',
    `An alias with the name ${ALIAS_ARN_PREFIX}alias/e2e-taken already exists`)
  assert.deepEqual((await kms.listAliases({ KeyId: other.keyId })).Aliases, [])
})

test('TagResource adds and overwrites, UntagResource removes, ListResourceTags lists by tag key', T, async () => {
  const { keyId } = await newKey()
  await kms.tagResource({ KeyId: keyId, Tags: [{ TagKey: 'owner', TagValue: 'alice' }, { TagKey: 'cost-center', TagValue: '42' }] })
  await kms.tagResource({ KeyId: keyId, Tags: [{ TagKey: 'owner', TagValue: 'bob' }] })
  const listed = await kms.listResourceTags({ KeyId: keyId })
  assert.deepEqual(listed.Tags, [{ TagKey: 'cost-center', TagValue: '42' }, { TagKey: 'owner', TagValue: 'bob' }])
  assert.equal(listed.Truncated, false)
  await kms.untagResource({ KeyId: keyId, TagKeys: ['cost-center', 'never-set'] })
  assert.deepEqual((await kms.listResourceTags({ KeyId: keyId })).Tags, [{ TagKey: 'owner', TagValue: 'bob' }])
  await assertSdkError(kms.tagResource({ KeyId: keyId, Tags: [{ TagKey: 'aws:reserved', TagValue: 'x' }] }), 'TagException', 'Tags beginning with aws: are reserved')
  await assertSdkError(kms.tagResource({ KeyId: keyId, Tags: [{ TagKey: 'AWS:Reserved', TagValue: 'x' }] }), 'TagException', 'Tags beginning with aws: are reserved')
  assert.deepEqual((await kms.listResourceTags({ KeyId: keyId })).Tags, [{ TagKey: 'owner', TagValue: 'bob' }])
})

test('PutKeyPolicy replaces the policy that GetKeyPolicy returns; ListKeyPolicies is always ["default"]', T, async () => {
  const { keyId, arn } = await newKey()
  const policy = JSON.stringify({
    Version: '2012-10-17', Id: 'e2e-policy',
    Statement: [{ Sid: 'Root', Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${E2E_ACCOUNT_ID}:root` }, Action: 'kms:*', Resource: '*' }],
  }, null, 1)
  await kms.putKeyPolicy({ KeyId: arn, PolicyName: 'default', Policy: policy })
  const got = await kms.getKeyPolicy({ KeyId: keyId, PolicyName: 'default' })
  assert.equal(got.Policy, policy)
  const names = await kms.listKeyPolicies({ KeyId: keyId })
  assert.deepEqual(names.PolicyNames, ['default'])
  assert.equal(names.Truncated, false)
  await assertSdkError(kms.putKeyPolicy({ KeyId: keyId, PolicyName: 'default', Policy: '{not json' }), 'MalformedPolicyDocumentException', 'The key policy is not valid JSON.')
  await assertSdkError(kms.getKeyPolicy({ KeyId: keyId, PolicyName: 'other' }), 'NotFoundException', 'No such policy exists')
  assert.equal((await kms.getKeyPolicy({ KeyId: keyId })).Policy, policy)
})

test('management operations refuse an alias where AWS wants a key id or key ARN', T, async () => {
  const { keyId } = await newKey()
  await kms.createAlias({ AliasName: 'alias/e2e-mgmt', TargetKeyId: keyId })
  await assertSdkError(kms.disableKey({ KeyId: `${ALIAS_ARN_PREFIX}alias/e2e-mgmt` }), 'InvalidArnException',
    'An alias ARN is not valid for this operation; use a key ID or key ARN')
  await assertSdkError(kms.disableKey({ KeyId: 'alias/e2e-mgmt' }), 'NotFoundException', "Invalid keyId 'alias/e2e-mgmt'")
  assert.equal((await kms.describeKey({ KeyId: keyId })).KeyMetadata?.KeyState, 'Enabled')
})
