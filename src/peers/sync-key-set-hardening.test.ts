// SyncKeySet against a hostile or broken peer: every message that would leave a row the KMS operations cannot
// serve (a timestamp no Date holds, a key without material, material that is not a key of its spec, a primary
// moved by someone other than its holder) is a ValidationException that writes nothing.
import assert from 'node:assert/strict'
import { generateKeyPairSync, randomBytes } from 'node:crypto'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { b64, TEST_ACCOUNT } from '../../test/support/harness.js'
import { importMaterial } from '../../test/support/import-fixtures.js'
import { deriveMaterialId } from '../keys/material-binding.js'
import { defaultKeyPolicy } from '../operations/key-policy.js'
import type { KeySetSync, SyncedVersion } from './wire.js'
import { createPeerHarness, sealedVersion, syncBody, transportSpki, type PeerHarness } from './peer.test-support.js'

const MRK = 'mrk-0123456789abcdef0123456789abcdef'
const replica = { region: 'eu-west-1', description: 'd', policy: defaultKeyPolicy(TEST_ACCOUNT), tags: [], bypassPolicyLockoutSafetyCheck: false }

describe('SyncKeySet from a hostile peer', () => {
  let h: PeerHarness
  let spki: Buffer
  beforeEach(async () => {
    h = await createPeerHarness()
    spki = await transportSpki(h)
  })
  afterEach(() => h.close())

  async function refused(body: unknown, message: RegExp): Promise<void> {
    const res = await h.peer('SyncKeySet', body)
    assert.equal(res.status, 400, JSON.stringify(res.body))
    assert.equal(res.body.__type, 'ValidationException')
    assert.match(String(res.body.message), message)
  }

  it('refuses a timestamp beyond what a Date (with a four-digit year) can hold', async () => {
    const big = Number.MAX_SAFE_INTEGER
    const v1 = sealedVersion(MRK, 1, spki)
    await refused(syncBody(MRK, [v1], { replica, createdAt: big }), /input\.createdAt/)
    await refused(syncBody(MRK, [{ ...v1, createdAt: big }], { replica }), /input\.versions\[0\]\.createdAt/)
    await refused(syncBody(MRK, [{ ...v1, rotation: { type: 'AUTOMATIC', rotatedAt: big } }], { replica }), /input\.versions\[0\]\.rotation\.rotatedAt/)
    await refused(syncBody(MRK, [v1], { replica, rotation: { enabled: true, periodDays: 365, nextRotationAt: big } }), /input\.rotation\.nextRotationAt/)
    assert.deepEqual(await h.services.store.listRegionalKeys(MRK), [])
  })

  it('refuses a key spec this deployment lacks, a usage its spec lacks, and generated keys without a current version', async () => {
    const v1 = sealedVersion(MRK, 1, spki)
    await refused(syncBody(MRK, [v1], { replica, keySpec: 'SM2', keyUsage: 'SIGN_VERIFY' }), /input\.keySpec/)
    await refused(syncBody(MRK, [v1], { replica, keyUsage: 'SIGN_VERIFY' }), /input\.keyUsage/)
    await refused(syncBody(MRK, [], { replica }), /input\.currentVersion/)
    await refused(syncBody(MRK, [v1], { replica, currentVersion: 0 }), /input\.currentVersion/)
    assert.deepEqual(await h.services.store.listRegionalKeys(MRK), [])
  })

  it('refuses material that is not a key of the spec (too short, an HMAC key below its minimum, bytes that are no RSA key)', async () => {
    const cases: [Partial<KeySetSync>, NonNullable<Parameters<typeof sealedVersion>[4]>][] = [
      [{}, randomBytes(16)],
      [{ keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' }, randomBytes(3)],
      [{ keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' }, randomBytes(40)],
    ]
    for (const [overrides, material] of cases) {
      await refused(syncBody(MRK, [sealedVersion(MRK, 1, spki, 'eu-west-1', material)], { replica, ...overrides }), /is not key material for/)
    }
    assert.deepEqual(await h.services.store.listRegionalKeys(MRK), [])
    // Material of the right kind still syncs (an RSA key pair in the PKCS#8 form Trent generates).
    const { privateKey } = generateKeyPairSync('rsa', { modulusLength: 2048 })
    const der = privateKey.export({ type: 'pkcs8', format: 'der' })
    const ok = await h.peer('SyncKeySet', syncBody(MRK, [sealedVersion(MRK, 1, spki, 'eu-west-1', Buffer.from(der))], { replica, keySpec: 'RSA_2048', keyUsage: 'SIGN_VERIFY' }))
    assert.equal(ok.status, 200, JSON.stringify(ok.body))
    assert.equal((await h.callIn('eu-west-1', 'GetPublicKey', { KeyId: MRK })).status, 200)
  })

  it('an imported set rotated by the peer leaves the replica PendingImport until its new material is imported here', async () => {
    const eu = { ...h, call: (operation: string, body: unknown) => h.callIn('eu-west-1', operation, body) }
    const [m1, m2] = [randomBytes(32), randomBytes(32)]
    const imported = (version: number, material: Buffer): SyncedVersion => ({
      version, materialId: deriveMaterialId(2, MRK, material), materialIdFormat: '2', createdAt: Date.parse('2026-01-01T00:00:00Z') + version,
      imported: { expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', pendingRotation: false },
    })
    const v2 = { ...imported(2, m2), rotation: { type: 'ON_DEMAND' as const, rotatedAt: Date.parse('2026-01-02T00:00:00Z') } }
    assert.equal((await h.peer('SyncKeySet', syncBody(MRK, [imported(1, m1)], { replica, origin: 'EXTERNAL' }))).status, 200)
    await importMaterial(eu, MRK, m1)
    const rotated = await h.peer('SyncKeySet', syncBody(MRK, [imported(1, m1), v2], { origin: 'EXTERNAL' }))
    assert.deepEqual(rotated.body, { members: [{ region: 'eu-west-1', keyState: 'PendingImport' }] })
    const waiting = await eu.call('Encrypt', { KeyId: MRK, Plaintext: b64('x') })
    assert.equal(waiting.body.__type, 'KMSInvalidStateException', JSON.stringify(waiting.body))
    await importMaterial(eu, MRK, m2)
    const enc = await eu.call('Encrypt', { KeyId: MRK, Plaintext: b64('x') })
    assert.equal(enc.status, 200, JSON.stringify(enc.body))
    const meta = (await eu.call('DescribeKey', { KeyId: MRK })).body.KeyMetadata as { KeyState: string; CurrentKeyMaterialId: string }
    assert.deepEqual([meta.KeyState, meta.CurrentKeyMaterialId], ['Enabled', v2.materialId])
  })

  it('a peer cannot add material to, or drop a mirror of, a set whose primary is here (not even naming that primary)', async () => {
    const created = await h.callIn('eu-west-1', 'CreateKey', { MultiRegion: true })
    const id = String((created.body.KeyMetadata as { KeyId: string }).KeyId)
    const before = (await h.callIn('eu-west-1', 'DescribeKey', { KeyId: id })).body.KeyMetadata as { CurrentKeyMaterialId: string }
    // Material the peer chose, as version 2 of this deployment's own primary, and a view of the set without ap-southeast-2.
    await h.callIn('eu-west-1', 'ReplicateKey', { KeyId: id, ReplicaRegion: 'ap-southeast-2' })
    const rows = JSON.stringify(await h.services.store.listRegionalKeys(id))
    const res = await h.peer('SyncKeySet', syncBody(id, [sealedVersion(id, 2, spki)], { firstRegion: 'eu-west-1', primaryRegion: 'eu-west-1', regions: ['eu-west-1', 'ap-northeast-1'] }))
    // Refused outright (the peer holds no regional key of this set); before that check the store made it a no-op.
    assert.deepEqual([res.status, res.body.__type], [400, 'ValidationException'])
    assert.equal(JSON.stringify(await h.services.store.listRegionalKeys(id)), rows)
    assert.deepEqual((await h.services.store.listAllKeyVersions(id)).map((v) => v.version), [1])
    const after = (await h.callIn('eu-west-1', 'DescribeKey', { KeyId: id })).body.KeyMetadata as { CurrentKeyMaterialId: string }
    assert.equal(after.CurrentKeyMaterialId, before.CurrentKeyMaterialId)
  })
})
