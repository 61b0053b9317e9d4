// Property tests (fast-check) of the two crypto formats: the ciphertext blob and the key-material wrap.
// Round trips hold for any input; any change to any byte, or the wrong context / aad / key, is always
// detected; arbitrary bytes fail only with the format's own typed error.
import assert from 'node:assert/strict'
import { randomBytes } from 'node:crypto'
import { describe, it } from 'node:test'
import fc from 'fast-check'
import { unwrapKeyMaterial, wrapKeyMaterial, KeyWrapError } from './key-wrap.js'
import { CiphertextError, openBlob, readBlobHeader, sealBlob } from './symmetric-blob.js'

export const RUNS = 300
const SEED = 20261202

const bytes = (max: number) => fc.uint8Array({ minLength: 0, maxLength: max })
const key32 = fc.uint8Array({ minLength: 32, maxLength: 32 })
const keyId = fc.stringMatching(/^[\x21-\x7e]{1,64}$/)
const context = fc.dictionary(fc.string({ maxLength: 20 }), fc.string({ maxLength: 40 }), { maxKeys: 5 })

describe('ciphertext blob properties', () => {
  it('seal → open round-trips any plaintext, context, key id and version, and the header reads back', () => {
    fc.assert(fc.property(key32, keyId, fc.integer({ min: 1, max: 0xffffffff }), bytes(4096), context, (material, id, version, plaintext, ec) => {
      const blob = sealBlob({ material, keyId: id, keyVersion: version, plaintext, encryptionContext: ec, random: randomBytes })
      assert.deepEqual(readBlobHeader(blob), { formatVersion: 1, keyId: id, keyVersion: version })
      assert.deepEqual(Buffer.from(openBlob({ material, blob, encryptionContext: ec })), Buffer.from(plaintext))
    }), { numRuns: RUNS, seed: SEED })
  })

  it('detects a change to any bit of any byte', () => {
    fc.assert(fc.property(key32, bytes(256), context, fc.nat(), fc.integer({ min: 0, max: 7 }), (material, plaintext, ec, at, bit) => {
      const blob = sealBlob({ material, keyId: 'k', keyVersion: 1, plaintext, encryptionContext: ec, random: randomBytes })
      const tampered = Uint8Array.from(blob)
      tampered[at % blob.length]! ^= 1 << bit
      assert.throws(() => openBlob({ material, blob: tampered, encryptionContext: ec }), CiphertextError)
    }), { numRuns: RUNS, seed: SEED })
  })

  it('detects truncation, extension, another context and another key', () => {
    fc.assert(fc.property(key32, key32, bytes(64), context, context, fc.nat(), (material, other, plaintext, ec, ec2, cut) => {
      const blob = sealBlob({ material, keyId: 'k', keyVersion: 1, plaintext, encryptionContext: ec, random: randomBytes })
      assert.throws(() => openBlob({ material, blob: blob.subarray(0, cut % blob.length), encryptionContext: ec }), CiphertextError)
      assert.throws(() => openBlob({ material, blob: Buffer.concat([blob, Buffer.from([0])]), encryptionContext: ec }), CiphertextError)
      if (JSON.stringify(Object.entries(ec).sort()) !== JSON.stringify(Object.entries(ec2).sort())) {
        assert.throws(() => openBlob({ material, blob, encryptionContext: ec2 }), CiphertextError)
      }
      if (Buffer.compare(material, other) !== 0) assert.throws(() => openBlob({ material: other, blob, encryptionContext: ec }), CiphertextError)
    }), { numRuns: RUNS, seed: SEED })
  })

  it('refuses arbitrary bytes with CiphertextError only', () => {
    fc.assert(fc.property(key32, bytes(200), (material, junk) => {
      assert.throws(() => openBlob({ material, blob: junk }), CiphertextError)
    }), { numRuns: RUNS, seed: SEED })
  })
})

describe('key wrap properties', () => {
  it('wrap → unwrap round-trips any material under any root key and aad', () => {
    fc.assert(fc.property(key32, bytes(600), bytes(100), (root, material, aad) => {
      assert.deepEqual(Buffer.from(unwrapKeyMaterial(root, wrapKeyMaterial(root, material, aad, randomBytes), aad)), Buffer.from(material))
    }), { numRuns: RUNS, seed: SEED })
  })

  it('detects a changed bit, a changed aad, another root key and truncation', () => {
    fc.assert(fc.property(key32, key32, bytes(64), bytes(32), bytes(32), fc.nat(), fc.integer({ min: 0, max: 7 }), (root, other, material, aad, aad2, at, bit) => {
      const wrapped = wrapKeyMaterial(root, material, aad, randomBytes)
      const tampered = Uint8Array.from(wrapped)
      tampered[at % wrapped.length]! ^= 1 << bit
      assert.throws(() => unwrapKeyMaterial(root, tampered, aad), KeyWrapError)
      assert.throws(() => unwrapKeyMaterial(root, wrapped.subarray(0, at % wrapped.length), aad), KeyWrapError)
      if (Buffer.compare(aad, aad2) !== 0) assert.throws(() => unwrapKeyMaterial(root, wrapped, aad2), KeyWrapError)
      if (Buffer.compare(root, other) !== 0) assert.throws(() => unwrapKeyMaterial(other, wrapped, aad), KeyWrapError)
    }), { numRuns: RUNS, seed: SEED })
  })

  it('refuses arbitrary bytes with KeyWrapError only', () => {
    fc.assert(fc.property(key32, bytes(120), bytes(16), (root, junk, aad) => {
      assert.throws(() => unwrapKeyMaterial(root, junk, aad), KeyWrapError)
    }), { numRuns: RUNS, seed: SEED })
  })
})
