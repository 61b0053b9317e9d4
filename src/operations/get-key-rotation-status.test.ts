// GetKeyRotationStatus: every field of the model; what disabling, scheduling deletion and cancelling it do to
// the status (facts §9); which keys it answers for; and that reading never rotates a key that is past due.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { DAY_MS, assertAwsError, auditRecords, createKey, ok } from '../../test/support/kms-fixtures.js'
import { currentMaterialId, externalKey, listRotations, rotationStatus, secondsAfterNow } from '../../test/support/rotation-fixtures.js'

describe('GetKeyRotationStatus', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('keeps the status of a disabled key as it was', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 100 })
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    assert.deepEqual(await rotationStatus(h, key.keyId), {
      KeyId: key.arn, KeyRotationEnabled: true, RotationPeriodInDays: 100, NextRotationDate: secondsAfterNow(h, 100),
    })
  })

  it('reads false while the key is pending deletion, and the original status returns on cancel', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 200 })
    const before = await rotationStatus(h, key.keyId)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    assert.deepEqual(await rotationStatus(h, key.keyId), { KeyId: key.arn, KeyRotationEnabled: false })
    await ok(h, 'CancelKeyDeletion', { KeyId: key.keyId })
    assert.deepEqual(await rotationStatus(h, key.keyId), before)
  })

  it('answers UnsupportedOperationException with no message for asymmetric and HMAC keys', async () => {
    const signing = await createKey(h, { KeySpec: 'ECC_NIST_P256', KeyUsage: 'SIGN_VERIFY' })
    const hmac = await createKey(h, { KeySpec: 'HMAC_512', KeyUsage: 'GENERATE_VERIFY_MAC' })
    for (const key of [signing, hmac]) {
      assertAwsError(await h.call('GetKeyRotationStatus', { KeyId: key.keyId }), 'UnsupportedOperationException', null)
    }
  })

  it('answers false for an EXTERNAL key with material, and the origin\'s UnsupportedOperationException while it waits for an import', async () => {
    const imported = await externalKey(h, 'Enabled')
    assert.deepEqual(await rotationStatus(h, imported.keyId), { KeyId: imported.arn, KeyRotationEnabled: false })
    const waiting = await externalKey(h, 'PendingImport')
    assertAwsError(await h.call('GetKeyRotationStatus', { KeyId: waiting.keyId }), 'UnsupportedOperationException', `${waiting.arn} origin is EXTERNAL which is not valid for this operation.`)
  })

  it('never rotates a key past its rotation date: only the job does', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    const material = await currentMaterialId(h, key.keyId)
    h.clock.advance(400 * DAY_MS)
    for (let i = 0; i < 3; i++) {
      await rotationStatus(h, key.keyId)
      await listRotations(h, key.keyId, 'ALL_KEY_MATERIAL')
      await ok(h, 'DescribeKey', { KeyId: key.keyId })
    }
    assert.equal(await currentMaterialId(h, key.keyId), material)
    assert.deepEqual(await listRotations(h, key.keyId), [])
    assert.ok(!(await auditRecords(h)).some((r) => r.eventName === 'RotateKey'))
    assert.ok((await rotationStatus(h, key.keyId)).NextRotationDate as number < h.clock.now().getTime() / 1000)
  })
})
