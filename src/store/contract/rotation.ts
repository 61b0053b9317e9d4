// Contract: automatic-rotation schedules and rotations, each rotation one atomic compare-and-set write.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import type { KeyVersion } from '../../keys/key.js'
import { StoreConflictError, StoreLimitError, type Store } from '../store.js'
import { at, keyIdOf, makeKey, makeVersion, plainVersion, storeTest, type OpenStore } from './fixtures.js'

const JAN = at('2025-01-01T00:00:00.000Z')
const schedule = (iso: string, periodDays = 365) => ({ periodDays, nextRotationDate: at(iso) })

function rotated(keyId: string, version: number, type: 'AUTOMATIC' | 'ON_DEMAND', iso: string): KeyVersion {
  return { ...makeVersion(keyId, version), rotation: { type, rotatedAt: at(iso) } }
}

async function keyWithRotation(store: Store, n: number, nextIso = '2025-01-01T00:00:00.000Z') {
  const key = makeKey(keyIdOf(n))
  await store.insertKey(key, makeVersion(key.keyId, 1), [])
  await store.setKeyRotation(key.keyId, schedule(nextIso))
  return key
}

export function describeRotation(open: OpenStore): void {
  const test = storeTest(open)

  describe('setKeyRotation()', () => {
    test('sets, changes and clears the schedule, leaving the other fields alone', async (store) => {
      const key = await keyWithRotation(store, 1)
      assert.deepEqual(await store.getKey(key.keyId), { ...key, rotation: schedule('2025-01-01T00:00:00.000Z') })
      await store.setKeyRotation(key.keyId, schedule('2026-02-03T04:05:06.789Z', 90))
      assert.deepEqual((await store.getKey(key.keyId))?.rotation, schedule('2026-02-03T04:05:06.789Z', 90))
      await store.setKeyRotation(key.keyId, null)
      const cleared = await store.getKey(key.keyId)
      assert.deepEqual(cleared, key)
      assert.equal('rotation' in cleared!, false)
    })
  })

  describe('rotateKey()', () => {
    test('adds the version, makes it current and moves the schedule, all at once', async (store) => {
      const key = await keyWithRotation(store, 1)
      const v2 = rotated(key.keyId, 2, 'AUTOMATIC', '2025-01-01T00:00:01.000Z')
      const next = at('2026-01-01T00:00:00.000Z')
      assert.equal(await store.rotateKey({ version: v2, expectedCurrentVersion: 1, schedule: { expected: JAN, next } }), true)
      const got = await store.getKey(key.keyId)
      assert.equal(got?.currentVersion, 2)
      assert.deepEqual(got?.rotation, { periodDays: 365, nextRotationDate: next })
      assert.deepEqual(plainVersion(await store.getKeyVersion(key.keyId, 2)), v2)
      assert.deepEqual(plainVersion(await store.getKeyVersion(key.keyId, 1)), makeVersion(key.keyId, 1))
    })

    test('changes nothing when the key moved on since the caller read it', async (store) => {
      const key = await keyWithRotation(store, 1)
      const next = at('2026-01-01T00:00:00.000Z')
      const first = rotated(key.keyId, 2, 'AUTOMATIC', '2025-01-01T00:00:01.000Z')
      assert.equal(await store.rotateKey({ version: first, expectedCurrentVersion: 1, schedule: { expected: JAN, next } }), true)
      // A second job run that read the key before the first one wrote: same expectations, nothing happens.
      const again = { ...rotated(key.keyId, 2, 'AUTOMATIC', '2025-01-01T00:00:02.000Z'), wrappedMaterial: new Uint8Array(60).fill(0xee) }
      assert.equal(await store.rotateKey({ version: again, expectedCurrentVersion: 1, schedule: { expected: JAN, next } }), false)
      // The right version but a schedule someone else changed (EnableKeyRotation with a new period).
      await store.setKeyRotation(key.keyId, schedule('2025-06-01T00:00:00.000Z', 90))
      const v3 = rotated(key.keyId, 3, 'AUTOMATIC', '2025-06-01T00:00:00.000Z')
      assert.equal(await store.rotateKey({ version: v3, expectedCurrentVersion: 2, schedule: { expected: next, next: at('2025-09-01T00:00:00.000Z') } }), false)
      assert.deepEqual(plainVersion(await store.getKeyVersion(key.keyId, 2)), first)
      assert.equal(await store.getKeyVersion(key.keyId, 3), undefined)
      assert.equal((await store.getKey(key.keyId))?.currentVersion, 2)
    })

    test('rotates only an Enabled key', async (store) => {
      const key = await keyWithRotation(store, 1)
      await store.updateKey({ ...key, keyState: 'Disabled' })
      const v2 = rotated(key.keyId, 2, 'ON_DEMAND', '2025-01-01T00:00:00.000Z')
      assert.equal(await store.rotateKey({ version: v2, expectedCurrentVersion: 1, maxOnDemand: 25 }), false)
      assert.equal(await store.getKeyVersion(key.keyId, 2), undefined)
      assert.equal(await store.rotateKey({ version: rotated(keyIdOf(9), 2, 'ON_DEMAND', '2025-01-01T00:00:00.000Z'), expectedCurrentVersion: 1 }), false)
    })

    test('an on-demand rotation leaves the schedule, and the limit counts on-demand rotations only', async (store) => {
      const key = await keyWithRotation(store, 1, '2030-01-01T00:00:00.000Z')
      const auto = rotated(key.keyId, 2, 'AUTOMATIC', '2025-01-01T00:00:00.000Z')
      await store.rotateKey({ version: auto, expectedCurrentVersion: 1, schedule: { expected: at('2030-01-01T00:00:00.000Z'), next: at('2031-01-01T00:00:00.000Z') } })
      for (const n of [3, 4]) {
        assert.equal(await store.rotateKey({ version: rotated(key.keyId, n, 'ON_DEMAND', '2025-02-01T00:00:00.000Z'), expectedCurrentVersion: n - 1, maxOnDemand: 2 }), true)
      }
      await assert.rejects(store.rotateKey({ version: rotated(key.keyId, 5, 'ON_DEMAND', '2025-03-01T00:00:00.000Z'), expectedCurrentVersion: 4, maxOnDemand: 2 }), StoreLimitError)
      const got = await store.getKey(key.keyId)
      assert.equal(got?.currentVersion, 4)
      assert.deepEqual(got?.rotation, schedule('2031-01-01T00:00:00.000Z'))
      assert.equal(await store.getKeyVersion(key.keyId, 5), undefined)
    })

    test('rejects an existing version number with StoreConflictError and changes nothing', async (store) => {
      const key = makeKey(keyIdOf(1))
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      await store.addKeyVersion(makeVersion(key.keyId, 2))
      const clash = rotated(key.keyId, 2, 'ON_DEMAND', '2025-01-01T00:00:00.000Z')
      // Current is 2 now: expecting 1 is stale (false); expecting 2 while reusing number 2 is a conflict.
      assert.equal(await store.rotateKey({ version: clash, expectedCurrentVersion: 1 }), false)
      await assert.rejects(store.rotateKey({ version: clash, expectedCurrentVersion: 2 }), StoreConflictError)
      assert.deepEqual(plainVersion(await store.getKeyVersion(key.keyId, 2)), makeVersion(key.keyId, 2))
    })
  })

  describe('startOnDemandRotation()', () => {
    test('records the start once; a second start finds it in progress; completing clears it', async (store) => {
      const key = await keyWithRotation(store, 1, '2030-01-01T00:00:00.000Z')
      const startedAt = at('2025-02-01T00:00:00.500Z')
      assert.equal(await store.startOnDemandRotation(key.keyId, startedAt, 25), 'started')
      assert.deepEqual((await store.getKey(key.keyId))?.onDemandRotationStartedAt, startedAt)
      assert.equal(await store.startOnDemandRotation(key.keyId, at('2025-02-01T00:00:01.000Z'), 25), 'already-in-progress')
      // An automatic rotation, or a completion naming another start, does not apply while this one is pending.
      const auto = rotated(key.keyId, 2, 'AUTOMATIC', '2030-01-01T00:00:00.000Z')
      const moves = { expected: at('2030-01-01T00:00:00.000Z'), next: at('2031-01-01T00:00:00.000Z') }
      assert.equal(await store.rotateKey({ version: auto, expectedCurrentVersion: 1, schedule: moves }), false)
      const v2 = rotated(key.keyId, 2, 'ON_DEMAND', '2025-02-01T00:00:01.000Z')
      assert.equal(await store.rotateKey({ version: v2, expectedCurrentVersion: 1, onDemandStartedAt: at('2025-01-01T00:00:00.000Z') }), false)
      assert.equal(await store.rotateKey({ version: v2, expectedCurrentVersion: 1, onDemandStartedAt: startedAt }), true)
      const done = await store.getKey(key.keyId)
      assert.equal(done?.currentVersion, 2)
      assert.equal('onDemandRotationStartedAt' in done!, false)
      assert.deepEqual(done?.rotation, schedule('2030-01-01T00:00:00.000Z'))
    })

    test('refuses a key that is not Enabled, and counts a rotation in progress against the limit', async (store) => {
      const key = await keyWithRotation(store, 1)
      await store.updateKey({ ...key, keyState: 'Disabled' })
      assert.equal(await store.startOnDemandRotation(key.keyId, JAN, 1), 'not-enabled')
      assert.equal(await store.startOnDemandRotation(keyIdOf(404), JAN, 1), 'not-enabled')
      await store.updateKey(key)
      await store.rotateKey({ version: rotated(key.keyId, 2, 'ON_DEMAND', '2024-12-01T00:00:00.000Z'), expectedCurrentVersion: 1 })
      await assert.rejects(store.startOnDemandRotation(key.keyId, JAN, 1), StoreLimitError)
      assert.equal('onDemandRotationStartedAt' in (await store.getKey(key.keyId))!, false)
      assert.equal(await store.startOnDemandRotation(key.keyId, JAN, 2), 'started')
    })

    test('survives updateKey from a record read before the start', async (store) => {
      const key = await keyWithRotation(store, 1)
      await store.startOnDemandRotation(key.keyId, JAN, 25)
      await store.updateKey({ ...key, description: 'changed' })
      assert.deepEqual((await store.getKey(key.keyId))?.onDemandRotationStartedAt, JAN)
    })
  })

  describe('listKeysDueForRotation()', () => {
    test('lists an Enabled key with an on-demand rotation in progress first, whatever its schedule', async (store) => {
      await keyWithRotation(store, 1, '2024-06-01T00:00:00.000Z')
      const onDemand = makeKey(keyIdOf(2))
      await store.insertKey(onDemand, makeVersion(onDemand.keyId, 1), [])
      await store.startOnDemandRotation(onDemand.keyId, at('2025-01-01T00:00:00.000Z'), 25)
      const disabled = makeKey(keyIdOf(3))
      await store.insertKey(disabled, makeVersion(disabled.keyId, 1), [])
      await store.startOnDemandRotation(disabled.keyId, at('2025-01-01T00:00:00.000Z'), 25)
      await store.updateKey({ ...disabled, keyState: 'Disabled' })
      const due = await store.listKeysDueForRotation(at('2025-01-01T00:00:00.000Z'), 10)
      assert.deepEqual(due.map((k) => k.keyId), [keyIdOf(2), keyIdOf(1)])
    })

    test('returns Enabled keys due at or before now, earliest first, up to the limit', async (store) => {
      const now = at('2025-01-01T00:00:00.000Z')
      await keyWithRotation(store, 1, '2024-12-31T23:59:59.999Z')
      await keyWithRotation(store, 2, '2025-01-01T00:00:00.000Z')
      await keyWithRotation(store, 3, '2025-01-01T00:00:00.001Z')
      const disabled = await keyWithRotation(store, 4, '2024-01-01T00:00:00.000Z')
      await store.updateKey({ ...disabled, keyState: 'Disabled' })
      const pending = await keyWithRotation(store, 5, '2024-01-01T00:00:00.000Z')
      await store.updateKey({ ...pending, keyState: 'PendingDeletion', deletionDate: now, pendingWindowDays: 7 })
      await store.insertKey(makeKey(keyIdOf(6)), makeVersion(keyIdOf(6), 1), [])
      const due = await store.listKeysDueForRotation(now, 10)
      assert.deepEqual(due.map((k) => k.keyId), [keyIdOf(1), keyIdOf(2)])
      assert.deepEqual(due[0]?.rotation, schedule('2024-12-31T23:59:59.999Z'))
      assert.deepEqual((await store.listKeysDueForRotation(now, 1)).map((k) => k.keyId), [keyIdOf(1)])
    })
  })

  describe('listKeyVersions()', () => {
    test('pages through one key\'s versions in order, with their rotation details', async (store) => {
      const key = await keyWithRotation(store, 1, '2030-01-01T00:00:00.000Z')
      const other = makeKey(keyIdOf(2))
      await store.insertKey(other, makeVersion(other.keyId, 1), [])
      for (const n of [2, 3]) {
        await store.rotateKey({ version: rotated(key.keyId, n, 'ON_DEMAND', `2025-0${n}-01T00:00:00.000Z`), expectedCurrentVersion: n - 1 })
      }
      const first = await store.listKeyVersions(key.keyId, undefined, 2)
      assert.deepEqual(first.items.map(plainVersion), [makeVersion(key.keyId, 1), rotated(key.keyId, 2, 'ON_DEMAND', '2025-02-01T00:00:00.000Z')])
      assert.equal(first.nextAfter, '2')
      const second = await store.listKeyVersions(key.keyId, 2, 2)
      assert.deepEqual(second.items.map((v) => v.version), [3])
      assert.equal(second.nextAfter, undefined)
      assert.deepEqual(await store.listKeyVersions(keyIdOf(404), undefined, 10), { items: [] })
    })
  })
}
