// The last-use half of the storage contract (GetKeyLastUsage). Writes come in batches from each process's
// in-memory tracker (keys/last-use-tracker.ts), never one per request.
import type { KeyLastUse } from '../keys/last-use.js'

export interface KeyUsageStore {
  /**
   * Records many keys' last uses in one atomic write. A key's stored use is replaced only by a later one, so
   * processes flushing in any order leave the latest; uses of keys that no longer exist are dropped.
   */
  recordKeyLastUses(uses: readonly KeyLastUse[]): Promise<void>
  /** The latest recorded use of the key, if any. */
  getKeyLastUse(keyId: string): Promise<KeyLastUse | undefined>
}
