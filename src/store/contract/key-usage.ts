// Contract: each key's last use (GetKeyLastUsage). Batched writes from several processes leave the latest
// use whatever order they arrive in; a use of a destroyed or unknown key is dropped, and destroyKey removes it.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import type { KeyLastUse } from '../../keys/last-use.js'
import { at, keyIdOf, makeKey, makeVersion, storeTest, type OpenStore } from './fixtures.js'

function use(keyId: string, iso: string, operation: KeyLastUse['operation'] = 'Encrypt', n = 1): KeyLastUse {
  return { keyId, operation, usedAt: at(iso), eventId: `event-${n}`, requestId: `request-${n}` }
}

export function describeKeyUsage(open: OpenStore): void {
  const test = storeTest(open)

  describe('key last use', () => {
    test('recordKeyLastUses() stores every key of one batch; getKeyLastUse() reads it back exactly', async (store) => {
      const [a, b] = [makeKey(keyIdOf(1)), makeKey(keyIdOf(2))]
      for (const k of [a, b]) await store.insertKey(k, makeVersion(k.keyId, 1), [])
      assert.equal(await store.getKeyLastUse(a.keyId), undefined)
      await store.recordKeyLastUses([use(a.keyId, '2026-03-01T10:00:00.123Z', 'Decrypt', 1), use(b.keyId, '2026-03-01T10:00:01.456Z', 'Sign', 2)])
      assert.deepEqual(await store.getKeyLastUse(a.keyId), use(a.keyId, '2026-03-01T10:00:00.123Z', 'Decrypt', 1))
      assert.deepEqual(await store.getKeyLastUse(b.keyId), use(b.keyId, '2026-03-01T10:00:01.456Z', 'Sign', 2))
    })

    test('a later use replaces the stored one; an earlier or equal one (another process flushing late) does not', async (store) => {
      const key = makeKey(keyIdOf(1))
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      await store.recordKeyLastUses([use(key.keyId, '2026-03-01T10:00:05Z', 'Encrypt', 1)])
      await store.recordKeyLastUses([use(key.keyId, '2026-03-01T10:00:04Z', 'Decrypt', 2)])
      await store.recordKeyLastUses([use(key.keyId, '2026-03-01T10:00:05Z', 'GenerateMac', 3)])
      assert.deepEqual(await store.getKeyLastUse(key.keyId), use(key.keyId, '2026-03-01T10:00:05Z', 'Encrypt', 1))
      await store.recordKeyLastUses([use(key.keyId, '2026-03-01T10:00:06Z', 'ReEncrypt', 4)])
      assert.deepEqual(await store.getKeyLastUse(key.keyId), use(key.keyId, '2026-03-01T10:00:06Z', 'ReEncrypt', 4))
    })

    test('drops the use of a key that does not exist and still records the rest of the batch', async (store) => {
      const key = makeKey(keyIdOf(1))
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      await store.recordKeyLastUses([use(keyIdOf(9), '2026-03-01T10:00:00Z'), use(key.keyId, '2026-03-01T10:00:00Z')])
      assert.equal(await store.getKeyLastUse(keyIdOf(9)), undefined)
      assert.ok(await store.getKeyLastUse(key.keyId))
    })

    test('destroyKey() removes the key\'s last use, and a late flush does not bring it back', async (store) => {
      const key = makeKey(keyIdOf(1))
      await store.insertKey(key, makeVersion(key.keyId, 1), [])
      await store.recordKeyLastUses([use(key.keyId, '2026-03-01T10:00:00Z')])
      await store.destroyKey(key.keyId)
      assert.equal(await store.getKeyLastUse(key.keyId), undefined)
      await store.recordKeyLastUses([use(key.keyId, '2026-03-01T10:00:01Z')])
      assert.equal(await store.getKeyLastUse(key.keyId), undefined)
    })

    test('an empty batch is accepted and changes nothing', async (store) => {
      await store.recordKeyLastUses([])
      assert.equal(await store.getKeyLastUse(keyIdOf(1)), undefined)
    })
  })
}
