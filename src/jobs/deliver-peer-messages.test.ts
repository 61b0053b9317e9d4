// The delivery job against a fake peer: what it sends (current state, material sealed for the peer's transport
// key and never in the clear), how it applies the reply, and how it defers and settles moot messages.
import assert from 'node:assert/strict'
import { generateKeyPairSync } from 'node:crypto'
import { after, before, describe, it } from 'node:test'
import { callOk, createHarness, type Harness } from '../../test/support/harness.js'
import { PEER_LINK } from '../peers/peer.test-support.js'
import { PeerCallError, type PeerClient } from '../peers/peer-client.js'
import { transportKeyId, unwrapFromTransport } from '../peers/transport-wrap.js'
import type { ForgetRegionalKey, KeySetSync, KeySetSyncReply } from '../peers/wire.js'
import { notifyPeersOfDestruction } from '../peers/notify-peers.js'
import { deliverPeerMessages, retryDelayMs, type DeliveryDeps } from './deliver-peer-messages.js'

const US = 'us-east-1'
const PEER = PEER_LINK.region
const transport = generateKeyPairSync('rsa', { modulusLength: 3072 })
const spki = transport.publicKey.export({ format: 'der', type: 'spki' })

interface FakePeer {
  syncs: KeySetSync[]
  forgets: ForgetRegionalKey[]
  reply: KeySetSyncReply
  failure: string | undefined
  client: PeerClient
}

/** A peer that records what it is sent and answers `reply` (or fails with `failure`). */
function fakePeer(): FakePeer {
  const peer: FakePeer = {
    syncs: [] as KeySetSync[], forgets: [] as ForgetRegionalKey[], reply: { members: [] } as KeySetSyncReply, failure: undefined as string | undefined,
    client: {
      async getTransportKey() {
        if (peer.failure) throw new PeerCallError(peer.failure)
        return { publicKey: spki.toString('base64'), transportKeyId: transportKeyId(spki) }
      },
      async syncKeySet(m: KeySetSync) { peer.syncs.push(m); return peer.reply },
      async forgetRegionalKey(m: ForgetRegionalKey) { peer.forgets.push(m) },
    },
  }
  return peer
}

const ok = (h: Harness, op: string, body: unknown) => callOk(h, US, op, body)

