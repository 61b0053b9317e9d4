// Opens the store the configuration names, with the root key that belongs to it: `<dataDir>/trent.db` by
// default, or PostgreSQL when TRENT_DATABASE_URL is set. Shared by the server and the `trent` CLI, so both
// open a deployment alike. The data folder is prepared either way: the root key file lives there.
import type { Config } from '../config/config.js'
import { loadRootKey } from '../rootkey/load-root-key.js'
import { CHECK_SETTING } from '../rootkey/root-key-check.js'
import type { RootKey } from '../rootkey/root-key.js'
import { openPostgresStore } from './postgres/postgres-store.js'
import { hasDatabase, preparePrivateDataDir, securePrivateDatabase } from './private-data-dir.js'
import { openSqliteStore } from './sqlite/sqlite-store.js'
import type { Store } from './store.js'

export interface OpenedStore {
  store: Store
  rootKey: RootKey
  /** The SQLite file, when the store is one (the audit writer thread and cluster workers open it too). */
  sqlitePath?: string
}

type StoreConfig = Pick<Config, 'dataDir' | 'rootKeyBase64' | 'rootKeyFile' | 'database'>

/**
 * Prepares the data folder, opens (and migrates) the store and loads the root key. A database that was
 * initialised already (SQLite: the file exists; PostgreSQL: it holds the root-key check) never gets a new
 * root key file. Throws what preparePrivateDataDir, loadRootKey and the drivers throw; the store is closed then.
 */
export async function openConfiguredStore(config: StoreConfig): Promise<OpenedStore> {
  preparePrivateDataDir(config.dataDir)
  if (config.database === undefined) {
    const rootKey = await loadRootKey(config, { databaseExists: hasDatabase(config.dataDir) })
    const sqlitePath = securePrivateDatabase(config.dataDir)
    return { store: await openSqliteStore(sqlitePath), rootKey, sqlitePath }
  }
  const store = await openPostgresStore(config.database)
  try {
    const databaseExists = (await store.getSetting(CHECK_SETTING)) !== undefined
    const rootKey = await loadRootKey(config, { databaseExists, databaseName: 'the PostgreSQL database (TRENT_DATABASE_URL) is already in use' })
    return { store, rootKey }
  } catch (e) {
    await store.close()
    throw e
  }
}
