// Appends audit batches through a worker thread with its own SQLite connection (audit-writer-worker.ts).
// The chain stays correct because the worker uses the same IMMEDIATE-transaction append as every writer.
import { Worker } from 'node:worker_threads'
import type { AuditRecord, ChainedAuditRecord } from '../../audit/record.js'
import { rememberStoredForm } from '../../audit/stored-form.js'
import type { AppendReply, AppendRequest, CheckpointFailure, WriterOptions } from './audit-writer-worker.js'
import type { CheckpointerOptions } from './wal-checkpointer-worker.js'

export interface AuditWriterThread {
  /** Same promise as Store.appendAudit; rejects when the worker's write fails or the worker has died. */
  append(records: AuditRecord[]): Promise<ChainedAuditRecord[]>
  /** Rejects once the worker has failed or exited (every later append would fail too). */
  probe(): Promise<void>
  close(): Promise<void>
}

interface Waiting {
  records: AuditRecord[]
  resolve: (stored: ChainedAuditRecord[]) => void
  reject: (error: Error) => void
}

export interface AuditWriterOptions {
  /** Hand back the text each record was stored as (storedFormOf), so a file sink need not serialise it again. */
  storedForms?: boolean
  /** The writer checkpoints after this many records (wal-restart.ts). */
  checkpointEveryRecords?: number
  /** How often the background thread copies WAL frames into the database file. */
  checkpointIntervalMs?: number
  /**
   * Told when the background checkpointer fails (the writer goes on, its own checkpoints just grow longer), and
   * each time the writer's own checkpoint fails (it is tried again after the next commit).
   */
  onCheckpointerError?: (error: Error) => void
}

// ~250 records are ~1,100 WAL pages (4.4 per record, measured): a log of ~4.5 MB, overwritten in place.
const CHECKPOINT_EVERY_RECORDS = 256
const CHECKPOINT_INTERVAL_MS = 10

/**
 * Starts the writer on the database file at `path`, and beside it the background checkpointer
 * (wal-checkpointer-worker.ts); resolves once both connections are open.
 */
export async function startAuditWriterThread(path: string, options: AuditWriterOptions = {}): Promise<AuditWriterThread> {
  const workerData: WriterOptions = { path, returnStoredForms: options.storedForms ?? false, checkpointEveryRecords: options.checkpointEveryRecords ?? CHECKPOINT_EVERY_RECORDS }
  const worker = new Worker(new URL('./audit-writer-worker.js', import.meta.url), { workerData })
  const waiting = new Map<number, Waiting>()
  let nextId = 0
  let failure: Error | undefined
  const failAll = (error: Error) => {
    failure = error
    for (const w of waiting.values()) w.reject(error)
    waiting.clear()
  }
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
  })
  // Before the checkpointer is awaited: a writer that dies meanwhile must fail every later append, not leave it waiting.
  worker.on('error', (e) => failAll(e))
  worker.on('exit', () => failAll(new Error('audit writer thread exited')))
  const checkpointer = await startCheckpointer({ path, intervalMs: options.checkpointIntervalMs ?? CHECKPOINT_INTERVAL_MS }, options.onCheckpointerError)
    .catch(async (e: unknown) => {
      await worker.terminate()
      throw e
    })
  worker.on('message', (reply: AppendReply | CheckpointFailure) => {
    if ('checkpointError' in reply) return void options.onCheckpointerError?.(new Error(`the audit writer's checkpoint failed: ${reply.checkpointError}`))
    const w = waiting.get(reply.id)
    if (!w) return
    waiting.delete(reply.id)
    if ('error' in reply) w.reject(new Error(`audit append failed: ${reply.error}`))
    else w.resolve(placedRecords(w.records, reply))
  })
  return {
    append(records) {
      if (failure) return Promise.reject(failure)
      return new Promise((resolve, reject) => {
        const id = ++nextId
        waiting.set(id, { records, resolve, reject })
        // As one JSON string: a structured clone of the record objects cost this thread ~2.5 µs more per
        // record than JSON.stringify, and a record is JSON by definition (its canonical form is hashed).
        worker.postMessage({ id, records: JSON.stringify(records) } satisfies AppendRequest)
      })
    },
    async probe() {
      if (failure) throw failure
    },
    async close() {
      await checkpointer.close()
      if (failure) return
      const exited = new Promise((r) => worker.once('exit', r))
      worker.postMessage('close')
      await exited
    },
  }
}

/** Starts the background checkpointer; `close` stops it (and is a no-op once it has failed). */
async function startCheckpointer(workerData: CheckpointerOptions, onError: ((error: Error) => void) | undefined): Promise<{ close(): Promise<void> }> {
  const worker = new Worker(new URL('./wal-checkpointer-worker.js', import.meta.url), { workerData })
  await new Promise<void>((resolve, reject) => {
    worker.once('message', () => resolve())
    worker.once('error', reject)
  })
  let running = true
  worker.on('error', (e) => onError?.(e))
  worker.on('exit', () => (running = false))
  return {
    async close() {
      if (!running) return
      const exited = new Promise((r) => worker.once('exit', r))
      worker.postMessage('close')
      await exited
    },
  }
}

/**
 * The records as the worker stored them, from its reply: each record object becomes its chained form in place
 * (the audit log owns a record once it is written), which costs two property writes instead of a copy.
 */
function placedRecords(records: AuditRecord[], reply: Extract<AppendReply, { firstSequence: number }>): ChainedAuditRecord[] {
  return records.map((r, i) => {
    const placed = Object.assign(r, { trentSequence: reply.firstSequence + i, trentPreviousHash: reply.previousHashes[i]! })
    const text = reply.storedForms?.[i]
    if (text !== undefined) rememberStoredForm(placed, text)
    return placed
  })
}
