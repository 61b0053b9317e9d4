// DryRunModifiers IGNORE_CIPHERTEXT (Decrypt, ReEncrypt): a dry run that checks permission and key state
// for a named key without needing, or looking at, a ciphertext.
import { requireEnabled, requireUsage } from '../keys/key-state.js'
import { requestErrors } from '../wire/messages.js'
import type { DryRunModifierType } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import type { AuthorizationContext, OperationContext } from './operation.js'
import { dryRunSucceeded } from './symmetric-crypto.js'

/** True when the request asks to ignore the ciphertext; the modifier is only valid on a dry run. */
export function ignoresCiphertext(dryRun: boolean | undefined, modifiers: DryRunModifierType[] | undefined): boolean {
  if (!modifiers?.includes('IGNORE_CIPHERTEXT')) return false
  if (dryRun !== true) throw requestErrors.dryRunModifiersWithoutDryRun()
  return true
}

export interface NamedKeyCheck {
  keyIdParam: string | undefined
  /** The request member that must name the key, for the error message. */
  member: 'KeyId' | 'SourceKeyId' | 'DestinationKeyId'
  action: `kms:${string}`
  conditions: AuthorizationContext
}

/** Authorizes and checks each named key, then ends the dry run with DryRunOperationException. */
export async function dryRunWithoutCiphertext(ctx: OperationContext, operation: string, checks: NamedKeyCheck[]): Promise<never> {
  for (const check of checks) {
    if (check.keyIdParam === undefined) {
      throw requestErrors.requiredWithIgnoreCiphertext(check.member)
    }
  }
  for (const check of checks) {
    const key = await authorizedKey(ctx, check.keyIdParam!, check.action, { allowAlias: true, conditions: check.conditions })
    requireEnabled(key)
    requireUsage(key, 'ENCRYPT_DECRYPT', operation)
  }
  throw dryRunSucceeded()
}
