// The canonical byte form of an encryption context, bound as AAD so the same pairs always give the same bytes.
// Layout: count (uint16 BE), then per entry sorted by key's UTF-8 bytes: key length, key, value length, value.

export class EncryptionContextError extends Error {
  override name = 'EncryptionContextError'
}

const maxField = 0xffff
/** Unpaired UTF-16 surrogates: the only strings without a UTF-8 form (`u` makes pairs one code point). */
const LONE_SURROGATE = /\p{Cs}/u

/**
 * Encodes the context unambiguously and independently of insertion order. Undefined or empty → 0x0000.
 * Throws EncryptionContextError when a key or value is not a well-formed string (a lone surrogate
 * would otherwise collide with U+FFFD), or when a count or length does not fit in 16 bits.
 */
export function canonicalEncryptionContext(ec: Record<string, string> | undefined): Uint8Array {
  const entries = Object.entries(ec ?? {}).map(([key, value]) => [encodeField(key), encodeField(value)] as const)
  if (entries.length > maxField) throw new EncryptionContextError('encryption context has too many entries')
  entries.sort(([a], [b]) => Buffer.compare(a, b))
  let total = 2
  for (const [key, value] of entries) total += 4 + key.length + value.length
  const out = new Uint8Array(total)
  const view = new DataView(out.buffer)
  view.setUint16(0, entries.length)
  let offset = 2
  for (const field of entries.flat()) {
    view.setUint16(offset, field.length)
    out.set(field, offset + 2)
    offset += 2 + field.length
  }
  return out
}

function encodeField(text: unknown): Uint8Array {
  if (typeof text !== 'string') throw new EncryptionContextError('encryption context keys and values must be strings')
  // Checked on the string, not by a decode round trip: a default TextDecoder drops a leading U+FEFF, which
  // would refuse a well-formed BOM-prefixed key. The BOM's bytes (EF BB BF) are kept in the encoding.
  if (LONE_SURROGATE.test(text)) throw new EncryptionContextError('encryption context must be well-formed Unicode')
  const bytes = new TextEncoder().encode(text)
  if (bytes.length > maxField) throw new EncryptionContextError('encryption context entry is too long')
  return bytes
}
