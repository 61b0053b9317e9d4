// Runs inside a worker thread: its own connection to the database file, appending audit batches. SQLite's
// fsync blocks the thread that commits; doing it here keeps the request thread serving while a batch syncs.
import { parentPort, workerData } from 'node:worker_threads'
import type { AuditRecord } from '../../audit/record.js'
import { openSqliteStore } from './sqlite-store.js'

export interface AppendRequest {
  id: number
  records: AuditRecord[]
}

/** The chain fields the store assigned, per record, in order; or why the append failed. */
export type AppendReply = { id: number; links: [number, string][] } | { id: number; error: string }

const port = parentPort
if (!port) throw new Error('audit-writer-worker must run as a worker thread')
const store = await openSqliteStore((workerData as { path: string }).path)
port.on('message', (message: AppendRequest | 'close') => {
  if (message === 'close') {
    void store.close().then(() => port.close())
    return
  }
  store.appendAudit(message.records).then(
    (stored) => port.postMessage({ id: message.id, links: stored.map((r) => [r.trentSequence, r.trentPreviousHash]) } satisfies AppendReply),
    (e: unknown) => port.postMessage({ id: message.id, error: e instanceof Error ? e.message : String(e) } satisfies AppendReply),
  )
})
port.postMessage('ready')
