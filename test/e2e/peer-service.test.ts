// The peer service (receiver side) on a real server serving eu-west-1 whose TRENT_PEERS names a us-east-1
// deployment: link-credential SigV4 only, GetTransportKey, a SyncKeySet that makes a usable replica (through
// @aws-sdk/client-kms), a rotation that keeps old ciphertexts decrypting, strict bodies, and audit records
// (LookupEvents) that hold no material.
import { after, before, test } from 'node:test'
import assert from 'node:assert/strict'
import { CloudTrail } from '@aws-sdk/client-cloudtrail'
import type { KMS } from '@aws-sdk/client-kms'
import { defaultKeyPolicy } from '../../src/operations/key-policy.js'
import { randomBytes } from 'node:crypto'
import { sealedVersion, syncBody } from '../../src/peers/peer.test-support.js'
import { PEER_TARGET_PREFIX, type KeySetSync } from '../../src/peers/wire.js'
import { assertErrorReply, assertSdkError, kmsClient, rawRequest, type RawReply } from './support/clients.js'
import { E2E_ACCOUNT_ID, E2E_CREDENTIALS, cleanupTrent, startTrent, type TrentProcess } from './support/server.js'

const T = { timeout: 120_000 }
const EU = 'eu-west-1'
const US = 'us-east-1'
const LINK = { accessKeyId: 'PEERLINKUSEAST10001', secretAccessKey: 'the-us-east-1-link-secret-0123456789abcdef' }
const MRK = 'mrk-fedcba9876543210fedcba9876543210'
/** A second peer deployment (its own endpoint), serving sa-east-1: linked, but owning none of us-east-1's sets. */
const SA = 'sa-east-1'
const SA_LINK = { accessKeyId: 'PEERLINKSAEAST10001', secretAccessKey: 'the-sa-east-1-link-secret-0123456789abcdef' }

let server: TrentProcess
let eu: KMS

before(async () => {
  const peers = JSON.stringify([{ region: US, endpoint: 'http://127.0.0.1:9', ...LINK }, { region: SA, endpoint: 'http://127.0.0.1:10', ...SA_LINK }])
  server = await startTrent({ env: { TRENT_REGION: EU, TRENT_REGIONS: EU, TRENT_PEERS: peers } })
  eu = kmsClient(server.url, { region: EU })
}, T)

after(async () => {
  eu?.destroy()
  await cleanupTrent()
}, T)

const peer = (operation: string, body: unknown, options: { credentials?: typeof LINK; service?: string } = {}): Promise<RawReply> =>
  rawRequest(server.url, { target: `${PEER_TARGET_PREFIX}${operation}`, body: JSON.stringify(body), region: EU, service: options.service ?? 'trent-peer', credentials: options.credentials ?? LINK })

/** A set whose primary (and first Region) is the peer's us-east-1, with its replica in eu-west-1. */
const fromUs = (versions: KeySetSync['versions'], extra: Partial<KeySetSync> = {}): KeySetSync =>
  syncBody(MRK, versions, { accountId: E2E_ACCOUNT_ID, primaryRegion: US, firstRegion: US, regions: [US, EU], ...extra })

