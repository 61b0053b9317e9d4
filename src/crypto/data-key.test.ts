// Random bytes and material generation (material ids are tested in keys/material-binding.test.ts).
import { test } from 'node:test'
import assert from 'node:assert/strict'
import { generateSymmetricMaterial, randomBytes } from './data-key.js'

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
