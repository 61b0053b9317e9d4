// Durable audit writing with group commit: records from concurrent requests share one store write,
// so durability costs one fsync per batch rather than per request. A request is answered only after
// the batch holding its record has committed (and reached the file sink, when one is set); if either
// write fails, every request in the batch fails.
import type { Store } from '../store/store.js'
import type { AuditRecord, ChainedAuditRecord } from './record.js'

interface Pending {
  record: AuditRecord
  enqueuedAt: number
  resolve: () => void
  reject: (error: unknown) => void
}

export interface AuditLog {
  /** Resolves once the record is durable; rejects when it could not be written. */
  write(record: AuditRecord): Promise<void>
}

/** A second durable destination for records as stored (e.g. rotating JSONL files for log shippers). */
export interface AuditSink {
  write(records: ChainedAuditRecord[]): Promise<void>
  /** Throws unless a write would be accepted now (for /readyz). */
  probe(): Promise<void>
  close(): Promise<void>
}

export interface GroupCommitOptions {
  maxBatch?: number
  /** Where batches go; the store's appendAudit unless the server runs the writes on a worker thread. */
  append?: (records: AuditRecord[]) => Promise<ChainedAuditRecord[]>
  sink?: AuditSink
  /** Called after each committed batch: its size and how long its oldest record waited, in seconds. */
  onBatch?: (size: number, lagSeconds: number) => void
  /**
   * Hand each batch to `append` without waiting for the previous one to commit. For a cluster worker, whose
   * `append` goes to the primary's one writer: the primary merges whatever arrives during a commit into the
   * next, so waiting here too would make the workers take turns at the fsync instead of sharing it.
   */
  pipelined?: boolean
}

export class GroupCommitAuditLog implements AuditLog {
  private queue: Pending[] = []
  private flushing: Promise<void> | undefined
  private scheduled = false
  /** Pipelined batches handed to `append` and not yet settled (flush no longer waits for them). */
  private readonly inFlight = new Set<Promise<void>>()
  private readonly store: Store
  private readonly options: GroupCommitOptions

  constructor(store: Store, options: GroupCommitOptions = {}) {
    this.store = store
    this.options = options
  }

  write(record: AuditRecord): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      this.queue.push({ record, enqueuedAt: performance.now(), resolve, reject })
      // Deferring the flush to the next turn collects every record produced in this one into the batch;
      // while a batch is being written, new records queue up and form the next batch.
      this.schedule()
    })
  }

  private schedule(): void {
    if (this.flushing || this.scheduled) return
    this.scheduled = true
    setImmediate(() => {
      this.scheduled = false
      this.flushing = this.flush().finally(() => {
        this.flushing = undefined
        // A record queued after the loop's last look but before this line would otherwise wait for the next write.
        if (this.queue.length > 0) this.schedule()
      })
    })
  }

  /** Resolves when every record written so far has been settled (for a clean shutdown). */
  async drain(): Promise<void> {
    while (this.flushing || this.scheduled || this.queue.length > 0 || this.inFlight.size > 0) {
      await (this.flushing ?? (this.inFlight.size > 0 ? Promise.all(this.inFlight) : new Promise((r) => setImmediate(r))))
    }
  }

  private async flush(): Promise<void> {
    while (this.queue.length > 0) {
      const batch = this.queue.splice(0, this.options.maxBatch ?? 512)
      const committed = this.commit(batch)
      if (!this.options.pipelined) {
        await committed
        continue
      }
      this.inFlight.add(committed)
      void committed.finally(() => this.inFlight.delete(committed))
    }
  }

  /** Appends one batch and settles its writers; never rejects. */
  private async commit(batch: Pending[]): Promise<void> {
    try {
      const records = batch.map((p) => p.record)
      const stored = await (this.options.append ? this.options.append(records) : this.store.appendAudit(records))
      if (this.options.sink) await this.options.sink.write(stored)
      this.options.onBatch?.(batch.length, (performance.now() - batch[0]!.enqueuedAt) / 1000)
      for (const p of batch) p.resolve()
    } catch (error) {
      for (const p of batch) p.reject(error)
    }
  }
}

/**
 * Writes nothing. Only for measuring what auditing costs (TRENT_BENCH_AUDIT=off); main.ts warns loudly when
 * it is used, because a server running with it answers requests that leave no trace.
 */
export const unauditedLog: AuditLog = {
  write: async () => undefined,
}