test('the peer service: link credential only, a synced replica serves KMS in eu-west-1 across a rotation, audited without material', T, async () => {
  // Authentication: an ordinary access key is unknown to the peer service; the link credential is unknown to KMS.
  assertErrorReply(await peer('GetTransportKey', {}, { credentials: E2E_CREDENTIALS }), 400, 'UnrecognizedClientException', 'The security token included in the request is invalid.')
  const linkKms = kmsClient(server.url, { region: EU, credentials: LINK })
  await assertSdkError(linkKms.listKeys({}), 'UnrecognizedClientException', 'The security token included in the request is invalid.')
  linkKms.destroy()
  assertErrorReply(await peer('GetTransportKey', {}, { service: 'kms' }), 400, 'InvalidSignatureException', "Credential should be scoped to correct service: 'trent-peer'. ")

  const transport = await peer('GetTransportKey', {})
  assert.equal(transport.status, 200, transport.text)
  const spki = Buffer.from(String(transport.json.publicKey), 'base64')

  const v1 = sealedVersion(MRK, 1, spki, EU)
  const replica = { region: EU, description: 'replica of the US key', policy: defaultKeyPolicy(E2E_ACCOUNT_ID), tags: [], bypassPolicyLockoutSafetyCheck: false }
  const created = await peer('SyncKeySet', fromUs([v1], { replica }))
  assert.equal(created.status, 200, created.text)
  assert.deepEqual(created.json, { members: [{ region: EU, keyState: 'Enabled' }] })

  const blob = (await eu.encrypt({ KeyId: MRK, Plaintext: Buffer.from('sealed in Ireland') })).CiphertextBlob!
  const v2 = sealedVersion(MRK, 2, spki, EU)
  const rotated = await peer('SyncKeySet', fromUs([v1, v2]))
  assert.equal(rotated.status, 200, rotated.text)
  assert.equal(Buffer.from((await eu.decrypt({ CiphertextBlob: blob })).Plaintext!).toString(), 'sealed in Ireland')
  const meta = (await eu.describeKey({ KeyId: MRK })).KeyMetadata!
  assert.equal(meta.CurrentKeyMaterialId, v2.materialId)
  assert.equal(meta.KeyState, 'Enabled')
  assert.deepEqual(meta.MultiRegionConfiguration, {
    MultiRegionKeyType: 'REPLICA',
    PrimaryKey: { Arn: `arn:aws:kms:${US}:${E2E_ACCOUNT_ID}:key/${MRK}`, Region: US },
    ReplicaKeys: [{ Arn: `arn:aws:kms:${EU}:${E2E_ACCOUNT_ID}:key/${MRK}`, Region: EU }],
  })
  const fresh = (await eu.encrypt({ KeyId: MRK, Plaintext: Buffer.from('after the rotation') })).CiphertextBlob!
  assert.equal(Buffer.from((await eu.decrypt({ CiphertextBlob: fresh })).Plaintext!).toString(), 'after the rotation')

  // Malformed or inconsistent bodies: 400 ValidationException, nothing changed.
  for (const body of [{ ...fromUs([v1, v2]), keyId: 'mrk-123' }, { ...fromUs([v1, v2]), currentVersion: -1 }, fromUs([sealedVersion(MRK, 2, spki, EU)])]) {
    assertErrorReply(await peer('SyncKeySet', body), 400, 'ValidationException', /./)
  }
  // A body that is not a JSON object: the protocol error the KMS service gives too.
  assert.equal((await peer('SyncKeySet', 'not an object')).json.__type, 'SerializationException')
  assert.equal((await eu.describeKey({ KeyId: MRK })).KeyMetadata!.CurrentKeyMaterialId, v2.materialId)

  // The audit log in eu-west-1: the peer calls about the key (the refused conflict too; a body too malformed to
  // name an account is recorded for no account, so LookupEvents shows it to none), the replica's CreateKey, no sealed bytes.
  const trail = new CloudTrail({ endpoint: server.url, region: EU, credentials: E2E_CREDENTIALS, maxAttempts: 1 })
  const events = (await trail.lookupEvents({ LookupAttributes: [{ AttributeKey: 'ResourceName', AttributeValue: `arn:aws:kms:${EU}:${E2E_ACCOUNT_ID}:key/${MRK}` }] })).Events ?? []
  trail.destroy()
  const records = events.map((e) => JSON.parse(e.CloudTrailEvent!) as { eventSource: string; eventName: string; errorCode?: string; userIdentity?: { userName?: string } })
  const peerCalls = records.filter((r) => r.eventSource === 'trent-peer')
  assert.equal(peerCalls.length, 3, JSON.stringify(records.map((r) => r.eventName)))
  assert.ok(peerCalls.every((r) => r.eventName === 'SyncKeySet' && r.userIdentity?.userName === US))
  assert.ok(peerCalls.some((r) => r.errorCode === 'ValidationException'))
  assert.ok(records.some((r) => r.eventSource === 'kms.amazonaws.com' && r.eventName === 'CreateKey'))
  const text = JSON.stringify(events)
  for (const v of [v1, v2]) for (const part of [v.material!.sealed, v.material!.wrappedKey]) assert.ok(!text.includes(part.slice(0, 40)))
  assert.ok(!text.includes(LINK.secretAccessKey))
})

