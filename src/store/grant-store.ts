// The grants half of the storage contract. A key's grants go with it when the key is destroyed.
import type { GrantRecord } from '../policy/grant.js'
import type { Page } from './store.js'

export interface GrantFilter {
  grantId?: string
  granteePrincipal?: string
}

export interface GrantStore {
  /**
   * Stores the grant, atomically with the checks: when it has a name and the key already has a grant of that
   * name and fingerprint, returns that grant instead (CreateGrant idempotency). Throws StoreLimitError when
   * the key already has `maxPerKey` grants, StoreConflictError on a duplicate grant id.
   */
  createGrant(grant: GrantRecord, maxPerKey: number): Promise<GrantRecord>
  getGrant(grantId: string): Promise<GrantRecord | undefined>
  /** A key's grants ordered by grant id, starting after `after`. */
  listGrants(keyId: string, filter: GrantFilter, after: string | undefined, limit: number): Promise<Page<GrantRecord>>
  /** A key's grants whose grantee is one of `grantees` (what the authorizer consults). */
  listGrantsForGrantees(keyId: string, grantees: readonly string[]): Promise<GrantRecord[]>
  /** Grants on any key of `region` whose retiring principal is `retiringPrincipal`, ordered by grant id (regions are isolated). */
  listRetirableGrants(retiringPrincipal: string, region: string, after: string | undefined, limit: number): Promise<Page<GrantRecord>>
  deleteGrant(grantId: string): Promise<boolean>
}
