// Runs inside a worker thread: its own connection to the database file, appending audit batches. SQLite's
// fsync blocks the thread that commits; doing it here keeps the request thread serving while a batch syncs.
// The records' canonical form and chain hashes are computed here too, off the request thread.
import { parentPort, workerData } from 'node:worker_threads'
import type { AuditRecord } from '../../audit/record.js'
import { storedFormOf } from '../../audit/stored-form.js'
import { openSqliteDatabase } from './database.js'
import { readVariableLimit } from './multi-row-insert.js'
import { auditAppender } from './sqlite-audit-append.js'
import { walRestarter } from './wal-restart.js'

export interface AppendRequest {
  id: number
  /** The batch's records as JSON text (audit-writer-thread.ts says why). */
  records: string
}

export interface WriterOptions {
  path: string
  /** Send back each record's stored text, for a consumer (the file sink) that would otherwise serialise it again. */
  returnStoredForms: boolean
  /** Checkpoint after this many records (wal-restart.ts). */
  checkpointEveryRecords: number
}

/**
 * Where the batch landed: one transaction places it contiguously, so the first sequence number and each
 * record's previous hash describe every record; or why the append failed.
 */
export type AppendReply =
  | { id: number; firstSequence: number; previousHashes: string[]; storedForms?: string[] }
  | { id: number; error: string }

/** The writer's own checkpoint failed (wal-restart.ts); the writer goes on. */
export interface CheckpointFailure {
  checkpointError: string
}

const port = parentPort
if (!port) throw new Error('audit-writer-worker must run as a worker thread')
const options = workerData as WriterOptions
const db = openSqliteDatabase(options.path)
const append = auditAppender(db, readVariableLimit(db))
const restarter = walRestarter(db, options.checkpointEveryRecords, (e) => {
  port.postMessage({ checkpointError: e instanceof Error ? e.message : String(e) } satisfies CheckpointFailure)
})
port.on('message', (message: AppendRequest | 'close') => {
  if (message === 'close') {
    db.close()
    port.close()
    return
  }
  let reply: AppendReply
  let records: AuditRecord[] = []
  try {
    records = JSON.parse(message.records) as AuditRecord[]
    const stored = append(records)
    reply = {
      id: message.id,
      firstSequence: stored[0]?.trentSequence ?? 0,
      previousHashes: stored.map((r) => r.trentPreviousHash),
      ...(options.returnStoredForms ? { storedForms: stored.map(storedFormOf) } : {}),
    }
  } catch (e) {
    port.postMessage({ id: message.id, error: e instanceof Error ? e.message : String(e) } satisfies AppendReply)
    return
  }
  port.postMessage(reply)
  // After the reply, so the requests of this batch are answered while the checkpoint runs.
  restarter.afterCommit(records.length)
})
port.postMessage('ready')
