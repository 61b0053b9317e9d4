// Multi-Region keys split between TWO deployments (issue 14 phase 2): A serves us-east-1, B serves eu-west-1, each
// names the other in TRENT_PEERS with one shared link credential, both with the same account. Each peer endpoint
// is a recording proxy (support/recording-proxy.ts), so a deployment can restart on a new port, be down, and have
// what crossed the wire inspected. Through @aws-sdk/client-kms: ReplicateKey into the peer's Region, ciphertexts
// crossing both ways (also after rotations), the outbox surviving a peer that is down and a sender restart,
// UpdatePrimaryRegion handing the primary over, the deletion choreography under a shared test clock, and audit.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { writeFileSync } from 'node:fs'
import { join } from 'node:path'
import { CloudTrail } from '@aws-sdk/client-cloudtrail'
import type { KMS } from '@aws-sdk/client-kms'
import { kmsClient } from './support/clients.js'
import { startCli } from './support/cli-env.js'
import { startRecordingProxy, type RecordingProxy } from './support/recording-proxy.js'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, cleanupTrent, makeTempDir, startTrent, type TrentProcess } from './support/server.js'
import * as wait from './support/wait.js'

const T = { timeout: 240_000 }
const DAY_MS = 86_400_000
const US = 'us-east-1'
const EU = 'eu-west-1'
const LINK = { accessKeyId: 'PEERLINKUSEU0000E2E1', secretAccessKey: 'peer-link-secret-for-the-e2e-test-0123456789' }

interface Side {
  region: string
  server?: TrentProcess
  dataDir: string
  /** The proxy the OTHER side reaches this one through. */
  proxy: RecordingProxy
  kms?: KMS
}

let clockFile: string
let offsetMs = 0
let a: Side
let b: Side

function connect(side: Side): void {
  side.kms?.destroy()
  side.kms = kmsClient(side.server!.url, { region: side.region, systemClockOffset: offsetMs })
}

async function start(side: Side, other: Side): Promise<void> {
  side.server = await startTrent({
    dataDir: side.dataDir,
    env: {
      TRENT_REGION: side.region, TRENT_REGIONS: side.region, TRENT_TEST_CLOCK_FILE: clockFile,
      TRENT_JOB_INTERVAL_MS: '200', TRENT_PEER_RETRY_MS: '200',
      TRENT_PEERS: JSON.stringify([{ region: other.region, endpoint: other.proxy.url, ...LINK }]),
    },
  })
  side.proxy.retarget(side.server.port)
  connect(side)
}

async function stop(side: Side): Promise<void> {
  side.proxy.retarget(undefined)
  side.kms?.destroy()
  await side.server!.stop()
}

function moveClocks(byMs: number): void {
  offsetMs += byMs
  writeFileSync(clockFile, String(offsetMs))
  connect(a)
  connect(b)
}

/** As support/wait.ts's, for this file: a side may be restarting, so a failed probe is "not yet"; 60 s by default. */
function eventually<T>(what: string, probe: () => Promise<T | undefined>, withinMs = 60_000): Promise<T> {
  return wait.eventually(what, probe, { withinMs, everyMs: 200, tolerateErrors: true, detail: peerLogs })
}

/** What each side logged about its peer traffic (delivery failures, refusals), for a timeout's message. */
function peerLogs(): string {
  return [a, b].map((side) => {
    const lines = `${side.server?.stdout() ?? ''}\n${side.server?.stderr() ?? ''}`.split('\n').filter((l) => /peer|warn|error/i.test(l))
    return `${side.region}:\n${lines.slice(-15).join('\n')}`
  }).join('\n')
}

const kmsOf = (side: Side) => side.kms!
const state = async (side: Side, keyId: string) => (await kmsOf(side).describeKey({ KeyId: keyId })).KeyMetadata!
const seal = async (side: Side, keyId: string, text: string) => (await kmsOf(side).encrypt({ KeyId: keyId, Plaintext: Buffer.from(text) })).CiphertextBlob!
const open = async (side: Side, blob: Uint8Array) => Buffer.from((await kmsOf(side).decrypt({ CiphertextBlob: blob })).Plaintext!).toString()
const gone = async (side: Side, keyId: string) => {
  try { await state(side, keyId); return undefined } catch (e) { return (e as Error).name === 'NotFoundException' ? true : undefined }
}

before(async () => {
  clockFile = join(makeTempDir(), 'clock')
  writeFileSync(clockFile, '0')
  a = { region: US, dataDir: join(makeTempDir(), 'a'), proxy: await startRecordingProxy() }
  b = { region: EU, dataDir: join(makeTempDir(), 'b'), proxy: await startRecordingProxy() }
  await start(a, b)
  await start(b, a)
}, T)

after(async () => {
  a?.kms?.destroy()
  b?.kms?.destroy()
  await cleanupTrent()
  await a?.proxy.close()
  await b?.proxy.close()
}, T)

