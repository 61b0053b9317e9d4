import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { TaggedLru } from './tagged-lru.js'

describe('TaggedLru', () => {
  it('holds at most its bound, dropping the least recently used entry and handing it to onDrop', () => {
    const dropped: string[] = []
    const lru = new TaggedLru<string>(2, (v) => dropped.push(v))
    lru.set('a', 'A', [], 1)
    lru.set('b', 'B', [], 1)
    lru.get('a')
    lru.set('c', 'C', [], 1)
    assert.equal(lru.size, 2)
    assert.equal(lru.get('b'), undefined)
    assert.deepEqual(dropped, ['B'])
  })

  it('invalidating a tag drops every entry filed under it and nothing else', () => {
    const lru = new TaggedLru<number>(10)
    lru.set('k1/g1', 1, ['grants:k1'], 5)
    lru.set('k1/g2', 2, ['grants:k1'], 6)
    lru.set('k2/g1', 3, ['grants:k2'], 7)
    lru.invalidate('grants:k1')
    assert.deepEqual([lru.get('k1/g1'), lru.get('k1/g2'), lru.get('k2/g1')], [undefined, undefined, 3])
    assert.equal(lru.loadedAt('k2/g1'), 7)
  })

  it('counts hits and misses', () => {
    const lru = new TaggedLru<number>(10)
    lru.get('x')
    lru.set('x', 1, [], 0)
    lru.get('x')
    assert.deepEqual({ hits: lru.stats.hits, misses: lru.stats.misses, size: lru.stats.size }, { hits: 1, misses: 1, size: 1 })
  })
})
