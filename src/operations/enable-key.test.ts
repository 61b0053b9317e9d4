// EnableKey through dispatch: Disabled → Enabled, idempotent, refused while pending deletion, key id or ARN only.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { aliasArnFor, assertAwsError, createAlias, createKey, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

describe('EnableKey', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  afterEach(() => h.close())

  const state = async () => ((await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as { KeyState: string }).KeyState

  it('re-enables a disabled key so it encrypts again', async () => {
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    const { res, record } = await withOneAudit(h, () => h.call('EnableKey', { KeyId: key.arn }))
    assert.equal(res.status, 200)
    assert.equal(res.raw.body, '{}')
    assert.deepEqual(record.requestParameters, { keyId: key.arn })
    assert.equal(await state(), 'Enabled')
    assert.equal((await h.call('Encrypt', { KeyId: key.keyId, Plaintext: b64('x') })).status, 200)
  })

  it('is a no-op on an enabled key', async () => {
    assert.equal((await h.call('EnableKey', { KeyId: key.keyId })).status, 200)
    assert.equal(await state(), 'Enabled')
  })

  it('refuses a key pending deletion and leaves it pending', async () => {
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    assertAwsError(await h.call('EnableKey', { KeyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`)
    assert.equal(await state(), 'PendingDeletion')
  })

  it('accepts only a key id or key ARN', async () => {
    await createAlias(h, 'alias/enable', key.keyId)
    assertAwsError(await h.call('EnableKey', { KeyId: 'alias/enable' }), 'NotFoundException', "Invalid keyId 'alias/enable'")
    assertAwsError(await h.call('EnableKey', { KeyId: aliasArnFor('alias/enable') }), 'InvalidArnException', 'An alias ARN is not valid for this operation; use a key ID or key ARN')
  })
})
