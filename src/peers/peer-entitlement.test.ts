// What one peer link may speak for: only key sets whose primary its deployment holds (or hands over to a Region
// served here), and only forgets of Regions its deployment serves. Through the real pipeline, with two peers.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT } from '../../test/support/harness.js'
import { defaultKeyPolicy } from '../operations/key-policy.js'
import { OTHER_PEER_LINKS, PEER_LINK, createPeerHarness, sealedVersion, syncBody, transportSpki, type PeerHarness } from './peer.test-support.js'

const MRK = 'mrk-0123456789abcdef0123456789abcdef'
const EU = 'eu-west-1'
const replica = { region: EU, description: '', policy: defaultKeyPolicy(TEST_ACCOUNT), tags: [], bypassPolicyLockoutSafetyCheck: false }
const [SA, CA] = OTHER_PEER_LINKS as [typeof PEER_LINK, typeof PEER_LINK]

describe('peer entitlement', () => {
  let h: PeerHarness
  let spki: Buffer
  let v1: ReturnType<typeof sealedVersion>
  beforeEach(async () => {
    h = await createPeerHarness(OTHER_PEER_LINKS)
    spki = await transportSpki(h)
    // ap-northeast-1 (PEER_LINK's deployment) holds the primary; eu-west-1 here holds a replica.
    v1 = sealedVersion(MRK, 1, spki)
    const made = await h.peer('SyncKeySet', syncBody(MRK, [v1], { replica }))
    assert.equal(made.status, 200, JSON.stringify(made.body))
  })
  afterEach(() => h.close())

  it('another peer cannot add versions to, or claim the primary of, a set it holds no regional key of', async () => {
    const before = JSON.stringify(await h.services.store.listRegionalKeys(MRK))
    for (const primaryRegion of [PEER_LINK.region, SA.region]) {
      const body = syncBody(MRK, [v1, sealedVersion(MRK, 2, spki)], { primaryRegion, regions: [PEER_LINK.region, SA.region, EU] })
      const res = await h.peer('SyncKeySet', body, { credentials: SA })
      assert.deepEqual([res.status, res.body.__type], [400, 'ValidationException'], primaryRegion)
    }
    assert.equal(JSON.stringify(await h.services.store.listRegionalKeys(MRK)), before)
    // The owner still may.
    const rotated = await h.peer('SyncKeySet', syncBody(MRK, [v1, sealedVersion(MRK, 2, spki)]))
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body))
    assert.deepEqual((await h.services.store.listAllKeyVersions(`${MRK}/${EU}`)).map((v) => v.version), [1, 2])
  })

  it('a peer forgets only regional keys of the Regions its deployment serves', async () => {
    const forget = (credentials: typeof PEER_LINK, region: string) => h.peer('ForgetRegionalKey', { keyId: MRK, accountId: TEST_ACCOUNT, region }, { credentials })
    const refused = await forget(SA, PEER_LINK.region)
    assert.deepEqual([refused.status, refused.body.__type], [400, 'ValidationException'])
    assert.ok((await h.services.store.listRegionalKeys(MRK)).some((k) => k.region === PEER_LINK.region), 'the mirror is still there')
    // A deployment serving two Regions may sign with either link: ca-central-1 is sa-east-1's deployment.
    assert.equal((await forget(CA, SA.region)).status, 200)
    // The primary's own deployment cannot forget the primary while the replica here exists...
    const early = await forget(PEER_LINK, PEER_LINK.region)
    assert.deepEqual([early.status, early.body.__type], [400, 'ValidationException'])
    // ...only once the replica is gone (deleted here, as the deletion choreography does it).
    await h.services.store.destroyKey(`${MRK}/${EU}`)
    assert.equal((await forget(PEER_LINK, PEER_LINK.region)).status, 200)
    assert.deepEqual(await h.services.store.listRegionalKeys(MRK), [])
  })
})
