// Reads a backup file back as snapshot chunks, authenticating every frame and, at the end, the row counts,
// so importSnapshot() commits nothing from a file that is tampered with, truncated, or not whole.
import { open } from 'node:fs/promises'
import type { RootKey } from '../rootkey/root-key.js'
import type { SnapshotChunk } from '../store/snapshot.js'
import { BackupFormatError, decodeFrame, decodeHeader, fileKeyAad, FrameCipher, type BackupHeader } from './backup-format.js'

const maxHeaderBytes = 64 * 1024
const maxFrameBytes = 256 * 1024 * 1024

/** The header of the backup at `path`. Throws BackupFormatError. */
export async function readBackupHeader(path: string): Promise<BackupHeader> {
  const handle = await open(path, 'r')
  try {
    const buf = Buffer.alloc(maxHeaderBytes)
    const { bytesRead } = await handle.read(buf, 0, buf.length, 0)
    return decodeHeader(buf.subarray(0, bytesRead)).header
  } finally {
    await handle.close()
  }
}

/**
 * The chunks of the backup at `path`, opened with `rootKey`. Throws KeyWrapError when the root key does not
 * open the file key, BackupFormatError on any damage (raised before the last chunk is handed out when the
 * end frame is missing or its counts differ).
 */
export async function* readBackup(path: string, rootKey: RootKey): AsyncGenerator<SnapshotChunk> {
  const handle = await open(path, 'r')
  let fileKey: Uint8Array | undefined
  try {
    const size = (await handle.stat()).size
    const start = Buffer.alloc(Math.min(size, maxHeaderBytes))
    await handle.read(start, 0, start.length, 0)
    const { header, length } = decodeHeader(start)
    fileKey = await rootKey.unwrap(new Uint8Array(Buffer.from(header.wrappedFileKey, 'base64')), fileKeyAad(header.backupId))
    const frames = new FrameCipher(fileKey, start.subarray(0, length))
    const seen: Record<string, number> = {}
    let position = length
    let pending: SnapshotChunk | undefined
    for (;;) {
      if (position + 4 > size) throw new BackupFormatError('the backup file is truncated (no end frame)')
      const lengthBytes = Buffer.alloc(4)
      await handle.read(lengthBytes, 0, 4, position)
      const frameLength = lengthBytes.readUInt32BE(0)
      if (frameLength > maxFrameBytes || position + 4 + frameLength > size) throw new BackupFormatError('the backup file is truncated (frame)')
      const sealed = Buffer.alloc(frameLength)
      await handle.read(sealed, 0, frameLength, position + 4)
      position += 4 + frameLength
      const final = position === size
      const frame = decodeFrame(frames.open(sealed, final))
      // One chunk is held back, so the last rows are handed out only after the end frame checked out.
      if ('end' in frame) {
        if (!final) throw new BackupFormatError('the backup file has data after its end frame')
        const expected = JSON.stringify(Object.entries(frame.rows).sort())
        if (expected !== JSON.stringify(Object.entries(seen).sort())) throw new BackupFormatError('the backup row counts do not match its end frame')
        if (pending) yield pending
        return
      }
      if (final) throw new BackupFormatError('the backup file is truncated (no end frame)')
      seen[frame.table] = (seen[frame.table] ?? 0) + frame.rows.length
      if (pending) yield pending
      pending = frame
    }
  } finally {
    fileKey?.fill(0)
    await handle.close()
  }
}
