// DeleteAlias through dispatch: removes the name only; works whatever the key's state.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { aliasArnFor, assertAwsError, createAlias, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

describe('DeleteAlias', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
    await createAlias(h, 'alias/gone', key.keyId)
    await createAlias(h, 'alias/kept', key.keyId)
  })
  afterEach(() => h.close())

  const aliasNames = async () => ((await ok(h, 'ListAliases', {})).Aliases as { AliasName: string }[]).map((a) => a.AliasName)

  it('removes the alias and leaves the key and its other aliases', async () => {
    const { res, record } = await withOneAudit(h, () => h.call('DeleteAlias', { AliasName: 'alias/gone' }))
    assert.equal(res.status, 200)
    assert.deepEqual(record.requestParameters, { aliasName: 'alias/gone' })
    assert.equal(record.resources[0]?.ARN, key.arn)
    assert.deepEqual(await aliasNames(), ['alias/kept'])
    assertAwsError(await h.call('Encrypt', { KeyId: 'alias/gone', Plaintext: b64('x') }), 'NotFoundException', `Alias ${aliasArnFor('alias/gone')} is not found.`)
    assert.equal((await h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x') })).status, 200)
  })

  it('reports an alias that does not exist, including a second delete', async () => {
    await ok(h, 'DeleteAlias', { AliasName: 'alias/gone' })
    assertAwsError(await h.call('DeleteAlias', { AliasName: 'alias/gone' }), 'NotFoundException', `Alias ${aliasArnFor('alias/gone')} is not found.`)
  })

  it('works while the key is pending deletion', async () => {
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    await ok(h, 'DeleteAlias', { AliasName: 'alias/gone' })
    assert.deepEqual(await aliasNames(), ['alias/kept'])
  })

  it('refuses reserved and malformed names', async () => {
    assertAwsError(await h.call('DeleteAlias', { AliasName: 'alias/aws/s3' }), 'InvalidAliasNameException',
      'Alias must not begin with "alias/aws/". These aliases are reserved for AWS managed keys.')
    assertAwsError(await h.call('DeleteAlias', { AliasName: 'gone' }), 'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html')
    assertAwsError(await h.call('DeleteAlias', { AliasName: aliasArnFor('alias/gone') }), 'ValidationException',
      'Alias must start with the prefix "alias/". Please see https://docs.aws.amazon.com/kms/latest/developerguide/kms-alias.html')
    assertAwsError(await h.call('DeleteAlias', { AliasName: 'alias/gone!' }), 'ValidationException',
      "1 validation error detected: Value 'alias/gone!' at 'aliasName' failed to satisfy constraint: Member must satisfy regular expression pattern: ^[a-zA-Z0-9:/_-]+$")
    assert.deepEqual(await aliasNames(), ['alias/gone', 'alias/kept'])
  })
})
