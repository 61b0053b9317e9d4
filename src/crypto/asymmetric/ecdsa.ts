// ECDSA with DER signatures (X9.62 / RFC 3279). Messages are hashed and signed by OpenSSL; digests are
// signed by @noble/curves with prehashing off, because node:crypto cannot sign a precomputed digest.
import { sign, verify, type KeyObject } from 'node:crypto'
import { p256, p384, p521 } from '@noble/curves/nist.js'
import { secp256k1 } from '@noble/curves/secp256k1.js'
import { rawKeyParts, type OpenSslPrivateKey } from './private-key.js'
import { hashBytes, type SignedInput } from './schemes.js'

export interface EcdsaScheme {
  family: 'ecdsa'
  hash: 'sha256' | 'sha384' | 'sha512'
}

/** OpenSSL curve names as node reports them → the noble implementation of the same curve. */
const curves = { prime256v1: p256, secp384r1: p384, secp521r1: p521, secp256k1 } as const

function curveOf(key: KeyObject) {
  const name = key.asymmetricKeyDetails?.namedCurve
  const curve = name === undefined ? undefined : curves[name as keyof typeof curves]
  if (key.asymmetricKeyType !== 'ec' || !curve) throw new RangeError('key is not an EC key on a supported curve')
  return curve
}

function checkDigest(scheme: EcdsaScheme, digest: Uint8Array): void {
  if (digest.length !== hashBytes[scheme.hash]) throw new RangeError('digest length does not match the hash')
}

/**
 * Signs a message or digest; k is derived per RFC 6979 with fresh entropy mixed in (hedged), and S is
 * not normalised to the low half, as OpenSSL and AWS do not. Throws RangeError on wrong input.
 */
export function ecdsaSign(privateKey: OpenSslPrivateKey, scheme: EcdsaScheme, input: SignedInput): Uint8Array {
  const key = privateKey.keyObject
  const curve = curveOf(key)
  if (input.form === 'message') return new Uint8Array(sign(scheme.hash, input.bytes, { key, dsaEncoding: 'der' }))
  if (input.form !== 'digest') throw new RangeError('ECDSA signs a message or a digest')
  checkDigest(scheme, input.bytes)
  return curve.sign(input.bytes, rawKeyParts(privateKey).secret, { prehash: false, lowS: false, format: 'der', extraEntropy: true })
}

/** True when the DER signature is valid (high or low S); false for any malformed or wrong signature. */
export function ecdsaVerify(privateKey: OpenSslPrivateKey, scheme: EcdsaScheme, input: SignedInput, signature: Uint8Array): boolean {
  const key = privateKey.keyObject
  const curve = curveOf(key)
  if (input.form === 'message') return verify(scheme.hash, input.bytes, { key, dsaEncoding: 'der' }, signature)
  if (input.form !== 'digest') throw new RangeError('ECDSA verifies a message or a digest')
  checkDigest(scheme, input.bytes)
  try {
    return curve.verify(signature, input.bytes, rawKeyParts(privateKey).publicKey, { prehash: false, lowS: false, format: 'der' })
  } catch {
    return false
  }
}
