// SyncKeySet through the real pipeline: a peer's primary becomes a usable local replica plus a mirror; new
// versions arrive without breaking old ciphertexts; anything wrong is a ValidationException that changes nothing.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { b64, TEST_ACCOUNT } from '../../test/support/harness.js'
import { defaultKeyPolicy } from '../operations/key-policy.js'
import { PEER_LINK, createPeerHarness, sealedVersion, syncBody, transportSpki, type PeerHarness } from './peer.test-support.js'

const MRK = 'mrk-0123456789abcdef0123456789abcdef'
const replica = { region: 'eu-west-1', description: 'from the peer', policy: defaultKeyPolicy(TEST_ACCOUNT), tags: [{ tagKey: 'team', tagValue: 'a' }], bypassPolicyLockoutSafetyCheck: false }

describe('SyncKeySet', () => {
  let h: PeerHarness
  let spki: Buffer
  beforeEach(async () => {
    h = await createPeerHarness()
    spki = await transportSpki(h)
  })
  afterEach(() => h.close())

  it('creates an Enabled replica that encrypts and decrypts, keeps old ciphertexts across a rotation, and shows the mirror primary', async () => {
    const v1 = sealedVersion(MRK, 1, spki)
    const res = await h.peer('SyncKeySet', syncBody(MRK, [v1], { replica }))
    assert.equal(res.status, 200, JSON.stringify(res.body))
    assert.deepEqual(res.body, { members: [{ region: 'eu-west-1', keyState: 'Enabled' }] })
    const enc = await h.callIn('eu-west-1', 'Encrypt', { KeyId: MRK, Plaintext: b64('hello') })
    assert.equal(enc.status, 200, JSON.stringify(enc.body))
    const v2 = sealedVersion(MRK, 2, spki)
    const rotated = await h.peer('SyncKeySet', syncBody(MRK, [v1, v2]))
    assert.equal(rotated.status, 200, JSON.stringify(rotated.body))
    const dec = await h.callIn('eu-west-1', 'Decrypt', { CiphertextBlob: enc.body.CiphertextBlob })
    assert.equal(dec.status, 200, JSON.stringify(dec.body))
    assert.equal(Buffer.from(String(dec.body.Plaintext), 'base64').toString(), 'hello')
    const described = await h.callIn('eu-west-1', 'DescribeKey', { KeyId: MRK })
    const meta = described.body.KeyMetadata as Record<string, any>
    assert.equal(meta.CurrentKeyMaterialId, v2.materialId)
    assert.equal(meta.Description, 'from the peer')
    assert.equal(meta.MultiRegionConfiguration.MultiRegionKeyType, 'REPLICA')
    assert.equal(meta.MultiRegionConfiguration.PrimaryKey.Region, PEER_LINK.region)
    assert.deepEqual(meta.MultiRegionConfiguration.ReplicaKeys.map((r: { Region: string }) => r.Region), ['eu-west-1'])
    // The mirror is not reachable: this deployment does not serve the peer's Region.
    assert.equal((await h.callIn(PEER_LINK.region, 'DescribeKey', { KeyId: MRK })).body.__type, 'InvalidSignatureException')
    // The audit log: the service events in eu-west-1, and the peer's calls without any sealed bytes.
    const records = (await h.services.store.listAudit(0, 1000)).map((r) => r.record)
    const names = records.filter((r) => r.eventSource === 'kms.amazonaws.com' && r.eventType === 'AwsServiceEvent').map((r) => `${r.eventName}@${r.awsRegion}`)
    assert.deepEqual(names, ['CreateKey@eu-west-1', 'SynchronizeMultiRegionKey@eu-west-1'])
    const peerCalls = records.filter((r) => r.eventName === 'SyncKeySet')
    assert.equal(peerCalls.length, 2)
    assert.deepEqual(peerCalls[1]!.requestParameters?.versions, [1, 2])
    const text = JSON.stringify(records)
    for (const v of [v1, v2]) for (const part of [v.material!.sealed, v.material!.wrappedKey]) assert.ok(!text.includes(part))
  })

  it('accepts a set whose first Region\'s key is gone (firstRegion empty): every row is stored under <id>/<region>', async () => {
    const res = await h.peer('SyncKeySet', syncBody(MRK, [sealedVersion(MRK, 1, spki)], { replica, firstRegion: '' }))
    assert.equal(res.status, 200, JSON.stringify(res.body))
    const ids = (await h.services.store.listRegionalKeys(MRK)).map((k) => k.keyId).sort()
    assert.deepEqual(ids, [`${MRK}/eu-west-1`, `${MRK}/${PEER_LINK.region}`].sort())
    assert.equal((await h.callIn('eu-west-1', 'Encrypt', { KeyId: MRK, Plaintext: b64('x') })).status, 200)
    // Still a Region of the set or nothing: another name is refused.
    const bad = await h.peer('SyncKeySet', syncBody(MRK, [sealedVersion(MRK, 1, spki)], { firstRegion: 'ap-south-1' }))
    assert.equal(bad.body.__type, 'ValidationException')
  })

  it('refuses bad sealing, a wrong material id and a conflicting version with ValidationException, changing nothing', async () => {
    assert.equal((await h.peer('SyncKeySet', syncBody(MRK, [sealedVersion(MRK, 1, spki)], { replica }))).status, 200)
    const before = JSON.stringify(await h.services.store.listRegionalKeys(MRK))
    const cases = [
      syncBody(MRK, [sealedVersion(MRK, 1, spki)]), // version 1 again, other material
      syncBody(MRK, [sealedVersion(MRK, 2, spki, 'ap-southeast-2')]), // sealed for another Region
      syncBody(MRK, [{ ...sealedVersion(MRK, 2, spki), materialId: 'f'.repeat(64) }]),
      syncBody(MRK, [{ ...sealedVersion(MRK, 2, spki), material: { ...sealedVersion(MRK, 2, spki).material!, transportKeyId: 'a'.repeat(64) } }]),
    ]
    for (const body of cases) {
      const res = await h.peer('SyncKeySet', body)
      assert.equal(res.status, 400, JSON.stringify(res.body))
      assert.equal(res.body.__type, 'ValidationException')
    }
    assert.equal(JSON.stringify(await h.services.store.listRegionalKeys(MRK)), before)
  })

  it('refuses malformed bodies with a ValidationException naming the member', async () => {
    const good = syncBody(MRK, [sealedVersion(MRK, 1, spki)], { replica })
    const bad: [unknown, RegExp][] = [
      [{ ...good, keyId: '1234abcd-12ab-34cd-56ef-1234567890ab' }, /input\.keyId/],
      [{ ...good, versions: [{ ...good.versions[0], version: -1 }] }, /input\.versions\[0\]\.version/],
      [{ ...good, versions: [{ ...good.versions[0], material: { ...good.versions[0]!.material, sealed: 'not base64!' } }] }, /sealed/],
      [{ ...good, regions: ['eu-west-1'] }, /input\.primaryRegion/],
      [{ ...good, currentVersion: 3 }, /input\.currentVersion/],
      [{ ...good, rotation: { enabled: true } }, /input\.rotation\.periodDays/],
      [{ ...good, extra: true }, /input\.extra/],
      [{ ...good, keySpec: 7 }, /input\.keySpec/],
      [{ ...good, replica: { ...replica, tags: 'x' } }, /input\.replica\.tags/],
    ]
    for (const [body, message] of bad) {
      const res = await h.peer('SyncKeySet', body)
      assert.equal(res.status, 400, JSON.stringify(res.body))
      assert.equal(res.body.__type, 'ValidationException')
      assert.match(String(res.body.message), message)
    }
    assert.deepEqual(await h.services.store.listRegionalKeys(MRK), [])
  })

  it('refuses a replica whose policy does not hold here, and a claim on a primary this deployment holds', async () => {
    const stranger = JSON.stringify({ Version: '2012-10-17', Statement: [{ Effect: 'Allow', Principal: { AWS: `arn:aws:iam::${TEST_ACCOUNT}:user/nobody-here` }, Action: 'kms:*', Resource: '*' }] })
    const refused = await h.peer('SyncKeySet', syncBody(MRK, [sealedVersion(MRK, 1, spki)], { accountId: '999988887777', replica: { ...replica, policy: stranger } }))
    assert.equal(refused.body.__type, 'ValidationException', JSON.stringify(refused.body))
    assert.match(String(refused.body.message), /cannot be created here/)
    assert.deepEqual(await h.services.store.listRegionalKeys(MRK), [])
    assert.equal(await h.services.store.getAccount('999988887777'), undefined)
    const local = await h.callIn('eu-west-1', 'CreateKey', { MultiRegion: true })
    const localId = String((local.body.KeyMetadata as { KeyId: string }).KeyId)
    const claim = await h.peer('SyncKeySet', syncBody(localId, [sealedVersion(localId, 1, spki)], { firstRegion: 'eu-west-1' }))
    assert.equal(claim.body.__type, 'ValidationException', JSON.stringify(claim.body))
    assert.equal((await h.services.store.listRegionalKeys(localId)).length, 1)
  })
})
