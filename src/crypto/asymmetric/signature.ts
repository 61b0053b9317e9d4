// Signing and verification for every scheme, given the signer's PKCS#8 private key (verification
// uses its public half). The one entry point the worker tasks and tests call.
import { ecdsaSign, ecdsaVerify } from './ecdsa.js'
import { eddsaSign, eddsaVerify } from './eddsa.js'
import { mlDsaSign, mlDsaVerify } from './ml-dsa.js'
import { privateKeyObject } from './private-key.js'
import { rsaSign, rsaVerify } from './rsa-signature.js'
import type { SignatureScheme, SignedInput } from './schemes.js'

/**
 * Signs `input` with `scheme`. Throws AsymmetricCryptoError('unusable-key') when the key cannot be
 * parsed, RangeError when key, scheme and input form do not fit together.
 */
export function signWith(privateKeyDer: Uint8Array, scheme: SignatureScheme, input: SignedInput): Uint8Array {
  if (scheme.family === 'ml-dsa') return mlDsaSign(privateKeyDer, input)
  const key = privateKeyObject(privateKeyDer)
  if (scheme.family === 'ecdsa') return ecdsaSign(key, privateKeyDer, scheme, input)
  if (scheme.family === 'ed25519' || scheme.family === 'ed25519ph') return eddsaSign(key, privateKeyDer, scheme.family, input)
  return rsaSign(key, scheme, input)
}

/** True when `signature` is valid for `input`; false when it is not. Throws as signWith does. */
export function verifyWith(privateKeyDer: Uint8Array, scheme: SignatureScheme, input: SignedInput, signature: Uint8Array): boolean {
  if (scheme.family === 'ml-dsa') return mlDsaVerify(privateKeyDer, input, signature)
  const key = privateKeyObject(privateKeyDer)
  if (scheme.family === 'ecdsa') return ecdsaVerify(key, privateKeyDer, scheme, input, signature)
  if (scheme.family === 'ed25519' || scheme.family === 'ed25519ph') return eddsaVerify(key, privateKeyDer, scheme.family, input, signature)
  return rsaVerify(key, scheme, input, signature)
}
