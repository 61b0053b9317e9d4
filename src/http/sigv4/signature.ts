// Computes a SigV4 signature and compares signatures in constant time.
import { createHmac, timingSafeEqual } from 'node:crypto'

/** Lowercase hex HMAC-SHA256 of the string to sign under the signing key. */
export function computeSignature(signingKey: Uint8Array, stringToSignText: string): string {
  return createHmac('sha256', signingKey).update(stringToSignText, 'utf8').digest('hex')
}

/**
 * True when `provided` equals `expected`. Equal lengths are compared with crypto.timingSafeEqual; a length
 * difference is a mismatch that reveals nothing beyond the length.
 */
export function isSameSignature(expected: string, provided: string): boolean {
  const a = Buffer.from(expected, 'utf8')
  const b = Buffer.from(provided, 'utf8')
  if (a.length !== b.length) {
    timingSafeEqual(a, a)
    return false
  }
  return timingSafeEqual(a, b)
}
