// Loads the configured root key: TRENT_ROOT_KEY when set, else the root key file, created on first use only:
// never beside an existing database. Shared by the server (main.ts) and the `trent` CLI, so both open a data
// directory alike.
import type { Config } from '../config/config.js'
import { jsonLogger } from '../logging/logger.js'
import { rootKeyFromBase64 } from './env-root-key.js'
import { loadExistingFileRootKey, loadOrCreateFileRootKey } from './file-root-key.js'
import type { RootKey } from './root-key.js'

export class MissingRootKeyError extends Error {
  override readonly name = 'MissingRootKeyError'
}

/**
 * The root key. `databaseExists` says the data folder already holds trent.db (or the configured PostgreSQL
 * database has been initialised; `databaseName` then says so in the message): its keys are wrapped under some
 * root key, so a missing key file is refused (MissingRootKeyError, naming the file) instead of replaced by a
 * new key that could never unwrap them. Also throws when the key is malformed or its file unreadable or too
 * widely readable.
 */
export async function loadRootKey(
  config: Pick<Config, 'rootKeyBase64' | 'rootKeyFile' | 'dataDir'>, options: { databaseExists: boolean; databaseName?: string },
): Promise<RootKey> {
  if (config.rootKeyBase64 !== undefined) return rootKeyFromBase64(config.rootKeyBase64, 'env:TRENT_ROOT_KEY')
  if (options.databaseExists) {
    const existing = await loadExistingFileRootKey(config.rootKeyFile)
    if (existing !== undefined) return existing
    throw new MissingRootKeyError(
      `root key file ${config.rootKeyFile} is missing, but ${options.databaseName ?? `data folder ${config.dataDir} already holds trent.db`}, whose keys only ` +
        'its original root key can unwrap; restore that file from your backup (or set TRENT_ROOT_KEY to the key). ' +
        'No new root key was created.',
    )
  }
  const { rootKey, created } = await loadOrCreateFileRootKey(config.rootKeyFile)
  if (created) jsonLogger.info({ path: config.rootKeyFile }, 'created a new root key (mode 0600); back it up: without it no key can be recovered')
  return rootKey
}
