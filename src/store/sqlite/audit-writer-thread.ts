// Appends audit batches through a worker thread with its own SQLite connection (audit-writer-worker.ts).
// The chain stays correct because the worker uses the same IMMEDIATE-transaction append as every writer.
import { Worker } from 'node:worker_threads'
import type { AuditRecord, ChainedAuditRecord } from '../../audit/record.js'
import { rememberStoredForm } from '../../audit/stored-form.js'
import type { AppendReply, WriterOptions } from './audit-writer-worker.js'

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

/**
 * Starts the worker on the database file at `path`; resolves once its connection is open. With
 * `storedForms`, appended records come back with the text they were stored as (storedFormOf), so a file
 * sink writes it without serialising each record a second time.
 */
export async function startAuditWriterThread(path: string, options: { storedForms?: boolean } = {}): Promise<AuditWriterThread> {
  const workerData: WriterOptions = { path, returnStoredForms: options.storedForms ?? false }
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
  worker.on('error', (e) => failAll(e))
  worker.on('exit', () => failAll(new Error('audit writer thread exited')))
  worker.on('message', (reply: AppendReply) => {
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
        worker.postMessage({ id, records })
      })
    },
    async probe() {
      if (failure) throw failure
    },
    async close() {
      if (failure) return
      const exited = new Promise((r) => worker.once('exit', r))
      worker.postMessage('close')
      await exited
    },
  }
}

/** The records as the worker stored them, from its reply. */
function placedRecords(records: AuditRecord[], reply: Extract<AppendReply, { firstSequence: number }>): ChainedAuditRecord[] {
  return records.map((r, i) => {
    const placed: ChainedAuditRecord = { ...r, trentSequence: reply.firstSequence + i, trentPreviousHash: reply.previousHashes[i]! }
    const text = reply.storedForms?.[i]
    if (text !== undefined) rememberStoredForm(placed, text)
    return placed
  })
}
