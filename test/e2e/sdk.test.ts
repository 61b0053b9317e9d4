// The real server driven by @aws-sdk/client-kms: key creation, metadata, listing, enable/disable and deletion.
// Crypto operations are in sdk-crypto.test.ts; aliases, tags and policies in sdk-names.test.ts.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient } from './support/clients.js'
import { E2E_ACCOUNT_ID, cleanupTrent, startTrent } from './support/server.js'

const T = { timeout: 60_000 }
const DAY_MS = 86_400_000
const KEY_ARN = /^arn:aws:kms:us-east-1:111122223333:key\/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/

let kms: KMS

before(async () => {
  const server = await startTrent()
  kms = kmsClient(server.url)
}, T)

after(async () => {
  kms?.destroy()
  await cleanupTrent()
}, T)

async function newKey(description = 'e2e'): Promise<{ keyId: string; arn: string }> {
  const { KeyMetadata } = await kms.createKey({ Description: description })
  return { keyId: KeyMetadata!.KeyId!, arn: KeyMetadata!.Arn! }
}

const AWS_DEFAULT_POLICY = `{
  "Version" : "2012-10-17",
  "Id" : "key-default-1",
  "Statement" : [ {
    "Sid" : "Enable IAM User Permissions",
    "Effect" : "Allow",
    "Principal" : {
      "AWS" : "arn:aws:iam::111122223333:root"
    },
    "Action" : "kms:*",
    "Resource" : "*"
  } ]
}`

test('CreateKey returns full KeyMetadata, stores the tags, and gives the AWS default key policy', T, async () => {
  const startedAt = Date.now()
  const { KeyMetadata: meta } = await kms.createKey({ Description: 'orders table key', Tags: [{ TagKey: 'team', TagValue: 'payments' }, { TagKey: 'env', TagValue: '' }] })
  assert.ok(meta)
  assert.match(meta.Arn!, KEY_ARN)
  assert.equal(meta.Arn, `arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:key/${meta.KeyId}`)
  assert.ok(meta.CreationDate instanceof Date)
  assert.ok(meta.CreationDate.getTime() >= startedAt - 60_000 && meta.CreationDate.getTime() <= Date.now() + 60_000)
  assert.match(meta.CurrentKeyMaterialId!, /^[0-9a-f]{64}$/)
  assert.deepEqual({ ...meta, CreationDate: undefined, CurrentKeyMaterialId: undefined }, {
    AWSAccountId: E2E_ACCOUNT_ID, KeyId: meta.KeyId, Arn: meta.Arn, CreationDate: undefined, Enabled: true, Description: 'orders table key',
    KeyUsage: 'ENCRYPT_DECRYPT', KeyState: 'Enabled', Origin: 'AWS_KMS', KeyManager: 'CUSTOMER', CustomerMasterKeySpec: 'SYMMETRIC_DEFAULT',
    KeySpec: 'SYMMETRIC_DEFAULT', EncryptionAlgorithms: ['SYMMETRIC_DEFAULT'], MultiRegion: false, CurrentKeyMaterialId: undefined,
  })
  const tags = await kms.listResourceTags({ KeyId: meta.KeyId })
  assert.deepEqual(tags.Tags, [{ TagKey: 'env', TagValue: '' }, { TagKey: 'team', TagValue: 'payments' }])
  assert.equal(tags.Truncated, false)
  const policy = await kms.getKeyPolicy({ KeyId: meta.KeyId, PolicyName: 'default' })
  assert.equal(policy.Policy, AWS_DEFAULT_POLICY)
  assert.equal(policy.PolicyName, 'default')
})

test('DescribeKey by key id, key ARN and alias returns the same metadata as CreateKey', T, async () => {
  const { KeyMetadata: created } = await kms.createKey({ Description: 'describe me' })
  await kms.createAlias({ AliasName: 'alias/e2e-describe', TargetKeyId: created!.KeyId })
  for (const id of [created!.KeyId!, created!.Arn!, 'alias/e2e-describe', `arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:alias/e2e-describe`]) {
    const { KeyMetadata } = await kms.describeKey({ KeyId: id })
    assert.deepEqual(KeyMetadata, created, `DescribeKey ${id}`)
  }
})

test('ListKeys with Limit=1 pages through every key, one per page, with NextMarker and Truncated', T, async () => {
  const mine = [await newKey('page-1'), await newKey('page-2'), await newKey('page-3')]
  const everything = await kms.listKeys({})
  assert.equal(everything.Truncated, false)
  assert.equal(everything.NextMarker, undefined)
  const seen: { KeyId?: string; KeyArn?: string }[] = []
  let marker: string | undefined
  for (let page = 0; page < 1000; page++) {
    const out = await kms.listKeys({ Limit: 1, ...(marker ? { Marker: marker } : {}) })
    assert.equal(out.Keys?.length, 1)
    seen.push(...out.Keys!)
    if (!out.Truncated) {
      assert.equal(out.NextMarker, undefined)
      break
    }
    assert.equal(typeof out.NextMarker, 'string')
    marker = out.NextMarker
  }
  assert.deepEqual(seen, everything.Keys)
  assert.equal(new Set(seen.map((k) => k.KeyId)).size, seen.length, 'no key is listed twice')
  for (const k of mine) assert.ok(seen.some((s) => s.KeyId === k.keyId && s.KeyArn === k.arn), `${k.keyId} is listed`)
  assert.ok(seen.length >= 3)
})

