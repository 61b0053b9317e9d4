// Contract: the peer outbox (store/peer-outbox-store.ts). One row per (set, Region, kind); an enqueue bumps seq
// and makes it due now; completion and deferral apply only to the seq the delivery read.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import { storeTest, type OpenStore } from './fixtures.js'

const MRK = 'mrk-0123456789abcdef0123456789abcdef'
const OTHER = 'mrk-fedcba9876543210fedcba9876543210'
const T0 = new Date('2025-01-01T00:00:00.000Z')
const later = (ms: number) => new Date(T0.getTime() + ms)

export function describePeerOutbox(open: OpenStore): void {
  const test = storeTest(open)

  describe('peer outbox', () => {
    test('enqueuePeerMessage creates one row per set, Region and kind; a repeat bumps seq, keeps the replica, clears the error', async (store) => {
      await store.enqueuePeerMessage(MRK, 'eu-west-1', 'sync', T0, '{"region":"eu-west-1"}')
      const [first] = await store.listPeerMessages(MRK)
      assert.deepEqual(first, { publicId: MRK, region: 'eu-west-1', kind: 'sync', seq: 1, dueAt: T0, attempts: 0, replicaJson: '{"region":"eu-west-1"}' })
      assert.equal(await store.deferPeerMessage(MRK, 'eu-west-1', 'sync', 1, later(5000), 'peer unreachable'), true)
      assert.deepEqual((await store.listPeerMessages(MRK))[0], { ...first, attempts: 1, dueAt: later(5000), lastError: 'peer unreachable' })
      await store.enqueuePeerMessage(MRK, 'eu-west-1', 'sync', later(10))
      assert.deepEqual(await store.listPeerMessages(MRK), [{ ...first, seq: 2, dueAt: later(10) }])
      await store.enqueuePeerMessage(MRK, 'eu-west-1', 'sync', later(20), '{"region":"x"}')
      assert.equal((await store.listPeerMessages(MRK))[0]!.replicaJson, '{"region":"x"}')
      await store.enqueuePeerMessage(MRK, 'eu-west-1', 'forget', T0)
      await store.enqueuePeerMessage(MRK, 'ap-south-1', 'sync', T0)
      assert.deepEqual((await store.listPeerMessages(MRK)).map((m) => `${m.region}/${m.kind}/${m.seq}`), ['ap-south-1/sync/1', 'eu-west-1/forget/1', 'eu-west-1/sync/3'])
      assert.deepEqual(await store.listPeerMessages(OTHER), [])
    })

    test('listDuePeerMessages returns messages due by now, earliest first, at most limit', async (store) => {
      await store.enqueuePeerMessage(MRK, 'eu-west-1', 'sync', later(30))
      await store.enqueuePeerMessage(OTHER, 'eu-west-1', 'sync', later(10))
      await store.enqueuePeerMessage(MRK, 'ap-south-1', 'forget', later(20))
      assert.deepEqual((await store.listDuePeerMessages(later(25), 10)).map((m) => m.publicId + m.region), [OTHER + 'eu-west-1', MRK + 'ap-south-1'])
      assert.equal((await store.listDuePeerMessages(later(30), 1)).length, 1)
      assert.equal((await store.listDuePeerMessages(later(9), 10)).length, 0)
      await store.deferPeerMessage(OTHER, 'eu-west-1', 'sync', 1, later(1000), 'x')
      assert.deepEqual((await store.listDuePeerMessages(later(999), 10)).map((m) => m.publicId), [MRK, MRK])
    })

    test('completePeerMessage and deferPeerMessage touch only the seq that was read: a newer enqueue survives', async (store) => {
      await store.enqueuePeerMessage(MRK, 'eu-west-1', 'sync', T0)
      await store.enqueuePeerMessage(MRK, 'eu-west-1', 'sync', later(1))
      assert.equal(await store.completePeerMessage(MRK, 'eu-west-1', 'sync', 1), false)
      assert.equal(await store.deferPeerMessage(MRK, 'eu-west-1', 'sync', 1, later(9000), 'stale'), false)
      const [row] = await store.listPeerMessages(MRK)
      assert.deepEqual([row!.seq, row!.attempts, row!.lastError], [2, 0, undefined])
      assert.equal(await store.completePeerMessage(MRK, 'eu-west-1', 'forget', 2), false)
      assert.equal(await store.completePeerMessage(MRK, 'eu-west-1', 'sync', 2), true)
      assert.deepEqual(await store.listPeerMessages(MRK), [])
    })
  })
}
