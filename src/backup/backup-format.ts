// The backup file (docs/backup-restore.md): "TRENTBAK" | uint32 BE header length | header JSON, then frames,
// each uint32 BE length | AES-256-GCM ciphertext || tag of one snapshot chunk (JSON). The file key is fresh
// random per backup, stored in the header only wrapped by the root key, so the file is useless without the
// root key; the key material inside stays wrapped by the root key as well. Frame i has the nonce
// 00000000 || uint64 BE i and the AAD "trent/backup-frame" || 00 || SHA-256(header bytes) || uint64 BE i ||
// final flag, so frames cannot be reordered, dropped, moved to another backup, or cut off after the last one.
import { createHash } from 'node:crypto'
import { gcmIvBytes, gcmOpen, gcmSeal } from '../crypto/aes-gcm.js'
import type { SnapshotChunk, SnapshotValue } from '../store/snapshot.js'

export const MAGIC = Buffer.from('TRENTBAK', 'ascii')
export const FORMAT_VERSION = 1

export interface BackupHeader {
  format: typeof FORMAT_VERSION
  /** Random, names this backup in the file key's AAD. */
  backupId: string
  createdAt: string
  /** The root key that wrapped the file key (and the key material inside). */
  rootKeyId: string
  /** Base64 of the file key wrapped by that root key, AAD fileKeyAad(backupId). */
  wrappedFileKey: string
}

/** The last frame: how many rows each table had, checked on restore before anything is committed. */
export interface BackupEnd {
  end: true
  rows: Record<string, number>
}

export class BackupFormatError extends Error {
  override readonly name = 'BackupFormatError'
}

export function fileKeyAad(backupId: string): Uint8Array {
  return new TextEncoder().encode(`trent/backup-file-key:${backupId}`)
}

export function encodeHeader(header: BackupHeader): Uint8Array {
  const json = Buffer.from(JSON.stringify(header), 'utf8')
  const length = Buffer.alloc(4)
  length.writeUInt32BE(json.length)
  return Buffer.concat([MAGIC, length, json])
}

/** Parses the header at the start of `bytes`; returns it with its encoded length. Throws BackupFormatError. */
export function decodeHeader(bytes: Uint8Array): { header: BackupHeader; length: number } {
  const buf = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength)
  if (buf.length < 12 || !buf.subarray(0, 8).equals(MAGIC)) throw new BackupFormatError('not a Trent backup file')
  const length = 12 + buf.readUInt32BE(8)
  if (buf.length < length) throw new BackupFormatError('the backup file is truncated (header)')
  let header: BackupHeader
  try {
    header = JSON.parse(buf.subarray(12, length).toString('utf8')) as BackupHeader
  } catch {
    throw new BackupFormatError('the backup header is not valid JSON')
  }
  if (header.format !== FORMAT_VERSION) throw new BackupFormatError(`unsupported backup format ${String(header.format)}`)
  if (typeof header.backupId !== 'string' || typeof header.rootKeyId !== 'string' || typeof header.wrappedFileKey !== 'string') {
    throw new BackupFormatError('the backup header is incomplete')
  }
  return { header, length }
}

/** Seals and opens the frames of one backup, in order. */
export class FrameCipher {
  private readonly key: Uint8Array
  private readonly headerHash: Uint8Array
  private index = 0n

  constructor(fileKey: Uint8Array, headerBytes: Uint8Array) {
    this.key = fileKey
    this.headerHash = createHash('sha256').update(headerBytes).digest()
  }

  seal(plaintext: Uint8Array, final: boolean): Uint8Array {
    const { iv, aad } = this.next(final)
    const sealed = gcmSeal(this.key, iv, aad, plaintext)
    const out = Buffer.alloc(4 + sealed.length)
    out.writeUInt32BE(sealed.length)
    out.set(sealed, 4)
    return out
  }

  /** Throws BackupFormatError when the frame is not the next one of this backup (tampered, reordered, wrong key). */
  open(sealed: Uint8Array, final: boolean): Uint8Array {
    const { iv, aad } = this.next(final)
    const plain = gcmOpen(this.key, iv, aad, sealed)
    if (plain === undefined) throw new BackupFormatError(`backup frame ${this.index - 1n} failed authentication (tampered, truncated, or another root key)`)
    return plain
  }

  private next(final: boolean): { iv: Uint8Array; aad: Uint8Array } {
    const i = this.index++
    const iv = Buffer.alloc(gcmIvBytes)
    iv.writeBigUInt64BE(i, 4)
    const position = Buffer.alloc(9)
    position.writeBigUInt64BE(i, 0)
    position[8] = final ? 1 : 0
    return { iv, aad: Buffer.concat([Buffer.from('trent/backup-frame\0', 'utf8'), this.headerHash, position]) }
  }
}

/** A chunk as JSON, bytes as {"b64": "..."} (no snapshot value is an object otherwise). */
export function encodeChunk(chunk: SnapshotChunk): Uint8Array {
  const rows = chunk.rows.map((r) => r.map((v) => (v instanceof Uint8Array ? { b64: Buffer.from(v).toString('base64') } : v)))
  return Buffer.from(JSON.stringify({ table: chunk.table, columns: chunk.columns, rows }), 'utf8')
}

/** Throws BackupFormatError on anything but a chunk or the end frame. */
export function decodeFrame(plain: Uint8Array): SnapshotChunk | BackupEnd {
  let parsed: unknown
  try {
    parsed = JSON.parse(Buffer.from(plain).toString('utf8'))
  } catch {
    throw new BackupFormatError('a backup frame is not valid JSON')
  }
  const frame = parsed as { end?: unknown; rows?: unknown; table?: unknown; columns?: unknown }
  if (frame.end === true) return parsed as BackupEnd
  if (typeof frame.table !== 'string' || !Array.isArray(frame.columns) || !Array.isArray(frame.rows)) throw new BackupFormatError('a backup frame is not a table chunk')
  const rows = (frame.rows as unknown[][]).map((r) => r.map(decodeValue))
  return { table: frame.table, columns: frame.columns as string[], rows }
}

function decodeValue(v: unknown): SnapshotValue {
  if (v === null || typeof v === 'number' || typeof v === 'string') return v
  if (typeof v === 'object' && typeof (v as { b64?: unknown }).b64 === 'string') return new Uint8Array(Buffer.from((v as { b64: string }).b64, 'base64'))
  throw new BackupFormatError('a backup frame holds a value of an unknown type')
}
