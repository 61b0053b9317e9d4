// The `trent` admin CLI as the e2e tests run it: the compiled CLI against a running server's data folder,
// as a separate process (so what it changes reaches the server through the store, as an operator's would).
import { execFile } from 'node:child_process'
import { fileURLToPath } from 'node:url'
import { promisify } from 'node:util'
import { databaseEnv } from './database.js'
import { e2eRootKeyEnv } from './server.js'

export const CLI_JS = fileURLToPath(new URL('../../../src/cli/main.js', import.meta.url))
const run = promisify(execFile)

/** Runs `trent <args> --data-dir <dataDir>` and parses its JSON output ({} when it prints nothing). Rejects on a non-zero exit. */
export async function trentCli(dataDir: string, ...args: string[]): Promise<Record<string, unknown>> {
  const { stdout } = await run(process.execPath, [CLI_JS, ...args, '--data-dir', dataDir], { timeout: 60_000, env: { PATH: process.env.PATH, HOME: process.env.HOME, ...e2eRootKeyEnv(dataDir), ...databaseEnv(dataDir) } })
  return stdout.trim() === '' ? {} : (JSON.parse(stdout) as Record<string, unknown>)
}

export interface CreatedUser {
  arn: string
  /** The user's unique id (AIDA…). */
  userId: string
  credentials: { accessKeyId: string; secretAccessKey: string }
}

/**
 * Creates IAM user `name` in `account` with the CLI, attaches `policy` as its inline identity policy `policyName`
 * when given, and issues it an access key.
 */
export async function createUserWithKey(
  dataDir: string, account: string, name: string, policy?: object, policyName = 'kms-use',
): Promise<CreatedUser> {
  const user = await trentCli(dataDir, 'user', 'create', '--account', account, '--name', name)
  if (policy) await trentCli(dataDir, 'identity-policy', 'put', '--account', account, '--user', name, '--name', policyName, '--document', JSON.stringify(policy))
  const key = await trentCli(dataDir, 'access-key', 'create', '--account', account, '--user', name)
  return { arn: String(user.Arn), userId: String(user.UserId), credentials: { accessKeyId: String(key.AccessKeyId), secretAccessKey: String(key.SecretAccessKey) } }
}
