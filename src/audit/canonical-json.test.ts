import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { GENESIS_HASH, canonicalHash, canonicalJson, canonicalJsonWith, sha256Hex } from './canonical-json.js'

describe('canonicalJson()', () => {
  it('sorts keys at every depth and writes no whitespace', () => {
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } }), '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}')
  })

  it('drops undefined members and writes undefined array slots as null', () => {
    assert.equal(canonicalJson({ a: undefined, b: [undefined, 1] }), '{"b":[null,1]}')
  })

  it('sorts by code unit, so upper case comes before lower case', () => {
    assert.equal(canonicalJson({ b: 1, B: 2, a: 3 }), '{"B":2,"a":3,"b":1}')
  })

  it('escapes strings exactly as JSON.stringify does', () => {
    assert.equal(canonicalJson({ s: 'é"\n' }), '{"s":"é\\"\\n"}')
  })

  it('rejects values JSON cannot carry', () => {
    assert.throws(() => canonicalJson({ n: Number.NaN }), { name: 'TypeError', message: 'canonical JSON cannot carry a non-finite number' })
    assert.throws(() => canonicalJson(1n), { name: 'TypeError', message: 'canonical JSON cannot carry a bigint' })
  })

  it('hashes the canonical form, so key order does not change the hash', () => {
    assert.equal(canonicalHash({ a: 1, b: 2 }), canonicalHash({ b: 2, a: 1 }))
    assert.equal(canonicalHash({ a: 1 }), sha256Hex('{"a":1}'))
    assert.equal(sha256Hex('abc'), 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad')
    assert.equal(GENESIS_HASH.length, 64)
  })

  it('keeps the documented example, whether or not the keys arrive sorted', () => {
    const expected = '{"a":{"c":"x","d":[3,{"y":null,"z":true}]},"b":1}'
    assert.equal(canonicalJson({ b: 1, a: { d: [3, { z: true, y: null }], c: 'x' } }), expected)
    assert.equal(canonicalJson({ a: { c: 'x', d: [3, { y: null, z: true }] }, b: 1 }), expected)
  })
})

describe('canonicalJsonWith()', () => {
  it('serialises the object with the extra members as a spread would, without changing the object', () => {
    const record = { userAgent: 'u', eventID: 'e', trentSequence: 1, nested: { b: 2, a: undefined }, gone: undefined }
    const extra = { trentSequence: 7, trentPreviousHash: 'h' }
    assert.equal(canonicalJsonWith(record, extra), canonicalJson({ ...record, ...extra }))
    assert.equal(canonicalJsonWith(record, extra), '{"eventID":"e","nested":{"b":2},"trentPreviousHash":"h","trentSequence":7,"userAgent":"u"}')
    assert.deepEqual(Object.keys(record), ['userAgent', 'eventID', 'trentSequence', 'nested', 'gone'])
    assert.equal(canonicalJsonWith({}, {}), '{}')
  })
})

