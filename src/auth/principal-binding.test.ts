// A principal is its unique id, not its name, through the real pipeline: key policies, grants, access keys
// and role sessions stay with the principal that existed when they were stored; a user or role re-created
// under the same name inherits none of them, and readers see the deleted principal's unique id, as in AWS.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, b64, createHarness, type Harness } from '../../test/support/harness.js'
import { addRoleSession, addUser, policyText } from '../../test/support/identities.js'
import { assertAwsError, createKey, ok, type TestKey } from '../../test/support/kms-fixtures.js'
import { wrapAccessKey } from './credentials.js'
import { createRoleSession } from './role-session.js'

const ROOT = `arn:aws:iam::${TEST_ACCOUNT}:root`
const rootStatement = { Sid: 'Root', Effect: 'Allow', Principal: { AWS: ROOT }, Action: 'kms:*', Resource: '*' }
const denied = (who: string, action: string, resource: string) =>
  `User: ${who} is not authorized to perform: ${action} on resource: ${resource} because no identity-based policy allows the ${action} action`

describe('a principal is its unique id, not its name', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  afterEach(() => h.close())

  const userId = async (name: string) => (await h.services.store.getUser(TEST_ACCOUNT, name))!.userId
  const allowUse = (arn: string) => ({ Sid: 'Use', Effect: 'Allow', Principal: { AWS: arn }, Action: ['kms:Encrypt', 'kms:Decrypt'], Resource: '*' })
  const policyOf = async () => JSON.parse(String((await ok(h, 'GetKeyPolicy', { KeyId: key.keyId, PolicyName: 'default' })).Policy)) as { Statement: { Principal: { AWS: unknown } }[] }

  it('a key policy naming a user does not let a re-created user of that name decrypt, and reads back with the old unique id', async () => {
    const carol = await addUser(h, 'carol')
    const oldId = await userId('carol')
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(rootStatement, allowUse(carol.arn)) })
    const sealed = await h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('carol data') }, carol.credentials)
    assert.equal(sealed.status, 200)
    assert.equal((await policyOf()).Statement[1]!.Principal.AWS, carol.arn)
    assert.equal(await h.services.store.deleteUser(TEST_ACCOUNT, 'carol'), true)
    const newCarol = await addUser(h, 'carol')
    const res = await h.call('Decrypt', { CiphertextBlob: sealed.body.CiphertextBlob }, newCarol.credentials)
    assertAwsError(res, 'AccessDeniedException', denied(carol.arn, 'kms:Decrypt', key.arn))
    assert.equal((await policyOf()).Statement[1]!.Principal.AWS, oldId)
    // Saving the policy again names the new carol, as in AWS; the old unique id names nobody and is refused.
    assertAwsError(await h.call('PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(rootStatement, allowUse(oldId)) }),
      'MalformedPolicyDocumentException', 'Policy contains a statement with one or more invalid principals.')
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(rootStatement, allowUse(newCarol.arn)) })
    assert.equal((await h.call('Decrypt', { CiphertextBlob: sealed.body.CiphertextBlob }, newCarol.credentials)).status, 200)
  })

  it('a unique id written in a key policy names its user, and reads back as the user\'s ARN', async () => {
    const carol = await addUser(h, 'carol')
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(rootStatement, allowUse(await userId('carol'))) })
    assert.equal((await h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x') }, carol.credentials)).status, 200)
    assert.equal((await policyOf()).Statement[1]!.Principal.AWS, carol.arn)
  })

  it('a grant to a user does not work for a re-created user of that name, and ListGrants shows the old unique id', async () => {
    const carol = await addUser(h, 'carol')
    const oldId = await userId('carol')
    const grant = await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: carol.arn, RetiringPrincipal: carol.arn, Operations: ['Encrypt', 'Decrypt'], Name: 'g' })
    const sealed = await h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x') }, carol.credentials)
    assert.equal(sealed.status, 200)
    await h.services.store.deleteUser(TEST_ACCOUNT, 'carol')
    const newCarol = await addUser(h, 'carol')
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: sealed.body.CiphertextBlob }, newCarol.credentials), 'AccessDeniedException', denied(carol.arn, 'kms:Decrypt', key.arn))
    const listed = (await ok(h, 'ListGrants', { KeyId: key.keyId })).Grants as { GrantId: string; GranteePrincipal: string; RetiringPrincipal: string }[]
    assert.deepEqual(listed.map((g) => [g.GrantId, g.GranteePrincipal, g.RetiringPrincipal]), [[grant.GrantId, oldId, oldId]])
    assert.deepEqual((await ok(h, 'ListGrants', { KeyId: key.keyId, GranteePrincipal: carol.arn })).Grants, [])
    assert.deepEqual((await ok(h, 'ListRetirableGrants', { RetiringPrincipal: carol.arn })).Grants, [])
    assertAwsError(await h.call('RetireGrant', { KeyId: key.arn, GrantId: grant.GrantId }, newCarol.credentials), 'AccessDeniedException', /is not authorized to perform: kms:RetireGrant/)
    // The same Name and parameters for the new carol are a new grant, not the old one returned again.
    const again = await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: carol.arn, RetiringPrincipal: carol.arn, Operations: ['Encrypt', 'Decrypt'], Name: 'g' })
    assert.notEqual(again.GrantId, grant.GrantId)
    assert.equal((await h.call('Decrypt', { CiphertextBlob: sealed.body.CiphertextBlob }, newCarol.credentials)).status, 200)
  })

  it('a key policy and grant naming a role do not cover the sessions of a re-created role of that name', async () => {
    const app = await addRoleSession(h, 'App', 'night')
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(rootStatement, allowUse(app.roleArn)) })
    await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: app.roleArn, Operations: ['Decrypt'] })
    const sealed = await h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x') }, app.credentials)
    assert.equal(sealed.status, 200)
    const oldRoleId = (await h.services.store.getRole(TEST_ACCOUNT, 'App'))!.roleId
    await h.services.store.deleteRole(TEST_ACCOUNT, 'App')
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: sealed.body.CiphertextBlob }, app.credentials), 'UnrecognizedClientException', /security token/)
    const again = await addRoleSession(h, 'App', 'night')
    assertAwsError(await h.call('Decrypt', { CiphertextBlob: sealed.body.CiphertextBlob }, again.credentials), 'AccessDeniedException', denied(again.arn, 'kms:Decrypt', key.arn))
    assert.equal((await policyOf()).Statement[1]!.Principal.AWS, oldRoleId)
    const listed = (await ok(h, 'ListGrants', { KeyId: key.keyId })).Grants as { GranteePrincipal: string }[]
    assert.deepEqual(listed.map((g) => g.GranteePrincipal), [oldRoleId])
  })

  it('an access key or role session bound to a deleted principal authenticates nobody, even under a re-created name', async () => {
    const { store, rootKey } = h.services
    await addUser(h, 'carol')
    const oldId = await userId('carol')
    const oldRole = (await addRoleSession(h, 'App', 'night'), (await store.getRole(TEST_ACCOUNT, 'App'))!)
    await store.deleteUser(TEST_ACCOUNT, 'carol')
    await store.deleteRole(TEST_ACCOUNT, 'App')
    const carol = await addUser(h, 'carol')
    await addRoleSession(h, 'App', 'day')
    // Written late, as a write racing the deletion would be: still bound to the deleted principals' ids.
    const stale = await wrapAccessKey(rootKey, TEST_ACCOUNT, carol.arn, 'TESTSTALECAROL000001', 'stale-secret-stale-secret-stale-secret00', h.clock.now(), oldId)
    await store.addAccessKey(stale, 5)
    const staleSession = await createRoleSession(store, rootKey, oldRole, 'late', 900, h.clock.now())
    const call = (credentials: { accessKeyId: string; secretAccessKey: string; sessionToken?: string }) =>
      h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x') }, credentials)
    assertAwsError(await call({ accessKeyId: stale.accessKeyId, secretAccessKey: 'stale-secret-stale-secret-stale-secret00' }),
      'UnrecognizedClientException', 'The security token included in the request is invalid.')
    assertAwsError(await call(staleSession), 'UnrecognizedClientException', 'The security token included in the request is invalid.')
  })

  it('the lockout safety check evaluates the new policy with the bindings it will be stored with', async () => {
    const carol = await addUser(h, 'carol')
    await ok(h, 'PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(rootStatement, { Effect: 'Allow', Principal: { AWS: carol.arn }, Action: 'kms:*', Resource: '*' }) })
    // Carol replaces the policy with one naming only herself: she can still update it, so it is not a lockout.
    const onlyCarol = policyText({ Effect: 'Allow', Principal: { AWS: carol.arn }, Action: 'kms:*', Resource: '*' })
    assert.equal((await h.call('PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: onlyCarol }, carol.credentials)).status, 200)
    assertAwsError(await h.call('PutKeyPolicy', { KeyId: key.keyId, PolicyName: 'default', Policy: policyText(rootStatement) }, (await addUser(h, 'dave')).credentials),
      'AccessDeniedException', /kms:PutKeyPolicy/)
  })
})
