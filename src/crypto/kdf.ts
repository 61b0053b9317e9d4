// NIST SP 800-108 key derivation in counter mode, with HMAC-SHA256 as the PRF.
// Both the counter i and the output length L are 32-bit big-endian; L counts bits.
import { createHmac } from 'node:crypto'

const blockBytes = 32
const maxLengthBits = 0xffffffff

/**
 * KDF in counter mode over an opaque fixed input: K(i) = HMAC(key, [i]_32 || fixedInput), i from 1.
 * This is exactly the shape of the NIST CAVP "CTRLOCATION=BEFORE_FIXED, RLEN=32_BITS" vectors.
 * Throws RangeError unless lengthBits is a positive multiple of 8 below 2^32 and the key is non-empty.
 */
export function kdfCounterHmacSha256(key: Uint8Array, fixedInput: Uint8Array, lengthBits: number): Uint8Array {
  if (!Number.isInteger(lengthBits) || lengthBits <= 0 || lengthBits % 8 !== 0 || lengthBits > maxLengthBits) {
    throw new RangeError('KDF output length must be a positive whole number of bytes below 2^32 bits')
  }
  if (key.length === 0) throw new RangeError('KDF key must not be empty')
  const out = new Uint8Array(lengthBits / 8)
  const counter = new Uint8Array(4)
  const counterView = new DataView(counter.buffer)
  for (let i = 1, offset = 0; offset < out.length; i++, offset += blockBytes) {
    counterView.setUint32(0, i)
    const block = createHmac('sha256', key).update(counter).update(fixedInput).digest()
    out.set(block.subarray(0, Math.min(blockBytes, out.length - offset)), offset)
    block.fill(0)
  }
  return out
}

/**
 * Derives lengthBytes of key material: the counter-mode KDF with the SP 800-108 fixed input
 * Label || 0x00 || Context || [L]_32. The label is UTF-8 and must not contain NUL, because
 * the 0x00 separator is what keeps label and context apart.
 * Throws RangeError on a label with NUL or an invalid length.
 */
export function deriveKey(key: Uint8Array, label: string, context: Uint8Array, lengthBytes: number): Uint8Array {
  const labelBytes = new TextEncoder().encode(label)
  if (labelBytes.includes(0)) throw new RangeError('KDF label must not contain NUL')
  if (!Number.isInteger(lengthBytes) || lengthBytes <= 0 || lengthBytes * 8 > maxLengthBits) {
    throw new RangeError('KDF output length must be a positive whole number of bytes below 2^32 bits')
  }
  const fixed = new Uint8Array(labelBytes.length + 1 + context.length + 4)
  fixed.set(labelBytes, 0)
  fixed.set(context, labelBytes.length + 1)
  new DataView(fixed.buffer).setUint32(fixed.length - 4, lengthBytes * 8)
  return kdfCounterHmacSha256(key, fixed, lengthBytes * 8)
}
