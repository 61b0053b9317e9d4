// Multi-Region sets with a regional key in a PEER deployment's Region, sender side: the operations and jobs
// queue their messages (intent first) and leave the peer's part to the delivery job. No peer answers here.
import assert from 'node:assert/strict'
import { after, before, describe, it } from 'node:test'
import { PEER_LINK } from '../peers/peer.test-support.js'
import { callOk, createHarness, type Harness } from '../../test/support/harness.js'
import { deleteExpiredKeys } from '../jobs/delete-expired-keys.js'
import { finishRegionalKeys } from '../jobs/finish-regional-keys.js'
import { rotateDueKeys } from '../jobs/rotate-due-keys.js'

const US = 'us-east-1'
const PEER = PEER_LINK.region
const DAY = 86_400_000

const ok = (h: Harness, op: string, body: unknown) => callOk(h, US, op, body)

describe('multi-Region sets with a peer Region: what the sender queues', () => {
  let h: Harness
  before(async () => { h = await createHarness({ regions: [], peers: [PEER_LINK] }) })
  after(async () => { await h.close() })

  const outbox = async (keyId: string) => (await h.services.store.listPeerMessages(keyId)).map((m) => `${m.region}/${m.kind}/${m.seq}`)

  async function replicated(): Promise<string> {
    const keyId = ((await ok(h, 'CreateKey', { MultiRegion: true })).KeyMetadata as { KeyId: string }).KeyId
    const rep = await ok(h, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: PEER, Description: 'in the peer', Tags: [{ TagKey: 't', TagValue: 'v' }] })
    assert.equal((rep.ReplicaKeyMetadata as { KeyState: string }).KeyState, 'Creating')
    return keyId
  }

  it('ReplicateKey into a peer Region keeps a Creating mirror and queues a sync carrying the replica\'s properties', async () => {
    const keyId = await replicated()
    const mirror = await h.services.store.getKey(`${keyId}/${PEER}`)
    assert.equal(mirror?.keyState, 'Creating')
    const [message] = await h.services.store.listPeerMessages(keyId)
    assert.deepEqual(JSON.parse(message!.replicaJson!), {
      region: PEER, description: 'in the peer', policy: mirror!.policy, tags: [{ tagKey: 't', tagValue: 'v' }], bypassPolicyLockoutSafetyCheck: false,
    })
    // Until the peer answers, the jobs leave the mirror alone.
    await finishRegionalKeys(h.services)
    assert.equal((await h.services.store.getKey(`${keyId}/${PEER}`))?.keyState, 'Creating')
    // DescribeKey already names the replica.
    const meta = (await ok(h, 'DescribeKey', { KeyId: keyId })).KeyMetadata as { MultiRegionConfiguration: { ReplicaKeys: { Region: string }[] } }
    assert.deepEqual(meta.MultiRegionConfiguration.ReplicaKeys.map((r) => r.Region), [PEER])
  })

  it('a Region neither served nor a peer\'s is still refused, and nothing is queued', async () => {
    const keyId = ((await ok(h, 'CreateKey', { MultiRegion: true })).KeyMetadata as { KeyId: string }).KeyId
    const r = await h.callIn(US, 'ReplicateKey', { KeyId: keyId, ReplicaRegion: 'sa-east-1' })
    assert.deepEqual([r.status, r.body.__type], [400, 'ValidationException'])
    assert.deepEqual(await outbox(keyId), [])
  })

  it('rotations, the rotation schedule and a rotation job each bump the peer Region\'s sync, before and after the write (two per change)', async () => {
    const keyId = await replicated()
    await ok(h, 'RotateKeyOnDemand', { KeyId: keyId })
    assert.deepEqual(await outbox(keyId), [`${PEER}/sync/4`])
    await ok(h, 'EnableKeyRotation', { KeyId: keyId, RotationPeriodInDays: 90 })
    assert.deepEqual(await outbox(keyId), [`${PEER}/sync/6`])
    h.clock.advance(91 * DAY)
    assert.ok((await rotateDueKeys(h.services)).includes(keyId))
    assert.deepEqual(await outbox(keyId), [`${PEER}/sync/8`])
    await ok(h, 'DisableKeyRotation', { KeyId: keyId })
    assert.deepEqual(await outbox(keyId), [`${PEER}/sync/10`])
    // A key with no peer Region queues nothing.
    const alone = ((await ok(h, 'CreateKey', { MultiRegion: true })).KeyMetadata as { KeyId: string }).KeyId
    await ok(h, 'RotateKeyOnDemand', { KeyId: alone })
    assert.deepEqual(await outbox(alone), [])
  })

  it('UpdatePrimaryRegion to a peer replica still Creating (or Disabled there) is refused, changing and queuing nothing', async () => {
    const keyId = await replicated()
    const refused = await h.callIn(US, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: PEER })
    assert.deepEqual([refused.status, refused.body.__type], [400, 'KMSInvalidStateException'])
    await h.services.store.finishKeyTransition(`${keyId}/${PEER}`, 'Creating', 'Disabled')
    const disabled = await h.callIn(US, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: PEER })
    assert.deepEqual([disabled.status, disabled.body.__type], [400, 'DisabledException'])
    assert.deepEqual(await outbox(keyId), [`${PEER}/sync/2`], 'only ReplicateKey\'s sync (queued before and after the write)')
    assert.equal((await h.services.store.getKey(keyId))?.primaryRegion ?? US, US)
  })

  it('UpdatePrimaryRegion to the peer Region is allowed: both rows wait in Updating and the sync is queued', async () => {
    const keyId = await replicated()
    // As the delivery job would after the peer's reply.
    await h.services.store.finishKeyTransition(`${keyId}/${PEER}`, 'Creating', 'Enabled')
    await ok(h, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: PEER })
    assert.deepEqual(await outbox(keyId), [`${PEER}/sync/4`])
    const [local, mirror] = [await h.services.store.getKey(keyId), await h.services.store.getKey(`${keyId}/${PEER}`)]
    assert.deepEqual([local?.keyState, local?.primaryRegion, mirror?.keyState], ['Updating', PEER, 'Updating'])
    await finishRegionalKeys(h.services)
    assert.equal((await h.services.store.getKey(keyId))?.keyState, 'Updating', 'the hand-over is the delivery job\'s to finish')
  })

  it('a hand-over left Updating with no message pending (a delivery raced the commit, then a crash) is announced again, not finished here', async () => {
    const keyId = await replicated()
    await h.services.store.finishKeyTransition(`${keyId}/${PEER}`, 'Creating', 'Enabled')
    await ok(h, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: PEER })
    // As if a delivery that read the set before the commit had taken the message, and the second enqueue never came.
    assert.equal(await h.services.store.completePeerMessage(keyId, PEER, 'sync', 4), true)
    await finishRegionalKeys(h.services)
    assert.deepEqual(await outbox(keyId), [`${PEER}/sync/1`], 'the set is announced again')
    const [local, mirror] = [await h.services.store.getKey(keyId), await h.services.store.getKey(`${keyId}/${PEER}`)]
    assert.deepEqual([local?.keyState, mirror?.keyState], ['Updating', 'Updating'], 'the peer\'s reply finishes them')
  })

  it('the deletion job queues a forget to each peer Region before it destroys a regional key of the set', async () => {
    const keyId = await replicated()
    await h.services.store.finishKeyTransition(`${keyId}/${PEER}`, 'Creating', 'Enabled')
    await ok(h, 'UpdatePrimaryRegion', { KeyId: keyId, PrimaryRegion: PEER })
    // As the delivery job would once the peer took the primary over.
    await h.services.store.completePeerMessage(keyId, PEER, 'sync', 4)
    await h.services.store.finishKeyTransition(keyId, 'Updating', 'Enabled')
    // The local key is now a replica: it waits its own window.
    assert.equal((await ok(h, 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 })).KeyState, 'PendingDeletion')
    h.clock.advance(8 * DAY)
    assert.deepEqual(await deleteExpiredKeys(h.services), [keyId])
    const messages = await h.services.store.listPeerMessages(keyId)
    assert.deepEqual(messages.map((m) => [m.region, m.kind, JSON.parse(m.replicaJson!)]), [
      [PEER, 'forget', { keyId, accountId: (await h.services.store.getKey(`${keyId}/${PEER}`))!.accountId, regions: [US] }],
    ])
  })
})
