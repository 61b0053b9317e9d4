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

/** What `PRAGMA wal_checkpoint` reports: whether it was blocked, frames in the log, frames copied to the database. */
export interface CheckpointResult {
  busy: number
  log: number
  checkpointed: number
}

const BLOCKED: CheckpointResult = { busy: 1, log: -1, checkpointed: -1 }

/**
 * One PASSIVE checkpoint on `db`: copies what it can without waiting for any lock. A lock held elsewhere
 * (another checkpoint, recovery) reports busy rather than throwing; any other failure throws.
 */
export function passiveCheckpoint(db: Database.Database): CheckpointResult {
  try {
    const [row] = db.pragma('wal_checkpoint(PASSIVE)') as CheckpointResult[]
    return row ?? BLOCKED
  } catch (e) {
    if (e instanceof Database.SqliteError && e.code.startsWith('SQLITE_BUSY')) return BLOCKED
    throw e
  }
}

export interface WalRestarter {
  /** Called after each committed batch of `records` records; checkpoints when enough have been written since the last full one. */
  afterCommit(records: number): void
}

/**
 * The writer's side: after `everyRecords` records it checkpoints, and keeps trying after each later commit
 * until a checkpoint copies the whole log (another checkpoint running, or a reader still on old frames,
 * makes one fall short; the next commit tries again).
 */
export function walRestarter(db: Database.Database, everyRecords: number): WalRestarter {
  let since = 0
  return {
    afterCommit(records) {
      since += records
      if (since < everyRecords) return
      const result = passiveCheckpoint(db)
      if (result.busy === 0 && result.checkpointed === result.log) since = 0
    },
  }
}
