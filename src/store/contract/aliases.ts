// Contract: alias names, their per-key limit and paging.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import { StoreConflictError, StoreLimitError, type Store } from '../store.js'
import { ACCOUNT, REGION, at, keyIdOf, makeAlias, makeKey, storeTest, type OpenStore } from './fixtures.js'

async function insertKeys(store: Store, ...ns: number[]): Promise<void> {
  for (const n of ns) await store.insertKey(makeKey(keyIdOf(n)), null, [])
}

export function describeAliases(open: OpenStore): void {
  const test = storeTest(open)

  describe('aliases', () => {
    test('insertAlias() round-trips and getAlias() is scoped to account and region', async (store) => {
      await insertKeys(store, 1)
      const alias = makeAlias('alias/app', keyIdOf(1), { updatedAt: at('2024-03-02T00:00:00.002Z') })
      await store.insertAlias(alias, 10)
      assert.deepEqual(await store.getAlias(ACCOUNT, REGION, 'alias/app'), alias)
      assert.equal(await store.getAlias(ACCOUNT, 'us-east-1', 'alias/app'), undefined)
      assert.equal(await store.getAlias('444455556666', REGION, 'alias/app'), undefined)
    })

    test('insertAlias() rejects an existing name with StoreConflictError', async (store) => {
      await insertKeys(store, 1, 2)
      await store.insertAlias(makeAlias('alias/app', keyIdOf(1)), 10)
      await assert.rejects(store.insertAlias(makeAlias('alias/app', keyIdOf(2)), 10), StoreConflictError)
      assert.equal((await store.getAlias(ACCOUNT, REGION, 'alias/app'))?.keyId, keyIdOf(1))
    })

    test('insertAlias() allows the same name in another region or account', async (store) => {
      await insertKeys(store, 1)
      await store.insertAlias(makeAlias('alias/app', keyIdOf(1)), 10)
      await store.insertKey(makeKey(keyIdOf(2), { region: 'us-east-1' }), null, [])
      await store.insertAlias(makeAlias('alias/app', keyIdOf(2), { region: 'us-east-1' }), 10)
      assert.equal((await store.getAlias(ACCOUNT, 'us-east-1', 'alias/app'))?.keyId, keyIdOf(2))
    })

    test('insertAlias() throws StoreLimitError at maxPerKey and inserts nothing', async (store) => {
      await insertKeys(store, 1)
      await store.insertAlias(makeAlias('alias/a', keyIdOf(1)), 2)
      await store.insertAlias(makeAlias('alias/b', keyIdOf(1)), 2)
      await assert.rejects(store.insertAlias(makeAlias('alias/c', keyIdOf(1)), 2), StoreLimitError)
      assert.equal(await store.getAlias(ACCOUNT, REGION, 'alias/c'), undefined)
    })

    test('updateAlias() re-points the alias and records updatedAt, keeping createdAt', async (store) => {
      await insertKeys(store, 1, 2)
      const alias = makeAlias('alias/app', keyIdOf(1))
      await store.insertAlias(alias, 10)
      const moved = { ...alias, keyId: keyIdOf(2), updatedAt: at('2024-04-01T00:00:00.004Z') }
      await store.updateAlias({ ...moved, createdAt: at('2030-01-01T00:00:00Z') }, 10)
      assert.deepEqual(await store.getAlias(ACCOUNT, REGION, 'alias/app'), moved)
    })

    test('updateAlias() throws StoreLimitError when the new key is full and changes nothing', async (store) => {
      await insertKeys(store, 1, 2)
      await store.insertAlias(makeAlias('alias/on-1', keyIdOf(1)), 1)
      await store.insertAlias(makeAlias('alias/on-2', keyIdOf(2)), 1)
      const moved = makeAlias('alias/on-1', keyIdOf(2), { updatedAt: at('2024-05-01T00:00:00Z') })
      await assert.rejects(store.updateAlias(moved, 1), StoreLimitError)
      assert.deepEqual(await store.getAlias(ACCOUNT, REGION, 'alias/on-1'), makeAlias('alias/on-1', keyIdOf(1)))
    })

    test('updateAlias() to the key it already names does not count itself against the limit', async (store) => {
      await insertKeys(store, 1)
      await store.insertAlias(makeAlias('alias/only', keyIdOf(1)), 1)
      const touched = makeAlias('alias/only', keyIdOf(1), { updatedAt: at('2024-06-01T00:00:00Z') })
      await store.updateAlias(touched, 1)
      assert.deepEqual(await store.getAlias(ACCOUNT, REGION, 'alias/only'), touched)
    })

    test('deleteAlias() reports whether the alias existed', async (store) => {
      await insertKeys(store, 1)
      await store.insertAlias(makeAlias('alias/app', keyIdOf(1)), 10)
      assert.equal(await store.deleteAlias(ACCOUNT, REGION, 'alias/app'), true)
      assert.equal(await store.getAlias(ACCOUNT, REGION, 'alias/app'), undefined)
      assert.equal(await store.deleteAlias(ACCOUNT, REGION, 'alias/app'), false)
    })
  })
}

