// Byte encodings the KMS JSON protocol uses: blobs travel as base64; text is UTF-8.
/** Typed over a plain ArrayBuffer, as WebCrypto's BufferSource requires. */
export function utf8(text: string): Uint8Array<ArrayBuffer> {
  return new Uint8Array(new TextEncoder().encode(text))
}

export function fromUtf8(bytes: Uint8Array): string {
  return new TextDecoder().decode(bytes)
}

export function toBase64(bytes: Uint8Array): string {
  let binary = ''
  for (const b of bytes) binary += String.fromCharCode(b)
  return btoa(binary)
}

/** Throws a SyntaxError-like Error naming the field when `text` is not base64. */
export function fromBase64(text: string, what = 'value'): Uint8Array {
  let binary: string
  try {
    binary = atob(text.replace(/\s+/g, ''))
  } catch {
    throw new Error(`${what} is not valid base64`)
  }
  return Uint8Array.from(binary, (c) => c.charCodeAt(0))
}

export function toHex(bytes: Uint8Array): string {
  return Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')
}

/** A DER SubjectPublicKeyInfo as PEM, 64 base64 characters a line. */
export function publicKeyPem(der: Uint8Array): string {
  const lines = toBase64(der).match(/.{1,64}/g) ?? []
  return `-----BEGIN PUBLIC KEY-----\n${lines.join('\n')}\n-----END PUBLIC KEY-----\n`
}
