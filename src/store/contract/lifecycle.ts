// Contract: key material versions and the irreversible end of a key.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import { StoreConflictError } from '../store.js'
import { keyIdOf, makeAlias, makeKey, makeVersion, plainVersion, storeTest, type OpenStore } from './fixtures.js'

export function describeKeyLifecycle(open: OpenStore): void {
  const test = storeTest(open)

  describe('destroyKey() with a due date', () => {
    test('removes a key only while it is PendingDeletion and due, and reports whether it did', async (store) => {
      const due = new Date('2025-03-01T00:00:00.000Z')
      const pending = { keyState: 'PendingDeletion' as const, deletionDate: due, pendingWindowDays: 7 }
      await store.insertKey(makeKey(keyIdOf(1), pending), makeVersion(keyIdOf(1), 1), [])
      await store.insertKey(makeKey(keyIdOf(2)), makeVersion(keyIdOf(2), 1), [])
      await store.insertKey(makeKey(keyIdOf(3), { ...pending, deletionDate: new Date(due.getTime() + 1) }), makeVersion(keyIdOf(3), 1), [])
      assert.equal(await store.destroyKey(keyIdOf(2), due), false, 'not pending deletion (a cancelled deletion)')
      assert.equal(await store.destroyKey(keyIdOf(3), due), false, 'not yet due')
      assert.ok(await store.getKey(keyIdOf(2)) && await store.getKey(keyIdOf(3)))
      assert.equal(await store.destroyKey(keyIdOf(1), due), true)
      assert.equal(await store.getKey(keyIdOf(1)), undefined)
      assert.equal(await store.destroyKey(keyIdOf(1), due), false, 'already gone')
      assert.equal(await store.destroyKey(keyIdOf(2)), true, 'without a due date: unconditional')
    })
  })

  describe('addKeyVersion()', () => {
    test('adds a version and makes it current, keeping older versions readable', async (store) => {
      const key = makeKey(keyIdOf(1))
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      await store.addKeyVersion(makeVersion(key.keyId, 2))
      assert.equal((await store.getKey(key.keyId))?.currentVersion, 2)
      assert.deepEqual(plainVersion(await store.getKeyVersion(key.keyId, 1)), makeVersion(key.keyId, 1))
      assert.deepEqual(plainVersion(await store.getKeyVersion(key.keyId, 2)), makeVersion(key.keyId, 2))
    })

    test('gives a key created without material its first version', async (store) => {
      const key = makeKey(keyIdOf(1), { origin: 'EXTERNAL', keyState: 'PendingImport', currentVersion: 0 })
      await store.insertKey(key, null, [])
      await store.addKeyVersion(makeVersion(key.keyId, 1))
      assert.equal((await store.getKey(key.keyId))?.currentVersion, 1)
      assert.deepEqual(plainVersion(await store.getKeyVersion(key.keyId, 1)), makeVersion(key.keyId, 1))
    })

    test('rejects an existing version number with StoreConflictError and keeps the current version', async (store) => {
      const key = makeKey(keyIdOf(1))
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      await store.addKeyVersion(makeVersion(key.keyId, 2))
      await assert.rejects(store.addKeyVersion(makeVersion(key.keyId, 1, 0xee)), StoreConflictError)
      assert.equal((await store.getKey(key.keyId))?.currentVersion, 2)
      assert.deepEqual(plainVersion(await store.getKeyVersion(key.keyId, 1)), makeVersion(key.keyId, 1))
    })
  })

  describe('destroyKey()', () => {
    test('removes the key with all its versions, aliases and tags', async (store) => {
      const doomed = makeKey(keyIdOf(1))
      await store.insertKey(doomed, makeVersion(doomed.keyId, 1), [{ tagKey: 't', tagValue: 'v' }])
      await store.addKeyVersion(makeVersion(doomed.keyId, 2))
      await store.insertAlias(makeAlias('alias/doomed-a', doomed.keyId), 10)
      await store.insertAlias(makeAlias('alias/doomed-b', doomed.keyId), 10)
      await store.destroyKey(doomed.keyId)
      assert.equal(await store.getKey(doomed.keyId), undefined)
      assert.equal(await store.getKeyVersion(doomed.keyId, 1), undefined)
      assert.equal(await store.getKeyVersion(doomed.keyId, 2), undefined)
      assert.equal(await store.getAlias(doomed.accountId, doomed.region, 'alias/doomed-a'), undefined)
      assert.deepEqual(await store.listAliases(doomed.accountId, doomed.region, undefined, undefined, 10), { items: [] })
      assert.deepEqual(await store.listTags(doomed.keyId), [])
    })

    test('leaves other keys and their aliases, tags and versions alone', async (store) => {
      const doomed = makeKey(keyIdOf(1))
      const kept = makeKey(keyIdOf(2))
      await store.insertKey(doomed, makeVersion(doomed.keyId, 1), [{ tagKey: 't', tagValue: 'doomed' }])
      await store.insertKey(kept, makeVersion(kept.keyId, 1, 9), [{ tagKey: 't', tagValue: 'kept' }])
      await store.insertAlias(makeAlias('alias/kept', kept.keyId), 10)
      await store.destroyKey(doomed.keyId)
      assert.deepEqual(await store.getKey(kept.keyId), kept)
      assert.deepEqual(plainVersion(await store.getKeyVersion(kept.keyId, 1)), makeVersion(kept.keyId, 1, 9))
      assert.deepEqual(await store.listTags(kept.keyId), [{ tagKey: 't', tagValue: 'kept' }])
      assert.deepEqual(await store.getAlias(kept.accountId, kept.region, 'alias/kept'), makeAlias('alias/kept', kept.keyId))
    })

    test('frees the key id and alias names for reuse', async (store) => {
      const key = makeKey(keyIdOf(1))
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      await store.insertAlias(makeAlias('alias/reused', key.keyId), 1)
      await store.destroyKey(key.keyId)
      await store.insertKey(key, null, [])
      await store.insertAlias(makeAlias('alias/reused', key.keyId), 1)
      assert.deepEqual(await store.getKey(key.keyId), key)
    })
  })
}
