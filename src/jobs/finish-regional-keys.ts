// Finishes what a crash cut short in ReplicateKey (a replica left Creating) or UpdatePrimaryRegion (keys left
// Updating), and starts the deletion window of a primary pending replica deletion once its last replica is gone.
// Under the `jobs` lease, like every job; each step is a compare-and-set, so running it twice changes nothing.
import { isMirror, publicKeyId } from '../keys/regional-key.js'
import { notifyPeers, peerRegionsOfSet } from '../peers/notify-peers.js'
import { keyServiceEvent } from './service-event.js'
import type { JobDeps } from './delete-expired-keys.js'

export async function finishRegionalKeys(deps: Pick<JobDeps, 'store' | 'clock' | 'regions' | 'peerRegions'>): Promise<void> {
  for (const key of await deps.store.listKeysInTransition()) {
    // A mirror left Creating or Updating waits for its peer's answer (the peer-message delivery), not for this job.
    if (isMirror(key, deps.regions)) continue
    const publicId = publicKeyId(key.keyId)
    // So does a local row of a set with messages still to deliver (a primary being handed over to a peer Region).
    if (key.multiRegion && (await deps.store.listPeerMessages(publicId)).length > 0) continue
    // A local row left Updating, with no message pending, in a set that a peer deployment shares: a crash came
    // after UpdatePrimaryRegion's commit and before its second enqueue, and a delivery that read the set before the
    // commit may have taken the first. Finishing here could leave each side naming the other the primary, so the
    // set is announced again and the peer's reply finishes the row (a sync it already had changes nothing there).
    if (key.multiRegion && key.keyState === 'Updating') {
      const set = await deps.store.listRegionalKeys(publicId)
      if (peerRegionsOfSet(deps, set).length > 0) {
        await notifyPeers(deps, deps.clock.now(), publicId, set)
        continue
      }
    }
    if (key.keyState === 'Creating') await deps.store.finishKeyTransition(key.keyId, 'Creating', key.origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled')
    else await deps.store.finishKeyTransition(key.keyId, 'Updating', 'Enabled')
  }
}

/** Primaries whose replicas are all gone now wait their own window (audited as a ScheduleKeyDeletion by AWS's service). */
export async function startReplicaFreeDeletions(deps: JobDeps): Promise<void> {
  const now = deps.clock.now()
  for (const key of await deps.store.startReplicaFreeDeletions(now, [...deps.regions])) await deps.auditLog.write(keyServiceEvent(key, 'ScheduleKeyDeletion', now))
}
