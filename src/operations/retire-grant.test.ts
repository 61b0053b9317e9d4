// Ending grants: RetireGrant (by token or by key ARN and grant id, by the principals the grant allows),
// RevokeGrant (by the key's administrators), and the listings ListGrants and ListRetirableGrants.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, b64, createHarness, type Harness } from '../../test/support/harness.js'
import { addRootCredentials, addUser, type TestIdentity } from '../../test/support/identities.js'
import { assertAwsError, createKey, ok, type TestKey } from '../../test/support/kms-fixtures.js'

describe('RetireGrant, RevokeGrant, ListGrants and ListRetirableGrants', () => {
  let h: Harness
  let key: TestKey
  let bob: TestIdentity
  let carol: TestIdentity
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
    bob = await addUser(h, 'bob')
    carol = await addUser(h, 'carol')
  })
  afterEach(() => h.close())

  const grantTo = async (grantee: string, body: object = {}) =>
    ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: grantee, Operations: ['Encrypt'], ...body }) as Promise<{ GrantId: string; GrantToken: string }>
  const encryptAs = (who: TestIdentity) => h.call('Encrypt', { KeyId: key.arn, Plaintext: b64('x') }, who.credentials)

  it('lets the retiring principal retire by token, ending the grantee\'s access', async () => {
    const g = await grantTo(bob.arn, { RetiringPrincipal: carol.arn })
    assert.equal((await encryptAs(bob)).status, 200)
    assertAwsError(await h.call('RetireGrant', { GrantToken: g.GrantToken }, bob.credentials), 'AccessDeniedException',
      `User: ${bob.arn} is not authorized to perform: kms:RetireGrant on resource: ${key.arn} because no identity-based policy allows the kms:RetireGrant action`)
    assert.equal((await h.call('RetireGrant', { GrantToken: g.GrantToken }, carol.credentials)).status, 200)
    assert.equal((await encryptAs(bob)).status, 400)
    assertAwsError(await h.call('RetireGrant', { GrantToken: g.GrantToken }, carol.credentials), 'InvalidGrantTokenException', 'The request was rejected because the specified grant token is not valid.')
  })

  it('lets a grantee holding RetireGrant retire by key ARN and grant id', async () => {
    const g = await grantTo(bob.arn, { Operations: ['Encrypt', 'RetireGrant'] })
    assert.equal((await h.call('RetireGrant', { KeyId: key.arn, GrantId: g.GrantId }, bob.credentials)).status, 200)
    assert.deepEqual((await ok(h, 'ListGrants', { KeyId: key.keyId })).Grants, [])
  })

  it('lets the key\'s account root retire any grant, and refuses other accounts', async () => {
    const g = await grantTo(bob.arn)
    const other = await addRootCredentials(h, '444455556666')
    assert.equal((await h.call('RetireGrant', { KeyId: key.arn, GrantId: g.GrantId }, other.credentials)).status, 400)
    assert.equal((await h.call('RetireGrant', { KeyId: key.keyId, GrantId: g.GrantId })).status, 200)
  })

  it('reports unknown and malformed grant ids and incomplete requests', async () => {
    assertAwsError(await h.call('RetireGrant', { KeyId: key.arn, GrantId: 'f'.repeat(64) }), 'NotFoundException', `Grant ID ${'f'.repeat(64)} not found`)
    assertAwsError(await h.call('RetireGrant', { KeyId: key.arn, GrantId: 'nope' }), 'InvalidGrantIdException', 'The request was rejected because the specified GrantId is not valid.')
    assertAwsError(await h.call('RetireGrant', { GrantId: 'f'.repeat(64) }), 'ValidationException', 'You must specify either a GrantToken, or a KeyId and a GrantId.')
    assertAwsError(await h.call('RevokeGrant', { KeyId: key.keyId, GrantId: 'e'.repeat(64) }), 'NotFoundException', `Grant ID ${'e'.repeat(64)} not found`)
  })

  it('revokes with kms:RevokeGrant on the key, which grantees lack', async () => {
    const g = await grantTo(bob.arn, { Operations: ['Encrypt', 'RetireGrant'] })
    assertAwsError(await h.call('RevokeGrant', { KeyId: key.arn, GrantId: g.GrantId }, bob.credentials), 'AccessDeniedException', /kms:RevokeGrant on resource/)
    assertAwsError(await h.call('RevokeGrant', { KeyId: key.keyId, GrantId: g.GrantId, DryRun: true }), 'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
    assert.equal((await h.call('RevokeGrant', { KeyId: key.keyId, GrantId: g.GrantId })).status, 200)
    assert.equal((await encryptAs(bob)).status, 400)
  })

  it('lists a key\'s grants with AWS\'s fields, filtered and paginated', async () => {
    const g1 = await grantTo(bob.arn, { Name: 'one', RetiringPrincipal: carol.arn, Constraints: { EncryptionContextEquals: { app: 'x' } } })
    await grantTo(carol.arn)
    await grantTo(bob.arn, { Operations: ['Decrypt'] })
    const listed = await ok(h, 'ListGrants', { KeyId: key.keyId, GrantId: g1.GrantId })
    assert.deepEqual(listed.Grants, [{
      KeyId: key.arn, GrantId: g1.GrantId, Name: 'one', CreationDate: h.clock.now().getTime() / 1000, GranteePrincipal: bob.arn, RetiringPrincipal: carol.arn,
      IssuingAccount: `arn:aws:iam::${TEST_ACCOUNT}:root`, Operations: ['Encrypt'], Constraints: { EncryptionContextEquals: { app: 'x' } },
    }])
    assert.equal(((await ok(h, 'ListGrants', { KeyId: key.keyId, GranteePrincipal: bob.arn })).Grants as unknown[]).length, 2)
    const page = await ok(h, 'ListGrants', { KeyId: key.keyId, Limit: 2 })
    assert.deepEqual([(page.Grants as unknown[]).length, page.Truncated], [2, true])
    const rest = await ok(h, 'ListGrants', { KeyId: key.keyId, Limit: 2, Marker: page.NextMarker })
    assert.deepEqual([(rest.Grants as unknown[]).length, rest.Truncated], [1, false])
  })

  it('lists the grants a principal may retire, with kms:ListRetirableGrants in its identity policy', async () => {
    await grantTo(bob.arn, { RetiringPrincipal: carol.arn })
    await grantTo(bob.arn)
    const listed = await ok(h, 'ListRetirableGrants', { RetiringPrincipal: carol.arn })
    assert.deepEqual((listed.Grants as { RetiringPrincipal: string }[]).map((g) => g.RetiringPrincipal), [carol.arn])
    assertAwsError(await h.call('ListRetirableGrants', { RetiringPrincipal: carol.arn }, carol.credentials), 'AccessDeniedException',
      `User: ${carol.arn} is not authorized to perform: kms:ListRetirableGrants on resource: * because no identity-based policy allows the kms:ListRetirableGrants action`)
  })

  it('refuses to list for a retiring principal of another account, whose grants are not the caller\'s to see', async () => {
    const other = await addRootCredentials(h, '444455556666')
    const dave = await addUser(h, 'dave', {}, '444455556666')
    const otherKey = await createKey(h, {}, other.credentials)
    assert.equal((await h.call('CreateGrant', { KeyId: otherKey.keyId, GranteePrincipal: dave.arn, RetiringPrincipal: dave.arn, Operations: ['Encrypt'] }, other.credentials)).status, 200)
    assertAwsError(await h.call('ListRetirableGrants', { RetiringPrincipal: dave.arn }), 'AccessDeniedException',
      `User: arn:aws:iam::${TEST_ACCOUNT}:root is not authorized to perform: kms:ListRetirableGrants on resource: ${dave.arn} because no resource-based policy allows the kms:ListRetirableGrants action`)
    assert.equal(((await ok(h, 'ListRetirableGrants', { RetiringPrincipal: carol.arn })).Grants as unknown[]).length, 0)
  })
})
