// The mirror rule (docs/multi-region-peers-plan.md): a key row in a Region this deployment does not serve is a
// peer's key, and no job acts on it: not rotation, deletion, import expiry, nor finishing a transition.
import assert from 'node:assert/strict'
import { afterEach, beforeEach, describe, it } from 'node:test'
import { TEST_ACCOUNT, createHarness, type Harness } from '../../test/support/harness.js'
import type { KeyRecord, KeyVersion } from '../keys/key.js'
import { defaultKeyPolicy } from '../operations/key-policy.js'
import { deleteExpiredKeys } from './delete-expired-keys.js'
import { expireImportedMaterial } from './expire-imported-material.js'
import { finishRegionalKeys } from './finish-regional-keys.js'
import { rotateDueKeys } from './rotate-due-keys.js'

const PEER_REGION = 'ap-northeast-1'
const DAY = 86_400_000

function row(h: Harness, n: number, region: string, overrides: Partial<KeyRecord> = {}): KeyRecord {
  return {
    keyId: `mrk-${String(n).padStart(32, '0')}`, accountId: TEST_ACCOUNT, region, createdAt: h.clock.now(), description: '',
    keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS', keyState: 'Enabled', policy: defaultKeyPolicy(TEST_ACCOUNT),
    currentVersion: 1, multiRegion: true, primaryRegion: region, ...overrides,
  }
}

function version(key: KeyRecord, overrides: Partial<KeyVersion> = {}): KeyVersion {
  return { keyId: key.keyId, version: 1, materialId: 'ab'.repeat(32), materialIdFormat: 2, wrappedMaterial: new Uint8Array(60).fill(1), wrapFormat: 2, createdAt: new Date(0), ...overrides }
}

describe('jobs skip mirror rows', () => {
  let h: Harness
  beforeEach(async () => {
    h = await createHarness()
  })
  afterEach(() => h.close())

  it('the rotation job does not rotate a due mirror', async () => {
    const mirror = row(h, 1, PEER_REGION, { rotation: { periodDays: 90, nextRotationDate: new Date(h.clock.now().getTime() - DAY) } })
    await h.services.store.insertKey(mirror, version(mirror), [])
    assert.deepEqual(await rotateDueKeys(h.services), [])
    assert.equal((await h.services.store.getKey(mirror.keyId))?.currentVersion, 1)
  })

  it('the deletion job does not destroy a mirror past its deletion date', async () => {
    const mirror = row(h, 2, PEER_REGION, { keyState: 'PendingDeletion', deletionDate: new Date(h.clock.now().getTime() - DAY), pendingWindowDays: 7 })
    await h.services.store.insertKey(mirror, version(mirror), [])
    assert.deepEqual(await deleteExpiredKeys(h.services), [])
    assert.equal((await h.services.store.getKey(mirror.keyId))?.keyState, 'PendingDeletion')
  })

  it('the deletion job does not start the window of a mirror waiting in PendingReplicaDeletion', async () => {
    const mirror = row(h, 6, PEER_REGION, { keyState: 'PendingReplicaDeletion', pendingWindowDays: 7 })
    await h.services.store.insertKey(mirror, version(mirror), [])
    await deleteExpiredKeys(h.services)
    assert.equal((await h.services.store.getKey(mirror.keyId))?.keyState, 'PendingReplicaDeletion')
  })

  it('the import-expiry job does not expire a mirror\'s imported material', async () => {
    const mirror = row(h, 3, PEER_REGION, { origin: 'EXTERNAL' })
    const imported = { importState: 'IMPORTED' as const, expirationModel: 'KEY_MATERIAL_EXPIRES' as const, validTo: new Date(h.clock.now().getTime() - DAY), pendingRotation: false }
    await h.services.store.insertKey(mirror, version(mirror, { imported }), [])
    assert.deepEqual(await expireImportedMaterial(h.services), [])
    assert.equal((await h.services.store.getKeyVersion(mirror.keyId, 1))?.imported?.importState, 'IMPORTED')
  })

  it('finishRegionalKeys leaves a mirror in Creating for its peer, and finishes a local key', async () => {
    const mirror = row(h, 4, PEER_REGION, { keyState: 'Creating' })
    const local = row(h, 5, 'eu-west-1', { keyState: 'Creating' })
    for (const k of [mirror, local]) await h.services.store.insertKey(k, version(k), [])
    await finishRegionalKeys(h.services)
    assert.equal((await h.services.store.getKey(mirror.keyId))?.keyState, 'Creating')
    assert.equal((await h.services.store.getKey(local.keyId))?.keyState, 'Enabled')
  })
})
