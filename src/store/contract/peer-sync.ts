// Contract: applyKeySetSync (store/peer-sync-store.ts). A peer's view of a set lands in one transaction:
// mirrors for peer Regions, the replica, versions each row lacks; conflicts change nothing; nothing goes back.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import type { KeyVersion } from '../../keys/key.js'
import type { KeySetSyncWrite } from '../peer-sync-store.js'
import { StoreConflictError, StoreLimitError, type Store } from '../store.js'
import { ACCOUNT, at, makeKey, makeVersion, plainVersion, storeTest, type OpenStore } from './fixtures.js'

const MRK = 'mrk-00112233445566778899aabbccddeeff'
const PEER = 'us-east-1'
const LOCAL = 'eu-west-1'
const NEW_ACCOUNT = '999988887777'
const REPLICA = `${MRK}/${LOCAL}`

function sync(overrides: Partial<KeySetSyncWrite> = {}): KeySetSyncWrite {
  return {
    publicId: MRK, accountId: ACCOUNT, keySpec: 'SYMMETRIC_DEFAULT', keyUsage: 'ENCRYPT_DECRYPT', origin: 'AWS_KMS',
    createdAt: at('2024-01-01T00:00:00.000Z'), mirrorPolicy: '{}', primaryRegion: PEER, firstRegion: PEER, regions: [PEER, LOCAL],
    servedRegions: [LOCAL, 'ap-southeast-2'], maxKeys: 10, currentVersion: 1, versions: [makeVersion(MRK, 1)], rotation: null, now: at('2024-06-01T00:00:00.000Z'),
    ...overrides,
  }
}

const replica = (overrides = {}) => ({ key: makeKey(REPLICA, { region: LOCAL, multiRegion: true, primaryRegion: PEER, ...overrides }), tags: [{ tagKey: 'team', tagValue: 'a' }] })

async function versionsOf(store: Store, keyId: string): Promise<number[]> {
  return (await store.listAllKeyVersions(keyId)).map((v) => v.version)
}

