import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { RandomPool, randomPublic, randomSecret } from './random-pool.js'
import { sealBlob } from './symmetric-blob.js'

/** A fill that writes a running counter, so every byte the pool ever produced is distinguishable. */
function countingFill(): { fill: (b: Uint8Array) => Uint8Array; calls: () => number } {
  let next = 0
  let calls = 0
  return {
    fill: (b) => {
      calls++
      for (let i = 0; i < b.length; i++) b[i] = (next++ * 7 + 1) & 0xff
      return b
    },
    calls: () => calls,
  }
}

describe('RandomPool', () => {
  it('hands out consecutive, never-overlapping bytes and refills only when the rest is too short', () => {
    // With a 64-byte pool and a byte-counter fill, byte k of the stream is (k*7+1)&0xff: any overlap or
    // repeat would show up as a stream position read twice.
    const counting = countingFill()
    const pool = new RandomPool(64, counting.fill)
    const stream: number[] = []
    const expected: number[] = []
    let produced = 0
    for (const n of [12, 16, 12, 16, 12, 16, 12, 16, 5, 16]) {
      // An unread tail too short for the request is discarded (never handed out); the pool then refills.
      if ((produced % 64) + n > 64) produced += 64 - (produced % 64)
      for (let i = 0; i < n; i++) expected.push(((produced + i) * 7 + 1) & 0xff)
      produced += n
      stream.push(...pool.take(n))
    }
    assert.deepEqual(stream, expected)
    assert.equal(counting.calls(), Math.ceil(produced / 64))
  })

  it('returns copies, and zeroes what it handed out so the pool keeps no copy', () => {
    const counting = countingFill()
    const pool = new RandomPool(32, counting.fill)
    const a = pool.take(16)
    const copy = Uint8Array.from(a)
    a.fill(0xee)
    // Changing what was handed out changes nothing the pool hands out next.
    const b = pool.take(16)
    assert.notDeepEqual(b, copy)
    assert.notDeepEqual(b, a)
    const internal = (pool as unknown as { buffer: Uint8Array }).buffer
    assert.deepEqual(internal, new Uint8Array(32))
  })

  it('gives a request larger than a quarter of the pool its own fill, leaving the pool untouched', () => {
    const counting = countingFill()
    const pool = new RandomPool(64, counting.fill)
    assert.equal(pool.take(17).length, 17)
    assert.equal(counting.calls(), 1)
    assert.equal(pool.take(16).length, 16)
    assert.equal(counting.calls(), 2)
  })

  it('refuses a negative or fractional byte count', () => {
    const pool = new RandomPool()
    assert.throws(() => pool.take(-1), RangeError)
    assert.throws(() => pool.take(1.5), RangeError)
    assert.deepEqual(pool.take(0), new Uint8Array(0))
  })

  it('never repeats a 12-byte value over 100k draws from the shared pool (many refills)', () => {
    const seen = new Set<string>()
    for (let i = 0; i < 100_000; i++) seen.add(Buffer.from(randomPublic(12)).toString('hex'))
    assert.equal(seen.size, 100_000)
  })
})

describe('randomSecret', () => {
  it('returns fresh bytes of the asked length', () => {
    const a = randomSecret(32)
    assert.equal(a.length, 32)
    assert.notDeepEqual(a, randomSecret(32))
  })
})

describe('sealBlob with the pooled source', () => {
  it('gives two encryptions a shared KDF nonce or IV never, over 100k blobs', () => {
    const material = randomSecret(32)
    const plaintext = new Uint8Array([1])
    const nonces = new Set<string>()
    const ivs = new Set<string>()
    // Header: version, id length, key id (1 byte here), key version (4), nonce (16), IV (12).
    for (let i = 0; i < 100_000; i++) {
      const blob = sealBlob({ material, keyId: 'k', keyVersion: 1, plaintext, random: randomPublic })
      nonces.add(Buffer.from(blob.subarray(7, 23)).toString('hex'))
      ivs.add(Buffer.from(blob.subarray(23, 35)).toString('hex'))
    }
    assert.equal(nonces.size, 100_000)
    assert.equal(ivs.size, 100_000)
  })
})
