// AES-256-GCM with a 96-bit IV and a 128-bit tag: the one AEAD that the blob and key-wrap formats share.
import { createCipheriv, createDecipheriv } from 'node:crypto'

export const gcmKeyBytes = 32
export const gcmIvBytes = 12
export const gcmTagBytes = 16

/** Encrypts and authenticates; returns ciphertext || tag. Throws RangeError on a wrong key or IV length. */
export function gcmSeal(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, plaintext: Uint8Array): Uint8Array {
  checkSizes(key, iv)
  const cipher = createCipheriv('aes-256-gcm', key, iv, { authTagLength: gcmTagBytes })
  cipher.setAAD(aad)
  const body = cipher.update(plaintext)
  const tail = cipher.final()
  const out = new Uint8Array(body.length + tail.length + gcmTagBytes)
  out.set(body, 0)
  out.set(tail, body.length)
  out.set(cipher.getAuthTag(), body.length + tail.length)
  return out
}

/**
 * Verifies and decrypts ciphertext || tag. Returns undefined when authentication fails or the input is
 * shorter than a tag, so callers raise their own typed error. Throws RangeError on a wrong key or IV length.
 */
export function gcmOpen(key: Uint8Array, iv: Uint8Array, aad: Uint8Array, sealed: Uint8Array): Uint8Array | undefined {
  checkSizes(key, iv)
  if (sealed.length < gcmTagBytes) return undefined
  const split = sealed.length - gcmTagBytes
  const decipher = createDecipheriv('aes-256-gcm', key, iv, { authTagLength: gcmTagBytes })
  decipher.setAAD(aad)
  decipher.setAuthTag(sealed.subarray(split))
  const body = decipher.update(sealed.subarray(0, split))
  try {
    const tail = decipher.final()
    const out = new Uint8Array(body.length + tail.length)
    out.set(body, 0)
    out.set(tail, body.length)
    return out
  } catch {
    return undefined
  } finally {
    body.fill(0)
  }
}

function checkSizes(key: Uint8Array, iv: Uint8Array): void {
  if (key.length !== gcmKeyBytes) throw new RangeError('AES-256-GCM needs a 32-byte key')
  if (iv.length !== gcmIvBytes) throw new RangeError('AES-256-GCM needs a 12-byte IV')
}
