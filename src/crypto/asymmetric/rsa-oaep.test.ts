import assert from 'node:assert/strict'
import { constants, createPublicKey, publicEncrypt } from 'node:crypto'
import { parsePrivateKey } from './private-key.js'
import { describe, it } from 'node:test'
import { generateOpenSslKeyPair } from './key-pair.js'
import { oaepDecrypt, oaepEncrypt } from './rsa-oaep.js'
import { oaepMaxPlaintext, type RsaKind } from './schemes.js'

describe('RSA-OAEP', () => {
  it('AWS plaintext limits follow k − 2·hLen − 2', () => {
    const limits = (['rsa-2048', 'rsa-3072', 'rsa-4096'] as RsaKind[]).map((k) => [oaepMaxPlaintext(k, 'sha1'), oaepMaxPlaintext(k, 'sha256')])
    assert.deepEqual(limits, [[214, 190], [342, 318], [470, 446]])
  })

  for (const hash of ['sha1', 'sha256'] as const) {
    it(`${hash}: decrypts what OpenSSL encrypts to the public key, up to the limit and not beyond`, async () => {
      const pair = await generateOpenSslKeyPair('rsa-2048')
      const max = oaepMaxPlaintext('rsa-2048', hash)
      const plaintext = new Uint8Array(max).fill(0x5a)
      const publicKey = createPublicKey({ key: Buffer.from(pair.publicKey), format: 'der', type: 'spki' })
      const ciphertext = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, plaintext)
      assert.deepEqual(oaepDecrypt(parsePrivateKey(pair.privateKey), hash, ciphertext), plaintext)
      assert.deepEqual(oaepDecrypt(parsePrivateKey(pair.privateKey), hash, oaepEncrypt(parsePrivateKey(pair.privateKey), hash, plaintext)), plaintext)
      assert.throws(() => oaepEncrypt(parsePrivateKey(pair.privateKey), hash, new Uint8Array(max + 1)), RangeError)
    })
  }

  it('fails to decrypt with the other hash, a changed byte or a wrong length', async () => {
    const pair = await generateOpenSslKeyPair('rsa-2048')
    const ciphertext = oaepEncrypt(parsePrivateKey(pair.privateKey), 'sha256', new Uint8Array([1, 2, 3]))
    const failed = (message: string) => ({ name: 'AsymmetricCryptoError', reason: 'decryption-failed', message })
    assert.throws(() => oaepDecrypt(parsePrivateKey(pair.privateKey), 'sha1', ciphertext), failed('RSA-OAEP decryption failed'))
    const changed = new Uint8Array(ciphertext)
    changed[7]! ^= 0x01
    assert.throws(() => oaepDecrypt(parsePrivateKey(pair.privateKey), 'sha256', changed), failed('RSA-OAEP decryption failed'))
    assert.throws(() => oaepDecrypt(parsePrivateKey(pair.privateKey), 'sha256', ciphertext.subarray(1)), failed('ciphertext length is not the modulus length'))
  })
})
