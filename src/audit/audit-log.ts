// Durable audit writing with group commit: records from concurrent requests share one store write,
// so durability costs one fsync per batch rather than per request. A request is answered only after
// the batch holding its record has committed; if the write fails, every request in the batch fails.
import type { Store } from '../store/store.js'
import type { AuditRecord } from './record.js'

interface Pending {
  record: AuditRecord
  resolve: () => void
  reject: (error: unknown) => void
}

export interface AuditLog {
  /** Resolves once the record is durable; rejects when it could not be written. */
  write(record: AuditRecord): Promise<void>
}

export class GroupCommitAuditLog implements AuditLog {
  private queue: Pending[] = []
  private flushing = false
  private scheduled = false
  private readonly store: Store
  private readonly maxBatch: number

  constructor(store: Store, maxBatch = 512) {
    this.store = store
    this.maxBatch = maxBatch
  }

  write(record: AuditRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, resolve, reject })
      // Deferring the flush to the next turn collects every record produced in this one into the batch.
      if (!this.flushing && !this.scheduled) {
        this.scheduled = true
        setImmediate(() => {
          this.scheduled = false
          void this.flush()
        })
      }
    })
  }

  private async flush(): Promise<void> {
    this.flushing = true
    try {
      while (this.queue.length > 0) {
        const batch = this.queue.splice(0, this.maxBatch)
        try {
          await this.store.appendAudit(batch.map((p) => p.record))
          for (const p of batch) p.resolve()
        } catch (error) {
          for (const p of batch) p.reject(error)
        }
      }
    } finally {
      this.flushing = false
    }
    if (this.queue.length > 0 && !this.scheduled) void this.flush()
  }
}
