// Public random values (AES-GCM IVs, KDF nonces, salts) in bulk: one CSPRNG call fills 64 KiB, which then
// serves a few thousand requests, instead of one call per request. Never for secrets: see randomSecret.
import { randomFillSync } from 'node:crypto'

export const RANDOM_POOL_BYTES = 64 * 1024

/** Fills `buffer` with CSPRNG bytes and returns it (node:crypto's randomFillSync has this shape). */
export type FillRandom = (buffer: Uint8Array) => Uint8Array

/**
 * Hands out slices of a CSPRNG-filled buffer, each byte at most once: every call copies its bytes out and
 * zeroes them in the pool, and the pool is refilled in full only when the unread rest is too short.
 *
 * Only for values that end up public anyway (they are written into the ciphertext or wrapped blob in the
 * clear). The unread part of the pool is future output held in memory, so a memory disclosure would reveal
 * the next values: harmless for an IV, fatal for a data key. Secrets come from randomSecret.
 */
export class RandomPool {
  private readonly buffer: Uint8Array
  private readonly fill: FillRandom
  private offset: number

  /** Throws RangeError unless `size` is a positive whole number. */
  constructor(size = RANDOM_POOL_BYTES, fill: FillRandom = (b) => randomFillSync(b)) {
    if (!Number.isSafeInteger(size) || size <= 0) throw new RangeError('random pool size must be a positive whole number')
    this.buffer = new Uint8Array(size)
    this.fill = fill
    // Empty until first use, so an unused pool never holds random bytes.
    this.offset = size
  }

  /** `n` fresh random bytes, in a new array the caller owns. Throws RangeError for a negative or fractional `n`. */
  take(n: number): Uint8Array {
    if (!Number.isSafeInteger(n) || n < 0) throw new RangeError('random byte count must be a whole number')
    // A request larger than a quarter of the pool would waste most of a refill; it gets its own CSPRNG call.
    if (n > this.buffer.length / 4) return this.fill(new Uint8Array(n))
    if (this.buffer.length - this.offset < n) {
      this.fill(this.buffer)
      this.offset = 0
    }
    const start = this.offset
    this.offset += n
    const out = this.buffer.slice(start, this.offset)
    this.buffer.fill(0, start, this.offset)
    return out
  }
}

const shared = new RandomPool()

/** Public random bytes (IVs, nonces, salts) from this thread's pool. Never use it for key material. */
export function randomPublic(n: number): Uint8Array {
  return shared.take(n)
}

/**
 * Secret random bytes (key material, data keys, GenerateRandom): one CSPRNG call straight into the array
 * the caller receives, so no copy of them stays behind anywhere.
 */
export function randomSecret(n: number): Uint8Array {
  return randomFillSync(new Uint8Array(n))
}
