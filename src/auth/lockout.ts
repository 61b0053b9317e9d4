// The policy lockout safety check: a new key policy must still let the caller change the key policy later.
import type { KeyRecord } from '../keys/key.js'
import { sharedPolicyCache } from '../policy/policy-cache.js'
import type { Store } from '../store/store.js'
import { evaluateAccess } from './access-evaluation.js'
import type { RequestFacts } from './authorizer.js'
import type { PrincipalBindings } from '../policy/document.js'
import type { Principal } from './principal.js'

/**
 * True when `policyText`, as the policy of `key` with the `bindings` it will be stored with, would allow
 * `principal` to call PutKeyPolicy on it.
 */
export async function allowsFuturePolicyUpdate(
  store: Store, principal: Principal, key: KeyRecord, policyText: string, bindings: PrincipalBindings, facts: RequestFacts = {},
): Promise<boolean> {
  const verdict = await evaluateAccess(store, sharedPolicyCache, {
    principal, key, action: 'kms:PutKeyPolicy', conditions: { 'kms:BypassPolicyLockoutSafetyCheck': false },
    facts, keyPolicy: { text: policyText, bindings }, useGrants: false,
  })
  return verdict.allowed
}
