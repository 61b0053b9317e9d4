// TLS from the environment: TRENT_TLS_CERT and TRENT_TLS_KEY name PEM files (both or neither). The key file
// is held to the root key's rule: refused when group or others can read it, unless told otherwise.
import { readFileSync, statSync } from 'node:fs'
import { resolve } from 'node:path'
import { ConfigError } from './config.js'

export interface TlsFiles {
  cert: Buffer
  key: Buffer
}

/** Reads the certificate chain and private key, or returns undefined when TLS is not configured. Throws ConfigError. */
export function loadTlsFiles(env: NodeJS.ProcessEnv, options: { allowOpenPermissions?: boolean } = {}): TlsFiles | undefined {
  const { TRENT_TLS_CERT: certPath, TRENT_TLS_KEY: keyPath } = env
  if (certPath === undefined && keyPath === undefined) return undefined
  if (certPath === undefined || keyPath === undefined) throw new ConfigError('set both TRENT_TLS_CERT and TRENT_TLS_KEY, or neither')
  const info = statSync(resolve(keyPath), { throwIfNoEntry: false })
  if (!info?.isFile()) throw new ConfigError(`TRENT_TLS_KEY ${keyPath} is not a readable file`)
  if ((info.mode & 0o077) !== 0 && !options.allowOpenPermissions) {
    throw new ConfigError(`TLS key file ${keyPath} is accessible to group or others; run: chmod 600 ${keyPath}`)
  }
  try {
    return { cert: readFileSync(resolve(certPath)), key: readFileSync(resolve(keyPath)) }
  } catch (e) {
    throw new ConfigError(`cannot read the TLS certificate or key: ${e instanceof Error ? e.message : String(e)}`)
  }
}
