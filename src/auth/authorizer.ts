// The authorization seam. The account authorizer lets principals act on their own account's keys;
// the policy engine (key policies, identity policies, grants) replaces it behind the same interface.
import { KmsError } from '../wire/kms-error.js'
import { keyArn, type KeyRecord } from '../keys/key.js'
import type { AuthorizationContext } from '../operations/operation.js'
import type { Principal } from './principal.js'

export interface Decision {
  /** Why the request was allowed, for the audit record. */
  reason: string
}

export interface Authorizer {
  /** Returns the reason it is allowed; throws AccessDeniedException (with AWS's wording) otherwise. */
  authorize(principal: Principal, key: KeyRecord | null, action: string, conditions: AuthorizationContext): Promise<Decision>
}

export function accessDenied(principal: Principal, action: string, resource: string, why: string): KmsError {
  return new KmsError('AccessDeniedException', `User: ${principal.arn} is not authorized to perform: ${action} on resource: ${resource} because ${why}`)
}

export const accountAuthorizer: Authorizer = {
  async authorize(principal, key, action) {
    if (key === null) return { reason: `account-wide action allowed for principals of account ${principal.accountId}` }
    if (key.accountId === principal.accountId) return { reason: 'key belongs to the caller\'s account' }
    throw accessDenied(principal, action, keyArn(key), `no resource-based policy allows the ${action} action`)
  },
}
