// Contract: key tags, their upsert semantics and the per-key tag limit.
import assert from 'node:assert/strict'
import { describe } from 'node:test'
import { StoreLimitError } from '../store.js'
import { keyIdOf, makeKey, storeTest, type OpenStore } from './fixtures.js'

export function describeTags(open: OpenStore): void {
  const test = storeTest(open)
  const id = keyIdOf(1)
  const tag = (tagKey: string, tagValue: string) => ({ tagKey, tagValue })

  describe('tags', () => {
    test('listTags() returns an empty list for an untagged key', async (store) => {
      await store.insertKey(makeKey(id), null, [])
      assert.deepEqual(await store.listTags(id), [])
    })

    test('putTags() adds new tags and overwrites existing values; listTags() orders by key', async (store) => {
      await store.insertKey(makeKey(id), null, [tag('owner', 'alice')])
      await store.putTags(id, [tag('zone', 'z1'), tag('owner', 'bob'), tag('cost', 'c9')], 50)
      assert.deepEqual(await store.listTags(id), [tag('cost', 'c9'), tag('owner', 'bob'), tag('zone', 'z1')])
    })

    test('putTags() counts distinct keys, so overwriting at the limit is allowed', async (store) => {
      await store.insertKey(makeKey(id), null, [tag('a', '1'), tag('b', '2')])
      await store.putTags(id, [tag('a', '10'), tag('b', '20')], 2)
      assert.deepEqual(await store.listTags(id), [tag('a', '10'), tag('b', '20')])
    })

    test('putTags() over the limit throws StoreLimitError and changes nothing, overwrites included', async (store) => {
      await store.insertKey(makeKey(id), null, [tag('a', '1'), tag('b', '2')])
      await assert.rejects(store.putTags(id, [tag('a', 'changed'), tag('c', '3')], 2), StoreLimitError)
      assert.deepEqual(await store.listTags(id), [tag('a', '1'), tag('b', '2')])
    })

    test('putTags() keeps tags of different keys apart', async (store) => {
      await store.insertKey(makeKey(id), null, [])
      await store.insertKey(makeKey(keyIdOf(2)), null, [tag('a', 'other')])
      await store.putTags(id, [tag('a', 'mine')], 1)
      assert.deepEqual(await store.listTags(keyIdOf(2)), [tag('a', 'other')])
      assert.deepEqual(await store.listTags(id), [tag('a', 'mine')])
    })

    test('deleteTags() removes the named tags and silently ignores absent ones', async (store) => {
      await store.insertKey(makeKey(id), null, [tag('a', '1'), tag('b', '2'), tag('c', '3')])
      await store.deleteTags(id, ['a', 'missing', 'c'])
      assert.deepEqual(await store.listTags(id), [tag('b', '2')])
    })
  })
}
