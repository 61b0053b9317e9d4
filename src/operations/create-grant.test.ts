// CreateGrant through dispatch: the grantee can use exactly the granted operations, under the grant's
// constraints, at once; Name makes creation idempotent per key; bad requests are refused with AWS's names.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, b64, createHarness, type Harness } from '../../test/support/harness.js'
import { addUser, type TestIdentity } from '../../test/support/identities.js'
import { assertAwsError, createKey, lastAudit, ok, type TestKey } from '../../test/support/kms-fixtures.js'

describe('CreateGrant', () => {
  let h: Harness
  let key: TestKey
  let bob: TestIdentity
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
    bob = await addUser(h, 'bob')
  })
  afterEach(() => h.close())

  const grant = (body: object) => h.call('CreateGrant', { KeyId: key.keyId, GranteePrincipal: bob.arn, ...body })
  const encryptAs = (who: TestIdentity, context?: Record<string, string>) =>
    h.call('Encrypt', { KeyId: key.arn, Plaintext: b64('x'), EncryptionContext: context }, who.credentials)

  it('lets the grantee use the granted operations at once, and only those', async () => {
    assert.equal((await encryptAs(bob)).status, 400)
    const created = await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: bob.arn, Operations: ['Encrypt'] })
    assert.match(String(created.GrantId), /^[0-9a-f]{64}$/)
    assert.match(String(created.GrantToken), /^[A-Za-z0-9_-]+$/)
    assert.equal((await encryptAs(bob)).status, 200)
    assert.equal((await lastAudit(h)).trentAuthorization, `kms:Encrypt: ALLOW: Allow by grant ${String(created.GrantId)}`)
    assertAwsError(await h.call('DescribeKey', { KeyId: key.arn }, bob.credentials), 'AccessDeniedException', /kms:DescribeKey/)
  })

  it('enforces EncryptionContextSubset and EncryptionContextEquals constraints', async () => {
    await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: bob.arn, Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { Department: 'IT' } } })
    assert.equal((await encryptAs(bob, { Department: 'IT', Project: 'A' })).status, 200)
    assert.equal((await encryptAs(bob, { Department: 'HR' })).status, 400)
    const carol = await addUser(h, 'carol')
    await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: carol.arn, Operations: ['Encrypt'], Constraints: { EncryptionContextEquals: { Department: 'IT' } } })
    assert.equal((await encryptAs(carol, { department: 'IT' })).status, 200, 'constraint keys ignore case')
    assert.equal((await encryptAs(carol, { Department: 'IT', Project: 'A' })).status, 400)
  })

  it('returns the same grant id for the same Name and parameters, with a new token each time', async () => {
    const first = await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: bob.arn, Operations: ['Encrypt', 'Decrypt'], Name: 'backup' })
    const again = await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: bob.arn, Operations: ['Decrypt', 'Encrypt'], Name: 'backup' })
    assert.equal(again.GrantId, first.GrantId)
    assert.notEqual(again.GrantToken, first.GrantToken)
    const otherKey = await createKey(h)
    const onOther = await ok(h, 'CreateGrant', { KeyId: otherKey.keyId, GranteePrincipal: bob.arn, Operations: ['Encrypt', 'Decrypt'], Name: 'backup' })
    assert.notEqual(onOther.GrantId, first.GrantId)
    const unnamed = await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: bob.arn, Operations: ['Encrypt', 'Decrypt'] })
    assert.notEqual(unnamed.GrantId, first.GrantId)
  })

  it('accepts its grant tokens in GrantTokens and refuses forged ones', async () => {
    const created = await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: bob.arn, Operations: ['Encrypt'] })
    assert.equal((await h.call('Encrypt', { KeyId: key.arn, Plaintext: b64('x'), GrantTokens: [created.GrantToken] }, bob.credentials)).status, 200)
    const forged = Buffer.concat([Buffer.from([1]), Buffer.alloc(32, 7), Buffer.alloc(16)]).toString('base64url')
    assertAwsError(await h.call('Encrypt', { KeyId: key.arn, Plaintext: b64('x'), GrantTokens: [created.GrantToken, forged] }, bob.credentials),
      'InvalidGrantTokenException', 'The request was rejected because the specified grant token is not valid.')
  })

  it('refuses operations that do not suit the key, and constraints on other keys', async () => {
    assertAwsError(await grant({ Operations: ['Sign'] }), 'ValidationException',
      'Grant operations [Sign] are not valid for a KMS key with KeySpec SYMMETRIC_DEFAULT and KeyUsage ENCRYPT_DECRYPT.')
    const hmac = await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
    assertAwsError(await h.call('CreateGrant', { KeyId: hmac.keyId, GranteePrincipal: bob.arn, Operations: ['Encrypt'] }), 'ValidationException',
      'Grant operations [Encrypt] are not valid for a KMS key with KeySpec HMAC_256 and KeyUsage GENERATE_VERIFY_MAC.')
    assertAwsError(await h.call('CreateGrant', { KeyId: hmac.keyId, GranteePrincipal: bob.arn, Operations: ['GenerateMac'], Constraints: { EncryptionContextEquals: { a: 'b' } } }),
      'ValidationException', 'Encryption context grant constraints are valid only for symmetric encryption KMS keys.')
    assert.equal((await h.call('CreateGrant', { KeyId: hmac.keyId, GranteePrincipal: bob.arn, Operations: ['GenerateMac', 'VerifyMac', 'DescribeKey'] })).status, 200)
  })

  it('refuses bad grantees, too many constraint pairs, disabled keys and dry runs', async () => {
    assertAwsError(await grant({ Operations: ['Encrypt'], GranteePrincipal: `arn:aws:iam::${TEST_ACCOUNT}:user/ghost` }), 'ValidationException',
      `GranteePrincipal arn:aws:iam::${TEST_ACCOUNT}:user/ghost is not a valid principal.`)
    assertAwsError(await h.call('CreateGrant', { KeyId: key.keyId, Operations: ['Encrypt'] }), 'ValidationException', 'You must specify exactly one of GranteePrincipal or GranteeServicePrincipal.')
    const nine = Object.fromEntries(Array.from({ length: 9 }, (_, i) => [`k${i}`, 'v']))
    assertAwsError(await grant({ Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: nine } }), 'ValidationException', 'EncryptionContextSubset can contain at most 8 encryption context pairs.')
    assertAwsError(await grant({ Operations: ['Encrypt'], DryRun: true }), 'DryRunOperationException', 'The request would have succeeded, but the DryRun option is set.')
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    assertAwsError(await grant({ Operations: ['Encrypt'] }), 'DisabledException', `${key.arn} is disabled.`)
    assert.equal((await ok(h, 'ListGrants', { KeyId: key.keyId })).Grants instanceof Array, true)
    assert.deepEqual((await ok(h, 'ListGrants', { KeyId: key.keyId })).Grants, [])
  })

  it('needs kms:CreateGrant, and a grantee may pass on only what its own grant allows', async () => {
    assertAwsError(await grant({ Operations: ['Encrypt'] }).then(() => h.call('CreateGrant', { KeyId: key.arn, GranteePrincipal: bob.arn, Operations: ['Encrypt'] }, bob.credentials)),
      'AccessDeniedException', `User: ${bob.arn} is not authorized to perform: kms:CreateGrant on resource: ${key.arn} because no identity-based policy allows the kms:CreateGrant action`)
    await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: bob.arn, Operations: ['CreateGrant', 'Encrypt'], Constraints: { EncryptionContextSubset: { team: 'a' } } })
    const carol = await addUser(h, 'carol')
    const pass = (body: object) => h.call('CreateGrant', { KeyId: key.arn, GranteePrincipal: carol.arn, ...body }, bob.credentials)
    assert.equal((await pass({ Operations: ['Encrypt'], Constraints: { EncryptionContextSubset: { team: 'a', env: 'prod' } } })).status, 200)
    assert.equal((await pass({ Operations: ['Encrypt', 'Decrypt'], Constraints: { EncryptionContextSubset: { team: 'a' } } })).status, 400, 'Decrypt was never granted to bob')
    assert.equal((await pass({ Operations: ['Encrypt'] })).status, 400, 'an unconstrained grant is looser than bob\'s')
  })

  it('rule 3: a grant passed on through a grant holds every constraint of its parent, both EncryptionContextEquals and EncryptionContextSubset', async () => {
    // bob's grant needs the context to be exactly {tenant: a} and to hold {stage: prod}: no context does, so it
    // allows no encryption at all. A child that kept only the Equals half would allow what bob never could.
    await ok(h, 'CreateGrant', { KeyId: key.keyId, GranteePrincipal: bob.arn, Operations: ['CreateGrant', 'Encrypt'],
      Constraints: { EncryptionContextEquals: { tenant: 'a' }, EncryptionContextSubset: { stage: 'prod' } } })
    assert.equal((await encryptAs(bob, { tenant: 'a' })).status, 400)
    const carol = await addUser(h, 'carol')
    const pass = (Constraints: object) => h.call('CreateGrant', { KeyId: key.arn, GranteePrincipal: carol.arn, Operations: ['Encrypt'], Constraints }, bob.credentials)
    assertAwsError(await pass({ EncryptionContextEquals: { tenant: 'a' } }), 'AccessDeniedException', /kms:CreateGrant/)
    assertAwsError(await pass({ EncryptionContextEquals: { TENANT: 'a' } }), 'AccessDeniedException', /kms:CreateGrant/)
    assert.equal((await encryptAs(carol, { tenant: 'a' })).status, 400, 'no child grant lets carol do what bob cannot')
    assert.equal((await pass({ EncryptionContextEquals: { tenant: 'a' }, EncryptionContextSubset: { stage: 'prod' } })).status, 200, 'as strict as the parent')
    assert.equal((await pass({ EncryptionContextEquals: { tenant: 'a' }, EncryptionContextSubset: { Stage: 'prod', x: 'y' } })).status, 200, 'stricter than the parent')
    assertAwsError(await pass({ EncryptionContextEquals: { tenant: 'a' }, EncryptionContextSubset: { stage: 'PROD' } }), 'AccessDeniedException', /kms:CreateGrant/)
  })
})
