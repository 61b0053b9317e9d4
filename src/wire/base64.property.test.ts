// decodePaddedBase64 against the grammar it replaces: padded standard base64 is accepted exactly when the
// strict regex accepts it, and then decodes to the same bytes. Strings are drawn mostly from base64's own
// alphabet plus the characters a lax decoder would let through (url-safe, whitespace, padding, non-ASCII).
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { decodePaddedBase64 } from './decode.js'

const STRICT = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/
const CHARS = 'ABCXYZabcxyz0189+/'.split('').concat(['=', '=', '-', '_', ' ', '\n', '\t', '.', '*', 'é', '\u0000', '💥'])

describe('decodePaddedBase64', () => {
  it('accepts exactly the strict grammar and decodes as Node does', () => {
    const text = fc.array(fc.constantFrom(...CHARS), { maxLength: 24 }).map((cs) => cs.join(''))
    fc.assert(fc.property(fc.oneof(text, fc.uint8Array({ maxLength: 40 }).map((b) => Buffer.from(b).toString('base64')), fc.string()), (value) => {
      const decoded = decodePaddedBase64(value)
      assert.equal(decoded !== undefined, STRICT.test(value), JSON.stringify(value))
      if (decoded) assert.deepEqual(decoded, Buffer.from(value, 'base64'))
    }), { numRuns: 5000, seed: 20261202 })
  })

  it('refuses the cases a lax decoder lets through', () => {
    for (const value of ['QQ=Q', 'QQ==QQ==', '-A==', '_AAA', 'QQQ\nQQQQ', 'Q Q=', '====', 'A===', 'AAA', 'é AA']) {
      assert.equal(decodePaddedBase64(value), undefined, JSON.stringify(value))
    }
    assert.deepEqual(decodePaddedBase64('AAEC/w=='), Buffer.from([0, 1, 2, 255]))
    assert.deepEqual(decodePaddedBase64(''), Buffer.alloc(0))
  })
})
