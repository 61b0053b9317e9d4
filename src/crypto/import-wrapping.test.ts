// The AES half of RSA_AES_KEY_WRAP (RFC 5649, AES-256 KEK) and the payload split. Interop with
// `openssl enc -id-aes256-wrap-pad` is checked end to end in test/e2e/import-openssl.test.ts.
import assert from 'node:assert/strict'
import { describe, it } from 'node:test'
import { aesKeyUnwrapPadded, aesKeyWrapPadded, splitAesKeyWrapPayload, wrappingScheme } from './import-wrapping.js'

const hex = (s: string) => new Uint8Array(Buffer.from(s.replaceAll(' ', ''), 'hex'))
describe('import wrapping', () => {
  it('aesKeyUnwrapPadded() recovers what aesKeyWrapPadded() wrapped, for lengths that are and are not block multiples', () => {
    const kek = hex('000102030405060708090a0b0c0d0e0f101112131415161718191a1b1c1d1e1f')
    for (const n of [1, 7, 8, 20, 32, 64, 1217]) {
      const material = new Uint8Array(n).map((_, i) => (i * 7 + n) & 0xff)
      const wrapped = aesKeyWrapPadded(kek, material)
      assert.equal(wrapped.length, 8 + Math.ceil(n / 8) * 8, 'RFC 5649: the padded data plus one integrity block')
      assert.deepEqual(aesKeyUnwrapPadded(kek, wrapped), material)
    }
  })

  it('aesKeyUnwrapPadded() refuses a tampered payload, another key, or a key that is not AES-256', () => {
    const kek = new Uint8Array(32).fill(1)
    const wrapped = aesKeyWrapPadded(kek, new Uint8Array(32).fill(9))
    const tampered = new Uint8Array(wrapped)
    tampered[5]! ^= 1
    assert.equal(aesKeyUnwrapPadded(kek, tampered), undefined)
    assert.equal(aesKeyUnwrapPadded(new Uint8Array(32).fill(2), wrapped), undefined)
    assert.equal(aesKeyUnwrapPadded(new Uint8Array(16).fill(1), wrapped), undefined)
  })

  it('splitAesKeyWrapPayload() takes the modulus-length RSA part first and refuses a payload with no AES part', () => {
    const payload = new Uint8Array(256 + 40).map((_, i) => i & 0xff)
    const split = splitAesKeyWrapPayload(payload, 256)!
    assert.deepEqual(split.wrappedKey, payload.subarray(0, 256))
    assert.deepEqual(split.wrappedMaterial, payload.subarray(256))
    assert.equal(splitAesKeyWrapPayload(new Uint8Array(256 + 15), 256), undefined)
  })

  it('wrappingScheme() knows the four algorithms AWS accepts and none other', () => {
    assert.deepEqual(wrappingScheme('RSAES_OAEP_SHA_1'), { oaepHash: 'sha1', aesKeyWrap: false })
    assert.deepEqual(wrappingScheme('RSA_AES_KEY_WRAP_SHA_256'), { oaepHash: 'sha256', aesKeyWrap: true })
    assert.equal(wrappingScheme('RSAES_PKCS1_V1_5'), undefined)
    assert.equal(wrappingScheme('SM2PKE'), undefined)
  })
})
