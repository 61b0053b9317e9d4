// The development switch that seeding needs. Fixed key material is insecure by design (anyone with the seed
// file has the keys), so `trent seed` works only on a data folder whose server was last started with
// TRENT_DEV_SEEDING=true. The server records that in a marker file at each start and warns loudly.
import { existsSync, rmSync, writeFileSync } from 'node:fs'
import { join } from 'node:path'

export const DEV_SEEDING_ENV = 'TRENT_DEV_SEEDING'
const MARKER = 'dev-seeding-enabled'

export class DevSeedingRefused extends Error {
  override readonly name = 'DevSeedingRefused'
}

/** True only for the exact value `true`: anything else (unset, `1`, `yes`) leaves seeding off. */
export function isDevSeedingRequested(env: NodeJS.ProcessEnv): boolean {
  return env[DEV_SEEDING_ENV] === 'true'
}

export const DEV_SEEDING_WARNING = `DEVELOPMENT SEEDING IS ON (${DEV_SEEDING_ENV}=true): \`trent seed\` may create keys with fixed, publicly known key material in this data folder. Never use it for real data.`

/**
 * Called by the server at every start, before serving: writes the marker when the flag is set, removes it
 * when not, so a data folder stops accepting seeds as soon as it is started without the flag.
 */
export function recordDevSeeding(dataDir: string, env: NodeJS.ProcessEnv): boolean {
  const path = join(dataDir, MARKER)
  if (!isDevSeedingRequested(env)) {
    rmSync(path, { force: true })
    return false
  }
  writeFileSync(path, `${DEV_SEEDING_WARNING}\n`, { mode: 0o600 })
  return true
}

/** Throws DevSeedingRefused unless this data folder's server was last started with the development flag. */
export function requireDevSeeding(dataDir: string): void {
  if (!existsSync(join(dataDir, MARKER))) {
    throw new DevSeedingRefused(`seeding is refused: fixed key material is for development only. Start the server on this data folder with ${DEV_SEEDING_ENV}=true first.`)
  }
}
