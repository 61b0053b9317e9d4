// Opens the store the configuration names: `<dataDir>/trent.db` by default, or PostgreSQL when
// TRENT_DATABASE_URL is set. The one place that chooses the driver, shared by the server, the `trent` CLI
// and the custody verbs (backup, restore, rootkey migrate), so all open a deployment alike. The data folder
// is prepared either way: the root key file lives there.
import type { Config } from '../config/config.js'
import { loadRootKey } from '../rootkey/load-root-key.js'
import { CHECK_SETTING } from '../rootkey/root-key-check.js'
import type { RootKey } from '../rootkey/root-key.js'
import type { RootKeyConfig } from '../rootkey/root-key-spec.js'
import { openPool, sqlState } from './postgres/pool.js'
import { openPostgresStore } from './postgres/postgres-store.js'
import { hasDatabase, preparePrivateDataDir, securePrivateDatabase } from './private-data-dir.js'
import { openSqliteStore } from './sqlite/sqlite-store.js'
import type { Store } from './store.js'

/** An existing store was required (backup, rootkey migrate) but the configuration names none yet. */
export class NoDatabaseError extends Error {
  override readonly name = 'NoDatabaseError'
}

export interface OpenedStore {
  store: Store
  /** The SQLite file, when the store is one (the audit writer thread and cluster workers open it too). */
  sqlitePath?: string
}

export type StoreConfig = Pick<Config, 'dataDir' | 'database'> & Partial<Pick<Config, 'allowOpenPermissions'>>

/** How the configured store is named in messages: the SQLite file or the PostgreSQL database. */
export function describeStore(config: StoreConfig): string {
  if (config.database === undefined) return `${config.dataDir}/trent.db`
  return `the PostgreSQL database of TRENT_DATABASE_URL${config.database.schema ? ` (schema ${config.database.schema})` : ''}`
}

/** Whether a PostgreSQL store already holds data wrapped under some root key (its root-key check is set). */
async function isInitialised(store: Store): Promise<boolean> {
  return (await store.getSetting(CHECK_SETTING)) !== undefined
}

/**
 * Prepares the data folder and opens (and migrates) the store, without a root key. With `mustExist`, a store
 * that was never initialised is refused with NoDatabaseError (and no SQLite file is created).
 */
export async function openStore(config: StoreConfig, options: { mustExist: boolean }): Promise<OpenedStore> {
  if (config.database === undefined) {
    if (options.mustExist && !hasDatabase(config.dataDir)) throw new NoDatabaseError(`no Trent database at ${describeStore(config)}`)
    preparePrivateDataDir(config.dataDir, config)
    const sqlitePath = securePrivateDatabase(config.dataDir)
    return { store: await openSqliteStore(sqlitePath), sqlitePath }
  }
  // Looked at before opening: opening migrates, which would create the schema and its tables.
  if (options.mustExist && !(await postgresInitialised(config.database))) throw new NoDatabaseError(`no Trent database at ${describeStore(config)}`)
  preparePrivateDataDir(config.dataDir, config)
  return { store: await openPostgresStore(config.database) }
}

/** Whether the schema holds an initialised Trent store, read without migrating (a missing table is a no). */
async function postgresInitialised(database: NonNullable<StoreConfig['database']>): Promise<boolean> {
  const pool = openPool({ ...database, maxConnections: 1 })
  try {
    return (await pool.query('SELECT 1 FROM settings WHERE name = $1', [CHECK_SETTING])).rows.length > 0
  } catch (e) {
    if (sqlState(e) === '42P01') return false // undefined_table: no Trent schema there
    throw e
  } finally {
    await pool.end()
  }
}

/**
 * Opens the store and loads the configured root key, as the server does. A store that was initialised already
 * never gets a new root key file. Throws what preparePrivateDataDir, loadRootKey and the drivers throw; the
 * store is closed then.
 */
export async function openConfiguredStore(config: StoreConfig & RootKeyConfig): Promise<OpenedStore & { rootKey: RootKey }> {
  if (config.database === undefined) {
    // The root key first: a data folder whose key file is missing is refused before its database is touched.
    preparePrivateDataDir(config.dataDir, config)
    const rootKey = await loadRootKey(config, { databaseExists: hasDatabase(config.dataDir) })
    try {
      return { ...(await openStore(config, { mustExist: false })), rootKey }
    } catch (e) {
      await rootKey.close()
      throw e
    }
  }
  const opened = await openStore(config, { mustExist: false })
  try {
    const databaseExists = await isInitialised(opened.store)
    const rootKey = await loadRootKey(config, { databaseExists, databaseName: `${describeStore(config)} is already in use` })
    return { ...opened, rootKey }
  } catch (e) {
    await opened.store.close()
    throw e
  }
}
