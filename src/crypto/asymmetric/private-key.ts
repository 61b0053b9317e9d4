// A private key parsed once, in the form the primitives use: an OpenSSL KeyObject (with the raw scalars
// @noble/curves needs, derived on first use), or an expanded ML-DSA key. The DER it came from is not kept.
// What can be zeroed (raw scalars, the ML-DSA secret key) is zeroed by zeroPrivateKey; a KeyObject's
// memory belongs to OpenSSL and cannot be overwritten from JavaScript, so parsed keys are few and bounded.
import { createPrivateKey, createPublicKey, type KeyObject } from 'node:crypto'
import { DerError, derChildren, derReadExactly, derTag } from './der.js'
import { AsymmetricCryptoError } from './errors.js'
import { expandMlDsaKey, mlDsaKindOf, type MlDsaPrivateKey } from './ml-dsa.js'

export interface RawKeyParts {
  /** The private scalar (EC) or seed (Ed25519), big-endian, fixed length. */
  secret: Uint8Array
  /** The public key: SEC1 uncompressed point (EC) or the 32-byte encoding (Ed25519). */
  publicKey: Uint8Array
}

export interface OpenSslPrivateKey {
  family: 'openssl'
  keyObject: KeyObject
  raw?: RawKeyParts
}

export type PrivateKey = OpenSslPrivateKey | MlDsaPrivateKey

/**
 * Parses PKCS#8 DER (ML-DSA seed form, or anything OpenSSL accepts). Keeps no reference to `der` and makes
 * no copy of it, so the caller can zero it at once. Throws AsymmetricCryptoError('unusable-key').
 */
export function parsePrivateKey(der: Uint8Array): PrivateKey {
  if (mlDsaKindOf(der)) return expandMlDsaKey(der)
  try {
    const view = Buffer.from(der.buffer, der.byteOffset, der.byteLength)
    return { family: 'openssl', keyObject: createPrivateKey({ key: view, format: 'der', type: 'pkcs8' }) }
  } catch {
    throw new AsymmetricCryptoError('unusable-key', 'private key is not PKCS#8 that OpenSSL accepts')
  }
}

/** The OpenSSL form of `key`. Throws AsymmetricCryptoError('unusable-key') for an ML-DSA key. */
export function openSslKey(key: PrivateKey): OpenSslPrivateKey {
  if (key.family !== 'openssl') throw new AsymmetricCryptoError('unusable-key', 'key is not an OpenSSL key')
  return key
}

/** Overwrites what JavaScript holds of a parsed key's secret; the key must not be used afterwards. */
export function zeroPrivateKey(key: PrivateKey): void {
  if (key.family === 'ml-dsa') key.secretKey.fill(0)
  else if (key.raw) {
    key.raw.secret.fill(0)
    key.raw = undefined
  }
}

/**
 * The raw parts of an EC or Ed25519 key, derived once. The secret comes from a DER export (a buffer that
 * is zeroed after), not from JWK, whose base64 strings could never be wiped.
 */
export function rawKeyParts(key: OpenSslPrivateKey): RawKeyParts {
  key.raw ??= { secret: rawSecret(key.keyObject), publicKey: rawPublicKey(key.keyObject) }
  return key.raw
}

function rawSecret(keyObject: KeyObject): Uint8Array {
  const type = keyObject.asymmetricKeyType
  if (type !== 'ec' && type !== 'ed25519') throw new AsymmetricCryptoError('unusable-key', 'private key has no raw EC or EdDSA form')
  // ECPrivateKey (RFC 5915): SEQUENCE { version, privateKey OCTET STRING, … }. Ed25519 PKCS#8 (RFC 8410):
  // SEQUENCE { version, algorithm, privateKey OCTET STRING { CurvePrivateKey OCTET STRING } }.
  const der = keyObject.export(type === 'ec' ? { format: 'der', type: 'sec1' } : { format: 'der', type: 'pkcs8' })
  try {
    const fields = derChildren(derReadExactly(der, derTag.sequence).value)
    const secret = type === 'ec' ? fields[1] : fields[2] && derReadExactly(fields[2].value, derTag.octetString)
    if (secret?.tag !== derTag.octetString) throw new DerError('no private key octets')
    return new Uint8Array(secret.value)
  } catch (e) {
    if (e instanceof DerError) throw new AsymmetricCryptoError('unusable-key', 'private key has no raw EC or EdDSA form')
    throw e
  } finally {
    der.fill(0)
  }
}

function rawPublicKey(keyObject: KeyObject): Uint8Array {
  const jwk = createPublicKey(keyObject).export({ format: 'jwk' })
  if (!jwk.x) throw new AsymmetricCryptoError('unusable-key', 'private key has no raw EC or EdDSA form')
  const x = Buffer.from(jwk.x, 'base64url')
  if (jwk.kty === 'OKP') return new Uint8Array(x)
  if (!jwk.y) throw new AsymmetricCryptoError('unusable-key', 'EC private key has no y coordinate')
  return new Uint8Array(Buffer.concat([Buffer.of(4), x, Buffer.from(jwk.y, 'base64url')]))
}
