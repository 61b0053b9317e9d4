// Private keys as node:crypto KeyObjects and as the raw scalars @noble/curves needs, parsed once per thread.
import { createPrivateKey, type KeyObject } from 'node:crypto'
import { AsymmetricCryptoError } from './errors.js'
import { parsedKey } from './parsed-key-cache.js'

/** Parses PKCS#8 DER through OpenSSL. Throws AsymmetricCryptoError('unusable-key') when OpenSSL refuses it. */
export function privateKeyObject(der: Uint8Array): KeyObject {
  return parsedKey('key-object', der, () => {
    try {
      return createPrivateKey({ key: Buffer.from(der), format: 'der', type: 'pkcs8' })
    } catch {
      throw new AsymmetricCryptoError('unusable-key', 'private key is not PKCS#8 that OpenSSL accepts')
    }
  })
}

export interface RawKeyParts {
  /** The private scalar (EC) or seed (Ed25519), big-endian, fixed length. */
  secret: Uint8Array
  /** The public key: SEC1 uncompressed point (EC) or the 32-byte encoding (Ed25519). */
  publicKey: Uint8Array
}

/** The raw parts of an EC or Ed25519 private key, from its JWK export. */
export function rawKeyParts(der: Uint8Array): RawKeyParts {
  return parsedKey('raw-parts', der, () => {
    const jwk = privateKeyObject(der).export({ format: 'jwk' })
    if (!jwk.d || !jwk.x) throw new AsymmetricCryptoError('unusable-key', 'private key has no raw EC or EdDSA form')
    const secret = new Uint8Array(Buffer.from(jwk.d, 'base64url'))
    const x = Buffer.from(jwk.x, 'base64url')
    if (jwk.kty === 'OKP') return { secret, publicKey: new Uint8Array(x) }
    if (!jwk.y) throw new AsymmetricCryptoError('unusable-key', 'EC private key has no y coordinate')
    return { secret, publicKey: new Uint8Array(Buffer.concat([Buffer.of(4), x, Buffer.from(jwk.y, 'base64url')])) }
  })
}
