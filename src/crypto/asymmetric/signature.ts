// Signing and verification for every scheme, given the signer's parsed private key (verification
// uses its public half). The one entry point the worker tasks and tests call.
import { ecdsaSign, ecdsaVerify } from './ecdsa.js'
import { eddsaSign, eddsaVerify } from './eddsa.js'
import { AsymmetricCryptoError } from './errors.js'
import { mlDsaSign, mlDsaVerify, type MlDsaPrivateKey } from './ml-dsa.js'
import { openSslKey, type PrivateKey } from './private-key.js'
import { rsaSign, rsaVerify } from './rsa-signature.js'
import type { SignatureScheme, SignedInput } from './schemes.js'

/** ML-DSA schemes need an ML-DSA key. */
function mlDsa(key: PrivateKey): MlDsaPrivateKey {
  if (key.family !== 'ml-dsa') throw new AsymmetricCryptoError('unusable-key', 'private key is not an ML-DSA key')
  return key
}

/**
 * Signs `input` with `scheme`. Throws AsymmetricCryptoError('unusable-key') when the key is not of the
 * scheme's family, RangeError when key, scheme and input form do not fit together.
 */
export function signWith(key: PrivateKey, scheme: SignatureScheme, input: SignedInput): Uint8Array {
  if (scheme.family === 'ml-dsa') return mlDsaSign(mlDsa(key), input)
  const ossl = openSslKey(key)
  if (scheme.family === 'ecdsa') return ecdsaSign(ossl, scheme, input)
  if (scheme.family === 'ed25519' || scheme.family === 'ed25519ph') return eddsaSign(ossl, scheme.family, input)
  return rsaSign(ossl.keyObject, scheme, input)
}

/** True when `signature` is valid for `input`; false when it is not. Throws as signWith does. */
export function verifyWith(key: PrivateKey, scheme: SignatureScheme, input: SignedInput, signature: Uint8Array): boolean {
  if (scheme.family === 'ml-dsa') return mlDsaVerify(mlDsa(key), input, signature)
  const ossl = openSslKey(key)
  if (scheme.family === 'ecdsa') return ecdsaVerify(ossl, scheme, input, signature)
  if (scheme.family === 'ed25519' || scheme.family === 'ed25519ph') return eddsaVerify(ossl, scheme.family, input, signature)
  return rsaVerify(ossl.keyObject, scheme, input, signature)
}
