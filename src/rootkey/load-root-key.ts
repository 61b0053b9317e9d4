// Loads the configured root key: TRENT_ROOT_KEY when set, else the data directory's key file (created on
// first use). Shared by the server (main.ts) and the `trent` CLI, so both open a data directory alike.
import type { Config } from '../config/config.js'
import { jsonLogger } from '../logging/logger.js'
import { rootKeyFromBase64 } from './env-root-key.js'
import { loadOrCreateFileRootKey } from './file-root-key.js'
import type { RootKey } from './root-key.js'

/** Throws when the key is malformed or its file is unreadable or too widely readable. */
export async function loadRootKey(config: Pick<Config, 'rootKeyBase64' | 'rootKeyFile'>): Promise<RootKey> {
  if (config.rootKeyBase64 !== undefined) return rootKeyFromBase64(config.rootKeyBase64, 'env:TRENT_ROOT_KEY')
  const { rootKey, created } = await loadOrCreateFileRootKey(config.rootKeyFile)
  if (created) jsonLogger.info({ path: config.rootKeyFile }, 'created a new root key (mode 0600); back it up: without it no key can be recovered')
  return rootKey
}
