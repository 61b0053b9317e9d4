// Each way a cached fact goes stale, through the real pipeline: the write is made, and the very next
// request sees it. Every request before the write warms the caches, so a stale cache would answer it.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, b64, createHarness, type Harness } from '../../test/support/harness.js'
import { addRoleSession, addUser, policyText, type TestIdentity } from '../../test/support/identities.js'
import { assertAwsError, createAlias, createKey, ok, type TestKey } from '../../test/support/kms-fixtures.js'

const ROOT = `arn:aws:iam::${TEST_ACCOUNT}:root`
const admin = { Sid: 'Admin', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }
const encryptFor = (arn: string, condition?: object) =>
  ({ Sid: 'Use', Effect: 'Allow', Principal: { AWS: arn }, Action: 'kms:Encrypt', Resource: '*', ...(condition ? { Condition: condition } : {}) })

describe('cache invalidation: the next request sees each change', () => {
  let h: Harness
  let key: TestKey
  let alice: TestIdentity
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
    alice = await addUser(h, 'alice')
  })
  afterEach(() => h.close())

  const encrypt = (keyId: string, who?: TestIdentity) => h.call('Encrypt', { KeyId: keyId, Plaintext: b64('x') }, who?.credentials)
  const warm = async (keyId: string, who?: TestIdentity) => {
    for (let i = 0; i < 2; i++) assert.equal((await encrypt(keyId, who)).status, 200)
  }

  it('DisableKey: the next Encrypt is refused', async () => {
    await warm(key.keyId)
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    assertAwsError(await encrypt(key.keyId), 'DisabledException', `${key.arn} is disabled.`)
  })

  it('ScheduleKeyDeletion: the next Encrypt is refused', async () => {
    await warm(key.keyId)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    assertAwsError(await encrypt(key.keyId), 'KMSInvalidStateException', /is pending deletion/)
  })

  it('PutKeyPolicy that drops a principal: its next call is denied', async () => {
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(admin, encryptFor(alice.arn)) })
    await warm(key.keyId, alice)
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(admin) })
    assertAwsError(await encrypt(key.keyId, alice), 'AccessDeniedException', /is not authorized to perform: kms:Encrypt/)
  })

  it('RevokeGrant: the grant stops working on the next request', async () => {
    const g = await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: alice.arn, Operations: ['Encrypt'] })
    await warm(key.keyId, alice)
    await ok(h, 'RevokeGrant', { KeyId: key.keyId, GrantId: g.GrantId })
    assertAwsError(await encrypt(key.keyId, alice), 'AccessDeniedException', /is not authorized to perform: kms:Encrypt/)
  })

  it('RetireGrant: the grant stops working on the next request', async () => {
    const g = await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: alice.arn, Operations: ['Encrypt'] })
    await warm(key.keyId, alice)
    await ok(h, 'RetireGrant', { KeyId: key.keyId, GrantId: g.GrantId })
    assertAwsError(await encrypt(key.keyId, alice), 'AccessDeniedException', /is not authorized to perform: kms:Encrypt/)
  })

  it('CreateGrant after a denial: the new grant works at once (a denial is not cached)', async () => {
    assert.equal((await encrypt(key.keyId, alice)).status, 400)
    await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: alice.arn, Operations: ['Encrypt'] })
    assert.equal((await encrypt(key.keyId, alice)).status, 200)
  })

  it('identity policy removed: the next call is denied', async () => {
    const bob = await addUser(h, 'bob', { use: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] })
    await warm(key.keyId, bob)
    assert.equal(await h.services.store.deleteIdentityPolicy(bob.arn, 'use'), true)
    assertAwsError(await encrypt(key.keyId, bob), 'AccessDeniedException', /no identity-based policy allows the kms:Encrypt action/)
  })

  it('access key deactivated: the next request is UnrecognizedClientException', async () => {
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(admin, encryptFor(alice.arn)) })
    await warm(key.keyId, alice)
    assert.equal(await h.services.store.setAccessKeyStatus(alice.credentials.accessKeyId, 'Inactive'), true)
    assertAwsError(await encrypt(key.keyId, alice), 'UnrecognizedClientException', 'The security token included in the request is invalid.')
  })

  it('user deleted: its access key no longer authenticates', async () => {
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(admin, encryptFor(alice.arn)) })
    await warm(key.keyId, alice)
    assert.equal(await h.services.store.deleteUser(TEST_ACCOUNT, 'alice'), true)
    assertAwsError(await encrypt(key.keyId, alice), 'UnrecognizedClientException', 'The security token included in the request is invalid.')
  })

  it('UpdateAlias: the next call through the alias uses the new key', async () => {
    const other = await createKey(h)
    await createAlias(h, 'alias/app', key.keyId)
    await warm('alias/app')
    assert.equal((await encrypt('alias/app')).body.KeyId, key.arn)
    await ok(h, 'UpdateAlias', { AliasName: 'alias/app', TargetKeyId: other.keyId })
    assert.equal((await encrypt('alias/app')).body.KeyId, other.arn)
    await ok(h, 'DeleteAlias', { AliasName: 'alias/app' })
    assertAwsError(await encrypt('alias/app'), 'NotFoundException', /is not found/)
  })

  it('TagResource and UntagResource: an aws:ResourceTag condition follows the tags at once', async () => {
    const team = { StringEquals: { 'aws:ResourceTag/team': 'blue' } }
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(admin, encryptFor(alice.arn, team)) })
    assert.equal((await encrypt(key.keyId, alice)).status, 400)
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [{ TagKey: 'team', TagValue: 'blue' }] })
    await warm(key.keyId, alice)
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [{ TagKey: 'team', TagValue: 'red' }] })
    assert.equal((await encrypt(key.keyId, alice)).status, 400)
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [{ TagKey: 'team', TagValue: 'blue' }] })
    assert.equal((await encrypt(key.keyId, alice)).status, 200)
    await ok(h, 'UntagResource', { KeyId: key.keyId, TagKeys: ['team'] })
    assert.equal((await encrypt(key.keyId, alice)).status, 400)
  })

  it('a role session expires by the clock, however warm its cached credential is', async () => {
    const session = await addRoleSession(h, 'app', 's1', { use: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] }, 900)
    await warm(key.keyId, session)
    h.clock.advance(900_000)
    assertAwsError(await encrypt(key.keyId, session), 'ExpiredTokenException', 'The security token included in the request is expired')
  })

  it('a key created, then used at once, and an access key issued, then used at once, both work', async () => {
    assert.equal((await encrypt(key.keyId, alice)).status, 400) // alice is not allowed yet: nothing negative is kept
    const fresh = await createKey(h)
    assert.equal((await encrypt(fresh.keyId)).status, 200)
    const dave = await addUser(h, 'dave', { use: [{ Effect: 'Allow', Action: 'kms:Encrypt', Resource: '*' }] })
    assert.equal((await encrypt(fresh.keyId, dave)).status, 200)
  })
})