test('hostile peers, replayed through the real server: each attack the review found is refused and changes nothing', T, async () => {
  const spki = Buffer.from(String((await peer('GetTransportKey', {})).json.publicKey), 'base64')
  const MRK2 = 'mrk-00112233445566778899aabbccddeeff'
  const replica = { region: EU, description: '', policy: defaultKeyPolicy(E2E_ACCOUNT_ID), tags: [], bypassPolicyLockoutSafetyCheck: false }
  const v1 = sealedVersion(MRK2, 1, spki, EU)
  const set = (versions: KeySetSync['versions'], extra: Partial<KeySetSync> = {}) =>
    syncBody(MRK2, versions, { accountId: E2E_ACCOUNT_ID, primaryRegion: US, firstRegion: US, regions: [US, EU], ...extra })
  assert.equal((await peer('SyncKeySet', set([v1], { replica }))).status, 200)
  const material = async (keyId: string) => (await eu.describeKey({ KeyId: keyId })).KeyMetadata!.CurrentKeyMaterialId

  // 1. Version injection into a primary this deployment holds: the peer's own material as its version 2.
  const local = (await eu.createKey({ MultiRegion: true })).KeyMetadata!.KeyId!
  const localBefore = await material(local)
  const inject = await peer('SyncKeySet', syncBody(local, [sealedVersion(local, 2, spki, EU)], { accountId: E2E_ACCOUNT_ID, primaryRegion: EU, firstRegion: EU, regions: [EU, US] }))
  assertErrorReply(inject, 400, 'ValidationException', /./)
  assert.equal(await material(local), localBefore)

  // 2. Another linked peer speaking for us-east-1's set: new versions, a claimed primary, forgetting its mirror.
  const asSa = (operation: string, body: unknown) => peer(operation, body, { credentials: SA_LINK })
  for (const primaryRegion of [US, SA]) {
    assertErrorReply(await asSa('SyncKeySet', set([v1, sealedVersion(MRK2, 2, spki, EU)], { primaryRegion, regions: [US, SA, EU] })), 400, 'ValidationException', /./)
  }
  assertErrorReply(await asSa('ForgetRegionalKey', { keyId: MRK2, accountId: E2E_ACCOUNT_ID, region: US }), 400, 'ValidationException', `${US} is not a Region this peer serves.`)
  // Not even the primary's own deployment may forget the primary while the replica here exists.
  assertErrorReply(await peer('ForgetRegionalKey', { keyId: MRK2, accountId: E2E_ACCOUNT_ID, region: US }), 400, 'ValidationException', /still has a replica here/)
  const meta = (await eu.describeKey({ KeyId: MRK2 })).KeyMetadata!
  assert.equal(meta.CurrentKeyMaterialId, v1.materialId)
  assert.equal(meta.MultiRegionConfiguration!.PrimaryKey!.Region, US)

  // 3. Material that is no key of the spec, and a timestamp no Date holds: 400, never a 500, nothing written.
  assertErrorReply(await peer('SyncKeySet', set([v1, sealedVersion(MRK2, 2, spki, EU, randomBytes(16))])), 400, 'ValidationException', /./)
  assertErrorReply(await peer('SyncKeySet', set([v1], { createdAt: Number.MAX_SAFE_INTEGER })), 400, 'ValidationException', /./)
  assert.equal(await material(MRK2), v1.materialId)
  const blob = (await eu.encrypt({ KeyId: MRK2, Plaintext: Buffer.from('still ours') })).CiphertextBlob!
  assert.equal(Buffer.from((await eu.decrypt({ CiphertextBlob: blob })).Plaintext!).toString(), 'still ours')
})
