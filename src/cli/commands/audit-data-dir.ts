// Opening a server's data directory for the audit commands. They need only the database: the signing
// key's public half is stored in the clear, so no root key is loaded.
import { existsSync } from 'node:fs'
import { join, resolve } from 'node:path'
import { openSqliteStore } from '../../store/sqlite/sqlite-store.js'
import type { Store } from '../../store/store.js'

export class CliUsageError extends Error {
  override readonly name = 'CliUsageError'
}

/** Opens `<dataDir>/trent.db`. Throws CliUsageError when there is no database there. */
export async function openDataDirStore(dataDir: string): Promise<Store> {
  const path = join(resolve(dataDir), 'trent.db')
  if (!existsSync(path)) throw new CliUsageError(`no Trent database at ${path}`)
  return openSqliteStore(path)
}

/** Reads `--data-dir` (or TRENT_DATA_DIR). */
export function dataDirOption(value: string | undefined, env: NodeJS.ProcessEnv): string {
  const dir = value ?? env.TRENT_DATA_DIR
  if (dir === undefined) throw new CliUsageError('--data-dir is required (or set TRENT_DATA_DIR)')
  return dir
}

/** Parses an ISO 8601 time option. Throws CliUsageError. */
export function timeOption(name: string, value: string | undefined): Date | undefined {
  if (value === undefined) return undefined
  const date = new Date(value)
  if (Number.isNaN(date.getTime())) throw new CliUsageError(`--${name} must be an ISO 8601 time, e.g. 2026-01-31T00:00:00Z`)
  return date
}
