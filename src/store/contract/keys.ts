// Contract: creating, reading, updating, listing and scheduling keys.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import { StoreConflictError, StoreLimitError, type Store } from '../store.js'
import { ACCOUNT, REGION, at, keyIdOf, makeKey, makeVersion, plainVersion, storeTest, type OpenStore } from './fixtures.js'

export function describeKeys(open: OpenStore): void {
  const test = storeTest(open)

  describe('keys', () => {
    test('insertKey() round-trips every field, leaving unset optional fields absent', async (store) => {
      const key = makeKey(keyIdOf(1), { description: '', multiRegion: true, keySpec: 'HMAC_256', keyUsage: 'GENERATE_VERIFY_MAC' })
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      const got = await store.getKey(key.keyId)
      assert.deepEqual(got, key)
      assert.equal('deletionDate' in got!, false)
      assert.equal('pendingWindowDays' in got!, false)
    })

    test('insertKey() round-trips a deletion date and pending window', async (store) => {
      const key = makeKey(keyIdOf(1), {
        keyState: 'PendingDeletion', deletionDate: at('2024-06-30T12:34:56.789Z'), pendingWindowDays: 7,
      })
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      assert.deepEqual(await store.getKey(key.keyId), key)
    })

    test('insertKey() stores the first version and the tags with the key', async (store) => {
      const key = makeKey(keyIdOf(1))
      const version = makeVersion(key.keyId, 1)
      await store.insertKey(key, version, [{ tagKey: 'team', tagValue: 'payments' }, { tagKey: 'env', tagValue: '' }])
      const got = await store.getKeyVersion(key.keyId, 1)
      assert.ok(got?.wrappedMaterial instanceof Uint8Array)
      assert.deepEqual(plainVersion(got), version)
      assert.deepEqual(await store.listTags(key.keyId), [
        { tagKey: 'env', tagValue: '' }, { tagKey: 'team', tagValue: 'payments' },
      ])
    })

    test('insertKey() refuses a key past maxKeys for its account and region, counting others apart, and writes nothing', async (store) => {
      await store.insertKey(makeKey(keyIdOf(1)), makeVersion(keyIdOf(1), 1), [], 2)
      await store.insertKey(makeKey(keyIdOf(2), { keyState: 'PendingDeletion', deletionDate: at('2030-01-01T00:00:00Z'), pendingWindowDays: 7 }), null, [], 2)
      await assert.rejects(store.insertKey(makeKey(keyIdOf(3)), makeVersion(keyIdOf(3), 1), [{ tagKey: 't', tagValue: 'v' }], 2), StoreLimitError)
      assert.equal(await store.getKey(keyIdOf(3)), undefined)
      assert.equal(await store.getKeyVersion(keyIdOf(3), 1), undefined)
      assert.deepEqual(await store.listTags(keyIdOf(3)), [])
      // Other accounts and regions have quotas of their own; no limit given means none applies.
      await store.insertKey(makeKey(keyIdOf(4), { accountId: '444455556666' }), null, [], 2)
      await store.insertKey(makeKey(keyIdOf(5), { region: 'us-east-1' }), null, [], 2)
      await store.insertKey(makeKey(keyIdOf(6)), null, [])
      await assert.rejects(store.insertKey(makeKey(keyIdOf(7)), null, [], 3), StoreLimitError)
      await store.destroyKey(keyIdOf(1)) // a destroyed key frees its place
      await store.insertKey(makeKey(keyIdOf(7)), null, [], 3)
    })

    test('insertKey() accepts a key without material (origin EXTERNAL)', async (store) => {
      const key = makeKey(keyIdOf(1), { origin: 'EXTERNAL', keyState: 'PendingImport', currentVersion: 0 })
      await store.insertKey(key, null, [])
      assert.deepEqual(await store.getKey(key.keyId), key)
      assert.equal(await store.getKeyVersion(key.keyId, 1), undefined)
    })

    test('insertKey() rejects a duplicate id with StoreConflictError and leaves the original intact', async (store) => {
      const key = makeKey(keyIdOf(1))
      await store.insertKey(key, makeVersion(key.keyId, 1, 0xaa), [{ tagKey: 'a', tagValue: '1' }])
      const clash = makeKey(key.keyId, { description: 'impostor' })
      await assert.rejects(store.insertKey(clash, makeVersion(key.keyId, 1, 0xbb), [{ tagKey: 'b', tagValue: '2' }]), StoreConflictError)
      assert.deepEqual(await store.getKey(key.keyId), key)
      assert.deepEqual(plainVersion(await store.getKeyVersion(key.keyId, 1)), makeVersion(key.keyId, 1, 0xaa))
      assert.deepEqual(await store.listTags(key.keyId), [{ tagKey: 'a', tagValue: '1' }])
    })

    test('getKey() and getKeyVersion() return undefined for unknown ids', async (store) => {
      assert.equal(await store.getKey(keyIdOf(404)), undefined)
      assert.equal(await store.getKeyVersion(keyIdOf(404), 1), undefined)
    })

    test('updateKey() replaces the mutable fields and can clear the deletion date', async (store) => {
      const key = makeKey(keyIdOf(1))
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      const pending = {
        ...key, keyState: 'PendingDeletion' as const, description: 'retired', policy: '{"x":1}',
        deletionDate: at('2024-07-01T00:00:00.500Z'), pendingWindowDays: 30,
      }
      await store.updateKey(pending)
      assert.deepEqual(await store.getKey(key.keyId), pending)
      const { deletionDate: _d, pendingWindowDays: _p, ...restored } = { ...pending, keyState: 'Enabled' as const }
      await store.updateKey(restored)
      assert.deepEqual(await store.getKey(key.keyId), restored)
    })

    test('updateKey() never moves the current version or the rotation schedule (a stale read cannot undo a rotation)', async (store) => {
      const schedule = { periodDays: 90, nextRotationDate: at('2024-09-01T00:00:00.250Z') }
      const key = makeKey(keyIdOf(1), { currentVersion: 2, rotation: schedule })
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      const { rotation: _r, ...staleWithoutRotation } = { ...key, currentVersion: 1, keyState: 'Disabled' as const }
      await store.updateKey(staleWithoutRotation)
      assert.deepEqual(await store.getKey(key.keyId), { ...key, keyState: 'Disabled' })
    })

    test('insertKey() round-trips a rotation schedule and an on-demand rotation in progress', async (store) => {
      const key = makeKey(keyIdOf(1), {
        rotation: { periodDays: 2560, nextRotationDate: at('2031-01-01T00:00:00.001Z') }, onDemandRotationStartedAt: at('2025-05-05T05:05:05.555Z'),
      })
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      assert.deepEqual(await store.getKey(key.keyId), key)
    })
  })
}

