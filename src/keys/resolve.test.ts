// resolveKey(): the four ways to name a key, which of them management operations accept, and the exact errors.
import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { TEST_ACCOUNT, TEST_REGION, createHarness, type Harness } from '../../test/support/harness.js'
import { UNKNOWN_KEY_ID, addAccount, aliasArnFor, arnFor, createAlias, createKey, notFoundMessage, type TestKey } from '../../test/support/kms-fixtures.js'
import { KmsError } from '../wire/kms-error.js'
import { resolveKey, type ResolveScope } from './resolve.js'

const OTHER_ACCOUNT = '444455556666'

async function rejects(promise: Promise<unknown>, name: string, message: string): Promise<void> {
  await assert.rejects(promise, (e: unknown) => {
    assert.ok(e instanceof KmsError, String(e))
    assert.equal(e.name, name)
    assert.equal(e.message, message)
    return true
  })
}

describe('resolveKey()', () => {
  let h: Harness
  let key: TestKey
  let foreign: TestKey
  let scope: ResolveScope
  before(async () => {
    h = await createHarness()
    key = await createKey(h)
    await createAlias(h, 'alias/app', key.keyId)
    foreign = await createKey(h, {}, await addAccount(h, OTHER_ACCOUNT))
    scope = { store: h.services.store, accountId: TEST_ACCOUNT, region: TEST_REGION }
  })
  after(() => h.close())

  it('finds a key by key id and by key ARN in either mode', async () => {
    for (const allowAlias of [true, false]) {
      assert.equal((await resolveKey(scope, key.keyId, allowAlias)).key.keyId, key.keyId)
      const byArn = await resolveKey(scope, key.arn, allowAlias)
      assert.equal(byArn.key.keyId, key.keyId)
      assert.equal(byArn.requestAlias, undefined)
    }
  })

  it('finds a key by alias name and alias ARN and reports the alias used', async () => {
    assert.deepEqual(await resolveKey(scope, 'alias/app', true).then((r) => [r.key.keyId, r.requestAlias]), [key.keyId, 'alias/app'])
    assert.deepEqual(await resolveKey(scope, aliasArnFor('alias/app'), true).then((r) => [r.key.keyId, r.requestAlias]), [key.keyId, 'alias/app'])
  })

  it('refuses aliases where only key ids and key ARNs are accepted', async () => {
    await rejects(resolveKey(scope, 'alias/app', false), 'NotFoundException', "Invalid keyId 'alias/app'")
    await rejects(resolveKey(scope, aliasArnFor('alias/app'), false), 'InvalidArnException', 'An alias ARN is not valid for this operation; use a key ID or key ARN')
  })

  it('reports an unknown key with its full ARN, in the account and region named', async () => {
    await rejects(resolveKey(scope, UNKNOWN_KEY_ID, true), 'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
    await rejects(resolveKey(scope, arnFor(key.keyId, OTHER_ACCOUNT), true), 'NotFoundException', notFoundMessage(key.keyId, OTHER_ACCOUNT))
  })

  it('finds another account\'s key only by its ARN', async () => {
    assert.equal((await resolveKey(scope, foreign.arn, false)).key.accountId, OTHER_ACCOUNT)
    await rejects(resolveKey(scope, foreign.keyId, true), 'NotFoundException', notFoundMessage(foreign.keyId))
  })

  it('reports an unknown alias with its alias ARN', async () => {
    await rejects(resolveKey(scope, 'alias/none', true), 'NotFoundException', `Alias ${aliasArnFor('alias/none')} is not found.`)
  })

  it('answers a key or alias ARN of another region with `Invalid arn <region>`, as AWS does', async () => {
    await rejects(resolveKey(scope, arnFor(key.keyId, TEST_ACCOUNT, 'eu-west-1'), true), 'NotFoundException', 'Invalid arn eu-west-1')
    await rejects(resolveKey(scope, aliasArnFor('alias/app', TEST_ACCOUNT, 'eu-west-1'), true), 'NotFoundException', 'Invalid arn eu-west-1')
  })

  it('tells malformed ARNs from other malformed identifiers', async () => {
    for (const bad of ['arn:aws:kms:us-east-1:111122223333:key/not-a-uuid', 'arn:aws:s3:us-east-1:111122223333:key/x', 'arn:aws:kms:us-east-1:1234:key/' + key.keyId, 'arn:', 'arn:aws:kms:us-east-1:111122223333:alias/bad name']) {
      await rejects(resolveKey(scope, bad, true), 'InvalidArnException', 'Invalid arn')
    }
    for (const bad of ['alias/has space', 'alias/', 'not-a-key', key.keyId.toUpperCase(), `${key.keyId} `]) {
      await rejects(resolveKey(scope, bad, true), 'NotFoundException', `Invalid keyId '${bad}'`)
    }
  })
})
