// Every rotation operation through @aws-sdk/client-kms against the real server, and the rotation job rotating a
// running server's key once its (test-only, file-driven) clock says the date has come; old ciphertexts decrypt.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient } from './support/clients.js'
import { StartupFailure, cleanupTrent, makeTempDir, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 120_000 }
const DAY_MS = 86_400_000

let server: TrentProcess
let clockFile: string
/** How far the server's clock runs ahead; the SDK is told the same, so its signatures are not refused as skewed. */
let offsetMs = 0
let kms: KMS

function moveServerClock(byMs: number): void {
  offsetMs += byMs
  writeFileSync(clockFile, String(offsetMs))
  kms.destroy()
  kms = kmsClient(server.url, { systemClockOffset: offsetMs })
}

before(async () => {
  clockFile = join(makeTempDir(), 'clock')
  writeFileSync(clockFile, '0')
  server = await startTrent({ env: { TRENT_TEST_CLOCK_FILE: clockFile, TRENT_JOB_INTERVAL_MS: '100' } })
  kms = kmsClient(server.url)
}, T)

after(async () => {
  kms?.destroy()
  await cleanupTrent()
}, T)

async function newKey(extra: Parameters<KMS['createKey']>[0] = {}): Promise<{ keyId: string; arn: string }> {
  const { KeyMetadata } = await kms.createKey(extra)
  return { keyId: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! }
}

const currentMaterial = async (keyId: string) => (await kms.describeKey({ KeyId: keyId })).KeyMetadata!.CurrentKeyMaterialId!

test('the server warns loudly that its clock is a test clock', T, async () => {
  assert.match(server.stderr(), /THE CLOCK IS A TEST CLOCK \(TRENT_TEST_CLOCK_FILE\)/)
})

test('EnableKeyRotation, GetKeyRotationStatus and DisableKeyRotation, with every status field', T, async () => {
  const key = await newKey()
  const before = await kms.getKeyRotationStatus({ KeyId: key.keyId })
  assert.equal(before.KeyRotationEnabled, false)
  assert.equal(before.KeyId, key.arn)
  assert.equal(before.NextRotationDate, undefined)
  const enabledAt = Date.now() + offsetMs
  await kms.enableKeyRotation({ KeyId: key.keyId, RotationPeriodInDays: 120 })
  const status = await kms.getKeyRotationStatus({ KeyId: key.arn })
  assert.equal(status.KeyRotationEnabled, true)
  assert.equal(status.RotationPeriodInDays, 120)
  assert.ok(status.NextRotationDate instanceof Date)
  assert.ok(Math.abs(status.NextRotationDate.getTime() - (enabledAt + 120 * DAY_MS)) < 60_000, String(status.NextRotationDate))
  assert.equal(status.OnDemandRotationStartDate, undefined)
  await kms.disableKeyRotation({ KeyId: key.keyId })
  assert.equal((await kms.getKeyRotationStatus({ KeyId: key.keyId })).KeyRotationEnabled, false)
  await assertSdkError(kms.enableKeyRotation({ KeyId: key.keyId, RotationPeriodInDays: 89 }), 'ValidationException',
    "1 validation error detected: Value '89' at 'rotationPeriodInDays' failed to satisfy constraint: Member must have value greater than or equal to 90")
})

test('RotateKeyOnDemand and ListKeyRotations: new current material, every entry field, old ciphertext decrypting', T, async () => {
  const key = await newKey()
  const first = await currentMaterial(key.keyId)
  const sealed = await kms.encrypt({ KeyId: key.keyId, Plaintext: Buffer.from('before rotation') })
  const rotated = await kms.rotateKeyOnDemand({ KeyId: key.keyId })
  assert.equal(rotated.KeyId, key.arn)
  const second = await currentMaterial(key.keyId)
  assert.notEqual(second, first)

  const listed = await kms.listKeyRotations({ KeyId: key.keyId })
  assert.equal(listed.Truncated, false)
  assert.equal(listed.Rotations!.length, 1)
  const [entry] = listed.Rotations!
  assert.ok(entry!.RotationDate instanceof Date)
  assert.deepEqual({ ...entry, RotationDate: undefined }, {
    KeyId: key.arn, KeyMaterialId: second, KeyMaterialState: 'CURRENT', RotationType: 'ON_DEMAND', RotationDate: undefined,
  })
  const all = await kms.listKeyRotations({ KeyId: key.keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL', Limit: 1 })
  assert.equal(all.Truncated, true)
  assert.deepEqual(all.Rotations, [{ KeyId: key.arn, KeyMaterialId: first, KeyMaterialState: 'NON_CURRENT' }])
  const rest = await kms.listKeyRotations({ KeyId: key.keyId, IncludeKeyMaterial: 'ALL_KEY_MATERIAL', Marker: all.NextMarker })
  assert.deepEqual(rest.Rotations!.map((r) => r.KeyMaterialId), [second])

  const opened = await kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob! })
  assert.equal(Buffer.from(opened.Plaintext!).toString(), 'before rotation')
  assert.equal(opened.KeyMaterialId, first)
  const fresh = await kms.generateDataKey({ KeyId: key.keyId, KeySpec: 'AES_256' })
  assert.equal(fresh.KeyMaterialId, second)
})

