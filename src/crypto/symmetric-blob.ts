// The versioned symmetric ciphertext blob (format v1, see docs/ciphertext-format.md): a header naming the
// key version, a per-request key derived from the version's material and a random nonce, then AES-256-GCM.
import { gcmIvBytes, gcmOpen, gcmSeal, gcmTagBytes } from './aes-gcm.js'
import { canonicalEncryptionContext } from './encryption-context.js'
import { deriveKey } from './kdf.js'

export class CiphertextError extends Error {
  override name = 'CiphertextError'
}

export interface BlobHeader { formatVersion: number; keyId: string; keyVersion: number }

const formatVersion = 0x01
const kdfLabel = 'trent/symmetric-blob/v1'
const materialBytes = 32
const nonceBytes = 16
const maxKeyIdLength = 64
const maxKeyVersion = 0xffffffff

interface ParsedHeader { header: BlobHeader; nonce: Uint8Array; iv: Uint8Array; length: number }

/** Parses the header of a v1 blob. Throws CiphertextError on any malformed or truncated blob. */
export function readBlobHeader(blob: Uint8Array): BlobHeader {
  return parseHeader(blob).header
}

/**
 * Encrypts plaintext under a fresh key derived from material; the header and the canonical encryption
 * context are authenticated. Calls random(16) for the KDF nonce, then random(12) for the IV.
 * Throws RangeError on material that is not 32 bytes, a key id that is not 1–64 printable ASCII
 * characters, or a key version outside 1..2^32-1.
 */
export function sealBlob(args: {
  material: Uint8Array; keyId: string; keyVersion: number; plaintext: Uint8Array
  encryptionContext?: Record<string, string>; random: (n: number) => Uint8Array
}): Uint8Array {
  checkMaterial(args.material)
  if (!isValidKeyId(args.keyId)) throw new RangeError('key id must be 1 to 64 printable ASCII characters')
  if (!Number.isInteger(args.keyVersion) || args.keyVersion < 1 || args.keyVersion > maxKeyVersion) {
    throw new RangeError('key version must be an integer from 1 to 2^32-1')
  }
  const nonce = takeRandom(args.random, nonceBytes)
  const iv = takeRandom(args.random, gcmIvBytes)
  const header = new Uint8Array(2 + args.keyId.length + 4 + nonceBytes + gcmIvBytes)
  header[0] = formatVersion
  header[1] = args.keyId.length
  header.set(new TextEncoder().encode(args.keyId), 2)
  new DataView(header.buffer).setUint32(2 + args.keyId.length, args.keyVersion)
  header.set(nonce, header.length - gcmIvBytes - nonceBytes)
  header.set(iv, header.length - gcmIvBytes)
  const key = deriveKey(args.material, kdfLabel, nonce, 32)
  const sealed = gcmSeal(key, iv, additionalData(header, args.encryptionContext), args.plaintext)
  key.fill(0)
  const blob = new Uint8Array(header.length + sealed.length)
  blob.set(header, 0)
  blob.set(sealed, header.length)
  return blob
}

/**
 * Decrypts a blob made by sealBlob with the same material and encryption context. Throws CiphertextError
 * on a malformed blob, a different context, a different key, or any change to any byte.
 * Throws RangeError on material that is not 32 bytes.
 */
export function openBlob(args: { material: Uint8Array; blob: Uint8Array; encryptionContext?: Record<string, string> }): Uint8Array {
  checkMaterial(args.material)
  const parsed = parseHeader(args.blob)
  let aad: Uint8Array
  try {
    aad = additionalData(args.blob.subarray(0, parsed.length), args.encryptionContext)
  } catch {
    throw new CiphertextError('encryption context does not match the ciphertext')
  }
  const key = deriveKey(args.material, kdfLabel, parsed.nonce, 32)
  const plaintext = gcmOpen(key, parsed.iv, aad, args.blob.subarray(parsed.length))
  key.fill(0)
  if (plaintext === undefined) throw new CiphertextError('ciphertext failed authentication')
  return plaintext
}

function parseHeader(blob: Uint8Array): ParsedHeader {
  if (blob.length < 2) throw new CiphertextError('ciphertext is truncated')
  if (blob[0] !== formatVersion) throw new CiphertextError('unsupported ciphertext format version')
  const idLength = blob[1]!
  if (idLength < 1 || idLength > maxKeyIdLength) throw new CiphertextError('ciphertext key id length is out of range')
  const length = 2 + idLength + 4 + nonceBytes + gcmIvBytes
  if (blob.length < length + gcmTagBytes) throw new CiphertextError('ciphertext is truncated')
  const keyId = String.fromCharCode(...blob.subarray(2, 2 + idLength))
  if (!isValidKeyId(keyId)) throw new CiphertextError('ciphertext key id is not printable ASCII')
  const keyVersion = new DataView(blob.buffer, blob.byteOffset, blob.byteLength).getUint32(2 + idLength)
  if (keyVersion < 1) throw new CiphertextError('ciphertext key version is zero')
  const nonce = blob.subarray(length - gcmIvBytes - nonceBytes, length - gcmIvBytes)
  const iv = blob.subarray(length - gcmIvBytes, length)
  return { header: { formatVersion, keyId, keyVersion }, nonce, iv, length }
}

function additionalData(header: Uint8Array, ec: Record<string, string> | undefined): Uint8Array {
  const context = canonicalEncryptionContext(ec)
  const aad = new Uint8Array(header.length + context.length)
  aad.set(header, 0)
  aad.set(context, header.length)
  return aad
}

/** Printable ASCII without space (0x21–0x7E), 1–64 characters: covers UUIDs and `mrk-` ids. */
function isValidKeyId(keyId: string): boolean {
  return keyId.length >= 1 && keyId.length <= maxKeyIdLength && /^[\x21-\x7e]+$/.test(keyId)
}

function checkMaterial(material: Uint8Array): void {
  if (material.length !== materialBytes) throw new RangeError('key material must be 32 bytes')
}

function takeRandom(random: (n: number) => Uint8Array, n: number): Uint8Array {
  const bytes = random(n)
  if (bytes.length !== n) throw new Error('random source returned the wrong number of bytes')
  return bytes
}
