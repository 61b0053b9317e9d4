// The data folder holds wrapped keys, hashed credentials and the audit log, so only its owner may enter it:
// a new folder is made 0700, an existing one that group or others can reach is refused (never silently
// tightened, so the operator learns who else could already read it), and trent.db and its -wal/-shm are 0600.
import { chmodSync, closeSync, mkdirSync, openSync, statSync, type Stats } from 'node:fs'
import { join } from 'node:path'
import { jsonLogger } from '../logging/logger.js'

export const DATABASE_FILE = 'trent.db'
/** SQLite's companions in WAL mode; it creates them with the database file's permission bits. */
const DATABASE_COMPANIONS = ['-wal', '-shm'] as const

export class DataDirError extends Error {
  override readonly name = 'DataDirError'
}

/**
 * Creates `dir` (and missing parents) with mode 0700, or checks an existing one. Returns whether it existed.
 * Throws DataDirError when the path is not a directory or is accessible to group or others (unless
 * `allowOpenPermissions`, TRENT_ALLOW_OPEN_PERMISSIONS=true, which logs a warning instead); other I/O errors as is.
 */
export function preparePrivateDataDir(dir: string, options: { allowOpenPermissions?: boolean } = {}): { existed: boolean } {
  const info = statIfPresent(dir)
  if (info === undefined) {
    mkdirSync(dir, { recursive: true, mode: 0o700 })
    return { existed: false }
  }
  if (!info.isDirectory()) throw new DataDirError(`data folder ${dir} is not a directory`)
  if ((info.mode & 0o077) !== 0) {
    if (options.allowOpenPermissions) {
      jsonLogger.warn({ dataDir: dir, mode: (info.mode & 0o777).toString(8) }, 'data folder is accessible to group or others; allowed by TRENT_ALLOW_OPEN_PERMISSIONS')
      return { existed: true }
    }
    throw new DataDirError(`data folder ${dir} is accessible to group or others; run: chmod 700 ${dir}`)
  }
  return { existed: true }
}

/** Whether `<dir>/trent.db` exists: if so, keys wrapped under some root key may exist. */
export function hasDatabase(dir: string): boolean {
  return statIfPresent(join(dir, DATABASE_FILE)) !== undefined
}

/**
 * Makes `<dir>/trent.db` owner-only before SQLite opens it: an absent file is created empty with mode 0600
 * (SQLite treats an empty file as a new database and gives -wal/-shm the same bits), and an existing
 * trent.db, -wal or -shm with any group/other bit is chmod'ed to 0600. Returns the database path.
 */
export function securePrivateDatabase(dir: string): string {
  const path = join(dir, DATABASE_FILE)
  // 'a' creates without truncating, so a database that appeared meanwhile is left intact.
  closeSync(openSync(path, 'a', 0o600))
  for (const file of [path, ...DATABASE_COMPANIONS.map((suffix) => path + suffix)]) {
    const info = statIfPresent(file)
    if (info !== undefined && (info.mode & 0o077) !== 0) chmodSync(file, 0o600)
  }
  return path
}

function statIfPresent(path: string): Stats | undefined {
  return statSync(path, { throwIfNoEntry: false })
}
