import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { DerError, derChildren, derEncode, derObjectId, derRead, derReadExactly, derTag } from './der.js'

const hex = (b: Uint8Array) => Buffer.from(b).toString('hex')

describe('DER', () => {
  it('derObjectId() encodes id-ml-dsa-44 as in RFC 9881', () => {
    assert.equal(hex(derObjectId('2.16.840.1.101.3.4.3.17')), '0609608648016503040311')
  })
  it('derEncode() uses short and long length forms', () => {
    assert.equal(hex(derEncode(0x04, new Uint8Array(3))), '0403000000')
    assert.equal(hex(derEncode(0x04, new Uint8Array(200))).slice(0, 6), '0481c8')
    assert.equal(hex(derEncode(0x04, new Uint8Array(1312))).slice(0, 8), '04820520')
  })
  it('derRead() returns the contents and total length', () => {
    const element = derRead(Buffer.from('3003020100ff', 'hex'))
    assert.equal(element.tag, derTag.sequence)
    assert.equal(hex(element.value), '020100')
    assert.equal(element.length, 5)
  })
  it('derChildren() splits a sequence', () => {
    const children = derChildren(Buffer.from('020100040102', 'hex'))
    assert.deepEqual(children.map((c) => [c.tag, hex(c.value)]), [[2, '00'], [4, '02']])
  })
  it('derReadExactly() rejects trailing bytes, a wrong tag and truncation', () => {
    assert.throws(() => derReadExactly(Buffer.from('3000ff', 'hex'), derTag.sequence), { name: 'DerError', message: 'trailing bytes after DER element' })
    assert.throws(() => derReadExactly(Buffer.from('0400', 'hex'), derTag.sequence), { name: 'DerError', message: 'unexpected DER tag' })
    assert.throws(() => derReadExactly(Buffer.from('3005020100', 'hex'), derTag.sequence), { name: 'DerError', message: 'truncated DER contents' })
  })
  it('derRead() rejects a non-minimal long length', () => {
    assert.throws(() => derRead(Buffer.from('04810100', 'hex')), DerError)
  })
})
