// Writes a backup of the whole store (backup-format.ts) from one consistent snapshot, online. The file
// appears under its name only when complete and fsynced; until then it is `<out>.partial`.
import { randomBytes } from 'node:crypto'
import { link, open, unlink } from 'node:fs/promises'
import { dirname } from 'node:path'
import type { RootKey } from '../rootkey/root-key.js'
import type { Store } from '../store/store.js'
import { syncDirectory } from '../store/sync-directory.js'
import { encodeChunk, encodeHeader, fileKeyAad, FORMAT_VERSION, FrameCipher, type BackupEnd, type BackupHeader } from './backup-format.js'

export interface BackupSummary {
  backupId: string
  rootKeyId: string
  rows: Record<string, number>
  bytes: number
}

/**
 * Throws when `outPath` exists (a backup is never overwritten), on store or root-key faults; a failed run
 * leaves no file at `outPath`.
 */
export async function writeBackup(store: Store, rootKey: RootKey, outPath: string, onRows: (rows: number) => void = () => {}): Promise<BackupSummary> {
  const fileKey = new Uint8Array(randomBytes(32))
  const partial = `${outPath}.partial`
  try {
    const backupId = randomBytes(16).toString('hex')
    const wrapped = await rootKey.wrap(fileKey, fileKeyAad(backupId))
    const header: BackupHeader = { format: FORMAT_VERSION, backupId, createdAt: new Date().toISOString(), rootKeyId: rootKey.id, wrappedFileKey: Buffer.from(wrapped).toString('base64') }
    const headerBytes = encodeHeader(header)
    const frames = new FrameCipher(fileKey, headerBytes)
    const rows: Record<string, number> = {}
    let total = 0
    let bytes = 0
    const handle = await open(partial, 'wx', 0o600)
    try {
      const write = async (data: Uint8Array) => {
        await handle.write(data)
        bytes += data.length
      }
      await write(headerBytes)
      for await (const chunk of store.exportSnapshot()) {
        await write(frames.seal(encodeChunk(chunk), false))
        rows[chunk.table] = (rows[chunk.table] ?? 0) + chunk.rows.length
        total += chunk.rows.length
        onRows(total)
      }
      const end: BackupEnd = { end: true, rows }
      await write(frames.seal(Buffer.from(JSON.stringify(end), 'utf8'), true))
      await handle.sync()
    } finally {
      await handle.close()
    }
    // link() fails with EEXIST where rename() would replace an earlier backup.
    await link(partial, outPath)
    await syncDirectory(dirname(outPath))
    return { backupId, rootKeyId: rootKey.id, rows, bytes }
  } finally {
    fileKey.fill(0)
    await unlink(partial).catch(() => {})
  }
}
