// The real authorizer: key policies, identity policies and grants, evaluated as AWS KMS evaluates them.
import { denialTail, renderVerdict } from '../policy/reason.js'
import { sharedPolicyCache, type PolicyCache } from '../policy/policy-cache.js'
import type { Store } from '../store/store.js'
import { evaluateAccess } from './access-evaluation.js'
import { accessDenied, type Authorizer } from './authorizer.js'
import { requireValidGrantTokens } from './grant-token.js'
import { resourceOf } from './policy-request.js'

/** Creates the policy authorizer over `store`. Parsed policies are cached by their text. */
export function createPolicyAuthorizer(store: Store, cache: PolicyCache = sharedPolicyCache): Authorizer {
  return {
    async authorize(principal, key, action, conditions, facts = {}) {
      if (facts.grantTokens !== undefined && facts.grantTokens.length > 0) await requireValidGrantTokens(store, facts.grantTokens)
      const verdict = await evaluateAccess(store, cache, { principal, key, action, conditions, facts })
      const reason = renderVerdict(verdict)
      if (!verdict.allowed) throw accessDenied(principal, action, resourceOf(key, conditions), denialTail(verdict.denial, action), reason)
      return { reason }
    },
  }
}
