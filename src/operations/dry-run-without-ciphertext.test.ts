import { after, before, describe, it } from 'node:test'
import assert from 'node:assert/strict'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { assertAwsError, createKey, type TestKey } from '../../test/support/kms-fixtures.js'

const DRY_RUN_MESSAGE = 'The request would have succeeded, but the DryRun option is set.'

describe('DryRunModifiers IGNORE_CIPHERTEXT', () => {
  let h: Harness
  let key: TestKey
  let other: TestKey
  before(async () => {
    h = await createHarness()
    key = await createKey(h)
    other = await createKey(h)
  })
  after(() => h.close())

  it('lets a Decrypt dry run succeed without a ciphertext when KeyId names an usable key', async () => {
    assertAwsError(await h.call('Decrypt', { KeyId: key.keyId, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }), 'DryRunOperationException', DRY_RUN_MESSAGE)
  })

  it('requires KeyId (Decrypt) and SourceKeyId (ReEncrypt)', async () => {
    assertAwsError(await h.call('Decrypt', { DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }), 'ValidationException',
      'KeyId is required when DryRunModifiers includes IGNORE_CIPHERTEXT.')
    assertAwsError(await h.call('ReEncrypt', { DestinationKeyId: other.keyId, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }), 'ValidationException',
      'SourceKeyId is required when DryRunModifiers includes IGNORE_CIPHERTEXT.')
  })

  it('is valid only on a dry run', async () => {
    assertAwsError(await h.call('Decrypt', { KeyId: key.keyId, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }), 'ValidationException',
      'DryRunModifiers can be specified only when DryRun is true.')
  })

  it('still checks key state: a disabled source key fails with DisabledException', async () => {
    assert.equal((await h.call('DisableKey', { KeyId: other.keyId })).status, 200)
    assertAwsError(await h.call('ReEncrypt', { SourceKeyId: other.keyId, DestinationKeyId: key.keyId, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }),
      'DisabledException', `${other.arn} is disabled.`)
    assertAwsError(await h.call('ReEncrypt', { SourceKeyId: key.keyId, DestinationKeyId: key.keyId, DryRun: true, DryRunModifiers: ['IGNORE_CIPHERTEXT'] }),
      'DryRunOperationException', DRY_RUN_MESSAGE)
  })
})
