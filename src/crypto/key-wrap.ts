// Wraps key material under a 256-bit root key: 0x01 | 12-byte IV | AES-256-GCM ciphertext | 16-byte tag.
// The caller's aad (for key material: keys/material-binding.ts) is bound, so a wrapped blob moved to another row fails.
import { gcmIvBytes, gcmKeyBytes, gcmOpen, gcmSeal, gcmTagBytes } from './aes-gcm.js'

export class KeyWrapError extends Error {
  override name = 'KeyWrapError'
}

const wrapFormatVersion = 0x01

/** Seals material under rootKey with a fresh IV from `random`. Throws RangeError unless rootKey is 32 bytes. */
export function wrapKeyMaterial(
  rootKey: Uint8Array,
  material: Uint8Array,
  aad: Uint8Array,
  random: (n: number) => Uint8Array,
): Uint8Array {
  if (rootKey.length !== gcmKeyBytes) throw new RangeError('root key must be 32 bytes')
  const iv = random(gcmIvBytes)
  if (iv.length !== gcmIvBytes) throw new Error('random source returned the wrong number of bytes')
  const sealed = gcmSeal(rootKey, iv, aad, material)
  const out = new Uint8Array(1 + gcmIvBytes + sealed.length)
  out[0] = wrapFormatVersion
  out.set(iv, 1)
  out.set(sealed, 1 + gcmIvBytes)
  return out
}

/**
 * Recovers material sealed by wrapKeyMaterial. Throws KeyWrapError on an unknown format, a truncated
 * blob, a different aad or root key, or any tampering. Throws RangeError unless rootKey is 32 bytes.
 */
export function unwrapKeyMaterial(rootKey: Uint8Array, wrapped: Uint8Array, aad: Uint8Array): Uint8Array {
  if (rootKey.length !== gcmKeyBytes) throw new RangeError('root key must be 32 bytes')
  if (wrapped.length < 1 + gcmIvBytes + gcmTagBytes) throw new KeyWrapError('wrapped key material is truncated')
  if (wrapped[0] !== wrapFormatVersion) throw new KeyWrapError('unsupported wrapped key material format')
  const iv = wrapped.subarray(1, 1 + gcmIvBytes)
  const material = gcmOpen(rootKey, iv, aad, wrapped.subarray(1 + gcmIvBytes))
  if (material === undefined) throw new KeyWrapError('wrapped key material failed authentication')
  return material
}
