// What the custody verbs (rootkey, backup, restore) share: their configuration, and error handling (misuse
// prints the usage and exits 2; a refusal (wrong root key, non-empty target, damaged backup) prints its reason
// and exits 1).
import { BackupFormatError } from '../backup/backup-format.js'
import { ConfigError, loadConfig, SECRET_ENV_NAMES, type Config } from '../config/config.js'
import { KeyWrapError } from '../crypto/key-wrap.js'
import { MissingRootKeyError } from '../rootkey/load-root-key.js'
import { RootKeyMismatchError } from '../rootkey/root-key-check.js'
import { RootKeyUnavailableError } from '../rootkey/root-key.js'
import { StoreNotEmptyError } from '../store/custody-store.js'
import { NoDatabaseError } from '../store/open-store.js'
import { UsageError, type CliIo } from './admin-args.js'

/**
 * The configuration the server would have for `dataDir` (root key settings, TRENT_DATABASE_URL). As the server
 * does, the secrets read from the environment then leave it, so no child process inherits them.
 */
export function custodyConfig(dataDir: string, env: NodeJS.ProcessEnv): Config {
  const config = loadConfig(['--data-dir', dataDir], env)
  for (const name of SECRET_ENV_NAMES) delete env[name]
  return config
}

const refusals = [RootKeyMismatchError, MissingRootKeyError, RootKeyUnavailableError, StoreNotEmptyError, BackupFormatError, KeyWrapError]

export async function runCustodyVerb(name: string, usage: string, args: string[], body: (args: string[], io: CliIo) => Promise<number>): Promise<number> {
  const io: CliIo = { out: process.stdout, err: process.stderr, env: process.env }
  if (args[0] === 'help' || args[0] === '--help') {
    io.err.write(usage)
    return 0
  }
  try {
    return await body(args, io)
  } catch (e) {
    const misuse = e instanceof UsageError || e instanceof ConfigError || e instanceof NoDatabaseError || (e instanceof TypeError && String((e as { code?: unknown }).code).startsWith('ERR_PARSE_ARGS'))
    if (!misuse && !refusals.some((r) => e instanceof r)) throw e
    const reason = e instanceof KeyWrapError ? 'the root key does not open this backup' : (e as Error).message
    io.err.write(`trent ${name}: ${reason}\n`)
    if (misuse) io.err.write(usage)
    return misuse ? 2 : 1
  }
}
