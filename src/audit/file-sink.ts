// Mirrors stored audit records to JSON Lines files for log shippers, rotating by size. Each batch is
// fsynced before the requests it holds are answered, so the files are as durable as the database.
import { mkdirSync } from 'node:fs'
import { access, constants, open, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { canonicalJson } from './canonical-json.js'
import type { AuditSink } from './audit-log.js'
import type { ChainedAuditRecord } from './record.js'

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

  /** Appends the records, one canonical JSON object per line, and fsyncs. Rejects when the file cannot be written. */
  async write(records: ChainedAuditRecord[]): Promise<void> {
    if (records.length === 0) return
    const file = await this.fileWithRoom()
    const bytes = Buffer.from(records.map((r) => `${canonicalJson(r)}\n`).join(''), 'utf8')
    await file.handle.write(bytes)
    await file.handle.datasync()
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
    this.current = { handle, size: (await handle.stat()).size }
    return this.current
  }
}
