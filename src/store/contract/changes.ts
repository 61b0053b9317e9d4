// Contract: the change feed. Every write to a cached table records its entity in the same transaction,
// in commit order, and pruning moves a horizon that tells a reader it missed changes.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import { ACCOUNT, keyIdOf, makeKey, storeTest, type OpenStore } from './fixtures.js'

export function describeChanges(open: OpenStore): void {
  const test = storeTest(open)

  describe('change feed', () => {
    test('records each write with its entity, in commit order, after any seq asked for', async (store) => {
      const start = await store.latestChangeSeq()
      await store.insertAccount({ accountId: ACCOUNT, createdAt: new Date() })
      await store.insertKey(makeKey(keyIdOf(1)), null, [])
      await store.putTags(keyIdOf(1), [{ tagKey: 'a', tagValue: 'b' }], 50)
      const { changes, prunedThrough } = await store.readChanges(start, 100)
      assert.deepEqual(changes.map((c) => [c.kind, c.entity, c.op]), [['account', ACCOUNT, 'I'], ['key', keyIdOf(1), 'I'], ['tags', keyIdOf(1), 'I']])
      assert.ok(changes[0]!.seq > start && changes[1]!.seq > changes[0]!.seq && changes[2]!.seq > changes[1]!.seq)
      assert.ok(prunedThrough <= start)
      assert.equal(await store.latestChangeSeq(), changes[2]!.seq)
      assert.deepEqual((await store.readChanges(changes[0]!.seq, 1)).changes.map((c) => c.kind), ['key'])
    })

    test('records nothing for a write that failed and changed nothing', async (store) => {
      await store.insertKey(makeKey(keyIdOf(1)), null, [{ tagKey: 'a', tagValue: '1' }])
      const before = await store.latestChangeSeq()
      await assert.rejects(store.putTags(keyIdOf(1), [{ tagKey: 'b', tagValue: '2' }], 1))
      assert.equal(await store.latestChangeSeq(), before)
    })

    test('pruneChanges() removes older changes and moves the horizon past them', async (store) => {
      await store.insertKey(makeKey(keyIdOf(1)), null, [])
      const latest = await store.latestChangeSeq()
      assert.equal(await store.pruneChanges(new Date(Date.now() - 60_000)), 0)
      assert.ok((await store.pruneChanges(new Date(Date.now() + 60_000))) >= 1)
      const batch = await store.readChanges(0, 100)
      assert.deepEqual(batch.changes, [])
      assert.equal(batch.prunedThrough, latest)
      assert.equal(await store.latestChangeSeq(), latest, 'seqs are never reused after pruning')
    })
  })
}
