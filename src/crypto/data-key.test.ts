// Random bytes, material generation and material ids.
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { createHmac } from 'node:crypto'
import { generateSymmetricMaterial, materialId, randomBytes } from './data-key.js'

test('randomBytes() returns n fresh bytes as a plain Uint8Array', () => {
  const a = randomBytes(32)
  assert.equal(a.length, 32)
  assert.equal(Object.getPrototypeOf(a), Uint8Array.prototype)
  assert.notDeepEqual(a, randomBytes(32))
  assert.equal(randomBytes(0).length, 0)
})

test('generateSymmetricMaterial() asks for 32 bytes and returns a copy', () => {
  const source = new Uint8Array(32).fill(7)
  const requested: number[] = []
  const material = generateSymmetricMaterial((n) => { requested.push(n); return source })
  assert.deepEqual(requested, [32])
  assert.deepEqual(material, source)
  source.fill(0)
  assert.equal(material[0], 7)
})

test('generateSymmetricMaterial() rejects a random source that returns the wrong length', () => {
  assert.throws(() => generateSymmetricMaterial(() => new Uint8Array(31)), Error)
})

test('materialId() is HMAC-SHA256(material, "trent/key-material-id/v1:" + keyId) in lowercase hex', () => {
  const material = new Uint8Array(32).map((_, i) => i)
  const keyId = '1234abcd-12ab-34cd-56ef-1234567890ab'
  const expected = createHmac('sha256', Buffer.from(material)).update(Buffer.from('trent/key-material-id/v1:' + keyId)).digest('hex')
  const id = materialId(keyId, material)
  assert.equal(id, expected)
  assert.match(id, /^[0-9a-f]{64}$/)
})

test('materialId() differs by key id and by material', () => {
  const material = new Uint8Array(32).fill(1)
  const id = materialId('a', material)
  assert.notEqual(materialId('b', material), id)
  assert.notEqual(materialId('a', new Uint8Array(32).fill(2)), id)
})
