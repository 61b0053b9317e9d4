// Request quotas from the environment: TRENT_QUOTAS (on/off), TRENT_QUOTA_BURST_SECONDS, and one
// TRENT_QUOTA_<CLASS> per quota class that replaces AWS's default rate (README, "Request quotas").
import { wireModel } from '../wire/model.generated.js'
import { DEFAULT_QUOTA_RATES } from '../quotas/request-quotas.js'
import type { QuotaSettings } from '../quotas/quota-gate.js'
import { ConfigError } from './config.js'

/** `GenerateDataKeyPair:RSA_2048` → `GENERATE_DATA_KEY_PAIR_RSA_2048`, `ml-dsa` → `ML_DSA`, `CreateKey` → `CREATE_KEY`. */
export function quotaEnvSuffix(quotaClass: string): string {
  return quotaClass.replace(/([a-z0-9])([A-Z])/g, '$1_$2').replace(/[^A-Za-z0-9]+/g, '_').toUpperCase()
}

/** Every quota class an operator may set: the shared and per-spec classes, and every operation of the model. */
export function quotaClassesByEnvName(): Map<string, string> {
  const classes = new Set([...Object.keys(DEFAULT_QUOTA_RATES), ...Object.keys(wireModel.operations)])
  return new Map([...classes].map((c) => [`TRENT_QUOTA_${quotaEnvSuffix(c)}`, c]))
}

function positiveNumber(name: string, text: string): number {
  const n = Number(text)
  if (text.trim() === '' || !Number.isFinite(n) || n <= 0) throw new ConfigError(`${name} must be a positive number: ${text}`)
  return n
}

/**
 * Reads the quota settings; `share` is this process's part of each rate (1, or 1/N for a cluster worker).
 * Throws ConfigError for a TRENT_QUOTA_* name that is no quota class (a typo must not leave a limit unset).
 */
export function loadQuotaSettings(env: NodeJS.ProcessEnv, share = 1): QuotaSettings {
  const switchText = env.TRENT_QUOTAS ?? 'on'
  if (switchText !== 'on' && switchText !== 'off') throw new ConfigError(`TRENT_QUOTAS must be on or off: ${switchText}`)
  const known = quotaClassesByEnvName()
  const rates: Record<string, number> = {}
  for (const [name, value] of Object.entries(env)) {
    if (!name.startsWith('TRENT_QUOTA_') || name === 'TRENT_QUOTA_BURST_SECONDS' || value === undefined) continue
    const quotaClass = known.get(name)
    if (quotaClass === undefined) throw new ConfigError(`${name} names no request quota (see the README's "Request quotas")`)
    rates[quotaClass] = positiveNumber(name, value)
  }
  const burstSeconds = positiveNumber('TRENT_QUOTA_BURST_SECONDS', env.TRENT_QUOTA_BURST_SECONDS ?? '1')
  return { enabled: switchText === 'on', rates, burstSeconds, share }
}