export function describeKeyListing(open: OpenStore): void {
  const test = storeTest(open)

  describe('listKeys()', () => {
    const insertFive = async (store: Store) => {
      for (const n of [4, 2, 5, 1, 3]) await store.insertKey(makeKey(keyIdOf(n)), null, [])
      await store.insertKey(makeKey(keyIdOf(6), { accountId: '444455556666' }), null, [])
      await store.insertKey(makeKey(keyIdOf(7), { region: 'us-east-1' }), null, [])
    }

    test('pages through one account and region in key id order', async (store) => {
      await insertFive(store)
      const first = await store.listKeys(ACCOUNT, REGION, undefined, 2)
      assert.deepEqual(first.items.map((k) => k.keyId), [keyIdOf(1), keyIdOf(2)])
      assert.equal(first.nextAfter, keyIdOf(2))
      const second = await store.listKeys(ACCOUNT, REGION, first.nextAfter, 2)
      assert.deepEqual(second.items.map((k) => k.keyId), [keyIdOf(3), keyIdOf(4)])
      assert.equal(second.nextAfter, keyIdOf(4))
      const third = await store.listKeys(ACCOUNT, REGION, second.nextAfter, 2)
      assert.deepEqual(third.items.map((k) => k.keyId), [keyIdOf(5)])
      assert.equal(third.nextAfter, undefined)
    })

    test('omits nextAfter when the page ends exactly at the last key', async (store) => {
      await insertFive(store)
      const page = await store.listKeys(ACCOUNT, REGION, keyIdOf(3), 2)
      assert.deepEqual(page.items.map((k) => k.keyId), [keyIdOf(4), keyIdOf(5)])
      assert.equal(page.nextAfter, undefined)
    })

    test('returns full records and an empty page for an account without keys', async (store) => {
      await insertFive(store)
      const all = await store.listKeys(ACCOUNT, REGION, undefined, 100)
      assert.deepEqual(all.items[0], makeKey(keyIdOf(1)))
      assert.deepEqual(await store.listKeys('000000000000', REGION, undefined, 10), { items: [] })
    })
  })

  describe('listKeysDueForDeletion()', () => {
    test('returns PendingDeletion keys whose date is at or before now, and nothing else', async (store) => {
      const now = at('2024-08-01T00:00:00.000Z')
      const pending = (n: number, iso: string) =>
        makeKey(keyIdOf(n), { keyState: 'PendingDeletion', deletionDate: at(iso), pendingWindowDays: 7 })
      await store.insertKey(pending(1, '2024-07-31T23:59:59.999Z'), null, [])
      await store.insertKey(pending(2, '2024-08-01T00:00:00.000Z'), null, [])
      await store.insertKey(pending(3, '2024-08-01T00:00:00.001Z'), null, [])
      await store.insertKey(makeKey(keyIdOf(4), { keyState: 'Disabled', deletionDate: at('2024-01-01T00:00:00Z') }), null, [])
      await store.insertKey(makeKey(keyIdOf(5)), null, [])
      const due = await store.listKeysDueForDeletion(now)
      assert.deepEqual(due.map((k) => k.keyId).sort(), [keyIdOf(1), keyIdOf(2)])
      assert.deepEqual(due.find((k) => k.keyId === keyIdOf(2)), pending(2, '2024-08-01T00:00:00.000Z'))
    })
  })
}
