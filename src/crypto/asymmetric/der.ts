// The little DER that Trent writes and reads itself: ML-DSA key containers (RFC 9881) and the outer
// length check on peer public keys. Everything else is parsed by OpenSSL through node:crypto.

export class DerError extends Error {
  override readonly name = 'DerError'
}

export interface DerElement {
  tag: number
  /** The element's contents (without tag and length). */
  value: Uint8Array
  /** Total bytes the element occupies, header included. */
  length: number
}

/** Encodes one element. Throws RangeError for contents of 2^24 bytes or more. */
export function derEncode(tag: number, ...contents: Uint8Array[]): Uint8Array {
  const size = contents.reduce((n, c) => n + c.length, 0)
  const header = [tag, ...lengthBytes(size)]
  const out = new Uint8Array(header.length + size)
  out.set(header, 0)
  let offset = header.length
  for (const c of contents) {
    out.set(c, offset)
    offset += c.length
  }
  return out
}

function lengthBytes(size: number): number[] {
  if (size < 0x80) return [size]
  if (size < 0x100) return [0x81, size]
  if (size < 0x10000) return [0x82, size >> 8, size & 0xff]
  if (size < 0x1000000) return [0x83, size >> 16, (size >> 8) & 0xff, size & 0xff]
  throw new RangeError('DER contents too large')
}

/** Reads the element starting at `offset`. Throws DerError on truncation or a non-minimal length. */
export function derRead(bytes: Uint8Array, offset = 0): DerElement {
  if (offset + 2 > bytes.length) throw new DerError('truncated DER element')
  const tag = bytes[offset]!
  const first = bytes[offset + 1]!
  let size = first
  let headerLength = 2
  if (first >= 0x80) {
    const count = first & 0x7f
    if (count < 1 || count > 3) throw new DerError('unsupported DER length')
    if (offset + 2 + count > bytes.length) throw new DerError('truncated DER length')
    size = 0
    for (let i = 0; i < count; i++) size = size * 256 + bytes[offset + 2 + i]!
    if (size < 0x80 || size < 256 ** (count - 1)) throw new DerError('non-minimal DER length')
    headerLength += count
  }
  const end = offset + headerLength + size
  if (end > bytes.length) throw new DerError('truncated DER contents')
  return { tag, value: bytes.subarray(offset + headerLength, end), length: headerLength + size }
}

/** Reads the children of a constructed element's contents, in order. Throws DerError on malformed input. */
export function derChildren(contents: Uint8Array): DerElement[] {
  const children: DerElement[] = []
  for (let offset = 0; offset < contents.length;) {
    const child = derRead(contents, offset)
    children.push(child)
    offset += child.length
  }
  return children
}

/** Reads a whole buffer as exactly one element with the given tag; trailing bytes are an error. */
export function derReadExactly(bytes: Uint8Array, tag: number): DerElement {
  const element = derRead(bytes)
  if (element.tag !== tag) throw new DerError('unexpected DER tag')
  if (element.length !== bytes.length) throw new DerError('trailing bytes after DER element')
  return element
}

/** Encodes a dotted object identifier. */
export function derObjectId(dotted: string): Uint8Array {
  const arcs = dotted.split('.').map(Number)
  const body: number[] = [arcs[0]! * 40 + arcs[1]!]
  for (const arc of arcs.slice(2)) {
    const septets: number[] = [arc & 0x7f]
    for (let rest = Math.floor(arc / 128); rest > 0; rest = Math.floor(rest / 128)) septets.unshift((rest & 0x7f) | 0x80)
    body.push(...septets)
  }
  return derEncode(0x06, Uint8Array.from(body))
}

export const derTag = { integer: 0x02, bitString: 0x03, octetString: 0x04, objectId: 0x06, sequence: 0x30, context0: 0x80 } as const
