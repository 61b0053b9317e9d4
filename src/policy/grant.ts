// Grants as the evaluator sees them: which operations a grant permits, to whom, and under which
// encryption-context constraints. In constraints the context key is case-insensitive, the value is not
// (GrantConstraints in the AWS model); a context holding two keys that differ only in case has no single
// case-insensitive reading, so it satisfies no constraint.
import { matchEntry, parseAwsPrincipal, type PrincipalMatch } from './principals.js'
import type { CallerFacts } from './request.js'

export interface GrantConstraintSet {
  encryptionContextEquals?: Record<string, string>
  encryptionContextSubset?: Record<string, string>
}

export interface GrantRecord {
  /** 64 lowercase hex characters. */
  grantId: string
  keyId: string
  /** The account whose key the grant is on (IssuingAccount). */
  issuingAccount: string
  name?: string
  granteePrincipal: string
  /** The unique id the grantee ARN was bound to at CreateGrant (a user's AIDA…, a role's AROA…); absent for an account. */
  granteeUniqueId?: string
  retiringPrincipal?: string
  /** Likewise for the retiring principal. */
  retiringUniqueId?: string
  /** Grant operation names as AWS spells them: `Encrypt`, `ReEncryptFrom` … */
  operations: string[]
  constraints?: GrantConstraintSet
  createdAt: Date
  /** A digest of the grant's parameters: CreateGrant with the same Name and parameters returns this grant. */
  fingerprint: string
}

/** What a request asks of a grant. */
export interface GrantUse {
  /** `kms:Decrypt`. */
  action: string
  encryptionContext?: Record<string, string>
  /** For CreateGrant through a grant: the grant being created, which may not exceed this one. */
  childGrant?: { operations: string[]; constraints?: GrantConstraintSet }
}

/** Operations to which encryption-context constraints apply; others (DescribeKey, RetireGrant …) ignore them. */
const CONSTRAINED_OPERATIONS = new Set([
  'Encrypt', 'Decrypt', 'ReEncryptFrom', 'ReEncryptTo', 'GenerateDataKey', 'GenerateDataKeyWithoutPlaintext',
  'GenerateDataKeyPair', 'GenerateDataKeyPairWithoutPlaintext',
])

/** The pairs keyed by lower-cased key; undefined when two keys differ only in case. */
function foldKeys(context: Record<string, string> | undefined): Map<string, string> | undefined {
  const out = new Map<string, string>()
  for (const [k, v] of Object.entries(context ?? {})) {
    const key = k.toLowerCase()
    if (out.has(key)) return undefined
    out.set(key, v)
  }
  return out
}

/** True when every pair of `required` appears in `actual` (keys case-insensitive). */
function containsPairs(actual: Map<string, string>, required: Record<string, string>): boolean {
  return Object.entries(required).every(([k, v]) => actual.get(k.toLowerCase()) === v)
}

/** True when the request's context satisfies the grant's constraints. */
export function satisfiesConstraints(constraints: GrantConstraintSet | undefined, context: Record<string, string> | undefined): boolean {
  const { encryptionContextEquals: equals, encryptionContextSubset: subset } = constraints ?? {}
  if (!equals && !subset) return true
  const actual = foldKeys(context)
  if (actual === undefined) return false
  if (equals && !(containsPairs(actual, equals) && actual.size === foldKeys(equals)?.size)) return false
  return !subset || containsPairs(actual, subset)
}

/** True when every context `child` admits holds `pairs`: its Equals or its Subset contains them. */
function requiresPairs(child: GrantConstraintSet, pairs: Record<string, string>): boolean {
  return [child.encryptionContextEquals, child.encryptionContextSubset].some((own) => {
    const folded = own === undefined ? undefined : foldKeys(own)
    return folded !== undefined && containsPairs(folded, pairs)
  })
}

/**
 * True when `child` constraints are the same as or stricter than `parent` ones. A parent may carry both an
 * Equals and a Subset constraint, and the child must meet each: checking Equals alone would let a child admit
 * contexts the parent's Subset refuses.
 */
export function isAsStrict(child: GrantConstraintSet | undefined, parent: GrantConstraintSet | undefined): boolean {
  const { encryptionContextEquals: equals, encryptionContextSubset: subset } = parent ?? {}
  if (!equals && !subset) return true
  if (!child) return false
  if (equals && !(child.encryptionContextEquals !== undefined && satisfiesConstraints({ encryptionContextEquals: equals }, child.encryptionContextEquals))) return false
  return !subset || requiresPairs(child, subset)
}

/** How a principal the grant names (grantee or retiring) matches the caller, through the id it was bound to. */
export function grantPrincipalMatch(principal: string | undefined, boundId: string | undefined, caller: CallerFacts): PrincipalMatch | undefined {
  if (principal === undefined) return undefined
  try {
    return matchEntry(parseAwsPrincipal(principal), caller, boundId)
  } catch {
    return undefined
  }
}

/** How the grant's grantee matches the caller (a grant to an account root delegates like a key policy). */
export function granteeMatch(grant: GrantRecord, caller: CallerFacts): PrincipalMatch | undefined {
  return grantPrincipalMatch(grant.granteePrincipal, grant.granteeUniqueId, caller)
}

/** Whether the grant permits this use by this caller, and how the caller matched. */
export function grantPermits(grant: GrantRecord, caller: CallerFacts, use: GrantUse): PrincipalMatch | undefined {
  const operation = use.action.startsWith('kms:') ? use.action.slice(4) : use.action
  if (!grant.operations.includes(operation)) return undefined
  const match = granteeMatch(grant, caller)
  if (match === undefined) return undefined
  if (CONSTRAINED_OPERATIONS.has(operation) && !satisfiesConstraints(grant.constraints, use.encryptionContext)) return undefined
  if (use.childGrant) {
    if (!use.childGrant.operations.every((op) => grant.operations.includes(op))) return undefined
    if (!isAsStrict(use.childGrant.constraints, grant.constraints)) return undefined
  }
  return match
}
