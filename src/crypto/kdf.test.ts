// Known answers for the SP 800-108 counter-mode KDF, and an independent check of deriveKey's fixed-input layout.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { deriveKey, kdfCounterHmacSha256 } from './kdf.js'

const hex = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, 'hex'))
const toHex = (b: Uint8Array): string => Buffer.from(b).toString('hex')

// NIST CAVP KBKDF test file KDFCTR_gen.txt (CAVS 14.4), section
// [PRF=HMAC_SHA256] [CTRLOCATION=BEFORE_FIXED] [RLEN=32_BITS].
const cavp = [
  {
    count: 0, lengthBits: 128,
    ki: 'dd1d91b7d90b2bd3138533ce92b272fbf8a369316aefe242e659cc0ae238afe0',
    fixed: '01322b96b30acd197979444e468e1c5c6859bf1b1cf951b7e725303e237e46b864a145fab25e517b08f8683d0315bb2911d80a0e8aba17f3b413faac',
    ko: '10621342bfb0fd40046c0e29f2cfdbf0',
  },
  {
    count: 10, lengthBits: 256,
    ki: 'e204d6d466aad507ffaf6d6dab0a5b26152c9e21e764370464e360c8fbc765c6',
    fixed: '7b03b98d9f94b899e591f3ef264b71b193fba7043c7e953cde23bc5384bc1a6293580115fae3495fd845dadbd02bd6455cf48d0f62b33e62364a3a80',
    ko: '770dfab6a6a4a4bee0257ff335213f78d8287b4fd537d5c1fffa956910e7c779',
  },
  {
    count: 30, lengthBits: 320,
    ki: 'c4bedbddb66493e7c7259a3bbbc25f8c7e0ca7fe284d92d431d9cd99a0d214ac',
    fixed: '1c69c54766791e315c2cc5c47ecd3ffab87d0d273dd920e70955814c220eacace6a5946542da3dfe24ff626b4897898cafb7db83bdff3c14fa46fd4b',
    ko: '1da47638d6c9c4d04d74d4640bbd42ab814d9e8cc22f4326695239f96b0693f12d0dd1152cf44430',
  },
] as const

for (const v of cavp) {
  test(`kdfCounterHmacSha256() matches NIST CAVP COUNT=${v.count} (L=${v.lengthBits})`, () => {
    assert.equal(toHex(kdfCounterHmacSha256(hex(v.ki), hex(v.fixed), v.lengthBits)), v.ko)
  })
}

/** SP 800-108 written out by hand: one HMAC per 32-byte block over [i]_32 || Label || 0x00 || Context || [L]_32. */
function referenceDerive(key: Uint8Array, label: string, context: Uint8Array, lengthBytes: number): string {
  const lengthField = Buffer.alloc(4)
  lengthField.writeUInt32BE(lengthBytes * 8)
  let out = Buffer.alloc(0)
  for (let i = 1; out.length < lengthBytes; i++) {
    const counter = Buffer.alloc(4)
    counter.writeUInt32BE(i)
    const input = Buffer.concat([counter, Buffer.from(label, 'utf8'), Buffer.from([0]), context, lengthField])
    out = Buffer.concat([out, createHmac('sha256', key).update(input).digest()])
  }
  return out.subarray(0, lengthBytes).toString('hex')
}

test('deriveKey() lays out Label || 0x00 || Context || [L]_32 as SP 800-108 says', () => {
  const key = hex('2b'.repeat(32))
  const context = hex('000102030405060708090a0b0c0d0e0f')
  for (const length of [1, 16, 32, 33, 64, 100]) {
    assert.equal(toHex(deriveKey(key, 'trent/test', context, length)), referenceDerive(key, 'trent/test', context, length))
  }
})

test('deriveKey() gives different keys for different labels, contexts and lengths', () => {
  const key = hex('11'.repeat(32))
  const base = toHex(deriveKey(key, 'a', hex('00'), 32))
  assert.notEqual(toHex(deriveKey(key, 'b', hex('00'), 32)), base)
  assert.notEqual(toHex(deriveKey(key, 'a', hex('01'), 32)), base)
  assert.notEqual(toHex(deriveKey(key, 'a', hex('00'), 16)), base.slice(0, 32))
})

test('deriveKey() returns a plain Uint8Array', () => {
  const out = deriveKey(hex('11'.repeat(32)), 'a', new Uint8Array(0), 32)
  assert.equal(Object.getPrototypeOf(out), Uint8Array.prototype)
})

test('deriveKey() rejects a label containing NUL and invalid lengths', () => {
  const key = hex('11'.repeat(32))
  assert.throws(() => deriveKey(key, 'a\0b', new Uint8Array(0), 32), RangeError)
  assert.throws(() => deriveKey(key, 'a', new Uint8Array(0), 0), RangeError)
  assert.throws(() => deriveKey(key, 'a', new Uint8Array(0), 1.5), RangeError)
  assert.throws(() => kdfCounterHmacSha256(key, new Uint8Array(0), 12), RangeError)
  assert.throws(() => kdfCounterHmacSha256(new Uint8Array(0), new Uint8Array(0), 256), RangeError)
})