export function describePeerSync(open: OpenStore): void {
  const test = storeTest(open)

  describe('applyKeySetSync', () => {
    test('creates the account, the peer mirror and the replica with every version; a repeat changes nothing', async (store) => {
      const write = sync({ accountId: NEW_ACCOUNT, replica: replica({ accountId: NEW_ACCOUNT }) })
      const result = await store.applyKeySetSync(write)
      assert.equal(result.changed, true)
      assert.equal(result.primaryMoved, false)
      assert.equal(result.created?.keyId, REPLICA)
      assert.deepEqual(result.local.map((k) => [k.keyId, k.keyState]), [[REPLICA, 'Enabled']])
      assert.equal((await store.getAccount(NEW_ACCOUNT))?.accountId, NEW_ACCOUNT)
      const mirror = await store.getKey(MRK)
      assert.equal(mirror?.region, PEER)
      assert.equal(mirror?.keyState, 'Enabled')
      assert.equal(mirror?.primaryRegion, PEER)
      assert.deepEqual(plainVersion(await store.getKeyVersion(REPLICA, 1)), makeVersion(REPLICA, 1))
      assert.deepEqual(plainVersion(await store.getKeyVersion(MRK, 1)), makeVersion(MRK, 1))
      assert.deepEqual(await store.listTags(REPLICA), [{ tagKey: 'team', tagValue: 'a' }])
      const again = await store.applyKeySetSync(write)
      assert.equal(again.changed, false)
      assert.equal(again.created, undefined)
      assert.deepEqual((await store.listRegionalKeys(MRK)).map((k) => k.keyId), [MRK, REPLICA])
    })

    test('refuses the replica, changing nothing, when its account is at the key limit in its Region', async (store) => {
      await store.insertKey(makeKey('00000001-1234-4abc-8def-0123456789ab', { region: LOCAL }), null, [])
      await assert.rejects(store.applyKeySetSync(sync({ maxKeys: 1, replica: replica() })), StoreLimitError)
      assert.deepEqual(await store.listRegionalKeys(MRK), [])
      assert.equal((await store.applyKeySetSync(sync({ maxKeys: 2, replica: replica() }))).created?.keyId, REPLICA)
    })

    test('adds new versions to every row, and never goes back to an older current version', async (store) => {
      await store.applyKeySetSync(sync({ replica: replica() }))
      const two = sync({ currentVersion: 2, versions: [makeVersion(MRK, 1), makeVersion(MRK, 2)] })
      const result = await store.applyKeySetSync(two)
      assert.equal(result.changed, true)
      assert.deepEqual(result.local.map((k) => k.currentVersion), [2])
      for (const id of [MRK, REPLICA]) {
        assert.deepEqual(await versionsOf(store, id), [1, 2])
        assert.equal((await store.getKey(id))?.currentVersion, 2)
      }
      // A late message from before the rotation: nothing is lost or rolled back.
      assert.equal((await store.applyKeySetSync(sync())).changed, false)
      assert.equal((await store.getKey(REPLICA))?.currentVersion, 2)
      assert.deepEqual(await versionsOf(store, REPLICA), [1, 2])
    })

    test('refuses, changing nothing, a version held with other material, another spec or another first Region', async (store) => {
      await store.applyKeySetSync(sync({ replica: replica() }))
      const conflicting = sync({ currentVersion: 2, versions: [makeVersion(MRK, 1, 9), makeVersion(MRK, 2)], regions: [PEER, LOCAL, 'ap-northeast-1'] })
      await assert.rejects(store.applyKeySetSync(conflicting), StoreConflictError)
      await assert.rejects(store.applyKeySetSync(sync({ keySpec: 'HMAC_256', currentVersion: 2, versions: [makeVersion(MRK, 2)] })), StoreConflictError)
      await assert.rejects(store.applyKeySetSync(sync({ firstRegion: LOCAL, currentVersion: 2, versions: [makeVersion(MRK, 2)] })), StoreConflictError)
      await assert.rejects(store.applyKeySetSync(sync({ accountId: NEW_ACCOUNT })), StoreConflictError)
      assert.deepEqual((await store.listRegionalKeys(MRK)).map((k) => [k.keyId, k.currentVersion]), [[MRK, 1], [REPLICA, 1]])
      assert.deepEqual(await versionsOf(store, REPLICA), [1])
      assert.deepEqual(plainVersion(await store.getKeyVersion(REPLICA, 1)), makeVersion(REPLICA, 1))
    })

    test('destroys mirrors no longer named, never a local row', async (store) => {
      await store.applyKeySetSync(sync({ regions: [PEER, LOCAL, 'ap-northeast-1'], replica: replica() }))
      assert.equal((await store.getKey(`${MRK}/ap-northeast-1`))?.region, 'ap-northeast-1')
      await store.applyKeySetSync(sync({ regions: [PEER] }))
      assert.deepEqual((await store.listRegionalKeys(MRK)).map((k) => k.keyId), [MRK, REPLICA])
      assert.deepEqual(await versionsOf(store, `${MRK}/ap-northeast-1`), [])
    })

    test('startReplicaFreeDeletions, given the served Regions, leaves a waiting mirror to its peer', async (store) => {
      // A mirror left without replicas: its local replica is gone (a sync never creates mirrors alone).
      await store.applyKeySetSync(sync({ replica: replica() }))
      await store.destroyKey(REPLICA)
      const mirror = (await store.getKey(MRK))!
      assert.equal(await store.updateKey({ ...mirror, keyState: 'PendingReplicaDeletion', pendingWindowDays: 7 }, mirror), true)
      const now = at('2025-02-01T00:00:00.000Z')
      assert.deepEqual(await store.startReplicaFreeDeletions(now, [LOCAL]), [])
      assert.equal((await store.getKey(MRK))?.keyState, 'PendingReplicaDeletion')
      assert.deepEqual((await store.startReplicaFreeDeletions(now, [PEER])).map((k) => k.keyState), ['PendingDeletion'])
    })

    test('moves the primary to a local row: it takes the schedule and leaves Updating; a local primary is not taken', async (store) => {
      await store.applyKeySetSync(sync({ replica: replica({ keyState: 'Updating' }) }))
      const rotation = { periodDays: 180, nextRotationDate: at('2024-09-01T00:00:00.000Z') }
      const moved = await store.applyKeySetSync(sync({ primaryRegion: LOCAL, rotation }))
      assert.equal(moved.primaryMoved, true)
      const local = await store.getKey(REPLICA)
      assert.equal(local?.keyState, 'Enabled')
      assert.equal(local?.primaryRegion, LOCAL)
      assert.deepEqual(local?.rotation, rotation)
      assert.equal((await store.getKey(MRK))?.primaryRegion, LOCAL)
      assert.equal((await store.getKey(MRK))?.rotation, undefined)
      // The peer cannot take it back by naming itself: only this deployment moves its own primary.
      await assert.rejects(store.applyKeySetSync(sync({ primaryRegion: PEER })), StoreConflictError)
      assert.equal((await store.getKey(REPLICA))?.primaryRegion, LOCAL)
    })

    test('a set with no regional key here gets no mirrors; a stale sync after the local one is gone removes them', async (store) => {
      const none = await store.applyKeySetSync(sync())
      assert.deepEqual(none.local, [])
      assert.equal(none.changed, false)
      assert.deepEqual(await store.listRegionalKeys(MRK), [])
      await store.applyKeySetSync(sync({ replica: replica() }))
      await store.destroyKey(REPLICA)
      assert.deepEqual((await store.listRegionalKeys(MRK)).map((k) => k.region), [PEER])
      await store.applyKeySetSync(sync())
      assert.deepEqual(await store.listRegionalKeys(MRK), [])
    })

    test('an imported set: a local row that gains a version without its bytes waits for the import (PendingImport)', async (store) => {
      const pending = (version: number): KeyVersion => ({ ...makeVersion(MRK, version), wrappedMaterial: new Uint8Array(0),
        imported: { importState: 'PENDING_IMPORT', expirationModel: 'KEY_MATERIAL_DOES_NOT_EXPIRE', pendingRotation: false } })
      const external = { origin: 'EXTERNAL' as const }
      await store.applyKeySetSync(sync({ ...external, versions: [pending(1)], replica: replica({ ...external, keyState: 'Enabled' }) }))
      // As if ImportKeyMaterial had brought version 1's bytes (the row is Enabled with every version imported).
      assert.equal((await store.getKey(REPLICA))?.keyState, 'Enabled')
      const result = await store.applyKeySetSync(sync({ ...external, currentVersion: 2, versions: [pending(1), pending(2)] }))
      assert.deepEqual(result.local.map((k) => [k.keyState, k.currentVersion]), [['PendingImport', 2]])
      assert.equal((await store.getKey(REPLICA))?.keyState, 'PendingImport')
      // The mirror is not a key anyone uses: its state is the peer's to report.
      assert.equal((await store.getKey(MRK))?.keyState, 'Enabled')
    })

    test('a peer cannot move a local primary to another served Region, nor name a served Region without a row as primary', async (store) => {
      const regions = [PEER, LOCAL, 'ap-southeast-2']
      await store.applyKeySetSync(sync({ regions, replica: replica() }))
      await assert.rejects(store.applyKeySetSync(sync({ regions, primaryRegion: 'ap-southeast-2' })), StoreConflictError)
      assert.equal((await store.getKey(REPLICA))?.primaryRegion, PEER)
      const second = makeKey(`${MRK}/ap-southeast-2`, { region: 'ap-southeast-2', multiRegion: true, primaryRegion: PEER })
      await store.applyKeySetSync(sync({ regions, replica: { key: second, tags: [] } }))
      assert.equal((await store.applyKeySetSync(sync({ regions, primaryRegion: LOCAL }))).primaryMoved, true)
      const before = await store.listRegionalKeys(MRK)
      await assert.rejects(store.applyKeySetSync(sync({ regions, primaryRegion: 'ap-southeast-2' })), StoreConflictError)
      assert.deepEqual(await store.listRegionalKeys(MRK), before)
      // A retried hand-over, naming the primary it already made, is accepted and changes nothing: not even a version
      // the peer adds (its material would become the primary's current) nor the mirrors its stale view lacks.
      const retried = await store.applyKeySetSync(sync({ regions: [PEER, LOCAL], primaryRegion: LOCAL, currentVersion: 2, versions: [makeVersion(MRK, 1), makeVersion(MRK, 2)] }))
      assert.equal(retried.primaryMoved, false)
      assert.equal(retried.changed, false)
      assert.deepEqual(await store.listRegionalKeys(MRK), before)
      assert.deepEqual(await versionsOf(store, REPLICA), [1])
    })
  })
}
