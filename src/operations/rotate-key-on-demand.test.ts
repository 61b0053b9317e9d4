// RotateKeyOnDemand: new material at once (DescribeKey, Encrypt and Decrypt name the material they used), old
// ciphertexts still decrypt, the automatic schedule stays, the 25-per-key limit and the ConflictException rule.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { b64, createHarness, type Harness } from '../../test/support/harness.js'
import { DAY_MS, assertAwsError, createKey, encryptUnder, ok } from '../../test/support/kms-fixtures.js'
import { currentMaterialId, externalKey, listRotations, rotationStatus } from '../../test/support/rotation-fixtures.js'
import { ON_DEMAND_ROTATION_LIMIT } from '../keys/rotation-rules.js'

const MINUTE_MS = 60_000

describe('RotateKeyOnDemand', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('makes new material current; each call names the material it used and old ciphertexts decrypt', async () => {
    const key = await createKey(h)
    const firstMaterial = await currentMaterialId(h, key.keyId)
    const dataKey = await ok(h, 'GenerateDataKey', { KeyId: key.keyId, KeySpec: 'AES_256' })
    assert.equal(dataKey.KeyMaterialId, firstMaterial)
    const oldBlob = await encryptUnder(h, key.keyId, 'before', { purpose: 'test' })
    assert.deepEqual(await ok(h, 'RotateKeyOnDemand', { KeyId: key.keyId }), { KeyId: key.arn })

    const secondMaterial = await currentMaterialId(h, key.keyId)
    assert.match(secondMaterial, /^[0-9a-f]{64}$/)
    assert.notEqual(secondMaterial, firstMaterial)
    const newBlob = await encryptUnder(h, key.keyId, 'after')
    const oldOpened = await ok(h, 'Decrypt', { CiphertextBlob: oldBlob, EncryptionContext: { purpose: 'test' } })
    assert.equal(oldOpened.Plaintext, b64('before'))
    assert.equal(oldOpened.KeyMaterialId, firstMaterial)
    assert.equal((await ok(h, 'Decrypt', { CiphertextBlob: newBlob })).KeyMaterialId, secondMaterial)
    assert.equal((await ok(h, 'Decrypt', { CiphertextBlob: dataKey.CiphertextBlob })).Plaintext, dataKey.Plaintext)
    const reEncrypted = await ok(h, 'ReEncrypt', { CiphertextBlob: oldBlob, SourceEncryptionContext: { purpose: 'test' }, DestinationKeyId: key.keyId })
    assert.equal(reEncrypted.SourceKeyMaterialId, firstMaterial)
    assert.equal(reEncrypted.DestinationKeyMaterialId, secondMaterial)
    const [rotation] = await listRotations(h, key.keyId)
    assert.deepEqual(rotation, {
      KeyId: key.arn, KeyMaterialId: secondMaterial, KeyMaterialState: 'CURRENT', RotationDate: h.clock.now().getTime() / 1000, RotationType: 'ON_DEMAND',
    })
  })

  it('leaves the automatic schedule where it was, with or without automatic rotation on', async () => {
    const key = await createKey(h)
    await ok(h, 'RotateKeyOnDemand', { KeyId: key.keyId })
    assert.deepEqual(await rotationStatus(h, key.keyId), { KeyId: key.arn, KeyRotationEnabled: false })
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 730 })
    const scheduled = await rotationStatus(h, key.keyId)
    h.clock.advance(300 * DAY_MS)
    await ok(h, 'RotateKeyOnDemand', { KeyId: key.keyId })
    assert.deepEqual(await rotationStatus(h, key.keyId), scheduled)
  })

  it(`allows ${ON_DEMAND_ROTATION_LIMIT} rotations per key, then LimitExceededException, and changes nothing`, async () => {
    const key = await createKey(h)
    const other = await createKey(h)
    for (let i = 0; i < ON_DEMAND_ROTATION_LIMIT; i++) await ok(h, 'RotateKeyOnDemand', { KeyId: key.keyId })
    const material = await currentMaterialId(h, key.keyId)
    assertAwsError(await h.call('RotateKeyOnDemand', { KeyId: key.keyId }), 'LimitExceededException',
      `The on-demand rotations limit has been reached for the given keyId. No more on-demand rotations can be performed for this key: ${key.arn}`)
    assert.equal(await currentMaterialId(h, key.keyId), material)
    assert.equal((await listRotations(h, key.keyId)).length, ON_DEMAND_ROTATION_LIMIT)
    await ok(h, 'RotateKeyOnDemand', { KeyId: other.keyId })
  })

  it('refuses with ConflictException while an automatic rotation is due within 20 minutes or overdue', async () => {
    const key = await createKey(h)
    await ok(h, 'EnableKeyRotation', { KeyId: key.keyId, RotationPeriodInDays: 90 })
    h.clock.advance(90 * DAY_MS - 21 * MINUTE_MS)
    await ok(h, 'RotateKeyOnDemand', { KeyId: key.keyId })
    const material = await currentMaterialId(h, key.keyId)
    const conflict = `An automatic rotation of ${key.arn} is in progress or due within 20 minutes. Try the on-demand rotation again later.`
    h.clock.advance(MINUTE_MS)
    assertAwsError(await h.call('RotateKeyOnDemand', { KeyId: key.keyId }), 'ConflictException', conflict)
    h.clock.advance(60 * MINUTE_MS)
    assertAwsError(await h.call('RotateKeyOnDemand', { KeyId: key.keyId }), 'ConflictException', conflict)
    assert.equal(await currentMaterialId(h, key.keyId), material)
  })

  it('answers UnsupportedOperationException with no message for asymmetric and HMAC keys', async () => {
    const rsa = await createKey(h, { KeySpec: 'RSA_3072', KeyUsage: 'SIGN_VERIFY' })
    const hmac = await createKey(h, { KeySpec: 'HMAC_384', KeyUsage: 'GENERATE_VERIFY_MAC' })
    for (const key of [rsa, hmac]) assertAwsError(await h.call('RotateKeyOnDemand', { KeyId: key.keyId }), 'UnsupportedOperationException', null)
  })

  it('refuses a disabled key, a key pending deletion and an EXTERNAL key with no material pending rotation', async () => {
    const key = await createKey(h)
    await ok(h, 'DisableKey', { KeyId: key.keyId })
    assertAwsError(await h.call('RotateKeyOnDemand', { KeyId: key.keyId }), 'DisabledException', `${key.arn} is disabled.`)
    await ok(h, 'ScheduleKeyDeletion', { KeyId: key.keyId, PendingWindowInDays: 7 })
    assertAwsError(await h.call('RotateKeyOnDemand', { KeyId: key.keyId }), 'KMSInvalidStateException', `${key.arn} is pending deletion.`)
    const external = await externalKey(h)
    assertAwsError(await h.call('RotateKeyOnDemand', { KeyId: external.keyId }), 'KMSInvalidStateException',
      `No available key material pending rotation for the key: ${external.arn}.`)
    const waiting = await externalKey(h, 'PendingImport')
    assertAwsError(await h.call('RotateKeyOnDemand', { KeyId: waiting.keyId }), 'KMSInvalidStateException', `${waiting.arn} is pending import.`)
  })

  it('serialises concurrent calls: each one that succeeds made exactly one new current version', async () => {
    const key = await createKey(h)
    const replies = await Promise.all(Array.from({ length: 6 }, () => h.call('RotateKeyOnDemand', { KeyId: key.keyId })))
    const succeeded = replies.filter((r) => r.status === 200).length
    for (const r of replies.filter((r) => r.status !== 200)) assert.equal(r.body.__type, 'ConflictException')
    assert.ok(succeeded >= 1)
    const rotations = await listRotations(h, key.keyId)
    assert.equal(rotations.length, succeeded)
    assert.equal(new Set(rotations.map((r) => r.KeyMaterialId)).size, succeeded)
    const blob = await encryptUnder(h, key.keyId, 'after the race')
    assert.equal((await ok(h, 'Decrypt', { CiphertextBlob: blob })).KeyMaterialId, rotations.at(-1)!.KeyMaterialId)
  })
})
