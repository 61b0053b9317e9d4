// RSASSA-PSS and RSASSA-PKCS1-v1_5 signatures. Messages are hashed and signed by OpenSSL; digests are
// encoded by rsa-padding.ts and put through OpenSSL's raw RSA primitive, so they are never hashed twice.
import { constants, privateEncrypt, publicDecrypt, randomBytes, sign, timingSafeEqual, verify, type KeyObject } from 'node:crypto'
import { pkcs1v15Encode, pssEncode, pssMatches } from './rsa-padding.js'
import { hashBytes, type SignedInput } from './schemes.js'

export interface RsaScheme {
  family: 'rsa-pss' | 'rsa-pkcs1'
  hash: 'sha256' | 'sha384' | 'sha512'
}

function modulusBits(key: KeyObject): number {
  const bits = key.asymmetricKeyDetails?.modulusLength
  if (key.asymmetricKeyType !== 'rsa' || bits === undefined) throw new RangeError('key is not an RSA key')
  return bits
}

function paddingOptions(scheme: RsaScheme) {
  return scheme.family === 'rsa-pss'
    ? { padding: constants.RSA_PKCS1_PSS_PADDING, saltLength: hashBytes[scheme.hash] }
    : { padding: constants.RSA_PKCS1_PADDING }
}

/** Signs a message or a digest. Throws RangeError for a digest of the wrong length or a non-RSA key. */
export function rsaSign(key: KeyObject, scheme: RsaScheme, input: SignedInput): Uint8Array {
  const bits = modulusBits(key)
  if (input.form === 'message') return new Uint8Array(sign(scheme.hash, input.bytes, { key, ...paddingOptions(scheme) }))
  if (input.form !== 'digest') throw new RangeError('RSA signs a message or a digest')
  const k = Math.ceil(bits / 8)
  const em = scheme.family === 'rsa-pss'
    ? pssEncode(scheme.hash, input.bytes, bits, randomBytes(hashBytes[scheme.hash]))
    : pkcs1v15Encode(scheme.hash, input.bytes, k)
  return new Uint8Array(privateEncrypt({ key, padding: constants.RSA_NO_PADDING }, em))
}

/** True when the signature is valid; false for a wrong, truncated or out-of-range signature. */
export function rsaVerify(key: KeyObject, scheme: RsaScheme, input: SignedInput, signature: Uint8Array): boolean {
  const bits = modulusBits(key)
  const k = Math.ceil(bits / 8)
  if (signature.length !== k) return false
  if (input.form === 'message') return verify(scheme.hash, input.bytes, { key, ...paddingOptions(scheme) }, signature)
  if (input.form !== 'digest') throw new RangeError('RSA verifies a message or a digest')
  if (input.bytes.length !== hashBytes[scheme.hash]) throw new RangeError('digest length does not match the hash')
  let em: Buffer
  try {
    em = publicDecrypt({ key, padding: constants.RSA_NO_PADDING }, signature)
  } catch {
    return false // the signature is not smaller than the modulus
  }
  if (scheme.family === 'rsa-pss') return pssMatches(scheme.hash, input.bytes, em, bits)
  return em.length === k && timingSafeEqual(em, pkcs1v15Encode(scheme.hash, input.bytes, k))
}
