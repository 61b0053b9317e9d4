// Runs inside a worker thread beside the audit writer: its own connection to the database file, copying WAL
// frames into the database file every few milliseconds with PASSIVE checkpoints, which never wait for or
// block a writer. The bulk of each checkpoint's work (and its database fsync) happens here, so the writer's
// own checkpoints (wal-restart.ts) are short.
import Database from 'better-sqlite3'
import { parentPort, workerData } from 'node:worker_threads'
import { passiveCheckpoint } from './wal-restart.js'

export interface CheckpointerOptions {
  path: string
  intervalMs: number
}

const port = parentPort
if (!port) throw new Error('wal-checkpointer-worker must run as a worker thread')
const options = workerData as CheckpointerOptions
const db = new Database(options.path, { fileMustExist: true })
// The copy must reach the disk before SQLite may start the log over and overwrite the frames it came from.
db.pragma('synchronous = FULL')
// A checkpoint that would wait is skipped, never queued: the next tick tries again.
db.pragma('busy_timeout = 0')
// A tick that finds the log locked (the writer's own checkpoint, recovery) does nothing; the next tries again.
const timer = setInterval(() => passiveCheckpoint(db), options.intervalMs)
port.on('message', (message: 'close') => {
  if (message !== 'close') return
  clearInterval(timer)
  db.close()
  port.close()
})
port.postMessage('ready')
