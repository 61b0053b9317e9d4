// Credentials as SigV4 meets them: role sessions (token checked by hash, expiry enforced), users' keys
// (inactive and deleted ones refused) and the principal each resolves to.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, TEST_CREDENTIALS, createHarness, type Harness } from '../../test/support/harness.js'
import { addRoleSession, addUser } from '../../test/support/identities.js'
import { assertAwsError, lastAudit } from '../../test/support/kms-fixtures.js'
import { requireValidSessionToken, sessionTokenHash } from './credentials.js'

const INVALID_TOKEN = 'The security token included in the request is invalid.'

describe('role sessions', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  const listKeysAs = (credentials: Parameters<Harness['call']>[2]) => h.call('ListKeys', {}, credentials)
  const withRole = () => addRoleSession(h, 'App', 'batch-7', { list: [{ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' }] }, 900)

  it('authenticates a session as the assumed role, acting with the role\'s policies', async () => {
    const session = await withRole()
    assert.equal((await listKeysAs(session.credentials)).status, 200)
    const identity = (await lastAudit(h)).userIdentity!
    assert.equal(identity.type, 'AssumedRole')
    assert.equal(identity.arn, `arn:aws:sts::${TEST_ACCOUNT}:assumed-role/App/batch-7`)
    assert.match(identity.principalId, /^AROA[A-Z2-7]{17}:batch-7$/)
    assert.equal(identity.accessKeyId, session.credentials.accessKeyId)
  })

  it('refuses a session signed with a different token, or with none', async () => {
    const session = await withRole()
    assertAwsError(await listKeysAs({ ...session.credentials, sessionToken: `${session.credentials.sessionToken}x` }), 'UnrecognizedClientException', INVALID_TOKEN)
    assertAwsError(await listKeysAs({ accessKeyId: session.credentials.accessKeyId, secretAccessKey: session.credentials.secretAccessKey }), 'UnrecognizedClientException', INVALID_TOKEN)
  })

  it('refuses an expired session with ExpiredTokenException', async () => {
    const session = await withRole()
    h.clock.advance(899_000)
    assert.equal((await listKeysAs(session.credentials)).status, 200)
    h.clock.advance(1_000)
    assertAwsError(await listKeysAs(session.credentials), 'ExpiredTokenException', 'The security token included in the request is expired')
  })

  it('refuses a long-term key that presents a session token', async () => {
    assertAwsError(await listKeysAs({ ...TEST_CREDENTIALS, sessionToken: 'anything' }), 'UnrecognizedClientException', INVALID_TOKEN)
  })

  it('stops authenticating a session once its role is deleted', async () => {
    const session = await withRole()
    await h.services.store.deleteRole(TEST_ACCOUNT, 'App')
    assertAwsError(await listKeysAs(session.credentials), 'UnrecognizedClientException', INVALID_TOKEN)
  })
})

describe('user access keys', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('authenticates a user with its unique id as principalId and refuses its key once inactive or deleted', async () => {
    const alice = await addUser(h, 'alice', { list: [{ Effect: 'Allow', Action: 'kms:ListKeys', Resource: '*' }] })
    assert.equal((await h.call('ListKeys', {}, alice.credentials)).status, 200)
    const identity = (await lastAudit(h)).userIdentity!
    assert.deepEqual([identity.type, identity.userName, identity.arn], ['IAMUser', 'alice', alice.arn])
    assert.equal(identity.principalId, (await h.services.store.getUser(TEST_ACCOUNT, 'alice'))!.userId)
    await h.services.store.setAccessKeyStatus(alice.credentials.accessKeyId, 'Inactive')
    assertAwsError(await h.call('ListKeys', {}, alice.credentials), 'UnrecognizedClientException', INVALID_TOKEN)
    await h.services.store.setAccessKeyStatus(alice.credentials.accessKeyId, 'Active')
    await h.services.store.deleteUser(TEST_ACCOUNT, 'alice')
    assertAwsError(await h.call('ListKeys', {}, alice.credentials), 'UnrecognizedClientException', INVALID_TOKEN)
  })
})

describe('requireValidSessionToken()', () => {
  const now = new Date('2026-01-01T00:00:00Z')
  const session = { tokenHash: sessionTokenHash('tok'), expiresAt: new Date('2026-01-01T01:00:00Z') }

  it('accepts the matching token before expiry', () => {
    assert.doesNotThrow(() => requireValidSessionToken({ session }, 'tok', now))
  })

  it('refuses at the expiry instant', () => {
    assert.throws(() => requireValidSessionToken({ session }, 'tok', session.expiresAt), { name: 'ExpiredTokenException' })
  })

  it('checks the token before the expiry, so a wrong token never learns whether the session lives', () => {
    assert.throws(() => requireValidSessionToken({ session }, 'other', new Date('2027-01-01T00:00:00Z')), { name: 'UnrecognizedClientException' })
  })
})
