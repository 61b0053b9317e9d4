// The policy lockout safety check: a new key policy must still let the caller change the key policy later.
// AWS asks whether "the principal making the request" could make a subsequent PutKeyPolicy request, so the
// new policy is evaluated with the facts that next request would carry: this request's source IP, transport,
// time and region, the caller's identity policies and tags, and the key's tags and aliases.
import type { KeyRecord, Tag } from '../keys/key.js'
import { sharedPolicyCache } from '../policy/policy-cache.js'
import type { Store } from '../store/store.js'
import { evaluateAccess } from './access-evaluation.js'
import type { RequestFacts } from './authorizer.js'
import type { PrincipalBindings } from '../policy/document.js'
import type { Principal } from './principal.js'

export interface LockoutQuestion {
  principal: Principal
  key: KeyRecord
  policyText: string
  /** The principal bindings the new policy will be stored with. */
  bindings: PrincipalBindings
  /** The facts of the request being made; the next request comes from the same place. */
  facts: RequestFacts
  /** The key's tags when the key is not stored yet (CreateKey); otherwise they are read from the store. */
  keyTags?: readonly Tag[]
}

/**
 * True when `policyText`, as the policy of `key` with its bindings, would allow `principal` to call PutKeyPolicy on it.
 * A later update may omit BypassPolicyLockoutSafetyCheck (the key is then absent, as AWS's `Null` example
 * expects) or send it as false; a policy that allows either form leaves the caller able to update it.
 */
export async function allowsFuturePolicyUpdate(store: Store, q: LockoutQuestion): Promise<boolean> {
  // Grant tokens belong to this request only, and grants cannot allow PutKeyPolicy.
  const { grantTokens: _tokens, ...facts } = q.facts
  for (const conditions of [{}, { 'kms:BypassPolicyLockoutSafetyCheck': false }]) {
    const verdict = await evaluateAccess(store, sharedPolicyCache, {
      principal: q.principal, key: q.key, action: 'kms:PutKeyPolicy', conditions,
      facts, keyPolicy: { text: q.policyText, bindings: q.bindings }, useGrants: false, ...(q.keyTags ? { keyTags: q.keyTags } : {}),
    })
    if (verdict.allowed) return true
  }
  return false
}
