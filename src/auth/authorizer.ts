// The authorization seam. The policy authorizer (policy-authorizer.ts) evaluates key policies, identity
// policies and grants; the account authorizer remains only as a benchmark baseline (TRENT_AUTHORIZER=account).
import { KmsError } from '../wire/kms-error.js'
import { keyArn, type KeyRecord } from '../keys/key.js'
import type { AuthorizationContext } from '../operations/operation.js'
import type { Principal } from './principal.js'

export interface Decision {
  /** Why the request was allowed (which statement of which policy, or which grant), for the audit record. */
  reason: string
}

/** Facts about the request itself, which the pipeline knows and operations do not. */
export interface RequestFacts {
  sourceIp?: string
  secureTransport?: boolean
  /** The request time (aws:CurrentTime); the authorizer's clock is not consulted. */
  now?: Date
  /** The server's region (aws:RequestedRegion). */
  region?: string
  /** GrantTokens from the request; each must name an existing grant. */
  grantTokens?: readonly string[]
}

export interface Authorizer {
  /**
   * Returns the reason it is allowed; throws AccessDeniedError (AccessDeniedException, with AWS's wording)
   * otherwise, or InvalidGrantTokenException for a grant token that names no grant.
   */
  authorize(principal: Principal, key: KeyRecord | null, action: string, conditions: AuthorizationContext, facts?: RequestFacts): Promise<Decision>
}

/** AccessDeniedException that also carries the structured reason, for the audit record (never sent to the client). */
export class AccessDeniedError extends KmsError {
  readonly reason: string

  constructor(message: string, reason: string) {
    super('AccessDeniedException', message)
    this.reason = reason
  }
}

/** `tail` is AWS's ending: `because no resource-based policy allows the kms:X action`, `with an explicit deny in …`. */
export function accessDenied(principal: Principal, action: string, resource: string, tail: string, reason = tail): AccessDeniedError {
  return new AccessDeniedError(`User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource} ${tail}`, reason)
}

/**
 * Benchmark baseline only: every principal may do anything to its own account's keys. Selected by
 * TRENT_AUTHORIZER=account so the cost of policy evaluation can be measured; never for real use.
 */
export const accountAuthorizer: Authorizer = {
  async authorize(principal, key, action) {
    if (key === null) return { reason: `account-wide action allowed for principals of account ${principal.accountId}` }
    if (key.accountId === principal.accountId) return { reason: 'key belongs to the caller\'s account' }
    throw accessDenied(principal, action, keyArn(key), `because no resource-based policy allows the ${action} action`)
  },
}
