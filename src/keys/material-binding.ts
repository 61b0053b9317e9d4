// What wrapped key material is bound to (the AAD under the root key) and how its public id is derived.
// Format 2 binds the material to what it is (key spec and usage), so a row flipped to another type will
// not unwrap; format 1 is the legacy binding (key id and version only), kept to read and rewrap old rows.
import { createHash, createHmac } from 'node:crypto'
import type { KeySpec, KeyUsageType } from './key.js'

/** 1: legacy AAD `trent/key-material:<keyId>:<version>`. 2: the bound AAD below. */
export type WrapFormat = 1 | 2
/** 1: legacy HMAC-SHA256 keyed by the material (kept for old SYMMETRIC_DEFAULT ids). 2: SHA-256 over a labelled input. */
export type MaterialIdFormat = 1 | 2

export const currentWrapFormat: WrapFormat = 2
export const currentMaterialIdFormat: MaterialIdFormat = 2

/** What a piece of material is: the fields the format-2 AAD binds. */
export interface MaterialBinding {
  keyId: string
  version: number
  keySpec: KeySpec
  keyUsage: KeyUsageType
}

const encoder = new TextEncoder()
const boundLabel = encoder.encode('trent/key-material')

/** The legacy (format 1) AAD: key id and version only. */
export function legacyMaterialAad(keyId: string, version: number): Uint8Array {
  return encoder.encode(`trent/key-material:${keyId}:${version}`)
}

/**
 * The format-2 AAD: "trent/key-material" || 0x00 || 0x02 || str(keyId) || uint32 BE version || str(keySpec)
 * || str(keyUsage), where str(s) = uint16 BE byte length || UTF-8 bytes. Length prefixes keep the fields
 * unambiguous whatever characters a (tampered) row holds. Throws RangeError on a version outside 1..2^32-1.
 */
export function boundMaterialAad(b: MaterialBinding): Uint8Array {
  if (!Number.isInteger(b.version) || b.version < 1 || b.version > 0xffffffff) throw new RangeError('key version must be an integer from 1 to 2^32-1')
  const version = new Uint8Array(4)
  new DataView(version.buffer).setUint32(0, b.version)
  return concat([boundLabel, Uint8Array.of(0x00, 2), lengthPrefixed(b.keyId), version, lengthPrefixed(b.keySpec), lengthPrefixed(b.keyUsage)])
}

/** The AAD a row of `format` was wrapped with. */
export function materialAad(format: WrapFormat, b: MaterialBinding): Uint8Array {
  return format === 1 ? legacyMaterialAad(b.keyId, b.version) : boundMaterialAad(b)
}

/**
 * The public id of a piece of material (AWS's KeyMaterialId: 64 lowercase hex characters).
 * Format 2 is SHA-256("trent/key-material-id/v2" || 0x00 || str(keyId) || material): a hash of the
 * material, not a MAC under it, so no GenerateMac answer can equal it and a database reader learns no MAC.
 * Format 1 is the legacy HMAC-SHA256(material, "trent/key-material-id/v1:" + keyId); it is only ever
 * recomputed to verify ids that clients may already have recorded (old SYMMETRIC_DEFAULT keys).
 */
export function deriveMaterialId(format: MaterialIdFormat, keyId: string, material: Uint8Array): string {
  if (format === 1) return createHmac('sha256', material).update(`trent/key-material-id/v1:${keyId}`, 'utf8').digest('hex')
  return createHash('sha256').update('trent/key-material-id/v2').update(Uint8Array.of(0)).update(lengthPrefixed(keyId)).update(material).digest('hex')
}

function lengthPrefixed(s: string): Uint8Array {
  const bytes = encoder.encode(s)
  if (bytes.length > 0xffff) throw new RangeError('field is too long to bind')
  const out = new Uint8Array(2 + bytes.length)
  new DataView(out.buffer).setUint16(0, bytes.length)
  out.set(bytes, 2)
  return out
}

function concat(parts: Uint8Array[]): Uint8Array {
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0))
  let offset = 0
  for (const p of parts) {
    out.set(p, offset)
    offset += p.length
  }
  return out
}
