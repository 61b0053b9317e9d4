// Writes the next signed digest: reads where the chain and the digest chain stand, signs, and stores.
// Runs on a timer and at clean shutdown; several processes may race, and the loser's digest is dropped.
import type { Clock } from '../config/clock.js'
import { StoreConflictError, type Store } from '../store/store.js'
import { describePeriod, signDigest, type AuditDigest, type DigestSigner } from './digest.js'

export interface DigestDeps {
  store: Store
  signer: DigestSigner
  clock: Clock
}

/** Signs and stores a digest of everything appended since the last one. Returns it, or undefined when another writer stored that digest first. */
export async function writeAuditDigest(deps: DigestDeps): Promise<AuditDigest | undefined> {
  const previous = await deps.store.latestAuditDigest()
  // Read after the previous digest, so the head is never behind it.
  const head = await deps.store.auditChainHead()
  const after = previous?.lastSequence ?? 0
  const first = head.sequence > after ? (await deps.store.listAudit(after, 1))[0]?.record.eventTime : undefined
  const digest = signDigest(describePeriod({ previous, head, firstEventTime: first, now: deps.clock.now() }, deps.signer.fingerprint), deps.signer)
  try {
    await deps.store.insertAuditDigest(digest)
    return digest
  } catch (e) {
    if (e instanceof StoreConflictError) return undefined
    throw e
  }
}
