// deriveSigningKey() against AWS's published example, and the bounded cache of derived keys.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { createSigningKeyCache, deriveSigningKey } from './signing-key.js'

const secret = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY'

describe('deriveSigningKey()', () => {
  it("matches the AWS documentation's example key (20120215/us-east-1/iam)", () => {
    assert.equal(
      deriveSigningKey(secret, '20120215', 'us-east-1', 'iam').toString('hex'),
      'f4780e2d9f65fa895f9c67b32ce1baf0b0d8a43505a000a1a9e090d414db404d',
    )
  })

  it('differs when any input differs', () => {
    const base = deriveSigningKey(secret, '20150830', 'us-east-1', 'kms').toString('hex')
    for (const key of [
      deriveSigningKey(secret + 'x', '20150830', 'us-east-1', 'kms'),
      deriveSigningKey(secret, '20150831', 'us-east-1', 'kms'),
      deriveSigningKey(secret, '20150830', 'us-east-2', 'kms'),
      deriveSigningKey(secret, '20150830', 'us-east-1', 'sqs'),
    ]) assert.notEqual(key.toString('hex'), base)
  })
})

describe('createSigningKeyCache()', () => {
  it('returns the derived key and the same buffer on a hit', () => {
    const cache = createSigningKeyCache(4)
    const first = cache.get(secret, '20150830', 'us-east-1', 'kms')
    assert.deepEqual(first, deriveSigningKey(secret, '20150830', 'us-east-1', 'kms'))
    assert.equal(cache.get(secret, '20150830', 'us-east-1', 'kms'), first)
    assert.equal(cache.size, 1)
  })

  it('keeps separate entries per secret, date, region and service', () => {
    const cache = createSigningKeyCache(8)
    const a = cache.get('secret-a', '20150830', 'us-east-1', 'kms')
    const b = cache.get('secret-b', '20150830', 'us-east-1', 'kms')
    assert.notDeepEqual(a, b)
    assert.deepEqual(b, deriveSigningKey('secret-b', '20150830', 'us-east-1', 'kms'))
    cache.get('secret-a', '20150831', 'us-east-1', 'kms')
    cache.get('secret-a', '20150830', 'eu-west-1', 'kms')
    cache.get('secret-a', '20150830', 'us-east-1', 'trent')
    assert.equal(cache.size, 5)
  })

  it('never holds more than its limit and evicts the least recently used entry', () => {
    const cache = createSigningKeyCache(2)
    const one = cache.get('one', '20150830', 'r', 's')
    cache.get('two', '20150830', 'r', 's')
    assert.equal(cache.get('one', '20150830', 'r', 's'), one)
    cache.get('three', '20150830', 'r', 's')
    assert.equal(cache.size, 2)
    assert.equal(cache.get('one', '20150830', 'r', 's'), one, 'recently used entry survives')
    const two = cache.get('two', '20150830', 'r', 's')
    assert.deepEqual(two, deriveSigningKey('two', '20150830', 'r', 's'))
    assert.equal(cache.size, 2)
  })
})
