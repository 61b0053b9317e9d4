import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { newEventId } from './event-id.js'

const UUID_V7 = /^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/

describe('newEventId()', () => {
  it('is a UUID version 7 whose first 48 bits are the event time in milliseconds', () => {
    const at = new Date('2026-01-15T10:00:00.123Z')
    const id = newEventId(at)
    assert.match(id, UUID_V7)
    assert.equal(parseInt(id.replace('-', '').slice(0, 12), 16), at.getTime())
  })

  it('orders ids by time, so the event-id indexes grow at their end', () => {
    const times = [0, 1, 255, 256, 65_536, Date.UTC(2026, 0, 1), Date.UTC(2026, 0, 1) + 1, 2 ** 47]
    const ids = times.map((t) => newEventId(new Date(t)))
    assert.deepEqual([...ids].sort(), ids)
  })

  it('keeps ids of the same millisecond apart by their 74 random bits', () => {
    const at = new Date()
    const ids = new Set(Array.from({ length: 10_000 }, () => newEventId(at)))
    assert.equal(ids.size, 10_000)
  })

  it('sets only the version and variant bits over the random source', () => {
    const id = newEventId(new Date(0), (n) => new Uint8Array(n).fill(0xff))
    assert.equal(id, '00000000-0000-7fff-bfff-ffffffffffff')
  })

  it('clamps a time outside the 48-bit range instead of writing a malformed id', () => {
    assert.match(newEventId(new Date(-5)), /^00000000-0000-7/)
    assert.match(newEventId(new Date(Number.NaN)), /^00000000-0000-7/)
    assert.match(newEventId(new Date(8.64e15)), /^ffffffff-ffff-7/)
  })
})
