// The deletion job: destroys keys whose waiting period has ended, and audits each destruction.
// Deletion happens only here, never as a side effect of reading a key.
import type { AuditLog } from '../audit/audit-log.js'
import type { Clock } from '../config/clock.js'
import type { Keyring } from '../keys/keyring.js'
import type { Store } from '../store/store.js'
import { notifyPeersOfDestruction } from '../peers/notify-peers.js'
import { isMirror, publicKeyId } from '../keys/regional-key.js'
import { keyServiceEvent } from './service-event.js'
import { startReplicaFreeDeletions } from './finish-regional-keys.js'

export interface JobDeps {
  store: Store
  keyring: Keyring
  auditLog: AuditLog
  clock: Clock
  /** The Regions served here: keys elsewhere are mirrors of a peer's keys, which no job acts on. */
  regions: ReadonlySet<string>
  /** Regions served by peer deployments (peers/notify-peers.ts). */
  peerRegions: ReadonlySet<string>
}

/**
 * Destroys every key due for deletion; returns their ids. The audit record is written before the key goes.
 * `mayContinue` is asked before each key (the scheduler renews its lease there): on false the run stops, so a
 * process that lost the jobs lease never audits a destruction another process is also doing.
 */
export async function deleteExpiredKeys(deps: JobDeps, mayContinue: () => Promise<boolean> = async () => true): Promise<string[]> {
  const now = deps.clock.now()
  const due = await deps.store.listKeysDueForDeletion(now)
  const destroyed: string[] = []
  for (const key of due) {
    // A mirror's deletion is its peer's to make (it tells us with ForgetRegionalKey).
    if (isMirror(key, deps.regions)) continue
    if (!(await mayContinue())) break
    await deps.auditLog.write(keyServiceEvent(key, 'DeleteKey', now))
    // Intent first: peers holding regional keys of the set hear that this one is gone (delivery sends it only
    // once the key really is: a cancellation that wins below makes the message moot).
    if (key.multiRegion) await notifyPeersOfDestruction(deps, now, key, publicKeyId(key.keyId), await deps.store.listRegionalKeys(publicKeyId(key.keyId)))
    // Only if still due: a CancelKeyDeletion between the listing and here wins, and the chain says so.
    if (!(await deps.store.destroyKey(key.keyId, now))) {
      await deps.auditLog.write(keyServiceEvent(key, 'DeleteKey', deps.clock.now(), { deletionAbandoned: 'the key was no longer due for deletion' }))
      continue
    }
    await deps.keyring.forget(key.keyId) // here and in every crypto worker
    destroyed.push(key.keyId)
  }
  // A primary pending replica deletion starts its own window once its last replica is gone.
  await startReplicaFreeDeletions(deps)
  return destroyed
}
