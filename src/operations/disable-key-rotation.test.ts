// DisableKeyRotation: automatic rotation stops (the job then leaves the key alone), rotated material stays.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { DAY_MS, assertAwsError, createKey, encryptUnder, ok } from '../../test/support/kms-fixtures.js'
import { externalKey, listRotations, rotationStatus } from '../../test/support/rotation-fixtures.js'
import { rotateDueKeys } from '../jobs/rotate-due-keys.js'

describe('DisableKeyRotation', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('turns automatic rotation off: the status reads false and the job no longer rotates the key', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    h.clock.advance(90 * DAY_MS)
    assert.deepEqual(await rotateDueKeys(h.services), [key.keyId])
    const blob = await encryptUnder(h, key.keyId, 'after the first rotation')
    await ok(h, 'DisableKeyRotation', { KeyId: key.keyId })
    assert.deepEqual(await rotationStatus(h, key.keyId), { KeyId: key.arn, KeyRotationEnabled: false })
    h.clock.advance(1000 * DAY_MS)
    assert.deepEqual(await rotateDueKeys(h.services), [])
    assert.equal((await listRotations(h, key.keyId)).length, 1, 'the rotation made before stays listed')
    assert.equal((await ok(h, 'Decrypt', { CiphertextBlob: blob })).Plaintext, b64('after the first rotation'))
  })

  it('is a no-op on a key that was not rotating, and refuses what EnableKeyRotation refuses', async () => {
    const key = await createKey(h)
    await ok(h, 'DisableKeyRotation', { KeyId: key.keyId })
    assert.equal((await rotationStatus(h, key.keyId)).KeyRotationEnabled, false)
    const external = await externalKey(h)
    assertAwsError(await h.call('DisableKeyRotation', { KeyId: external.keyId }), 'UnsupportedOperationException',
      `${external.arn} origin is EXTERNAL which is not valid for this operation.`)
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    assertAwsError(await h.call('DisableKeyRotation', { KeyId: key.keyId }), 'DisabledException', `${key.arn} is disabled.`)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    assertAwsError(await h.call('DisableKeyRotation', { KeyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`)
  })
})
