// Opens a SQLite connection with the durability and safety settings Trent relies on, at the latest schema.
import Database from 'better-sqlite3'
import { applyMigrations, requireLatestSchema } from './migrations.js'
import { StoreConflictError } from '../store.js'

export interface OpenOptions {
  /**
   * false in cluster workers: the primary migrated the file before forking them, so a worker only checks that
   * the schema is the one this build expects (and throws otherwise) instead of racing to change it.
   */
  migrate?: boolean
}

/**
 * Opens (creating if needed) the database at `path` (':memory:' for tests) and migrates it.
 * Throws when the file cannot be opened or its schema is newer than this build.
 */
export function openSqliteDatabase(path: string, options: OpenOptions = {}): Database.Database {
  const db = new Database(path)
  try {
    // WAL lets readers run beside the writer. Its default sync level (NORMAL in this build) can lose the
    // last commits on power loss, so FULL is set after it: every acknowledged write is fsynced.
    db.pragma('journal_mode = WAL')
    db.pragma('synchronous = FULL')
    db.pragma('foreign_keys = ON')
    db.pragma('busy_timeout = 5000')
    // The server keeps the log short with its own checkpoints off the audit writer's path (wal-restart.ts);
    // SQLite's automatic one, which runs inside a commit and stalls it, is the fallback at ~40 MB of WAL.
    // Durability is unchanged: every commit still fsyncs the WAL.
    db.pragma('wal_autocheckpoint = 10000')
    // Freed pages are zeroed, so destroyed key material does not linger in free space.
    db.pragma('secure_delete = ON')
    if (options.migrate === false) requireLatestSchema(db)
    else applyMigrations(db)
    return db
  } catch (err) {
    db.close()
    throw err
  }
}

/** True for a primary-key or unique-constraint violation; foreign-key violations are bugs, not conflicts. */
export function isUniqueViolation(err: unknown): boolean {
  return err instanceof Database.SqliteError
    && (err.code === 'SQLITE_CONSTRAINT_PRIMARYKEY' || err.code === 'SQLITE_CONSTRAINT_UNIQUE')
}

/** Runs `write`, turning a uniqueness violation into StoreConflictError; other errors pass through. */
export function conflictAware<T>(what: string, write: () => T): T {
  try {
    return write()
  } catch (err) {
    if (isUniqueViolation(err)) throw new StoreConflictError(`${what} already exists`)
    throw err
  }
}
