// Names one root key: the server's configured provider, TRENT_ROOT_KEY_PREVIOUS, or the --from / --to of
// `trent rootkey migrate`. Spec syntax: `file` (TRENT_ROOT_KEY_FILE, default <data>/root.key), `file:PATH`,
// `env` (TRENT_ROOT_KEY), `pkcs11` (TRENT_PKCS11_*) or `pkcs11:KEY_LABEL` (same token, another key).
import { ConfigError, type Config } from '../config/config.js'
import { rootKeyFromBase64 } from './env-root-key.js'
import { loadExistingFileRootKey, loadOrCreateFileRootKey } from './file-root-key.js'
import { openPkcs11RootKey } from './pkcs11/pkcs11-root-key.js'
import type { RootKey } from './root-key.js'
import { resolve } from 'node:path'

export type RootKeySpec = { kind: 'file'; path: string } | { kind: 'env' } | { kind: 'pkcs11'; keyLabel: string }

export type RootKeyConfig = Pick<Config, 'rootKeyBase64' | 'rootKeyFile' | 'dataDir'> & Partial<Pick<Config, 'rootKeyProvider' | 'pkcs11' | 'rootKeyPrevious' | 'allowOpenPermissions'>>

/** The spec of the configured provider (TRENT_ROOT_KEY_PROVIDER). */
export function configuredRootKeySpec(config: RootKeyConfig): RootKeySpec {
  const provider = config.rootKeyProvider ?? (config.rootKeyBase64 !== undefined ? 'env' : 'file')
  return parseRootKeySpec(provider, config)
}

/** Throws ConfigError on an unknown spec, or one whose settings are missing. */
export function parseRootKeySpec(text: string, config: RootKeyConfig): RootKeySpec {
  const [kind, ...rest] = text.split(':')
  const arg = rest.length > 0 ? rest.join(':') : undefined
  if (kind === 'file') return { kind: 'file', path: arg ? resolve(arg) : config.rootKeyFile }
  if (kind === 'env' && arg === undefined) {
    if (config.rootKeyBase64 === undefined) throw new ConfigError('root key spec env needs TRENT_ROOT_KEY')
    return { kind: 'env' }
  }
  if (kind === 'pkcs11') {
    if (!config.pkcs11) throw new ConfigError('root key spec pkcs11 needs TRENT_PKCS11_MODULE and the other TRENT_PKCS11_* settings')
    if (arg === '') throw new ConfigError('root key spec pkcs11: needs a key label after the colon')
    return { kind: 'pkcs11', keyLabel: arg ?? config.pkcs11.keyLabel }
  }
  throw new ConfigError(`unknown root key spec ${JSON.stringify(text)}: use file, file:PATH, env, pkcs11 or pkcs11:KEY_LABEL`)
}

/**
 * Opens the root key `spec` names. A file key is created only with `createFile` (a data folder without a
 * database); otherwise a missing file resolves to undefined. A PKCS#11 key is generated in the token when
 * absent (a new token key unwraps nothing old, which the root-key check then reports).
 */
export async function openRootKeySpec(spec: RootKeySpec, config: RootKeyConfig, options: { createFile: boolean }): Promise<{ rootKey: RootKey | undefined; created: boolean }> {
  if (spec.kind === 'env') return { rootKey: rootKeyFromBase64(config.rootKeyBase64!, 'env:TRENT_ROOT_KEY'), created: false }
  if (spec.kind === 'pkcs11') return { rootKey: await openPkcs11RootKey({ ...config.pkcs11!, keyLabel: spec.keyLabel }), created: false }
  if (options.createFile) return loadOrCreateFileRootKey(spec.path, config.allowOpenPermissions)
  return { rootKey: await loadExistingFileRootKey(spec.path, config.allowOpenPermissions), created: false }
}