test('ListKeys rejects a marker it did not issue with InvalidMarkerException', T, async () => {
  await assertSdkError(kms.listKeys({ Marker: 'not-a-marker-we-issued' }), 'InvalidMarkerException',
    'The request was rejected because the marker that specifies where pagination should next begin is not valid.')
})

test('DisableKey makes Encrypt fail with DisabledException; EnableKey restores it', T, async () => {
  const { keyId, arn } = await newKey()
  await kms.disableKey({ KeyId: keyId })
  const disabled = (await kms.describeKey({ KeyId: keyId })).KeyMetadata!
  assert.equal(disabled.KeyState, 'Disabled')
  assert.equal(disabled.Enabled, false)
  await assertSdkError(kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') }), 'DisabledException', `${arn} is disabled.`)
  await kms.enableKey({ KeyId: keyId })
  const enabled = (await kms.describeKey({ KeyId: keyId })).KeyMetadata!
  assert.equal(enabled.KeyState, 'Enabled')
  assert.equal(enabled.Enabled, true)
  const out = await kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') })
  assert.equal(out.KeyId, arn)
})

test('UpdateKeyDescription changes what DescribeKey reports', T, async () => {
  const { keyId } = await newKey('before')
  await kms.updateKeyDescription({ KeyId: keyId, Description: 'after the update' })
  assert.equal((await kms.describeKey({ KeyId: keyId })).KeyMetadata!.Description, 'after the update')
})

test('ScheduleKeyDeletion defaults to 30 days, blocks crypto, and CancelKeyDeletion leaves the key Disabled', T, async () => {
  const { keyId, arn } = await newKey()
  const before = Date.now()
  const scheduled = await kms.scheduleKeyDeletion({ KeyId: keyId })
  assert.equal(scheduled.KeyId, arn)
  assert.equal(scheduled.KeyState, 'PendingDeletion')
  assert.equal(scheduled.PendingWindowInDays, 30)
  const due = scheduled.DeletionDate!.getTime()
  assert.ok(due >= before + 30 * DAY_MS - 60_000 && due <= Date.now() + 30 * DAY_MS + 60_000, `DeletionDate ${scheduled.DeletionDate!.toISOString()}`)
  const meta = (await kms.describeKey({ KeyId: keyId })).KeyMetadata!
  assert.equal(meta.KeyState, 'PendingDeletion')
  assert.equal(meta.Enabled, false)
  assert.ok(Math.abs(meta.DeletionDate!.getTime() - due) < 1000)
  await assertSdkError(kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from('x') }), 'KMSInvalidStateException', `${arn} is pending deletion.`)
  await assertSdkError(kms.scheduleKeyDeletion({ KeyId: keyId }), 'KMSInvalidStateException', `${arn} is pending deletion.`)
  const cancelled = await kms.cancelKeyDeletion({ KeyId: keyId })
  assert.equal(cancelled.KeyId, arn)
  const after = (await kms.describeKey({ KeyId: keyId })).KeyMetadata!
  assert.equal(after.KeyState, 'Disabled')
  assert.equal(after.Enabled, false)
  assert.equal(after.DeletionDate, undefined)
  await assertSdkError(kms.cancelKeyDeletion({ KeyId: keyId }), 'KMSInvalidStateException', `${arn} is not pending deletion.`)
})

test('ScheduleKeyDeletion with a 7-day window, and windows outside 7..30 are refused', T, async () => {
  const { keyId } = await newKey()
  const before = Date.now()
  const scheduled = await kms.scheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 })
  assert.equal(scheduled.PendingWindowInDays, 7)
  const due = scheduled.DeletionDate!.getTime()
  assert.ok(due >= before + 7 * DAY_MS - 60_000 && due <= Date.now() + 7 * DAY_MS + 60_000)
  const other = await newKey()
  await assertSdkError(kms.scheduleKeyDeletion({ KeyId: other.keyId, PendingWindowInDays: 6 }), 'ValidationException',
    "1 validation error detected: Value '6' at 'pendingWindowInDays' failed to satisfy constraint: Member must have value greater than or equal to 7")
})

test('an unknown key id is NotFoundException with the key ARN in the message', T, async () => {
  const missing = '00000000-1111-2222-3333-444444444444'
  await assertSdkError(kms.describeKey({ KeyId: missing }), 'NotFoundException',
    `Key 'arn:aws:kms:us-east-1:${E2E_ACCOUNT_ID}:key/${missing}' does not exist`)
})
