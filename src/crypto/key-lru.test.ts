// KeyLru: bounded, least recently used first out, and every entry that leaves is handed to discard.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { KeyLru } from './key-lru.js'

describe('KeyLru', () => {
  const secret = (byte: number) => Uint8Array.of(byte, byte)
  const make = (bound: number) => {
    const discarded: Uint8Array[] = []
    const lru = new KeyLru<Uint8Array>(bound, (value) => { value.fill(0); discarded.push(value) })
    return { lru, discarded }
  }

  it('zeroes the least recently used entry when it is evicted at the bound', () => {
    const { lru, discarded } = make(2)
    const [a, b, c] = [secret(1), secret(2), secret(3)]
    lru.put('ka', 'ka/1', a)
    lru.put('kb', 'kb/1', b)
    assert.equal(lru.get('ka/1'), a) // now b is the least recently used
    lru.put('kc', 'kc/1', c)
    assert.deepEqual(lru.names(), ['ka/1', 'kc/1'])
    assert.deepEqual(discarded, [b])
    assert.deepEqual(b, Uint8Array.of(0, 0))
    assert.deepEqual(a, Uint8Array.of(1, 1))
  })

  it('forget() zeroes every entry of one owner and keeps the others', () => {
    const { lru, discarded } = make(8)
    const [v1, v2, other] = [secret(1), secret(2), secret(3)]
    lru.put('k', 'k/1', v1)
    lru.put('k', 'k/2', v2)
    lru.put('j', 'j/1', other)
    assert.equal(lru.forget('k'), 2)
    assert.deepEqual(lru.names(), ['j/1'])
    assert.deepEqual(discarded, [v1, v2])
    assert.equal(lru.get('k/1'), undefined)
  })

  it('zeroes an entry that is replaced under the same name, and everything on clear()', () => {
    const { lru, discarded } = make(8)
    const [old, fresh] = [secret(1), secret(2)]
    lru.put('k', 'k/1', old)
    lru.put('k', 'k/1', fresh)
    assert.deepEqual(discarded, [old])
    lru.clear()
    assert.deepEqual(discarded, [old, fresh])
    assert.equal(lru.size, 0)
  })
})
