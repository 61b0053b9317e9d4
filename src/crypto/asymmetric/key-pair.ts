// Key-pair generation for every kind, as PKCS#8 (private) and SubjectPublicKeyInfo (public) DER, and
// the public key of a stored private key.
import { createPublicKey, generateKeyPair } from 'node:crypto'
import { mlDsaPublicKey } from './ml-dsa.js'
import type { PrivateKey } from './private-key.js'
import type { EcKind, KeyPairKind, MlDsaKind, RsaKind } from './schemes.js'

export interface KeyPairDer {
  /** PKCS#8 DER: secret. */
  privateKey: Uint8Array
  /** SubjectPublicKeyInfo DER (RFC 5280). */
  publicKey: Uint8Array
}

const derEncodings = { publicKeyEncoding: { type: 'spki', format: 'der' }, privateKeyEncoding: { type: 'pkcs8', format: 'der' } } as const
const rsaBits: Record<RsaKind, number> = { 'rsa-2048': 2048, 'rsa-3072': 3072, 'rsa-4096': 4096 }
const curveNames: Record<EcKind, string> = { 'p-256': 'P-256', 'p-384': 'P-384', 'p-521': 'P-521', secp256k1: 'secp256k1' }

export function isMlDsaKind(kind: KeyPairKind): kind is MlDsaKind {
  return kind.startsWith('ml-dsa-')
}

/**
 * Generates a key pair of a kind OpenSSL implements, on libuv's thread pool (RSA-4096 takes seconds,
 * and the event loop must not wait). ML-DSA pairs come from generateMlDsaKeyPair, which is synchronous.
 */
export function generateOpenSslKeyPair(kind: Exclude<KeyPairKind, MlDsaKind>): Promise<KeyPairDer> {
  return new Promise((resolve, reject) => {
    const done = (error: Error | null, publicKey: Buffer, privateKey: Buffer) => {
      if (error) reject(error)
      else resolve({ privateKey: new Uint8Array(privateKey), publicKey: new Uint8Array(publicKey) })
    }
    if (kind === 'ed25519') generateKeyPair('ed25519', derEncodings, done)
    else if (kind in rsaBits) generateKeyPair('rsa', { modulusLength: rsaBits[kind as RsaKind], publicExponent: 0x10001, ...derEncodings }, done)
    else generateKeyPair('ec', { namedCurve: curveNames[kind as EcKind], ...derEncodings }, done)
  })
}

/** The SubjectPublicKeyInfo DER of a parsed private key. */
export function publicKeyOf(key: PrivateKey): Uint8Array {
  if (key.family === 'ml-dsa') return mlDsaPublicKey(key)
  return new Uint8Array(createPublicKey(key.keyObject).export({ type: 'spki', format: 'der' }))
}
