// Contract: leases for once-only work. Only one holder at a time; an expired lease can be taken over.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import { storeTest, type OpenStore } from './fixtures.js'

const T0 = new Date('2024-01-01T00:00:00Z')
const later = (ms: number) => new Date(T0.getTime() + ms)

export function describeLeases(open: OpenStore): void {
  const test = storeTest(open)

  describe('leases', () => {
    test('takeLease() grants a free lease, renews it for its holder and refuses it to another until it expires', async (store) => {
      assert.equal(await store.takeLease('jobs', 'a', T0, 1000), true)
      assert.equal(await store.takeLease('jobs', 'b', later(999), 1000), false)
      assert.equal(await store.takeLease('jobs', 'a', later(500), 1000), true, 'the holder renews')
      assert.equal(await store.takeLease('jobs', 'b', later(1499), 1000), false, 'the renewal moved the expiry')
      assert.equal(await store.takeLease('jobs', 'b', later(1500), 1000), true, 'an expired lease is taken over')
      assert.equal(await store.takeLease('jobs', 'a', later(1600), 1000), false, 'the old holder has lost it')
    })

    test('takeLease() called concurrently by many holders grants it to exactly one', async (store) => {
      const won = await Promise.all(['a', 'b', 'c', 'd'].map((h) => store.takeLease('jobs', h, T0, 1000)))
      assert.equal(won.filter(Boolean).length, 1)
    })

    test('releaseLease() frees only the holder\'s own lease; leases of other names are independent', async (store) => {
      assert.equal(await store.takeLease('jobs', 'a', T0, 1000), true)
      assert.equal(await store.takeLease('other', 'b', T0, 1000), true)
      await store.releaseLease('jobs', 'b')
      assert.equal(await store.takeLease('jobs', 'b', T0, 1000), false)
      await store.releaseLease('jobs', 'a')
      assert.equal(await store.takeLease('jobs', 'b', T0, 1000), true)
    })
  })
}
