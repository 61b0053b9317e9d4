// CreateAlias through dispatch: naming rules, uniqueness, the 50-per-key limit and the target's state.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { UNKNOWN_KEY_ID, aliasArnFor, assertAwsError, createAlias, createKey, notFoundMessage, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

const PREFIX = 'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html'
const RESERVED = 'Alias must not begin with "alias/aws/". These aliases are reserved for AWS managed keys.'

describe('CreateAlias', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  afterEach(() => h.close())

  const aliasNames = async () => ((await ok(h, 'ListAliases', {})).Aliases as { AliasName: string }[]).map((a) => a.AliasName)

  it('creates an alias usable wherever crypto operations take a key', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('CreateAlias', { AliasName: 'alias/Team_A:app/v-1', TargetKeyId: key.arn }))
    assert.equal(res.status, 200)
    assert.equal(res.raw.body, '{}')
    assert.deepEqual(record.requestParameters, { aliasName: 'alias/Team_A:app/v-1', targetKeyId: key.arn })
    assert.equal(record.resources[0]?.ARN, key.arn)
    assert.equal((await ok(h, 'Encrypt', { KeyId: 'alias/Team_A:app/v-1', Plaintext: b64('x') })).KeyId, key.arn)
    const listed = (await ok(h, 'ListAliases', {})).Aliases
    const now = h.clock.now().getTime() / 1000
    assert.deepEqual(listed, [{ AliasName: 'alias/Team_A:app/v-1', AliasArn: aliasArnFor('alias/Team_A:app/v-1'), TargetKeyId: key.keyId, CreationDate: now, LastUpdatedDate: now }])
  })

  it('refuses a name that is taken, even for another key', async () => {
    await createAlias(h, 'alias/taken', key.keyId)
    const other = await createKey(h)
    assertAwsError(await h.call('CreateAlias', { AliasName: 'alias/taken', TargetKeyId: other.keyId }), 'AlreadyExistsException',
      `An alias with the name ${aliasArnFor('alias/taken')} already exists`)
    assert.equal(((await ok(h, 'ListAliases', {})).Aliases as { TargetKeyId: string }[])[0]?.TargetKeyId, key.keyId)
  })

  it('enforces the alias naming rules', async () => {
    for (const name of ['my-key', 'alias', 'alias/', 'Alias/x']) {
      assertAwsError(await h.call('CreateAlias', { AliasName: name, TargetKeyId: key.keyId }), 'ValidationException', PREFIX)
    }
    assertAwsError(await h.call('CreateAlias', { AliasName: 'alias/aws/s3', TargetKeyId: key.keyId }), 'InvalidAliasNameException', RESERVED)
    assertAwsError(await h.call('CreateAlias', { AliasName: 'alias/has space', TargetKeyId: key.keyId }), 'ValidationException',
      "1 validation error detected: Value 'alias/has space' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$")
    assertAwsError(await h.call('CreateAlias', { AliasName: `alias/${'a'.repeat(251)}`, TargetKeyId: key.keyId }), 'ValidationException',
      `1 validation error detected: Value 'alias/${'a'.repeat(251)}' at 'aliasName' failed to satisfy constraint: Member must have length less than or equal to 256`)
    await createAlias(h, `alias/${'a'.repeat(250)}`, key.keyId)
    assert.deepEqual(await aliasNames(), [`alias/${'a'.repeat(250)}`])
  })

  it('allows 50 aliases per key and refuses the 51st', async () => {
    for (let i = 0; i < 50; i++) await createAlias(h, `alias/k${String(i).padStart(2, '0')}`, key.keyId)
    assertAwsError(await h.call('CreateAlias', { AliasName: 'alias/one-too-many', TargetKeyId: key.keyId }), 'LimitExceededException', 'A KMS key can have at most 50 aliases.')
    assert.equal((await aliasNames()).length, 50)
    await createAlias(h, 'alias/for-another-key', (await createKey(h)).keyId)
  })

  it('names the target by key id or key ARN only', async () => {
    await createAlias(h, 'alias/first', key.keyId)
    assertAwsError(await h.call('CreateAlias', { AliasName: 'alias/second', TargetKeyId: 'alias/first' }), 'NotFoundException', "Invalid keyId 'alias/first'")
    assertAwsError(await h.call('CreateAlias', { AliasName: 'alias/second', TargetKeyId: aliasArnFor('alias/first') }), 'InvalidArnException',
      'An alias ARN is not valid for this operation; use a key ID or key ARN')
    assertAwsError(await h.call('CreateAlias', { AliasName: 'alias/second', TargetKeyId: UNKNOWN_KEY_ID }), 'NotFoundException', notFoundMessage(UNKNOWN_KEY_ID))
    assert.deepEqual(await aliasNames(), ['alias/first'])
  })

  it('allows a disabled target but not one pending deletion', async () => {
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    await createAlias(h, 'alias/disabled-target', key.keyId)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    assertAwsError(await h.call('CreateAlias', { AliasName: 'alias/pending-target', TargetKeyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`)
  })
})
