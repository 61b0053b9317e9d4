// The decision, as AWS KMS makes it: an explicit Deny anywhere wins; otherwise the key policy must allow,
// directly or by delegating to the caller's account (then the caller's identity policy must allow too); a
// grant can allow its operations; another account's caller needs both sides; account-level actions are
// decided by identity policy alone. The account root has the account's full identity authority.
import type { PolicyDocument, PrincipalBindings } from './document.js'
import { evaluatePolicy, type PolicyOutcome, type StatementRef } from './evaluate.js'
import { grantPermits, type GrantRecord, type GrantUse } from './grant.js'
import type { PolicyRequest } from './request.js'
import { decideRetire } from './decide-retire.js'

export interface NamedPolicy {
  name: string
  /** ARN of the user or role the policy is attached to. */
  owner: string
  document: PolicyDocument
}

export interface AccessQuestion {
  request: PolicyRequest
  /** The key's account for key operations; undefined for account-level actions (identity policy only). */
  keyAccountId?: string
  keyPolicy?: PolicyDocument
  /** What the key policy's principal ARNs were bound to when it was stored; none bound when absent. */
  keyPolicyBindings?: PrincipalBindings
  identityPolicies: readonly NamedPolicy[]
  grants: readonly GrantRecord[]
  grantUse?: GrantUse
  /** RetireGrant of this grant: decided by the grant's own retire rules, not the key policy. */
  retiring?: GrantRecord
}

export type Basis =
  | { kind: 'statement'; effect: 'Allow' | 'Deny'; ref: StatementRef; viaAccount?: boolean }
  | { kind: 'root-identity'; accountId: string }
  | { kind: 'grant'; grantId: string }
  | { kind: 'retire-rule'; rule: 'retiring principal' | 'grantee' | 'issuing account'; grantId: string }

export type Denial = 'explicit-resource' | 'explicit-identity' | 'no-resource' | 'no-identity'

export type Verdict = { allowed: true; basis: Basis[] } | { allowed: false; denial: Denial; basis: Basis[] }

const allow = (...basis: Basis[]): Verdict => ({ allowed: true, basis })
const deny = (denial: Denial, ...basis: Basis[]): Verdict => ({ allowed: false, denial, basis })
const statement = (ref: StatementRef, effect: 'Allow' | 'Deny', viaAccount = false): Basis => (
  viaAccount ? { kind: 'statement', effect, ref, viaAccount } : { kind: 'statement', effect, ref })

function evaluateIdentity(q: AccessQuestion): PolicyOutcome {
  const outcome: PolicyOutcome = {}
  for (const p of q.identityPolicies) {
    const one = evaluatePolicy(p.document, q.request, { kind: 'identity-policy', name: p.name, owner: p.owner })
    if (one.deny) return { deny: one.deny }
    outcome.allow ??= one.allow
  }
  return outcome
}

/** Decides the question. Pure: everything it needs is in `q`. */
export function decide(q: AccessQuestion): Verdict {
  const { caller } = q.request
  const resource = q.keyPolicy ? evaluatePolicy(q.keyPolicy, q.request, { kind: 'key-policy' }, q.keyPolicyBindings) : {}
  if (resource.deny) return deny('explicit-resource', statement(resource.deny, 'Deny'))
  const identity = evaluateIdentity(q)
  if (identity.deny) return deny('explicit-identity', statement(identity.deny, 'Deny'))
  const identityBasis: Basis | undefined = caller.isAccountRoot
    ? { kind: 'root-identity', accountId: caller.accountId }
    : identity.allow && statement(identity.allow, 'Allow')
  if (q.retiring) return decideRetire(q.retiring, q.request, identityBasis)
  if (q.keyAccountId === undefined) return identityBasis ? allow(identityBasis) : deny('no-identity')
  const grant = findGrant(q)
  if (grant?.match === 'direct') return allow(grant.basis)
  if (caller.accountId === q.keyAccountId) {
    if (resource.allow) return allow(statement(resource.allow, 'Allow'))
    const delegated = resource.accountAllow ? statement(resource.accountAllow, 'Allow', true) : grant?.basis
    if (delegated && identityBasis) return allow(delegated, identityBasis)
    return deny(resource.accountAllow ? 'no-identity' : 'no-resource')
  }
  const resourceAllow = resource.allow ?? resource.accountAllow
  const resourceBasis = resourceAllow ? statement(resourceAllow, 'Allow', resourceAllow === resource.accountAllow) : grant?.basis
  if (!resourceBasis) return deny('no-resource')
  if (!identityBasis) return deny('no-identity', resourceBasis)
  return allow(resourceBasis, identityBasis)
}

function findGrant(q: AccessQuestion): { match: 'direct' | 'account'; basis: Basis } | undefined {
  let found: { match: 'direct' | 'account'; basis: Basis } | undefined
  const use = q.grantUse ?? { action: q.request.action }
  for (const grant of q.grants) {
    const match = grantPermits(grant, q.request.caller, use)
    if (match === undefined) continue
    found = { match, basis: { kind: 'grant', grantId: grant.grantId } }
    if (match === 'direct') break
  }
  return found
}
