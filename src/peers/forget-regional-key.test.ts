// ForgetRegionalKey: a peer's regional key is gone there, so its mirror goes here (only a mirror; idempotent),
// and a local primary waiting for its replicas can start its own deletion window.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT } from '../../test/support/harness.js'
import { replicaStorageId } from '../keys/regional-key.js'
import { PEER_LINK, createPeerHarness, type PeerHarness } from './peer.test-support.js'

describe('ForgetRegionalKey', () => {
  let h: PeerHarness
  let keyId: string
  let mirrorId: string
  beforeEach(async () => {
    h = await createPeerHarness()
    // A local primary in eu-west-1 with a mirror of its peer replica in ap-northeast-1 (as ReplicateKey to a peer Region leaves it).
    keyId = String(((await h.callIn('eu-west-1', 'CreateKey', { MultiRegion: true })).body.KeyMetadata as { KeyId: string }).KeyId)
    const primary = (await h.services.store.getKey(keyId))!
    mirrorId = replicaStorageId(keyId, PEER_LINK.region)
    const versions = (await h.services.store.listAllKeyVersions(keyId)).map((v) => ({ ...v, keyId: mirrorId }))
    assert.equal(await h.services.store.insertReplicaKey({ ...primary, keyId: mirrorId, region: PEER_LINK.region, primaryRegion: 'eu-west-1' }, versions, [], keyId, primary.currentVersion, 100), true)
  })
  afterEach(() => h.close())

  it('destroys the mirror, so the primary waiting in PendingReplicaDeletion starts its window; a repeat is success', async () => {
    const scheduled = await h.callIn('eu-west-1', 'ScheduleKeyDeletion', { KeyId: keyId, PendingWindowInDays: 7 })
    assert.equal(scheduled.body.KeyState, 'PendingReplicaDeletion', JSON.stringify(scheduled.body))
    const forget = { keyId, accountId: TEST_ACCOUNT, region: PEER_LINK.region }
    const res = await h.peer('ForgetRegionalKey', forget)
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.equal(await h.services.store.getKey(mirrorId), undefined)
    assert.deepEqual(await h.services.store.listAllKeyVersions(mirrorId), [])
    const started = await h.services.store.startReplicaFreeDeletions(h.clock.now())
    assert.deepEqual(started.map((k) => [k.keyId, k.keyState]), [[keyId, 'PendingDeletion']])
    assert.equal((await h.peer('ForgetRegionalKey', forget)).status, 200)
    const record = (await h.services.store.listAudit(0, 1000)).map((r) => r.record).filter((r) => r.eventName === 'ForgetRegionalKey')[0]!
    assert.deepEqual(record.requestParameters, { keyId, region: PEER_LINK.region })
    assert.equal(record.recipientAccountId, TEST_ACCOUNT)
  })

  it('refuses to forget a key in a Region served here, or of another account, and a malformed body', async () => {
    for (const body of [{ keyId, accountId: TEST_ACCOUNT, region: 'eu-west-1' }, { keyId, accountId: '999988887777', region: PEER_LINK.region }, { keyId: 'mrk-1', accountId: TEST_ACCOUNT, region: PEER_LINK.region }]) {
      const res = await h.peer('ForgetRegionalKey', body)
      assert.equal(res.status, 400, JSON.stringify(res.body))
      assert.equal(res.body.__type, 'ValidationException')
    }
    assert.equal((await h.services.store.listRegionalKeys(keyId)).length, 2)
  })
})