describe('peer delivery job', () => {
  let h: Harness
  let peer: FakePeer
  let deps: DeliveryDeps
  before(async () => { h = await createHarness({ regions: [], peers: [PEER_LINK] }) })
  after(async () => { await h.close() })
  const fresh = () => { peer = fakePeer(); deps = { ...h.services, clientFor: () => peer.client } }

  async function replicated(): Promise<string> {
    const keyId = ((await ok(h, 'CreateKey', { MultiRegion: true })).KeyMetadata as { KeyId: string }).KeyId
    await ok(h, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: PEER, Description: 'there' })
    return keyId
  }

  it('sends the set\'s current state with material sealed for the peer, and takes the replica\'s state from the reply', async () => {
    fresh()
    const keyId = await replicated()
    await ok(h, 'RotateKeyOnDemand', { KeyId: keyId })
    peer.reply = { members: [{ region: PEER, keyState: 'Enabled' }] }
    assert.deepEqual([...(await deliverPeerMessages(deps)).values()], ['delivered'])
    const [sync] = peer.syncs
    assert.deepEqual([sync!.keyId, sync!.primaryRegion, sync!.firstRegion, sync!.regions, sync!.currentVersion], [keyId, US, US, [PEER, US].sort(), 2])
    assert.deepEqual([sync!.replica?.region, sync!.replica?.description, sync!.rotation], [PEER, 'there', { enabled: false }])
    const primary = (await h.services.store.getKey(keyId))!
    for (const v of sync!.versions) {
      const opened = unwrapFromTransport(v.material!, transport.privateKey, transportKeyId(spki), { keyId, version: v.version, receiverRegion: PEER })
      const held = await h.services.keyring.withMaterial(primary, v.version, (u) => Buffer.from(u.material))
      assert.deepEqual(Buffer.from(opened), held)
      // The message as it goes on the wire never holds the material in the clear.
      assert.ok(!JSON.stringify(sync).includes(held.toString('base64')))
      assert.ok(!JSON.stringify(sync).includes(held.toString('hex')))
    }
    assert.equal((await h.services.store.getKey(`${keyId}/${PEER}`))?.keyState, 'Enabled')
    assert.deepEqual(await h.services.store.listPeerMessages(keyId), [])
    // Delivered once: nothing more is sent until the next change.
    await deliverPeerMessages(deps)
    assert.equal(peer.syncs.length, 1)
  })

  it('defers a failed delivery with a growing backoff and the peer\'s short error; a later run delivers', async () => {
    fresh()
    const keyId = await replicated()
    peer.failure = `GetTransportKey to ${PEER} failed: ECONNREFUSED`
    assert.deepEqual([...(await deliverPeerMessages(deps)).values()], ['deferred'])
    let [m] = await h.services.store.listPeerMessages(keyId)
    assert.deepEqual([m!.attempts, m!.lastError, m!.dueAt.getTime() - h.clock.now().getTime()], [1, peer.failure, 1000])
    h.clock.advance(1000)
    await deliverPeerMessages(deps)
    ;[m] = await h.services.store.listPeerMessages(keyId)
    assert.deepEqual([m!.attempts, m!.dueAt.getTime() - h.clock.now().getTime()], [2, 2000])
    assert.deepEqual([retryDelayMs(0), retryDelayMs(5), retryDelayMs(6), retryDelayMs(60)], [1000, 32_000, 60_000, 60_000])
    peer.failure = undefined
    await deliverPeerMessages(deps)
    assert.equal(peer.syncs.length, 0, 'not due yet')
    h.clock.advance(2000)
    await deliverPeerMessages(deps)
    assert.equal(peer.syncs.length, 1)
    assert.deepEqual(await h.services.store.listPeerMessages(keyId), [])
  })

  it('a message whose change is not there waits one retry, then is moot; nothing is sent for it', async () => {
    fresh()
    const keyId = ((await ok(h, 'CreateKey', { MultiRegion: true })).KeyMetadata as { KeyId: string }).KeyId
    // As if ReplicateKey had queued and then lost its insert (the primary rotated meanwhile).
    await h.services.store.enqueuePeerMessage(keyId, PEER, 'sync', h.clock.now(), '{}')
    assert.deepEqual([...(await deliverPeerMessages(deps)).values()], ['deferred'])
    assert.equal((await h.services.store.listPeerMessages(keyId))[0]!.lastError, 'waiting for the local change to commit')
    h.clock.advance(1000)
    assert.deepEqual([...(await deliverPeerMessages(deps)).values()], ['moot'])
    assert.deepEqual([peer.syncs.length, await h.services.store.listPeerMessages(keyId)], [0, []])
  })

  it('hands the primary over: the sync names the peer\'s Region, and the local row leaves Updating on the reply', async () => {
    fresh()
    const keyId = await replicated()
    peer.reply = { members: [{ region: PEER, keyState: 'Enabled' }] }
    await deliverPeerMessages(deps)
    await ok(h, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 100 })
    await ok(h, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: PEER })
    await deliverPeerMessages(deps)
    const sync = peer.syncs.at(-1)!
    assert.equal(sync.primaryRegion, PEER)
    assert.equal(sync.replica, undefined)
    assert.deepEqual([sync.rotation.enabled, sync.rotation.periodDays], [true, 100])
    assert.deepEqual([(await h.services.store.getKey(keyId))?.keyState, (await h.services.store.getKey(`${keyId}/${PEER}`))?.keyState], ['Enabled', 'Enabled'])
    // The primary is the peer's now: a later change here (none is possible but a sync queued anyway) is moot.
    await h.services.store.enqueuePeerMessage(keyId, PEER, 'sync', h.clock.now())
    await deliverPeerMessages(deps)
    assert.equal(peer.syncs.at(-1)!.primaryRegion, PEER, 'handing over stays allowed while the receiver is the primary')
  })

  it('sends a forget once the key is gone, and drops one whose key is still there', async () => {
    fresh()
    const keyId = await replicated()
    await h.services.store.enqueuePeerMessage(keyId, PEER, 'forget', h.clock.now(), JSON.stringify({ keyId, accountId: '1', region: US }))
    await deliverPeerMessages(deps)
    h.clock.advance(1000)
    await deliverPeerMessages(deps)
    assert.deepEqual(peer.forgets, [])
    assert.deepEqual((await h.services.store.listPeerMessages(keyId)).map((m) => m.kind), [])
    await h.services.store.enqueuePeerMessage(keyId, PEER, 'forget', h.clock.now(), JSON.stringify({ keyId, accountId: '1', region: 'eu-north-1' }))
    await deliverPeerMessages(deps)
    assert.deepEqual(peer.forgets, [{ keyId, accountId: '1', region: 'eu-north-1' }])
  })

  it('announces every regional key destroyed before a delivery, not only the last one', async () => {
    fresh()
    const keyId = await replicated()
    const set = await h.services.store.listRegionalKeys(keyId)
    const deps2 = { store: h.services.store, peerRegions: new Set([PEER]) }
    // Two Regions of this deployment lose their regional key before the delivery job runs (neither is in the set).
    await notifyPeersOfDestruction(deps2, h.clock.now(), { accountId: '1', region: 'eu-north-1' }, keyId, set)
    await notifyPeersOfDestruction(deps2, h.clock.now(), { accountId: '1', region: 'ap-south-1' }, keyId, set)
    assert.equal((await h.services.store.listPeerMessages(keyId)).filter((m) => m.kind === 'forget').length, 1)
    await deliverPeerMessages(deps)
    assert.deepEqual(peer.forgets.map((f) => f.region).sort(), ['ap-south-1', 'eu-north-1'])
    assert.ok(peer.forgets.every((f) => f.keyId === keyId && f.accountId === '1'))
  })
})
