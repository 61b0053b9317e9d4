// BucketSet: the token buckets behind request quotas and the flood guard.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { BucketSet } from './token-bucket.js'

describe('BucketSet', () => {
  it('admits a full bucket\'s burst, then refills at the rate, never above capacity', () => {
    let now = 0
    const buckets = new BucketSet(() => now)
    const rule = { ratePerSecond: 5, capacity: 5 }
    const admitted = () => Array.from({ length: 20 }, () => buckets.tryTake('a', rule)).filter(Boolean).length
    assert.equal(admitted(), 5)
    now += 400 // 2 tokens
    assert.equal(admitted(), 2)
    now += 60_000 // a long quiet spell refills only to capacity
    assert.equal(admitted(), 5)
  })

  it('refills fractional rates (0.1/s: one request per 10 s)', () => {
    let now = 0
    const buckets = new BucketSet(() => now)
    const rule = { ratePerSecond: 0.1, capacity: 1 }
    assert.equal(buckets.tryTake('k', rule), true)
    now += 9_900
    assert.equal(buckets.tryTake('k', rule), false)
    now += 100
    assert.equal(buckets.tryTake('k', rule), true)
  })

  it('keeps buckets apart by name and checks without taking', () => {
    const buckets = new BucketSet(() => 0)
    const rule = { ratePerSecond: 1, capacity: 1 }
    assert.equal(buckets.hasToken('a', rule), true)
    assert.equal(buckets.hasToken('a', rule), true)
    buckets.take('a', rule)
    assert.equal(buckets.hasToken('a', rule), false)
    assert.equal(buckets.hasToken('b', rule), true)
  })

  it('holds at most maxBuckets, dropping the least recently used', () => {
    const buckets = new BucketSet(() => 0, 3)
    const rule = { ratePerSecond: 1, capacity: 1 }
    for (const name of ['a', 'b', 'c']) buckets.take(name, rule)
    buckets.hasToken('a', rule) // a is now the most recent
    buckets.take('d', rule)
    assert.equal(buckets.size, 3)
    assert.equal(buckets.hasToken('a', rule), false, 'a was kept')
    assert.equal(buckets.hasToken('b', rule), true, 'b was dropped, so it comes back full')
  })
})
