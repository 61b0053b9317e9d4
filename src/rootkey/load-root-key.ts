// Loads the configured root key (TRENT_ROOT_KEY_PROVIDER: the root key file, TRENT_ROOT_KEY or a PKCS#11
// token), plus TRENT_ROOT_KEY_PREVIOUS while a migration runs. A root key file is created on first use only:
// never beside an existing database. Shared by the server (main.ts), its cluster workers and the `trent` CLI,
// so all open a data directory alike.
import { jsonLogger } from '../logging/logger.js'
import { rootKeyChain } from './root-key-chain.js'
import { configuredRootKeySpec, openRootKeySpec, parseRootKeySpec, type RootKeyConfig, type RootKeySpec } from './root-key-spec.js'
import type { RootKey } from './root-key.js'

export class MissingRootKeyError extends Error {
  override readonly name = 'MissingRootKeyError'
}

/**
 * The root key. `databaseExists` says the data folder already holds trent.db (or the configured PostgreSQL
 * database has been initialised; `databaseName` then says so in the message): its keys are wrapped under some
 * root key, so a missing key file is refused (MissingRootKeyError, naming the file) instead of replaced by a
 * new key that could never unwrap them. Also throws when the key is malformed or its file unreadable or too
 * widely readable, ConfigError on bad settings, RootKeyUnavailableError when the token cannot be reached.
 */
export async function loadRootKey(config: RootKeyConfig, options: { databaseExists: boolean; readOnly?: boolean; databaseName?: string }): Promise<RootKey> {
  // While TRENT_ROOT_KEY_PREVIOUS is set the current key is a migration's target, which may be new: the
  // database's keys still open under the previous one. A command that only reads (`trent backup`) never creates.
  const mayCreate = !options.readOnly && (!options.databaseExists || config.rootKeyPrevious !== undefined)
  const current = await openOne(configuredRootKeySpec(config), config, mayCreate, options.databaseName)
  if (config.rootKeyPrevious === undefined) return current
  const previous = await openOne(parseRootKeySpec(config.rootKeyPrevious, config), config, false)
  return rootKeyChain(current, [previous])
}

/**
 * Opens one root key that must exist (created, in a file or a token, only with `mayCreate`). Throws
 * MissingRootKeyError, naming `databaseName` (what already holds keys) or else the data folder's trent.db.
 */
export async function openOne(spec: RootKeySpec, config: RootKeyConfig, mayCreate: boolean, databaseName?: string): Promise<RootKey> {
  const { rootKey, created } = await openRootKeySpec(spec, config, { create: mayCreate })
  if (created && spec.kind === 'file') jsonLogger.info({ path: spec.path }, 'created a new root key (mode 0600); back it up: without it no key can be recovered')
  if (rootKey) return rootKey
  const path = spec.kind === 'file' ? spec.path : '?'
  throw new MissingRootKeyError(
    `root key file ${path} is missing, but ${databaseName ?? `data folder ${config.dataDir} already holds trent.db`}, whose keys only ` +
      'its original root key can unwrap; restore that file from your backup (or set TRENT_ROOT_KEY to the key). ' +
      'No new root key was created.',
  )
}