async function replicated(): Promise<string> {
  const keyId = (await kmsOf(a).createKey({ MultiRegion: true })).KeyMetadata!.KeyId!
  const reply = await kmsOf(a).replicateKey({ KeyId: keyId, ReplicaRegion: EU, Description: 'kept by B' })
  assert.equal(reply.ReplicaKeyMetadata!.KeyState, 'Creating')
  assert.equal(reply.ReplicaKeyMetadata!.Arn, `arn:aws:kms:${EU}:${E2E_ACCOUNT_ID}:key/${keyId}`)
  await eventually('the replica Enabled on B', async () => ((await state(b, keyId)).KeyState === 'Enabled' ? true : undefined))
  return keyId
}

test('ReplicateKey into the peer\'s Region: the replica appears on B, and ciphertexts cross both ways, also after a rotation on A', T, async () => {
  const keyId = await replicated()
  const onB = await state(b, keyId)
  assert.equal(onB.Description, 'kept by B')
  assert.equal(onB.MultiRegionConfiguration!.MultiRegionKeyType, 'REPLICA')
  assert.deepEqual(onB.MultiRegionConfiguration!.PrimaryKey, { Arn: `arn:aws:kms:${US}:${E2E_ACCOUNT_ID}:key/${keyId}`, Region: US })
  const onA = await state(a, keyId)
  assert.deepEqual(onA.MultiRegionConfiguration!.ReplicaKeys, [{ Arn: onB.Arn, Region: EU }])
  const fromA = await seal(a, keyId, 'sealed in Virginia')
  assert.equal(await open(b, fromA), 'sealed in Virginia')
  assert.equal(await open(a, await seal(b, keyId, 'sealed in Ireland')), 'sealed in Ireland')
  await kmsOf(a).rotateKeyOnDemand({ KeyId: keyId })
  const material = (await state(a, keyId)).CurrentKeyMaterialId
  await eventually('the rotation on B', async () => ((await state(b, keyId)).CurrentKeyMaterialId === material ? true : undefined))
  assert.equal(await open(b, await seal(a, keyId, 'after the rotation')), 'after the rotation')
  assert.equal(await open(a, await seal(b, keyId, 'back after the rotation')), 'back after the rotation')
  assert.equal(await open(b, fromA), 'sealed in Virginia')
})

test('trent peer check reaches B with the link credential, and reports a wrong secret as a failure', T, async () => {
  // Before any test moves the shared clock: the CLI signs with the system clock.
  const check = async (secretAccessKey: string) => {
    const run = startCli(['peer', 'check'], { TRENT_PEERS: JSON.stringify([{ region: EU, endpoint: b.proxy.url, ...LINK, secretAccessKey }]) })
    const { code } = await run.exited
    return { code, peers: (JSON.parse(run.stdout()) as { Peers: { Region: string; Status: string; TransportKeyId?: string; Error?: string }[] }).Peers }
  }
  const good = await check(LINK.secretAccessKey)
  assert.deepEqual([good.code, good.peers[0]!.Region, good.peers[0]!.Status], [0, EU, 'ok'])
  assert.match(good.peers[0]!.TransportKeyId!, /^[0-9a-f]{64}$/)
  const bad = await check(`${LINK.secretAccessKey}x`)
  assert.deepEqual([bad.code, bad.peers[0]!.Status], [1, 'failed'])
  assert.ok(!JSON.stringify(bad).includes(LINK.secretAccessKey))
})

test('what crossed the wire: SyncKeySet bodies hold material only sealed for the receiver\'s transport key', T, async () => {
  const syncs = b.proxy.requests.filter((r) => r.target === 'TrentPeer_20261201.SyncKeySet').map((r) => JSON.parse(r.body) as { versions: Record<string, unknown>[] })
  assert.ok(syncs.length >= 2)
  for (const sync of syncs) {
    for (const v of sync.versions) {
      assert.deepEqual(Object.keys(v.material as object).sort(), ['sealed', 'transportKeyId', 'wrappedKey'])
      // 12-byte IV + 32 bytes + 16-byte tag: the material is in there only as AES-GCM ciphertext.
      assert.equal(Buffer.from((v.material as { sealed: string }).sealed, 'base64').length, 60)
      assert.equal(Buffer.from((v.material as { wrappedKey: string }).wrappedKey, 'base64').length, 384)
    }
  }
})

test('B is down when ReplicateKey is called: the outbox keeps the message through A\'s restart and delivers once B is back', T, async () => {
  await stop(b)
  const keyId = (await kmsOf(a).createKey({ MultiRegion: true })).KeyMetadata!.KeyId!
  assert.equal((await kmsOf(a).replicateKey({ KeyId: keyId, ReplicaRegion: EU })).ReplicaKeyMetadata!.KeyState, 'Creating')
  const failedBefore = b.proxy.requests.length
  await eventually('a failed delivery attempt', async () => (b.proxy.requests.length > failedBefore ? true : undefined))
  await stop(a)
  await start(a, b)
  await start(b, a)
  await eventually('the replica Enabled on B', async () => ((await state(b, keyId)).KeyState === 'Enabled' ? true : undefined), 120_000)
  assert.equal(await open(b, await seal(a, keyId, 'after the outage')), 'after the outage')
})

