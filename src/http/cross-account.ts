// The one place that keeps a key-scoped operation to the keys AWS lets it reach: a key of another account
// only for the operations whose model documentation says "Cross-account use: Yes".
import type { Principal } from '../auth/principal.js'
import type { KeyRecord } from '../keys/key.js'
import { keyNotFound } from '../keys/resolve.js'
import { wireModel } from '../wire/model.generated.js'
import type { OperationName } from '../wire/types.generated.js'

/** Whether AWS lets `operation` use a key owned by another account (derived from the model, never typed). */
export function allowsCrossAccountKey(operation: OperationName): boolean {
  return wireModel.operations[operation]?.crossAccount === true
}

/**
 * Refuses another account's key to an operation AWS keeps to its own account, whatever any policy or grant
 * says: otherwise a key policy granting an account `kms:*` (a pattern AWS makes safe) would let that account
 * disable, re-police or delete the key. The answer is the one for an absent key, so it reveals nothing.
 * Throws NotFoundException.
 */
export function requireKeyInReach(operation: OperationName, principal: Principal, key: KeyRecord): void {
  if (key.accountId !== principal.accountId && !allowsCrossAccountKey(operation)) throw keyNotFound(key)
}
