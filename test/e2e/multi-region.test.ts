// Multi-Region keys in one deployment serving us-east-1 and eu-west-1, through @aws-sdk/client-kms: a replica
// decrypts the primary's ciphertexts and the other way round, also after rotations (on demand and automatic);
// UpdatePrimaryRegion moves the primary and its rotations then reach the old one; the deletion choreography runs
// under the server's test clock (TRENT_TEST_CLOCK_FILE); each Region's calls are audited in that Region.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CloudTrail } from '@aws-sdk/client-cloudtrail'
import type { KMS } from '@aws-sdk/client-kms'
import { assertSdkError, kmsClient } from './support/clients.js'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, cleanupTrent, makeTempDir, startTrent, type TrentProcess } from './support/server.js'
import * as wait from './support/wait.js'

const T = { timeout: 120_000 }
const DAY_MS = 86_400_000
const US = 'us-east-1'
const EU = 'eu-west-1'

let server: TrentProcess
let clockFile: string
let offsetMs = 0
let us: KMS
let eu: KMS

function clients(): void {
  us?.destroy()
  eu?.destroy()
  us = kmsClient(server.url, { region: US, systemClockOffset: offsetMs })
  eu = kmsClient(server.url, { region: EU, systemClockOffset: offsetMs })
}

function moveServerClock(byMs: number): void {
  offsetMs += byMs
  writeFileSync(clockFile, String(offsetMs))
  clients()
}

/** As support/wait.ts's, with this file's 20 s. */
const eventually = <T>(what: string, probe: () => Promise<T | undefined>) => wait.eventually(what, probe, { withinMs: 20_000 })

before(async () => {
  clockFile = join(makeTempDir(), 'clock')
  writeFileSync(clockFile, '0')
  server = await startTrent({ env: { TRENT_REGIONS: `${US},${EU}`, TRENT_TEST_CLOCK_FILE: clockFile, TRENT_JOB_INTERVAL_MS: '100' } })
  clients()
}, T)

after(async () => {
  us?.destroy()
  eu?.destroy()
  await cleanupTrent()
}, T)

/** The audit records named `eventName` that LookupEvents in `region` finds for the resource `arn`. */
async function events(region: string, arn: string, eventName: string): Promise<{ eventType: string; awsRegion: string; userIdentity?: unknown }[]> {
  const c = new CloudTrail({ endpoint: server.url, region, credentials: E2E_CREDENTIALS, maxAttempts: 1, systemClockOffset: offsetMs })
  try {
    const out = await c.lookupEvents({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: arn }] })
    return (out.Events ?? []).filter((e) => e.EventName === eventName).map((e) => JSON.parse(e.CloudTrailEvent!) as { eventType: string; awsRegion: string; userIdentity?: unknown })
  } finally {
    c.destroy()
  }
}

async function replicatedKey(): Promise<string> {
  const keyId = (await us.createKey({ MultiRegion: true })).KeyMetadata!.KeyId!
  const replica = await us.replicateKey({ KeyId: keyId, ReplicaRegion: EU, Description: 'the Irish copy' })
  assert.equal(replica.ReplicaKeyMetadata!.KeyId, keyId)
  assert.equal(replica.ReplicaKeyMetadata!.Arn, `arn:aws:kms:${EU}:${E2E_ACCOUNT_ID}:key/${keyId}`)
  await eventually('the replica to be Enabled', async () => (await eu.describeKey({ KeyId: keyId })).KeyMetadata!.KeyState === 'Enabled' ? true : undefined)
  return keyId
}

const seal = async (kms: KMS, keyId: string, text: string) => (await kms.encrypt({ KeyId: keyId, Plaintext: Buffer.from(text) })).CiphertextBlob!
const open = async (kms: KMS, blob: Uint8Array) => Buffer.from((await kms.decrypt({ CiphertextBlob: blob })).Plaintext!).toString()
const material = async (kms: KMS, keyId: string) => (await kms.describeKey({ KeyId: keyId })).KeyMetadata!.CurrentKeyMaterialId!

