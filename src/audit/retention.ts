// Audit retention: deletes whole digest periods older than the retention window, never the newest digest,
// so the retained log always starts at a signed digest and stays verifiable from there on.
import type { Store } from '../store/store.js'
import type { AuditDigest } from './digest.js'
import { storedDigests } from './log-export.js'

const DAY_MS = 24 * 60 * 60 * 1000

/**
 * Prunes records and digests of every period whose digest was written more than `retentionDays` before
 * `now`, keeping at least the newest digest. Returns what was removed (zeros when nothing is old enough).
 */
export async function pruneAuditLog(store: Store, now: Date, retentionDays: number): Promise<{ records: number; digests: number }> {
  const cutoff = now.getTime() - retentionDays * DAY_MS
  const digests = await storedDigests(store)
  let last: AuditDigest | undefined
  // The newest digest is never pruned: the digest after a pruned one anchors the retained records.
  for (const d of digests.slice(0, -1)) {
    if (Date.parse(d.digestTime) < cutoff) last = d
  }
  if (!last) return { records: 0, digests: 0 }
  return store.pruneAudit(last.lastSequence, last.digestSequence)
}
