// EnableKeyRotation: the period's default and bounds, the first date one period out, re-enabling, which keys
// may rotate (as AWS answers for the others), the key states, and kms:RotationPeriodInDays in a policy.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, createHarness, type Harness } from '../../test/support/harness.js'
import { policyText } from '../../test/support/identities.js'
import { DAY_MS, assertAwsError, createKey, ok } from '../../test/support/kms-fixtures.js'
import { externalKey, rotationStatus, secondsAfterNow } from '../../test/support/rotation-fixtures.js'

describe('EnableKeyRotation', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('defaults to 365 days, the first rotation one period after enabling', async () => {
    const key = await createKey(h)
    assert.deepEqual(await rotationStatus(h, key.keyId), { KeyId: key.arn, KeyRotationEnabled: false })
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId })
    assert.deepEqual(await rotationStatus(h, key.keyId), {
      KeyId: key.arn, KeyRotationEnabled: true, RotationPeriodInDays: 365, NextRotationDate: secondsAfterNow(h, 365),
    })
  })

  it('accepts 90 and 2560 days and refuses 89 and 2561 with the model\'s validation message', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    assert.equal((await rotationStatus(h, key.keyId)).NextRotationDate, secondsAfterNow(h, 90))
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 2560 })
    assert.equal((await rotationStatus(h, key.keyId)).RotationPeriodInDays, 2560)
    assertAwsError(await h.call('EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 89 }), 'ValidationException',
      "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90")
    assertAwsError(await h.call('EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 2561 }), 'ValidationException',
      "1 validation error detected: Value '2561' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value less than or equal to 2560")
  })

  it('enabling again with the same period keeps the schedule; a new period re-times it from when the schedule began', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 365 })
    const first = (await rotationStatus(h, key.keyId)).NextRotationDate as number
    h.clock.advance(100 * DAY_MS)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId })
    assert.equal((await rotationStatus(h, key.keyId)).NextRotationDate, first, 're-enabling must not push the rotation out')
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 180 })
    assert.equal((await rotationStatus(h, key.keyId)).NextRotationDate, first - (365 - 180) * 86_400)
    // A period already over since the schedule began: due now, for the job's next run.
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    assert.equal((await rotationStatus(h, key.keyId)).NextRotationDate, h.clock.now().getTime() / 1000)
  })

  it('answers UnsupportedOperationException with no message for asymmetric and HMAC keys', async () => {
    const hmac = await createKey(h, { KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
    const rsa = await createKey(h, { KeySpec: 'RSA_2048', KeyUsage: 'ENCRYPT_DECRYPT' })
    for (const key of [hmac, rsa]) {
      assertAwsError(await h.call('EnableKeyRotation', { KeyId: key.keyId }), 'UnsupportedOperationException', null)
      assertAwsError(await h.call('DisableKeyRotation', { KeyId: key.keyId }), 'UnsupportedOperationException', null)
    }
  })

  it('refuses a key of imported material (origin EXTERNAL), in any state, naming its origin', async () => {
    for (const state of ['Enabled', 'PendingImport'] as const) {
      const key = await externalKey(h, state)
      assertAwsError(await h.call('EnableKeyRotation', { KeyId: key.keyId }), 'UnsupportedOperationException',
        `${key.arn} origin is EXTERNAL which is not valid for this operation.`)
    }
  })

  it('refuses a disabled key and a key pending deletion', async () => {
    const key = await createKey(h)
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    assertAwsError(await h.call('EnableKeyRotation', { KeyId: key.keyId }), 'DisabledException', `${key.arn} is disabled.`)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    assertAwsError(await h.call('EnableKeyRotation', { KeyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`)
  })

  it('names a key only by key id or key ARN', async () => {
    const key = await createKey(h)
    await ok(h, 'CreateAlias', { AliasName: 'alias/rotating', TargetKeyId: key.keyId })
    await ok(h, 'EnableKeyRotation', { KeyId: key.arn })
    assertAwsError(await h.call('EnableKeyRotation', { KeyId: 'alias/rotating' }), 'NotFoundException', "Invalid keyId 'alias/rotating'")
  })

  it('sets kms:RotationPeriodInDays, the default when the period is omitted, so a policy can bound it', async () => {
    const root = `arn:aws:iam::${TEST_ACCOUNT}:root`
    const policy = policyText(
      { Sid: 'Root', Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
      { Sid: 'AtMostHalfAYear', Effect: 'Deny', Principal: { AWS: root }, Action: 'kms:EnableKeyRotation', Resource: '*',
        Condition: { NumericGreaterThan: { 'kms:RotationPeriodInDays': 180 } } },
    )
    const key = await createKey(h, { Policy: policy })
    assertAwsError(await h.call('EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 181 }), 'AccessDeniedException', /kms:EnableKeyRotation/)
    assertAwsError(await h.call('EnableKeyRotation', { KeyId: key.keyId }), 'AccessDeniedException', /kms:EnableKeyRotation/)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 180 })
    assert.equal((await rotationStatus(h, key.keyId)).RotationPeriodInDays, 180)
  })
})
