// Appends audit batches through a worker thread with its own SQLite connection (audit-writer-worker.ts).
// The chain stays correct because the worker uses the same IMMEDIATE-transaction append as every writer.
import { Worker } from 'node:worker_threads'
import type { AuditRecord, ChainedAuditRecord } from '../../audit/record.js'
import type { AppendReply } from './audit-writer-worker.js'

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

/** Starts the worker on the database file at `path`; resolves once its connection is open. */
export async function startAuditWriterThread(path: string): Promise<AuditWriterThread> {
  const worker = new Worker(new URL('./audit-writer-worker.js', import.meta.url), { workerData: { path } })
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
    else w.resolve(w.records.map((r, i) => ({ ...r, trentSequence: reply.links[i]![0], trentPreviousHash: reply.links[i]![1] })))
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
