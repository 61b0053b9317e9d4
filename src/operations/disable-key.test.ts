// DisableKey through dispatch: crypto then fails with DisabledException, management still works.
import { afterEach, beforeEach, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createAlias, createKey, encryptUnder, ok, withOneAudit, type TestKey } from '../../test/support/kms-fixtures.js'

describe('DisableKey', () => {
  let h: Harness
  let key: TestKey
  beforeEach(async () => {
    h = await createHarness()
    key = await createKey(h)
  })
  afterEach(() => h.close())

  it('disables the key: every cryptographic operation fails with DisabledException', async () => {
    const blob = await encryptUnder(h, key.keyId, 'before')
    const { res } = await withOneAudit(h, () => h.call('DisableKey', { KeyId: key.keyId }))
    assert.equal(res.status, 200)
    const meta = (await ok(h, 'DescribeKey', { KeyId: key.keyId })).KeyMetadata as { KeyState: string; Enabled: boolean }
    assert.deepEqual([meta.KeyState, meta.Enabled], ['Disabled', false])
    const disabled = `${key.arn} is disabled.`
    const other = await createKey(h)
    const calls: [string, Record<string, unknown>][] = [
      ['Encrypt', { KeyId: key.keyId, Plaintext: b64('x') }],
      ['Decrypt', { CiphertextBlob: blob }],
      ['ReEncrypt', { CiphertextBlob: blob, DestinationKeyId: other.keyId }],
      ['ReEncrypt', { CiphertextBlob: await encryptUnder(h, other.keyId, 'y'), DestinationKeyId: key.keyId }],
      ['GenerateDataKey', { KeyId: key.keyId, KeySpec: 'AES_256' }],
      ['GenerateDataKeyWithoutPlaintext', { KeyId: key.keyId, NumberOfBytes: 16 }],
    ]
    for (const [op, body] of calls) assertAwsError(await h.call(op, body), 'DisabledException', disabled)
  })

  it('leaves management operations working on the disabled key', async () => {
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    await ok(h, 'UpdateKeyDescription', { KeyId: key.keyId, Description: 'still manageable' })
    await ok(h, 'TagResource', { KeyId: key.keyId, Tags: [{ TagKey: 't', TagValue: 'v' }] })
    await createAlias(h, 'alias/disabled', key.keyId)
    await ok(h, 'GetKeyPolicy', { KeyId: key.keyId })
    await ok(h, 'DisableKey', { KeyId: key.keyId })
  })

  it('refuses a key pending deletion', async () => {
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId })
    assertAwsError(await h.call('DisableKey', { KeyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`)
  })

  it('accepts only a key id or key ARN', async () => {
    await createAlias(h, 'alias/disable', key.keyId)
    assertAwsError(await h.call('DisableKey', { KeyId: 'alias/disable' }), 'NotFoundException', "Invalid keyId 'alias/disable'")
    assert.equal((await h.call('DisableKey', { KeyId: key.arn })).status, 200)
  })
})
