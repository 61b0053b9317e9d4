// Mirrors stored audit records to JSON Lines files for log shippers, rotating by size. Each batch is
// fsynced before the requests it holds are answered, so the files are as durable as the database.
import { mkdirSync } from 'node:fs'
import { access, constants, open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { syncDirectory } from '../store/sync-directory.js'
import type { AuditSink } from './audit-log.js'
import type { ChainedAuditRecord } from './record.js'
import { storedFormOf } from './stored-form.js'

export const DEFAULT_SINK_MAX_BYTES = 64 * 1024 * 1024

interface OpenFile {
  handle: FileHandle
  size: number
}

/** Writes `trent-audit-<time>-<pid>.jsonl` files under `dir`; a new file starts once one reaches `maxBytes`. */
export class RotatingFileSink implements AuditSink {
  private current: OpenFile | undefined
  private readonly dir: string
  private readonly maxBytes: number
  private readonly now: () => Date
  private sequence = 0

  /** Creates `dir` (mode 0700) when missing; throws when that fails. */
  constructor(dir: string, maxBytes = DEFAULT_SINK_MAX_BYTES, now: () => Date = () => new Date()) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    this.dir = dir
    this.maxBytes = maxBytes
    this.now = now
  }

  /**
   * Appends the records, one canonical JSON object per line (the text the store hashed, when it handed the
   * record out), and fsyncs. Rejects when the file cannot be written.
   */
  async write(records: ChainedAuditRecord[]): Promise<void> {
    if (records.length === 0) return
    const file = await this.fileWithRoom()
    const bytes = Buffer.from(records.map((r) => `${storedFormOf(r)}\n`).join(''), 'utf8')
    try {
      await file.handle.write(bytes)
      await file.handle.datasync()
    } catch (e) {
      // A failed write may have left half a line; later batches start a fresh file rather than continue after it.
      this.current = undefined
      await file.handle.close().catch(() => undefined)
      throw e
    }
    file.size += bytes.length
  }

  async probe(): Promise<void> {
    await access(this.dir, constants.W_OK)
  }

  async close(): Promise<void> {
    await this.current?.handle.close()
    this.current = undefined
  }

  private async fileWithRoom(): Promise<OpenFile> {
    if (this.current && this.current.size < this.maxBytes) return this.current
    await this.close()
    // The time sorts the files; the pid and a counter keep processes and quick rotations apart.
    const stamp = this.now().toISOString().replace(/[:.]/g, '-')
    const name = `trent-audit-${stamp}-${process.pid}-${++this.sequence}.jsonl`
    const handle = await open(join(this.dir, name), 'a', 0o600)
    try {
      // The new file's name must be as durable as the records about to be fsynced into it.
      await syncDirectory(this.dir)
    } catch (e) {
      await handle.close()
      throw e
    }
    this.current = { handle, size: (await handle.stat()).size }
    return this.current
  }
}
