// ECDH (SP 800-56A, cofactor 1 on the NIST curves): the raw shared secret, the x-coordinate of d·Q,
// as `openssl pkeyutl -derive` produces it. The peer key is validated before use.
import { createPublicKey, diffieHellman } from 'node:crypto'
import { DerError, derReadExactly, derTag } from './der.js'
import { AsymmetricCryptoError } from './errors.js'
import { openSslKey, type PrivateKey } from './private-key.js'

function invalidPeer(message: string): AsymmetricCryptoError {
  return new AsymmetricCryptoError('invalid-peer-key', message)
}

/**
 * Derives the shared secret of our EC private key and the peer's SubjectPublicKeyInfo DER.
 * Throws AsymmetricCryptoError('invalid-peer-key') when the peer key is not exactly one DER SPKI, is
 * not an EC key, lies on another curve, or is not a valid point (OpenSSL checks the curve equation).
 */
export function deriveEcdhSecret(privateKey: PrivateKey, peerSpkiDer: Uint8Array): Uint8Array {
  const own = openSslKey(privateKey).keyObject
  if (own.asymmetricKeyType !== 'ec') throw new AsymmetricCryptoError('unusable-key', 'key is not an EC key')
  try {
    derReadExactly(peerSpkiDer, derTag.sequence)
  } catch (e) {
    if (e instanceof DerError) throw invalidPeer('peer public key is not one DER SubjectPublicKeyInfo')
    throw e
  }
  let peer
  try {
    peer = createPublicKey({ key: Buffer.from(peerSpkiDer), format: 'der', type: 'spki' })
  } catch {
    throw invalidPeer('peer public key is not a valid SubjectPublicKeyInfo')
  }
  if (peer.asymmetricKeyType !== 'ec' || peer.asymmetricKeyDetails?.namedCurve !== own.asymmetricKeyDetails?.namedCurve) {
    throw invalidPeer('peer public key is not on the same curve')
  }
  let secret: Buffer
  try {
    secret = diffieHellman({ privateKey: own, publicKey: peer })
  } catch {
    throw invalidPeer('peer public key does not give a shared secret')
  }
  const copy = new Uint8Array(secret)
  secret.fill(0) // the copy is the only secret left
  return copy
}
