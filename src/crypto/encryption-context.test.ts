// The canonical encryption context: order independence, unambiguity and a byte-exact known answer.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { canonicalEncryptionContext, EncryptionContextError } from './encryption-context.js'

const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

test('canonicalEncryptionContext() encodes undefined and {} as two zero bytes', () => {
  assert.equal(toHex(canonicalEncryptionContext(undefined)), '0000')
  assert.equal(toHex(canonicalEncryptionContext({})), '0000')
})

test('canonicalEncryptionContext() has a byte-exact layout', () => {
  // count=2 | 0001 'a' | 0001 '1' | 0002 'bb' | 0000 ''
  assert.equal(toHex(canonicalEncryptionContext({ bb: '', a: '1' })), '0002' + '000161' + '000131' + '00026262' + '0000')
})

test('canonicalEncryptionContext() does not depend on insertion order', () => {
  const one = canonicalEncryptionContext({ zeta: '1', alpha: '2', mid: '3' })
  const two = canonicalEncryptionContext({ mid: '3', zeta: '1', alpha: '2' })
  assert.deepEqual(one, two)
})

test('canonicalEncryptionContext() keeps {"a":"bc"} and {"ab":"c"} apart', () => {
  assert.notDeepEqual(canonicalEncryptionContext({ a: 'bc' }), canonicalEncryptionContext({ ab: 'c' }))
})

test('canonicalEncryptionContext() changes when any key or value changes, or a pair is added', () => {
  const base = toHex(canonicalEncryptionContext({ k: 'v' }))
  assert.notEqual(toHex(canonicalEncryptionContext({ k: 'w' })), base)
  assert.notEqual(toHex(canonicalEncryptionContext({ K: 'v' })), base)
  assert.notEqual(toHex(canonicalEncryptionContext({ k: 'v', x: '' })), base)
  assert.notEqual(toHex(canonicalEncryptionContext({ v: 'k' })), base)
})

test('canonicalEncryptionContext() sorts by UTF-8 bytes, not UTF-16 code units', () => {
  // U+FF61 is EF BD A1 in UTF-8 and sorts before U+1F600 (F0 9F 98 80), though not in UTF-16.
  const out = toHex(canonicalEncryptionContext({ '\u{1F600}': '', '\uFF61': '' }))
  assert.equal(out, '0002' + '0003efbda1' + '0000' + '0004f09f9880' + '0000')
})

test('canonicalEncryptionContext() rejects lone surrogates, non-strings and oversized entries', () => {
  assert.throws(() => canonicalEncryptionContext({ k: '\uD800' }), EncryptionContextError)
  assert.throws(() => canonicalEncryptionContext({ k: 1 as unknown as string }), EncryptionContextError)
  assert.throws(() => canonicalEncryptionContext({ k: 'x'.repeat(0x10000) }), EncryptionContextError)
})

test('canonicalEncryptionContext() accepts a leading U+FEFF and keeps its bytes, so BOM and no BOM differ', () => {
  const out = toHex(canonicalEncryptionContext({ '\uFEFFk': '\uFEFFv' }))
  assert.equal(out, '0001' + '0004efbbbf6b' + '0004efbbbf76')
  assert.notEqual(out, toHex(canonicalEncryptionContext({ k: 'v' })))
  assert.throws(() => canonicalEncryptionContext({ '\uFEFF\uDC00': 'v' }), EncryptionContextError)
  assert.doesNotThrow(() => canonicalEncryptionContext({ k: '\uD83D\uDE00' }))
})
