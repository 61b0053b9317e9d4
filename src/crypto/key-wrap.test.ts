// Wrapping key material under a root key: round trip, binding of aad and root key, tamper detection.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createDecipheriv } from 'node:crypto'
import { KeyWrapError, unwrapKeyMaterial, wrapKeyMaterial } from './key-wrap.js'
import { randomBytes } from './data-key.js'

const rootKey = new Uint8Array(32).map((_, i) => 0x40 + i)
const material = new Uint8Array(32).map((_, i) => 0x80 + i)
const aad = new TextEncoder().encode('key:1234abcd-12ab-34cd-56ef-1234567890ab:1')
const fixedIv = (n: number): Uint8Array => new Uint8Array(n).fill(0xc0)

test('wrapKeyMaterial() then unwrapKeyMaterial() returns the material', () => {
  const wrapped = wrapKeyMaterial(rootKey, material, aad, randomBytes)
  assert.equal(wrapped.length, 1 + 12 + 32 + 16)
  assert.deepEqual(unwrapKeyMaterial(rootKey, wrapped, aad), material)
})

test('wrapKeyMaterial() writes 0x01 | IV | AES-256-GCM ciphertext | tag with aad bound', () => {
  const wrapped = wrapKeyMaterial(rootKey, material, aad, fixedIv)
  assert.equal(wrapped[0], 1)
  assert.deepEqual(wrapped.subarray(1, 13), fixedIv(12))
  const decipher = createDecipheriv('aes-256-gcm', rootKey, wrapped.subarray(1, 13))
  decipher.setAAD(aad)
  decipher.setAuthTag(wrapped.subarray(wrapped.length - 16))
  const plain = Buffer.concat([decipher.update(wrapped.subarray(13, wrapped.length - 16)), decipher.final()])
  assert.deepEqual(new Uint8Array(plain), material)
})

test('wrapKeyMaterial() uses a fresh IV each time', () => {
  assert.notDeepEqual(wrapKeyMaterial(rootKey, material, aad, randomBytes), wrapKeyMaterial(rootKey, material, aad, randomBytes))
})

test('unwrapKeyMaterial() rejects a different aad (blob moved to another row)', () => {
  const wrapped = wrapKeyMaterial(rootKey, material, aad, randomBytes)
  const other = new TextEncoder().encode('key:1234abcd-12ab-34cd-56ef-1234567890ab:2')
  assert.throws(() => unwrapKeyMaterial(rootKey, wrapped, other), KeyWrapError)
})

test('unwrapKeyMaterial() rejects a different root key', () => {
  const wrapped = wrapKeyMaterial(rootKey, material, aad, randomBytes)
  assert.throws(() => unwrapKeyMaterial(new Uint8Array(32), wrapped, aad), KeyWrapError)
})

test('unwrapKeyMaterial() rejects every single-bit flip', () => {
  const wrapped = wrapKeyMaterial(rootKey, material, aad, randomBytes)
  for (let bit = 0; bit < wrapped.length * 8; bit++) {
    const bad = new Uint8Array(wrapped)
    bad[bit >> 3]! ^= 1 << (bit & 7)
    assert.throws(() => unwrapKeyMaterial(rootKey, bad, aad), KeyWrapError, `bit ${bit}`)
  }
})

test('unwrapKeyMaterial() rejects every truncation and an appended byte', () => {
  const wrapped = wrapKeyMaterial(rootKey, material, aad, randomBytes)
  for (let n = 0; n < wrapped.length; n++) {
    assert.throws(() => unwrapKeyMaterial(rootKey, wrapped.subarray(0, n), aad), KeyWrapError, `length ${n}`)
  }
  const longer = new Uint8Array(wrapped.length + 1)
  longer.set(wrapped)
  assert.throws(() => unwrapKeyMaterial(rootKey, longer, aad), KeyWrapError)
})

test('wrapKeyMaterial() and unwrapKeyMaterial() refuse a root key that is not 32 bytes', () => {
  assert.throws(() => wrapKeyMaterial(new Uint8Array(16), material, aad, randomBytes), RangeError)
  assert.throws(() => unwrapKeyMaterial(new Uint8Array(16), new Uint8Array(64), aad), RangeError)
})

test('KeyWrapError messages never contain the material or key bytes', () => {
  const wrapped = wrapKeyMaterial(rootKey, material, aad, randomBytes)
  try {
    unwrapKeyMaterial(new Uint8Array(32), wrapped, aad)
    assert.fail('expected KeyWrapError')
  } catch (err) {
    assert.ok(err instanceof KeyWrapError)
    assert.equal(err.name, 'KeyWrapError')
    assert.ok(!err.message.includes(Buffer.from(rootKey).toString('hex')))
  }
})
