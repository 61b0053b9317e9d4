// The benchmark-only switch TRENT_AUTHORIZER=account: replaces policy evaluation with the account check
// (a principal may do anything to its own account's keys) so the cost of policy evaluation can be
// measured against it. It disables key policies, identity policies and grants; never use it for real.
import { ConfigError } from '../config/config.js'
import type { Logger } from '../logging/logger.js'
import { accountAuthorizer, type Authorizer } from './authorizer.js'

/** undefined (the policy authorizer) unless TRENT_AUTHORIZER=account. Throws ConfigError for other values. */
export function benchmarkAuthorizer(env: NodeJS.ProcessEnv, logger: Logger): Authorizer | undefined {
  const choice = env.TRENT_AUTHORIZER
  if (choice === undefined || choice === '' || choice === 'policy') return undefined
  if (choice !== 'account') throw new ConfigError('TRENT_AUTHORIZER must be "policy" (the default) or "account" (benchmarks only)')
  const message = 'POLICY EVALUATION IS OFF (TRENT_AUTHORIZER=account): key policies, identity policies and grants are ignored. This switch exists only to benchmark the cost of policy evaluation; never run a real server with it.'
  logger.warn({ benchmarkSwitch: 'TRENT_AUTHORIZER' }, message)
  process.stderr.write(`\n*** WARNING: ${message} ***\n\n`)
  return accountAuthorizer
}