test('UpdatePrimaryRegion to the peer\'s Region hands the primary to B; B\'s rotation then reaches A', T, async () => {
  const keyId = await replicated()
  const old = await seal(a, keyId, 'while A held the primary')
  // B shows its replica Enabled as soon as it has made it; A's mirror of it leaves Creating only once B's reply to
  // that sync is back at A. Until then A refuses the hand-over with KMSInvalidStateException, changing nothing, so
  // that refusal alone is retried.
  await wait.eventually('A to accept UpdatePrimaryRegion (its mirror of B\'s replica Enabled)', async () => {
    try {
      await kmsOf(a).updatePrimaryRegion({ KeyId: keyId, PrimaryRegion: EU })
      return true
    } catch (e) {
      if ((e as Error).name === 'KMSInvalidStateException') return undefined
      throw e
    }
  }, { withinMs: 60_000, everyMs: 200, detail: peerLogs })
  await eventually('B to hold the primary', async () => ((await state(b, keyId)).MultiRegionConfiguration!.MultiRegionKeyType === 'PRIMARY' ? true : undefined))
  await eventually('A Enabled again', async () => ((await state(a, keyId)).KeyState === 'Enabled' ? true : undefined))
  assert.equal((await state(a, keyId)).MultiRegionConfiguration!.MultiRegionKeyType, 'REPLICA')
  await kmsOf(b).rotateKeyOnDemand({ KeyId: keyId })
  const material = (await state(b, keyId)).CurrentKeyMaterialId
  await eventually('B\'s rotation on A', async () => ((await state(a, keyId)).CurrentKeyMaterialId === material ? true : undefined))
  assert.equal(await open(a, await seal(b, keyId, 'from the new primary')), 'from the new primary')
  assert.equal(await open(b, old), 'while A held the primary')
})

test('deletion: A\'s primary waits for B\'s replica, then its own window, under the shared test clock', T, async () => {
  const keyId = await replicated()
  assert.equal((await kmsOf(a).scheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 })).KeyState, 'PendingReplicaDeletion')
  await kmsOf(b).scheduleKeyDeletion({ KeyId: keyId, PendingWindowInDays: 7 })
  moveClocks(8 * DAY_MS)
  await eventually('the replica deleted on B', () => gone(b, keyId))
  const pending = await eventually('A\'s window to start', async () => {
    const m = await state(a, keyId)
    return m.KeyState === 'PendingDeletion' ? m : undefined
  })
  assert.ok(Math.abs(pending.DeletionDate!.getTime() - (Date.now() + offsetMs + 7 * DAY_MS)) < 120_000)
  moveClocks(8 * DAY_MS)
  await eventually('the primary deleted on A', () => gone(a, keyId))
})

test('each side audits its own part: A the ReplicateKey call, B the replica\'s CreateKey and the peer calls', T, async () => {
  const keyId = await replicated()
  const lookup = async (side: Side, arn: string) => {
    const c = new CloudTrail({ endpoint: side.server!.url, region: side.region, credentials: E2E_CREDENTIALS, maxAttempts: 1, systemClockOffset: offsetMs })
    try {
      const out = await c.lookupEvents({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: arn }] })
      return (out.Events ?? []).map((e) => JSON.parse(e.CloudTrailEvent!) as { eventName: string; eventSource: string; eventType: string; requestParameters?: unknown })
    } finally {
      c.destroy()
    }
  }
  const usArn = `arn:aws:kms:${US}:${E2E_ACCOUNT_ID}:key/${keyId}`
  const euArn = `arn:aws:kms:${EU}:${E2E_ACCOUNT_ID}:key/${keyId}`
  const onA = await lookup(a, usArn)
  assert.deepEqual(onA.filter((e) => e.eventName === 'ReplicateKey').map((e) => e.eventType), ['AwsApiCall'])
  const onB = await eventually('B\'s records', async () => {
    const events = await lookup(b, euArn)
    return events.some((e) => e.eventName === 'CreateKey') && events.some((e) => e.eventName === 'SyncKeySet') ? events : undefined
  })
  assert.deepEqual(onB.filter((e) => e.eventName === 'CreateKey').map((e) => e.eventType), ['AwsServiceEvent'])
  const peerCalls = onB.filter((e) => e.eventSource === 'trent-peer')
  assert.ok(peerCalls.length > 0)
  // The receiver's records of the peer calls carry no material or sealed bytes.
  for (const e of peerCalls) assert.ok(!/sealed|wrappedKey|material"/.test(JSON.stringify(e.requestParameters ?? {})))
})
