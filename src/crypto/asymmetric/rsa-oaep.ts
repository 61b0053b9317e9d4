// RSAES-OAEP (RFC 8017 §7.1) with MGF1 over the same hash as OAEP and an empty label; ciphertext is the
// bare RSA output, as AWS KMS returns it and as `openssl pkeyutl -encrypt` makes it.
import { constants, privateDecrypt, publicEncrypt } from 'node:crypto'
import { AsymmetricCryptoError } from './errors.js'
import { openSslKey, type PrivateKey } from './private-key.js'
import type { HashName } from './schemes.js'

export type OaepHash = Extract<HashName, 'sha1' | 'sha256'>

function modulusBytes(privateKey: PrivateKey) {
  const key = openSslKey(privateKey).keyObject
  const bits = key.asymmetricKeyDetails?.modulusLength
  if (key.asymmetricKeyType !== 'rsa' || bits === undefined) throw new AsymmetricCryptoError('unusable-key', 'key is not an RSA key')
  return { key, k: Math.ceil(bits / 8) }
}

/** Encrypts to the public half of the key. Throws RangeError when the plaintext is too long. */
export function oaepEncrypt(privateKey: PrivateKey, hash: OaepHash, plaintext: Uint8Array): Uint8Array {
  const { key } = modulusBytes(privateKey)
  try {
    return new Uint8Array(publicEncrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, plaintext))
  } catch {
    throw new RangeError('plaintext is too long for RSA-OAEP with this key and hash')
  }
}

/** Decrypts; throws AsymmetricCryptoError('decryption-failed') for any ciphertext that does not decrypt. */
export function oaepDecrypt(privateKey: PrivateKey, hash: OaepHash, ciphertext: Uint8Array): Uint8Array {
  const { key, k } = modulusBytes(privateKey)
  if (ciphertext.length !== k) throw new AsymmetricCryptoError('decryption-failed', 'ciphertext length is not the modulus length')
  let plaintext: Buffer
  try {
    plaintext = privateDecrypt({ key, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: hash }, ciphertext)
  } catch {
    throw new AsymmetricCryptoError('decryption-failed', 'RSA-OAEP decryption failed')
  }
  const copy = new Uint8Array(plaintext)
  plaintext.fill(0) // the copy is the only plaintext left
  return copy
}
