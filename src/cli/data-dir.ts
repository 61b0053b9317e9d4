// Opens a Trent data directory the way the server does (same config, root key and database), for the
// CLI verbs that manage principals, policies and grants against the store.
import { loadConfig, parseCachePollMs } from '../config/config.js'
import { verifyRootKey } from '../rootkey/root-key-check.js'
import type { RootKey } from '../rootkey/root-key.js'
import { openConfiguredStore } from '../store/open-store.js'
import type { Store } from '../store/store.js'

export interface OpenDataDir {
  dataDir: string
  region: string
  store: Store
  rootKey: RootKey
}

/**
 * Opens `<dataDir>/trent.db` (or the PostgreSQL database of TRENT_DATABASE_URL) with the configured root key
 * (TRENT_ROOT_KEY or `<dataDir>/root.key`), creating both on first use, exactly as the server would. Throws ConfigError, DataDirError (a folder group or others can
 * reach), MissingRootKeyError (a database without its key file), or when the root key does not match.
 */
export async function openDataDir(dataDir: string, env: NodeJS.ProcessEnv, region?: string): Promise<OpenDataDir> {
  const config = loadConfig(['--data-dir', dataDir, ...(region ? ['--region', region] : [])], env)
  const { store, rootKey } = await openConfiguredStore(config)
  try {
    await verifyRootKey(store, rootKey)
  } catch (e) {
    await store.close()
    throw e
  }
  return { dataDir: config.dataDir, region: config.region, store, rootKey }
}

/**
 * Runs `body` with the data directory open, closing it afterwards whatever happens. When `body` changed
 * anything, returns only after servers on the same data directory or database have polled their change feed (twice the
 * poll period, TRENT_CACHE_POLL_MS, default 50 ms), so the next request after the command sees the change.
 */
export async function withDataDir<T>(dataDir: string, env: NodeJS.ProcessEnv, body: (dd: OpenDataDir) => Promise<T>, region?: string): Promise<T> {
  const dd = await openDataDir(dataDir, env, region)
  const pollMs = parseCachePollMs(env)
  try {
    const before = await dd.store.latestChangeSeq()
    const result = await body(dd)
    if ((await dd.store.latestChangeSeq()) > before) await new Promise((resolve) => setTimeout(resolve, 2 * pollMs + 20))
    return result
  } finally {
    await dd.store.close()
  }
}
