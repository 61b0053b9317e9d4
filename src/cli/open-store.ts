// Opens the store of an existing data directory for the custody verbs (rootkey migrate, backup), without
// loading the configured root key: they name the root keys they use themselves.
import { existsSync } from 'node:fs'
import { join } from 'node:path'
import { SECRET_ENV_NAMES, loadConfig, type Config } from '../config/config.js'
import { hasDatabase, preparePrivateDataDir, securePrivateDatabase } from '../store/private-data-dir.js'
import { openSqliteStore } from '../store/sqlite/sqlite-store.js'
import type { Store } from '../store/store.js'
import { UsageError } from './admin-args.js'

/** The configuration the server would have for `dataDir` (root key settings included) and its open store. Throws UsageError when there is no database. */
export async function openExistingStore(dataDir: string, env: NodeJS.ProcessEnv): Promise<{ config: Config; store: Store }> {
  const config = loadConfig(['--data-dir', dataDir], env)
  // As the server does: secrets read from the environment leave it, so no child process inherits them.
  for (const name of SECRET_ENV_NAMES) delete env[name]
  if (!existsSync(config.dataDir) || !hasDatabase(config.dataDir)) throw new UsageError(`no Trent database at ${join(config.dataDir, 'trent.db')}`)
  preparePrivateDataDir(config.dataDir)
  return { config, store: await openSqliteStore(securePrivateDatabase(config.dataDir)) }
}