export function describeAliasListing(open: OpenStore): void {
  const test = storeTest(open)

  describe('listAliases()', () => {
    const names = (page: { items: { aliasName: string }[] }) => page.items.map((a) => a.aliasName)

    const insertSpread = async (store: Store) => {
      await insertKeys(store, 1, 2)
      for (const n of ['e', 'b', 'd', 'a', 'c']) await store.insertAlias(makeAlias(`alias/${n}`, keyIdOf(1)), 10)
      for (const n of ['b2', 'd2']) await store.insertAlias(makeAlias(`alias/${n}`, keyIdOf(2)), 10)
      await store.insertKey(makeKey(keyIdOf(3), { region: 'us-east-1' }), null, [])
      await store.insertAlias(makeAlias('alias/a0', keyIdOf(3), { region: 'us-east-1' }), 10)
    }

    test('pages through one account and region in name order', async (store) => {
      await insertSpread(store)
      const first = await store.listAliases(ACCOUNT, REGION, undefined, undefined, 3)
      assert.deepEqual(names(first), ['alias/a', 'alias/b', 'alias/b2'])
      assert.equal(first.nextAfter, 'alias/b2')
      const second = await store.listAliases(ACCOUNT, REGION, undefined, first.nextAfter, 3)
      assert.deepEqual(names(second), ['alias/c', 'alias/d', 'alias/d2'])
      const third = await store.listAliases(ACCOUNT, REGION, undefined, second.nextAfter, 3)
      assert.deepEqual(names(third), ['alias/e'])
      assert.equal(third.nextAfter, undefined)
    })

    test('filtered by key, pages over that key alone: 3 pages of limit 2 over 5', async (store) => {
      await insertSpread(store)
      const first = await store.listAliases(ACCOUNT, REGION, keyIdOf(1), undefined, 2)
      assert.deepEqual(names(first), ['alias/a', 'alias/b'])
      assert.equal(first.nextAfter, 'alias/b')
      const second = await store.listAliases(ACCOUNT, REGION, keyIdOf(1), first.nextAfter, 2)
      assert.deepEqual(names(second), ['alias/c', 'alias/d'])
      assert.equal(second.nextAfter, 'alias/d')
      const third = await store.listAliases(ACCOUNT, REGION, keyIdOf(1), second.nextAfter, 2)
      assert.deepEqual(names(third), ['alias/e'])
      assert.equal(third.nextAfter, undefined)
      assert.deepEqual(third.items[0], makeAlias('alias/e', keyIdOf(1)))
    })

    test('filtered by another key returns only its aliases, with no marker at the end', async (store) => {
      await insertSpread(store)
      const page = await store.listAliases(ACCOUNT, REGION, keyIdOf(2), undefined, 2)
      assert.deepEqual(names(page), ['alias/b2', 'alias/d2'])
      assert.equal(page.nextAfter, undefined)
      assert.deepEqual(await store.listAliases(ACCOUNT, REGION, keyIdOf(404), undefined, 2), { items: [] })
    })
  })
}
