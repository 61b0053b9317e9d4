// How key material crosses from one deployment to another: sealed for the receiving deployment's transport key
// (an RSA-3072 pair whose private half only that deployment's root key unwraps), never in plaintext. A fresh
// AES-256 key seals the material with AES-256-GCM; RSA-OAEP-SHA-256 seals that key for the receiver. The AAD binds
// the bytes to the key set, the version and the receiving Region, so a sealed version cannot be replayed as
// another version, another key's material or into another Region.
import { constants, createHash, createPublicKey, privateDecrypt, publicEncrypt, randomBytes, type KeyObject } from 'node:crypto'
import { gcmIvBytes, gcmKeyBytes, gcmOpen, gcmSeal } from '../crypto/aes-gcm.js'
import type { TransportWrapped } from './wire.js'

/** What a sealed version is bound to. */
export interface TransportBinding {
  /** The set's public key id (`mrk-…`). */
  keyId: string
  version: number
  /** The Region the receiver holds the version for (the region the message was signed for). */
  receiverRegion: string
}

export class TransportUnwrapError extends Error {
  override readonly name = 'TransportUnwrapError'
}

function bindingAad(b: TransportBinding): Buffer {
  return Buffer.from(`trent-peer-transport/1|${b.keyId}|${b.version}|${b.receiverRegion}`, 'utf8')
}

/** SHA-256 (hex) of a transport public key's SPKI DER: how both sides name the key a message was sealed for. */
export function transportKeyId(spkiDer: Uint8Array): string {
  return createHash('sha256').update(spkiDer).digest('hex')
}

/** Seals `material` for the receiver whose transport public key is `spkiDer`. */
export function wrapForTransport(material: Uint8Array, spkiDer: Uint8Array, binding: TransportBinding): TransportWrapped {
  const publicKey = createPublicKey({ key: Buffer.from(spkiDer), format: 'der', type: 'spki' })
  if (publicKey.asymmetricKeyType !== 'rsa' || (publicKey.asymmetricKeyDetails?.modulusLength ?? 0) < 3072) {
    throw new TransportUnwrapError('the peer transport key must be RSA with at least 3072 bits')
  }
  const key = randomBytes(gcmKeyBytes)
  try {
    const iv = randomBytes(gcmIvBytes)
    const body = gcmSeal(key, iv, bindingAad(binding), material)
    const wrappedKey = publicEncrypt({ key: publicKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, key)
    return {
      wrappedKey: wrappedKey.toString('base64'),
      sealed: Buffer.concat([iv, body]).toString('base64'),
      transportKeyId: transportKeyId(spkiDer),
    }
  } finally {
    key.fill(0)
  }
}

/**
 * Opens material sealed for this deployment. Throws TransportUnwrapError (with no detail of the bytes) when it
 * was sealed for another transport key, for another binding, or was altered.
 */
export function unwrapFromTransport(wrapped: TransportWrapped, privateKey: KeyObject, ownKeyId: string, binding: TransportBinding): Uint8Array {
  if (wrapped.transportKeyId !== ownKeyId) throw new TransportUnwrapError('sealed for another transport key')
  let key: Buffer
  try {
    key = privateDecrypt({ key: privateKey, padding: constants.RSA_PKCS1_OAEP_PADDING, oaepHash: 'sha256' }, Buffer.from(wrapped.wrappedKey, 'base64'))
  } catch {
    throw new TransportUnwrapError('the sealed key does not open')
  }
  try {
    if (key.length !== gcmKeyBytes) throw new TransportUnwrapError('the sealed key does not open')
    const sealed = Buffer.from(wrapped.sealed, 'base64')
    if (sealed.length < gcmIvBytes) throw new TransportUnwrapError('the sealed material does not open')
    const material = gcmOpen(key, sealed.subarray(0, gcmIvBytes), bindingAad(binding), sealed.subarray(gcmIvBytes))
    if (material === undefined) throw new TransportUnwrapError('the sealed material does not open')
    return material
  } finally {
    key.fill(0)
  }
}
