// ListKeyRotations: every field of an entry, ROTATIONS_ONLY (the default) against ALL_KEY_MATERIAL, pagination
// like the other List operations, and the keys it answers for.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { createHarness, type Harness } from '../../test/support/harness.js'
import { DAY_MS, assertAwsError, createKey, ok } from '../../test/support/kms-fixtures.js'
import { currentMaterialId, listRotations } from '../../test/support/rotation-fixtures.js'
import { rotateDueKeys } from '../jobs/rotate-due-keys.js'

describe('ListKeyRotations', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('lists rotations oldest first, with their type and date; ALL_KEY_MATERIAL adds the first material', async () => {
    const key = await createKey(h)
    const first = await currentMaterialId(h, key.keyId)
    assert.deepEqual(await ok(h, 'ListKeyRotations', { KeyId: key.keyId }), { Rotations: [], Truncated: false })
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    h.clock.advance(90 * DAY_MS)
    await rotateDueKeys(h.services)
    const automaticAt = h.clock.now().getTime() / 1000
    const second = await currentMaterialId(h, key.keyId)
    h.clock.advance(DAY_MS)
    await ok(h, 'RotateKeyOnDemand', { KeyId: key.keyId })
    const third = await currentMaterialId(h, key.keyId)
    const rotations = [
      { KeyId: key.arn, KeyMaterialId: second, KeyMaterialState: 'NON_CURRENT', RotationDate: automaticAt, RotationType: 'AUTOMATIC' },
      { KeyId: key.arn, KeyMaterialId: third, KeyMaterialState: 'CURRENT', RotationDate: h.clock.now().getTime() / 1000, RotationType: 'ON_DEMAND' },
    ]
    assert.deepEqual(await listRotations(h, key.keyId), rotations)
    assert.deepEqual(await listRotations(h, key.keyId, 'ROTATIONS_ONLY'), rotations)
    assert.deepEqual(await listRotations(h, key.keyId, 'ALL_KEY_MATERIAL'), [
      { KeyId: key.arn, KeyMaterialId: first, KeyMaterialState: 'NON_CURRENT' }, ...rotations,
    ])
  })

  it('pages with Limit and an opaque NextMarker, and refuses a marker it did not issue', async () => {
    const key = await createKey(h)
    for (let i = 0; i < 5; i++) await ok(h, 'RotateKeyOnDemand', { KeyId: key.keyId })
    const page1 = await ok(h, 'ListKeyRotations', { KeyId: key.keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL', Limit: 4 })
    assert.equal((page1.Rotations as unknown[]).length, 4)
    assert.equal(page1.Truncated, true)
    const page2 = await ok(h, 'ListKeyRotations', { KeyId: key.keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL', Limit: 4, Marker: page1.NextMarker })
    assert.equal((page2.Rotations as unknown[]).length, 2)
    assert.equal(page2.Truncated, false)
    assert.equal('NextMarker' in page2, false)
    assert.deepEqual([...(page1.Rotations as unknown[]), ...(page2.Rotations as unknown[])], await listRotations(h, key.keyId, 'ALL_KEY_MATERIAL'))
    const invalidMarker = 'The request was rejected because the marker that specifies where pagination should next begin is not valid.'
    assertAwsError(await h.call('ListKeyRotations', { KeyId: key.keyId, Marker: 'made-up' }), 'InvalidMarkerException', invalidMarker)
    assertAwsError(await h.call('ListKeyRotations', { KeyId: key.keyId, Marker: 'trent1:YWJj' }), 'InvalidMarkerException', invalidMarker)
    assertAwsError(await h.call('ListKeyRotations', { KeyId: key.keyId, Limit: 1001 }), 'ValidationException',
      "1 validation error detected: Value '1001' at 'limit' failed to satisfy constraint: Member must have value less than or equal to 1000")
  })

  it('answers UnsupportedOperationException with no message for asymmetric and HMAC keys, and lists a disabled key', async () => {
    const hmac = await createKey(h, { KeySpec: 'HMAC_224', KeyUsage: 'GENERATE_VERIFY_MAC' })
    assertAwsError(await h.call('ListKeyRotations', { KeyId: hmac.keyId }), 'UnsupportedOperationException', null)
    const key = await createKey(h)
    await ok(h, 'RotateKeyOnDemand', { KeyId: key.keyId })
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    assert.equal((await listRotations(h, key.keyId)).length, 1)
  })
})
