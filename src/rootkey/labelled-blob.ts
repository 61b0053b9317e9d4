// Which root key wrapped a blob. A labelled blob is 0x02 | u8 id length | root key id (ASCII) | the inner
// blob (0x01 | IV | AES-256-GCM ciphertext | tag, crypto/key-wrap.ts). The label is a routing hint only: it is
// not authenticated, and a forged label just sends the blob to a root key that fails to open it. Blobs written
// before labels existed are the bare inner blob (first byte 0x01): "some in-process root key".
import { KeyWrapError } from '../crypto/key-wrap.js'

const labelledFormat = 0x02
const innerFormat = 0x01
const encoder = new TextEncoder()
const decoder = new TextDecoder()

/** A root key id: 1..64 characters [A-Za-z0-9:._-], never secret. Throws RangeError otherwise. */
export function requireRootKeyId(id: string): string {
  if (!/^[A-Za-z0-9:._-]{1,64}$/.test(id)) throw new RangeError('root key id must be 1-64 characters A-Z a-z 0-9 : . _ -')
  return id
}

/** Prefixes `inner` (an 0x01 blob) with the id of the root key that sealed it. */
export function labelBlob(rootKeyId: string, inner: Uint8Array): Uint8Array {
  const id = encoder.encode(requireRootKeyId(rootKeyId))
  const out = new Uint8Array(2 + id.length + inner.length)
  out[0] = labelledFormat
  out[1] = id.length
  out.set(id, 2)
  out.set(inner, 2 + id.length)
  return out
}

/**
 * Splits a stored blob into its root key id (undefined for an unlabelled legacy blob) and its inner 0x01 blob.
 * Throws KeyWrapError on an unknown first byte or a truncated label.
 */
export function readBlobLabel(blob: Uint8Array): { rootKeyId: string | undefined; inner: Uint8Array } {
  if (blob[0] === innerFormat) return { rootKeyId: undefined, inner: blob }
  if (blob[0] !== labelledFormat || blob.length < 2) throw new KeyWrapError('unsupported wrapped key material format')
  const length = blob[1]!
  if (length === 0 || blob.length < 2 + length + 1) throw new KeyWrapError('wrapped key material is truncated')
  return { rootKeyId: decoder.decode(blob.subarray(2, 2 + length)), inner: blob.subarray(2 + length) }
}

/** The root key id a blob names, or undefined for a legacy unlabelled blob (or one that does not parse). */
export function blobRootKeyId(blob: Uint8Array): string | undefined {
  try {
    return readBlobLabel(blob).rootKeyId
  } catch {
    return undefined
  }
}
