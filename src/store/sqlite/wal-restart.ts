// Keeping the audit writer's WAL short without stalling it (docs/architecture-notes.md, "WAL checkpoints").
//
// Left to SQLite, the connection whose commit pushes the WAL past wal_autocheckpoint copies the whole log
// into the database file and fsyncs it inside that commit: at 10,000 pages that stalled the audit writer,
// and every request waiting on it, for 21-27 ms every ~2,250 records. Instead a background thread with its
// own connection copies frames into the database file as they arrive (PASSIVE: it never blocks a writer),
// and the writer, every `everyRecords` records, runs a PASSIVE checkpoint of its own. That one copies only
// what the background pass has not yet copied, so it is short, and it leaves the log fully copied while no
// other commit can slip in (the writer is the only busy committer), so SQLite starts the log over at the
// next commit. The log then stays a few MB that are overwritten in place, rather than growing to 40 MB.
import Database from 'better-sqlite3'
import { setTimeout as sleep } from 'node:timers/promises'

/** What `PRAGMA wal_checkpoint` reports: whether it was blocked, frames in the log, frames copied to the database. */
export interface CheckpointResult {
  busy: number
  log: number
  checkpointed: number
}

const BLOCKED: CheckpointResult = { busy: 1, log: -1, checkpointed: -1 }

/** One checkpoint in `mode`; a lock held elsewhere reports busy rather than throwing, any other failure throws. */
function checkpoint(db: Database.Database, mode: 'PASSIVE' | 'TRUNCATE'): CheckpointResult {
  try {
    const [row] = db.pragma(`wal_checkpoint(${mode})`) as CheckpointResult[]
    return row ?? BLOCKED
  } catch (e) {
    if (e instanceof Database.SqliteError && e.code.startsWith('SQLITE_BUSY')) return BLOCKED
    throw e
  }
}

/**
 * One PASSIVE checkpoint on `db`: copies what it can without waiting for any lock. A lock held elsewhere
 * (another checkpoint, recovery) reports busy rather than throwing; any other failure throws.
 */
export function passiveCheckpoint(db: Database.Database): CheckpointResult {
  return checkpoint(db, 'PASSIVE')
}

export interface TruncateOptions {
  /** Stop waiting after this long (default 5 s); the truncation then goes on in the background (see truncateWal). */
  timeoutMs?: number
  /** Pause between tries (default 2 ms). */
  retryMs?: number
  /** Pause between the background tries once the caller has stopped waiting (default 1 s). */
  backgroundRetryMs?: number
  /** The checkpoint to run (tests replace it). */
  run?: (db: Database.Database) => CheckpointResult
}

/** Connections with a truncation still owed, each retried by one background loop. */
const owed = new WeakSet<Database.Database>()

/**
 * Copies the whole WAL into the database file and truncates it to zero bytes, so that no old page image (of
 * destroyed key material) stays in the log. SQLite does not wait for the checkpoint lock, even with a busy
 * timeout: while the background checkpointer or the audit writer holds it, TRUNCATE just reports busy. So this
 * tries again, asynchronously, until it succeeds or `timeoutMs` passes; it resolves whether it succeeded.
 * After a timeout the caller goes on (its deletion is committed) but the truncation is still owed: one
 * background loop per connection keeps trying every `backgroundRetryMs` until a TRUNCATE succeeds or the
 * connection closes, rather than leaving the old frames until the log happens to be reused.
 */
export async function truncateWal(db: Database.Database, options: TruncateOptions = {}): Promise<boolean> {
  const run = options.run ?? ((d: Database.Database) => checkpoint(d, 'TRUNCATE'))
  const deadline = Date.now() + (options.timeoutMs ?? 5_000)
  for (;;) {
    if (run(db).busy === 0) return true
    if (Date.now() >= deadline) {
      truncateInBackground(db, run, options.backgroundRetryMs ?? 1_000)
      return false
    }
    await sleep(options.retryMs ?? 2)
  }
}

function truncateInBackground(db: Database.Database, run: (db: Database.Database) => CheckpointResult, everyMs: number): void {
  if (owed.has(db)) return
  owed.add(db)
  const attempt = () => {
    let done = !db.open
    try {
      done ||= run(db).busy === 0
    } catch {
      // An I/O error now may clear later (a full disk freed); a closed connection has nothing left to truncate.
      done = !db.open
    }
    if (done) owed.delete(db)
    else setTimeout(attempt, everyMs).unref()
  }
  setTimeout(attempt, everyMs).unref()
}

export interface WalRestarter {
  /** Called after each committed batch of `records` records; checkpoints when enough have been written since the last full one. */
  afterCommit(records: number): void
}

/**
 * The writer's side: after `everyRecords` records it checkpoints, and keeps trying after each later commit
 * until a checkpoint copies the whole log (another checkpoint running, or a reader still on old frames,
 * makes one fall short; the next commit tries again). A checkpoint that fails (an I/O error, a full disk) goes
 * to `onError` and is tried again after the next commit: the batch it follows is committed, and the writer
 * must go on writing, as it did when SQLite's own automatic checkpoint failed.
 */
export function walRestarter(db: Database.Database, everyRecords: number, onError: (error: unknown) => void = () => undefined): WalRestarter {
  let since = 0
  return {
    afterCommit(records) {
      since += records
      if (since < everyRecords) return
      try {
        const result = passiveCheckpoint(db)
        if (result.busy === 0 && result.checkpointed === result.log) since = 0
      } catch (e) {
        onError(e)
      }
    },
  }
}