test('the rotation operations answer as AWS does for keys that cannot rotate', T, async () => {
  const hmac = await newKey({ KeySpec: 'HMAC_256', KeyUsage: 'GENERATE_VERIFY_MAC' })
  await assertSdkError(kms.rotateKeyOnDemand({ KeyId: hmac.keyId }), 'UnsupportedOperationException', null)
  await assertSdkError(kms.enableKeyRotation({ KeyId: hmac.keyId }), 'UnsupportedOperationException', null)
  await assertSdkError(kms.getKeyRotationStatus({ KeyId: hmac.keyId }), 'UnsupportedOperationException', null)
  await assertSdkError(kms.listKeyRotations({ KeyId: hmac.keyId }), 'UnsupportedOperationException', null)
  const disabled = await newKey()
  await kms.disableKey({ KeyId: disabled.keyId })
  await assertSdkError(kms.rotateKeyOnDemand({ KeyId: disabled.keyId }), 'DisabledException', `${disabled.arn} is disabled.`)
})

test('the job rotates a key when the server\'s clock reaches its date, and not before', T, async () => {
  const key = await newKey()
  await kms.enableKeyRotation({ KeyId: key.keyId, RotationPeriodInDays: 90 })
  const first = await currentMaterial(key.keyId)
  const sealed = await kms.encrypt({ KeyId: key.keyId, Plaintext: Buffer.from('sealed in the first period') })
  const scheduled = (await kms.getKeyRotationStatus({ KeyId: key.keyId })).NextRotationDate!

  moveServerClock(89 * DAY_MS)
  await new Promise((resolve) => setTimeout(resolve, 500)) // several job runs
  assert.deepEqual((await kms.listKeyRotations({ KeyId: key.keyId })).Rotations, [])

  moveServerClock(1 * DAY_MS + 60_000)
  const deadline = Date.now() + 20_000
  let rotations = (await kms.listKeyRotations({ KeyId: key.keyId })).Rotations!
  while (rotations.length === 0 && Date.now() < deadline) {
    await new Promise((resolve) => setTimeout(resolve, 100))
    rotations = (await kms.listKeyRotations({ KeyId: key.keyId })).Rotations!
  }
  assert.equal(rotations.length, 1, 'the job rotated the key')
  assert.equal(rotations[0]!.RotationType, 'AUTOMATIC')
  assert.notEqual(rotations[0]!.KeyMaterialId, first)
  assert.equal(await currentMaterial(key.keyId), rotations[0]!.KeyMaterialId)
  const status = await kms.getKeyRotationStatus({ KeyId: key.keyId })
  assert.equal(status.NextRotationDate!.getTime(), scheduled.getTime() + 90 * DAY_MS)
  const opened = await kms.decrypt({ CiphertextBlob: sealed.CiphertextBlob! })
  assert.equal(Buffer.from(opened.Plaintext!).toString(), 'sealed in the first period')
  assert.equal(opened.KeyMaterialId, first)
  await new Promise((resolve) => setTimeout(resolve, 300))
  assert.equal((await kms.listKeyRotations({ KeyId: key.keyId })).Rotations!.length, 1, 'later runs at the same date rotate nothing more')
})

test('an acknowledged on-demand rotation survives kill -9, and both materials still serve after the restart', T, async () => {
  const first = await startTrent()
  const client = kmsClient(first.url)
  try {
    const { KeyMetadata } = await client.createKey({})
    const keyId = KeyMetadata!.KeyId!
    const sealed = await client.encrypt({ KeyId: keyId, Plaintext: Buffer.from('before the crash') })
    await client.rotateKeyOnDemand({ KeyId: keyId })
    const rotated = (await client.describeKey({ KeyId: keyId })).KeyMetadata!.CurrentKeyMaterialId
    await first.kill9()
    const second = await startTrent({ dataDir: first.dataDir })
    const again = kmsClient(second.url)
    try {
      assert.equal((await again.describeKey({ KeyId: keyId })).KeyMetadata!.CurrentKeyMaterialId, rotated)
      assert.deepEqual((await again.listKeyRotations({ KeyId: keyId })).Rotations!.map((r) => r.KeyMaterialId), [rotated])
      assert.equal(Buffer.from((await again.decrypt({ CiphertextBlob: sealed.CiphertextBlob! })).Plaintext!).toString(), 'before the crash')
      assert.equal((await again.generateDataKey({ KeyId: keyId, NumberOfBytes: 32 })).KeyMaterialId, rotated)
    } finally {
      again.destroy()
      await second.stop()
    }
  } finally {
    client.destroy()
  }
})

test('a test clock file the server cannot read stops it from starting', T, async () => {
  await assert.rejects(startTrent({ env: { TRENT_TEST_CLOCK_FILE: join(makeTempDir(), 'missing') } }), (e: unknown) => {
    assert.ok(e instanceof StartupFailure)
    assert.equal(e.status.code, 2)
    assert.match(e.stderr, /TRENT_TEST_CLOCK_FILE must name a readable file/)
    return true
  })
})
