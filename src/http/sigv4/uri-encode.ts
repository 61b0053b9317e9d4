// RFC 3986 percent-encoding as SigV4 uses it: every byte except the unreserved set, upper-case hex.

const unreserved = /^[A-Za-z0-9\-._~]$/

/** Percent-encodes the UTF-8 bytes of `text` (or raw `bytes`); '%' itself is encoded too. */
export function uriEncode(text: string | Uint8Array): string {
  const bytes = typeof text === 'string' ? Buffer.from(text, 'utf8') : text
  let out = ''
  for (const byte of bytes) {
    const char = String.fromCharCode(byte)
    out += byte < 0x80 && unreserved.test(char) ? char : '%' + byte.toString(16).toUpperCase().padStart(2, '0')
  }
  return out
}

/** Decodes valid %XX escapes to bytes and keeps everything else as its UTF-8 bytes; never throws. */
export function percentDecode(text: string): Buffer {
  const parts: Buffer[] = []
  let plainStart = 0
  for (let i = 0; i < text.length; i++) {
    if (text[i] !== '%' || !/^[0-9A-Fa-f]{2}$/.test(text.slice(i + 1, i + 3))) continue
    parts.push(Buffer.from(text.slice(plainStart, i), 'utf8'), Buffer.from([parseInt(text.slice(i + 1, i + 3), 16)]))
    i += 2
    plainStart = i + 1
  }
  parts.push(Buffer.from(text.slice(plainStart), 'utf8'))
  return Buffer.concat(parts)
}