test('a replica shares the key id and material: ciphertexts of either Region decrypt in the other, also after an on-demand rotation', T, async () => {
  const keyId = await replicatedKey()
  const meta = (await eu.describeKey({ KeyId: keyId })).KeyMetadata!
  assert.equal(meta.MultiRegionConfiguration!.MultiRegionKeyType, 'REPLICA')
  assert.deepEqual(meta.MultiRegionConfiguration!.PrimaryKey, { Arn: `arn:aws:kms:${US}:${E2E_ACCOUNT_ID}:key/${keyId}`, Region: US })
  assert.equal(meta.Description, 'the Irish copy')
  const primary = (await us.describeKey({ KeyId: keyId })).KeyMetadata!
  assert.equal(primary.MultiRegionConfiguration!.MultiRegionKeyType, 'PRIMARY')
  assert.deepEqual(primary.MultiRegionConfiguration!.ReplicaKeys, [{ Arn: meta.Arn, Region: EU }])
  const before = await seal(us, keyId, 'before rotation')
  assert.equal(await open(eu, before), 'before rotation')
  assert.equal(await open(us, await seal(eu, keyId, 'from Ireland')), 'from Ireland')
  await us.rotateKeyOnDemand({ KeyId: keyId })
  assert.equal(await material(eu, keyId), await material(us, keyId))
  assert.equal(await open(eu, await seal(us, keyId, 'after rotation')), 'after rotation')
  assert.equal(await open(eu, before), 'before rotation')
  await assertSdkError(us.replicateKey({ KeyId: keyId, ReplicaRegion: EU }), 'AlreadyExistsException', `arn:aws:kms:${US}:${E2E_ACCOUNT_ID}:key/${keyId} already has a replica key in ${EU}.`)
  await assertSdkError(eu.rotateKeyOnDemand({ KeyId: keyId }), 'UnsupportedOperationException', `${meta.Arn} is not a multi-region primary key.`)
})

test('UpdatePrimaryRegion: the old primary becomes a replica, and rotations of the new primary (on demand and automatic) reach it', T, async () => {
  const keyId = await replicatedKey()
  const old = await seal(us, keyId, 'sealed while us-east-1 was primary')
  await us.updatePrimaryRegion({ KeyId: keyId, PrimaryRegion: EU })
  const types = async () => [
    (await us.describeKey({ KeyId: keyId })).KeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType,
    (await eu.describeKey({ KeyId: keyId })).KeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType,
  ]
  assert.deepEqual(await types(), ['REPLICA', 'PRIMARY'])
  await eventually('both keys Enabled', async () => (await us.describeKey({ KeyId: keyId })).KeyMetadata!.KeyState === 'Enabled' ? true : undefined)
  await eu.rotateKeyOnDemand({ KeyId: keyId })
  assert.equal(await material(us, keyId), await material(eu, keyId))
  assert.equal(await open(us, await seal(eu, keyId, 'from the new primary')), 'from the new primary')
  assert.equal(await open(eu, old), 'sealed while us-east-1 was primary')
  // The automatic schedule is a shared property, set on the primary and seen on the replica.
  await eu.enableKeyRotation({ KeyId: keyId, RotationPeriodInDays: 90 })
  assert.equal((await us.getKeyRotationStatus({ KeyId: keyId })).RotationPeriodInDays, 90)
  await assertSdkError(us.enableKeyRotation({ KeyId: keyId }), 'UnsupportedOperationException', `arn:aws:kms:${US}:${E2E_ACCOUNT_ID}:key/${keyId} is not a multi-region primary key.`)
  const beforeAutomatic = await material(us, keyId)
  moveServerClock(91 * DAY_MS)
  await eventually('the automatic rotation', async () => (await material(eu, keyId)) !== beforeAutomatic ? true : undefined)
  assert.equal(await material(us, keyId), await material(eu, keyId))
  const rotations = (await us.listKeyRotations({ KeyId: keyId })).Rotations!
  assert.deepEqual(rotations.map((r) => r.RotationType), ['ON_DEMAND', 'AUTOMATIC'])
})

