// Contract: multi-Region key sets (store/multi-region-store.ts). A replica is its own row under the storage id
// `<public id>/<region>`; its versions are copies; a primary's rotation reaches every replica in one write.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import { StoreConflictError, StoreLimitError } from '../store.js'
import { at, makeKey, makeVersion, plainVersion, storeTest, type OpenStore } from './fixtures.js'

const MRK = 'mrk-0123456789abcdef0123456789abcdef'
const REPLICA = `${MRK}/ap-southeast-2`
const DAY = 86_400_000

const primaryKey = () => makeKey(MRK, { multiRegion: true })
const replicaKey = (overrides = {}) => makeKey(REPLICA, { multiRegion: true, region: 'ap-southeast-2', keyState: 'Creating', primaryRegion: 'eu-west-1', ...overrides })

export function describeMultiRegion(open: OpenStore): void {
  const test = storeTest(open)

  describe('multi-Region key sets', () => {
    test('insertReplicaKey stores the replica with its versions and tags; the set lists both rows', async (store) => {
      await store.insertKey(primaryKey(), makeVersion(MRK, 1), [])
      assert.equal(await store.insertReplicaKey(replicaKey(), [makeVersion(REPLICA, 1)], [{ tagKey: 't', tagValue: 'v' }], MRK, 1, 10), true)
      assert.deepEqual(await store.getKey(REPLICA), replicaKey())
      assert.deepEqual(plainVersion(await store.getKeyVersion(REPLICA, 1)), makeVersion(REPLICA, 1))
      assert.deepEqual(await store.listTags(REPLICA), [{ tagKey: 't', tagValue: 'v' }])
      assert.deepEqual(await store.listTags(MRK), [])
      assert.deepEqual((await store.listRegionalKeys(MRK)).map((k) => k.keyId), [MRK, REPLICA])
      // A key whose id merely starts like the set's is not in it.
      await store.insertKey(makeKey(`${MRK}0`.slice(0, MRK.length - 1) + 'e', { multiRegion: true }), makeVersion(`${MRK}0`.slice(0, MRK.length - 1) + 'e', 1), [])
      assert.equal((await store.listRegionalKeys(MRK)).length, 2)
    })

    test('insertReplicaKey refuses a second key in the Region, a primary that rotated, and the key limit', async (store) => {
      await store.insertKey(primaryKey(), makeVersion(MRK, 1), [])
      assert.equal(await store.insertReplicaKey(replicaKey(), [makeVersion(REPLICA, 1)], [], MRK, 2, 10), false)
      assert.equal(await store.getKey(REPLICA), undefined)
      await assert.rejects(store.insertReplicaKey(replicaKey(), [], [], MRK, 1, 0), StoreLimitError)
      assert.equal(await store.insertReplicaKey(replicaKey(), [makeVersion(REPLICA, 1)], [], MRK, 1, 10), true)
      await assert.rejects(store.insertReplicaKey(replicaKey(), [], [], MRK, 1, 10), StoreConflictError)
      assert.equal((await store.listAllKeyVersions(REPLICA)).length, 1)
    })

    test('insertReplicaKey finds the whole set from a primary kept under a replica storage id', async (store) => {
      await store.insertKey(primaryKey(), makeVersion(MRK, 1), [])
      await store.insertReplicaKey(replicaKey({ keyState: 'Enabled' }), [makeVersion(REPLICA, 1)], [], MRK, 1, 10)
      assert.equal(await store.updatePrimaryRegion(MRK, 'eu-west-1', 'ap-southeast-2'), true)
      // The primary is now the row under REPLICA; the set's row in eu-west-1 is the public id's own row.
      const secondInEu = makeKey(`${MRK}/eu-west-1`, { multiRegion: true, keyState: 'Creating', primaryRegion: 'ap-southeast-2' })
      await assert.rejects(store.insertReplicaKey(secondInEu, [], [], REPLICA, 1, 10), StoreConflictError)
      assert.equal((await store.listRegionalKeys(MRK)).length, 2)
    })

    test('a rotation of the primary adds the same version to every replica and makes it current there', async (store) => {
      await store.insertKey(primaryKey(), makeVersion(MRK, 1), [])
      await store.insertReplicaKey(replicaKey({ keyState: 'Disabled' }), [makeVersion(REPLICA, 1)], [], MRK, 1, 10)
      const v2 = { ...makeVersion(MRK, 2), rotation: { type: 'ON_DEMAND' as const, rotatedAt: at('2025-01-01T00:00:00.000Z') } }
      assert.equal(await store.rotateKey({ version: v2, expectedCurrentVersion: 1 }), true)
      assert.deepEqual(plainVersion(await store.getKeyVersion(REPLICA, 2)), { ...v2, keyId: REPLICA })
      assert.equal((await store.getKey(REPLICA))!.currentVersion, 2)
      assert.equal((await store.getKey(MRK))!.currentVersion, 2)
    })

    test('finishKeyTransition moves only from the named state; listKeysInTransition finds Creating and Updating', async (store) => {
      await store.insertKey(primaryKey(), makeVersion(MRK, 1), [])
      await store.insertReplicaKey(replicaKey(), [makeVersion(REPLICA, 1)], [], MRK, 1, 10)
      assert.deepEqual((await store.listKeysInTransition()).map((k) => k.keyId), [REPLICA])
      assert.equal(await store.finishKeyTransition(REPLICA, 'Updating', 'Enabled'), false)
      assert.equal(await store.finishKeyTransition(REPLICA, 'Creating', 'Enabled'), true)
      assert.equal((await store.getKey(REPLICA))!.keyState, 'Enabled')
      assert.deepEqual(await store.listKeysInTransition(), [])
    })

    test('updatePrimaryRegion names the new primary everywhere, moves the schedule and marks both Updating', async (store) => {
      await store.insertKey(primaryKey(), makeVersion(MRK, 1), [])
      await store.setKeyRotation(MRK, { periodDays: 90, nextRotationDate: at('2025-04-01T00:00:00.000Z') })
      await store.insertReplicaKey(replicaKey({ keyState: 'Enabled' }), [makeVersion(REPLICA, 1)], [], MRK, 1, 10)
      assert.equal(await store.updatePrimaryRegion(MRK, 'ap-southeast-2', 'eu-west-1'), false)
      assert.equal(await store.updatePrimaryRegion(MRK, 'eu-west-1', 'us-west-2'), false)
      assert.equal(await store.updatePrimaryRegion(MRK, 'eu-west-1', 'ap-southeast-2'), true)
      const [oldPrimary, newPrimary] = [await store.getKey(MRK), await store.getKey(REPLICA)]
      assert.deepEqual([oldPrimary!.primaryRegion, newPrimary!.primaryRegion], ['ap-southeast-2', 'ap-southeast-2'])
      assert.deepEqual([oldPrimary!.keyState, newPrimary!.keyState], ['Updating', 'Updating'])
      assert.equal(oldPrimary!.rotation, undefined)
      assert.deepEqual(newPrimary!.rotation, { periodDays: 90, nextRotationDate: at('2025-04-01T00:00:00.000Z') })
    })

    test('startReplicaFreeDeletions starts a waiting primary only once its set has no other key', async (store) => {
      await store.insertKey(primaryKey(), makeVersion(MRK, 1), [])
      assert.equal(await store.updateKey({ ...primaryKey(), keyState: 'PendingReplicaDeletion', pendingWindowDays: 7 }, (await store.getKey(MRK))!), true)
      await store.insertReplicaKey(replicaKey({ keyState: 'Enabled' }), [makeVersion(REPLICA, 1)], [], MRK, 1, 10)
      const now = at('2025-02-01T00:00:00.000Z')
      assert.deepEqual(await store.startReplicaFreeDeletions(now), [])
      await store.destroyKey(REPLICA)
      const [started] = await store.startReplicaFreeDeletions(now)
      assert.deepEqual([started?.keyId, started?.keyState, started?.deletionDate], [MRK, 'PendingDeletion', new Date(now.getTime() + 7 * DAY)])
      assert.deepEqual(await store.getKey(MRK), started)
    })
  })
}
