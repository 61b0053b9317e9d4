// DryRunModifiers IGNORE_CIPHERTEXT (Decrypt, ReEncrypt): a dry run that checks permission and key state
// for a named key without needing, or looking at, a ciphertext.
import { requireUsage } from '../keys/key-state.js'
import { requestErrors } from '../wire/messages.js'
import type { DryRunModifierType } from '../wire/types.generated.js'
import type { ResolvedKey } from '../keys/resolve.js'
import { authorizeNamed, resolveNamedKey } from './authorized-key.js'
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
  /** ReEncrypt: the decision also carries kms:ReEncryptOnSameKey, true when every named key is the same key. */
  sameKeyCondition?: boolean
}

/** Authorizes and checks each named key, then ends the dry run with DryRunOperationException. */
export async function dryRunWithoutCiphertext(ctx: OperationContext, operation: string, checks: NamedKeyCheck[]): Promise<never> {
  for (const check of checks) {
    if (check.keyIdParam === undefined) {
      throw requestErrors.requiredWithIgnoreCiphertext(check.member)
    }
  }
  // Every key is resolved before any decision, so a decision may depend on all of them (ReEncryptOnSameKey).
  const named: ResolvedKey[] = []
  for (const check of checks) named.push(await resolveNamedKey(ctx, check.keyIdParam!, true))
  const sameKey = named.every((n) => n.key.keyId === named[0]!.key.keyId)
  for (const [i, check] of checks.entries()) {
    const conditions = check.sameKeyCondition ? { ...check.conditions, 'kms:ReEncryptOnSameKey': sameKey } : check.conditions
    const key = await authorizeNamed(ctx, named[i]!, check.action, conditions)
    requireUsage(key, 'ENCRYPT_DECRYPT', operation)
  }
  throw dryRunSucceeded()
}
