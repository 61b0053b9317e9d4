// Ed25519 (RFC 8032): pure Ed25519 through OpenSSL, and Ed25519ph through @noble/curves, because
// OpenSSL 3.0 (Node 20 and 22) has no Ed25519ph.
import { sign, verify, type KeyObject } from 'node:crypto'
import { ed25519ph } from '@noble/curves/ed25519.js'
import { rawKeyParts, type OpenSslPrivateKey } from './private-key.js'
import type { SignedInput } from './schemes.js'

export type EddsaFamily = 'ed25519' | 'ed25519ph'

function requireEd25519(key: KeyObject): void {
  if (key.asymmetricKeyType !== 'ed25519') throw new RangeError('key is not an Ed25519 key')
}

/**
 * Signs `input.bytes` as the message M. For Ed25519ph that means SHA-512(M) is what gets signed
 * (PH of RFC 8032 §5.1). Only the 'message' form exists for EdDSA; others throw RangeError.
 */
export function eddsaSign(privateKey: OpenSslPrivateKey, family: EddsaFamily, input: SignedInput): Uint8Array {
  const key = privateKey.keyObject
  requireEd25519(key)
  if (input.form !== 'message') throw new RangeError('EdDSA signs a message')
  if (family === 'ed25519') return new Uint8Array(sign(null, input.bytes, key))
  return ed25519ph.sign(input.bytes, rawKeyParts(privateKey).secret)
}

/** True when the signature is valid; strict RFC 8032 decoding (no ZIP-215 leniency) for Ed25519ph. */
export function eddsaVerify(privateKey: OpenSslPrivateKey, family: EddsaFamily, input: SignedInput, signature: Uint8Array): boolean {
  const key = privateKey.keyObject
  requireEd25519(key)
  if (input.form !== 'message') throw new RangeError('EdDSA verifies a message')
  if (signature.length !== 64) return false
  if (family === 'ed25519') return verify(null, input.bytes, key, signature)
  try {
    return ed25519ph.verify(signature, input.bytes, rawKeyParts(privateKey).publicKey, { zip215: false })
  } catch {
    return false
  }
}