test('deletion: the primary waits in PendingReplicaDeletion; its own window starts when the last replica is deleted', T, async () => {
  const keyId = await replicatedKey()
  const scheduled = await us.scheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 })
  assert.equal(scheduled.KeyState, 'PendingReplicaDeletion')
  assert.equal(scheduled.DeletionDate, undefined)
  const waiting = (await us.describeKey({ KeyId: keyId })).KeyMetadata!
  assert.deepEqual([waiting.KeyState, waiting.DeletionDate, waiting.PendingDeletionWindowInDays], ['PendingReplicaDeletion', undefined, 7])
  // The replica's schedule is its own; it still works meanwhile.
  assert.equal(await open(eu, await seal(eu, keyId, 'still here')), 'still here')
  await eu.scheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 })
  moveServerClock(8 * DAY_MS)
  await eventually('the replica to be deleted', async () => {
    try { await eu.describeKey({ KeyId: keyId }); return undefined } catch (e) { return (e as Error).name === 'NotFoundException' ? true : undefined }
  })
  const pending = await eventually('the primary window to start', async () => {
    const m = (await us.describeKey({ KeyId: keyId })).KeyMetadata!
    return m.KeyState === 'PendingDeletion' ? m : undefined
  })
  const now = Date.now() + offsetMs
  assert.ok(Math.abs(pending.DeletionDate!.getTime() - (now + 7 * DAY_MS)) < 60_000, `deletion date ${pending.DeletionDate!.toISOString()}`)
  moveServerClock(8 * DAY_MS)
  await eventually('the primary to be deleted', async () => {
    try { await us.describeKey({ KeyId: keyId }); return undefined } catch (e) { return (e as Error).name === 'NotFoundException' ? true : undefined }
  })
})

test('each Region audits the calls made in it', T, async () => {
  const keyId = await replicatedKey()
  await eu.disableKey({ KeyId: keyId })
  const arn = (region: string) => `arn:aws:kms:${region}:${E2E_ACCOUNT_ID}:key/${keyId}`
  const lookup = async (region: string, eventName: string) => (await events(region, arn(region), eventName)).length
  assert.equal(await lookup(EU, 'DisableKey'), 1)
  assert.equal(await lookup(US, 'DisableKey'), 0)
  assert.equal(await lookup(US, 'ReplicateKey'), 1)
})

test('the other Region records the service event: a CreateKey for a new replica, an UpdatePrimaryRegion for a new primary', T, async () => {
  const keyId = await replicatedKey()
  const euArn = `arn:aws:kms:${EU}:${E2E_ACCOUNT_ID}:key/${keyId}`
  const usArn = `arn:aws:kms:${US}:${E2E_ACCOUNT_ID}:key/${keyId}`
  const created = await events(EU, euArn, 'CreateKey')
  assert.equal(created.length, 1)
  assert.deepEqual([created[0]!.eventType, created[0]!.awsRegion, created[0]!.userIdentity], ['AwsServiceEvent', EU, undefined])
  assert.equal((await events(US, euArn, 'CreateKey')).length, 0)
  await us.updatePrimaryRegion({ KeyId: keyId, PrimaryRegion: EU })
  const moved = await events(EU, euArn, 'UpdatePrimaryRegion')
  assert.deepEqual(moved.map((e) => [e.eventType, e.awsRegion]), [['AwsServiceEvent', EU]])
  // The caller's own record stays in the caller's Region.
  assert.deepEqual((await events(US, usArn, 'UpdatePrimaryRegion')).map((e) => e.eventType), ['AwsApiCall'])
})

test('UpdatePrimaryRegion needs the replica policy too: a replica that denies it leaves the primary where it was', T, async () => {
  const keyId = (await us.createKey({ MultiRegion: true })).KeyMetadata!.KeyId!
  const root = `arn:aws:iam::${E2E_ACCOUNT_ID}:root`
  const Policy = JSON.stringify({ Version: '2012-10-17', Statement: [
    { Effect: 'Allow', Principal: { AWS: root }, Action: 'kms:*', Resource: '*' },
    { Effect: 'Deny', Principal: '*', Action: 'kms:UpdatePrimaryRegion', Resource: '*' },
  ] })
  await us.replicateKey({ KeyId: keyId, ReplicaRegion: EU, Policy })
  await eventually('the replica to be Enabled', async () => (await eu.describeKey({ KeyId: keyId })).KeyMetadata!.KeyState === 'Enabled' ? true : undefined)
  await assertSdkError(us.updatePrimaryRegion({ KeyId: keyId, PrimaryRegion: EU }), 'AccessDeniedException', /kms:UpdatePrimaryRegion/)
  for (const kms of [us, eu]) {
    const m = (await kms.describeKey({ KeyId: keyId })).KeyMetadata!
    assert.equal(m.MultiRegionConfiguration!.PrimaryKey!.Region, US)
    assert.equal(m.KeyState, 'Enabled')
  }
  assert.equal((await us.describeKey({ KeyId: keyId })).KeyMetadata!.MultiRegionConfiguration!.MultiRegionKeyType, 'PRIMARY')
})
