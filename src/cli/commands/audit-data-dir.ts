// Opening a server's store for the audit commands: `<dataDir>/trent.db`, or the PostgreSQL database when
// TRENT_DATABASE_URL is set. They need only the database: the signing key's public half is stored in the
// clear, so no root key is loaded.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { parseDatabase } from '../../config/config.js'
import { openPostgresStore } from '../../store/postgres/postgres-store.js'
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js'
import type { Store } from '../../store/store.js'

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError'
}

/**
 * Opens the PostgreSQL store when `env` names one, else `<dataDir>/trent.db` (`--data-dir` or TRENT_DATA_DIR).
 * Throws CliUsageError when neither is given or there is no database in the folder.
 */
export async function openAuditStore(dataDir: string | undefined, env: NodeJS.ProcessEnv): Promise<Store> {
  const database = parseDatabase(env)
  if (database) return openPostgresStore({ ...database, maxConnections: 2 })
  const dir = dataDir ?? env.TRENT_DATA_DIR
  if (dir === undefined) throw new CliUsageError('--data-dir is required (or set TRENT_DATA_DIR, or TRENT_DATABASE_URL)')
  const path = join(resolve(dir), 'trent.db')
  if (!existsSync(path)) throw new CliUsageError(`no Trent database at ${path}`)
  return openSqliteStore(path)
}

/** Parses an ISO 8601 time option. Throws CliUsageError. */
export function timeOption(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) throw new CliUsageError(`--${name} must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z`)
  return date
}
