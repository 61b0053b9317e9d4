// HMAC (RFC 2104) with the SHA-2 hashes KMS offers, and a constant-time check of a presented tag.
import { createHmac, timingSafeEqual } from 'node:crypto'

export type MacHash = 'sha224' | 'sha256' | 'sha384' | 'sha512'

export const macBytes: Record<MacHash, number> = { sha224: 28, sha256: 32, sha384: 48, sha512: 64 }

/** HMAC of `message` under `key`; the tag is the full hash length. */
export function computeMac(hash: MacHash, key: Uint8Array, message: Uint8Array): Uint8Array {
  return new Uint8Array(createHmac(hash, key).update(message).digest())
}

/** True only when `tag` equals the HMAC; the comparison takes the same time wherever they differ. */
export function macMatches(hash: MacHash, key: Uint8Array, message: Uint8Array, tag: Uint8Array): boolean {
  const expected = computeMac(hash, key, message)
  if (tag.length !== expected.length) return false
  return timingSafeEqual(expected, tag)
}
