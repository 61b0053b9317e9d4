// RetireGrant is not governed by the key policy: the grant itself says who may retire it — its retiring
// principal, its grantee when the grant includes RetireGrant, or the account that owns the key.
import type { Basis, Verdict } from './decide.js'
import { grantPermits, grantPrincipalMatch, type GrantRecord } from './grant.js'
import type { PrincipalMatch } from './principals.js'
import type { PolicyRequest } from './request.js'

type RetireRule = 'retiring principal' | 'grantee' | 'issuing account'

function retiringMatch(grant: GrantRecord, request: PolicyRequest): PrincipalMatch | undefined {
  return grantPrincipalMatch(grant.retiringPrincipal, grant.retiringUniqueId, request.caller)
}

/**
 * A direct match suffices; an account-level match (a root ARN named in the grant), like the issuing
 * account's own principals, also needs the caller's identity authority (root, or an identity policy).
 */
export function decideRetire(grant: GrantRecord, request: PolicyRequest, identityBasis: Basis | undefined): Verdict {
  const candidates: [RetireRule, PrincipalMatch | undefined][] = [
    ['retiring principal', retiringMatch(grant, request)],
    ['grantee', grantPermits(grant, request.caller, { action: 'kms:RetireGrant' })],
    ['issuing account', request.caller.accountId === grant.issuingAccount ? 'account' : undefined],
  ]
  for (const [rule, match] of candidates) {
    const basis: Basis = { kind: 'retire-rule', rule, grantId: grant.grantId }
    if (match === 'direct') return { allowed: true, basis: [basis] }
    if (match === 'account' && identityBasis) return { allowed: true, basis: [basis, identityBasis] }
  }
  return { allowed: false, denial: identityBasis ? 'no-resource' : 'no-identity', basis: [] }
}
