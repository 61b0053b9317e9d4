// RecencyMap: oldest-first order like a Map; a hit moves an entry only after `window` later insertions.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RecencyMap } from './recency-map.js'

function filled(window: number, keys: string[]): RecencyMap<string, number> {
  const map = new RecencyMap<string, number>(window)
  keys.forEach((k, i) => map.set(k, i))
  return map
}

describe('RecencyMap', () => {
  it('with window 0 is a strict LRU: every hit moves the entry to the newest end', () => {
    const map = filled(0, ['a', 'b', 'c'])
    assert.equal(map.use('a'), 0)
    assert.deepEqual([...map.keys()], ['b', 'c', 'a'])
    assert.deepEqual(map.oldest(), ['b', 1])
  })

  it('leaves an entry in place while no more than `window` entries were put after it, then moves it', () => {
    const map = filled(2, ['a', 'b', 'c'])
    map.use('a')
    assert.deepEqual([...map.keys()], ['a', 'b', 'c'], 'two insertions after a: within the window')
    map.set('d', 3)
    map.use('a')
    assert.deepEqual([...map.keys()], ['b', 'c', 'd', 'a'], 'three insertions after a: moved')
    map.use('a')
    assert.deepEqual([...map.keys()], ['b', 'c', 'd', 'a'], 'newest already')
  })

  it('counts moves as insertions, so a moved entry ages the others', () => {
    const map = filled(1, ['a', 'b', 'c'])
    map.use('a')
    map.use('b')
    assert.deepEqual([...map.keys()], ['c', 'a', 'b'])
  })

  it('does not count get() as a use', () => {
    const map = filled(0, ['a', 'b'])
    assert.equal(map.get('a'), 0)
    assert.deepEqual([...map.keys()], ['a', 'b'])
    assert.equal(map.get('zz'), undefined)
    assert.equal(map.use('zz'), undefined)
  })

  it('keeps an entry used within capacity - window insertions out of the oldest place of a full cache', () => {
    const capacity = 16
    const map = RecencyMap.forCapacity<string, number>(capacity)
    map.set('hot', -1)
    for (let i = 0; i < 1000; i++) {
      map.set(`cold-${i}`, i)
      if (map.size > capacity) {
        assert.notEqual(map.oldest()![0], 'hot', `evicting at insertion ${i}`)
        map.delete(map.oldest()![0])
      }
      if (i % (capacity - capacity / 4 - 1) === 0) map.use('hot')
    }
    assert.ok(map.has('hot'))
  })

  it('replaces on set, deletes, iterates oldest first and allows deleting while iterating', () => {
    const map = filled(0, ['a', 'b', 'c'])
    map.set('a', 9)
    assert.deepEqual([...map], [['b', 1], ['c', 2], ['a', 9]])
    for (const [k] of map) if (k !== 'c') map.delete(k)
    assert.deepEqual([...map.entries()], [['c', 2]])
    assert.deepEqual([...map.values()], [2])
    assert.equal(map.size, 1)
    map.clear()
    assert.equal(map.oldest(), undefined)
  })

  it('refuses a window that is not a whole number', () => {
    assert.throws(() => new RecencyMap(-1), RangeError)
    assert.throws(() => new RecencyMap(0.5), RangeError)
  })
})
