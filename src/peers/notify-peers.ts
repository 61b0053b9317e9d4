// The enqueue points of multi-Region sets split between deployments (docs/multi-region-peers-plan.md, "Outbox and
// delivery"): a change to a set that has regional keys in peer Regions queues a message to each such Region.
// INTENT FIRST: callers enqueue BEFORE the local write the message announces. A crash between the two leaves an
// extra sync, which the delivery job builds from the set's current state and so sends harmlessly; the other order
// could lose one. The messages carry nothing of the change itself: delivery reads the set when it sends. AND AFTER:
// a delivery that runs between that enqueue and the commit reads the set as it was before the change, so the
// enqueue is repeated once the change is made (`announced`): see there.
import type { KeyRecord } from '../keys/key.js'
import { publicKeyId } from '../keys/regional-key.js'
import type { Store } from '../store/store.js'
import type { ForgetRegionalKey, ReplicaToCreate } from './wire.js'

export interface NotifyDeps {
  store: Pick<Store, 'enqueuePeerMessage' | 'listRegionalKeys' | 'listPeerMessages'>
  /** Regions served by peer deployments (Config.peers); a row of a set in one of them is a mirror. */
  peerRegions: ReadonlySet<string>
}

/** The peer Regions that hold a regional key of `set` (its mirrors), plus `also` when that is a peer Region. */
export function peerRegionsOfSet(deps: Pick<NotifyDeps, 'peerRegions'>, set: readonly Pick<KeyRecord, 'region'>[], also?: string): string[] {
  const regions = new Set(set.map((k) => k.region))
  if (also !== undefined) regions.add(also)
  return [...regions].filter((r) => deps.peerRegions.has(r)).sort()
}

/**
 * Queues a sync of the set `publicId` to every peer Region holding a row of `set` (and `replica.region`, with the
 * replica's properties, for ReplicateKey into a peer Region). Call before the local write.
 */
export async function notifyPeers(deps: NotifyDeps, now: Date, publicId: string, set: readonly Pick<KeyRecord, 'region'>[], replica?: ReplicaToCreate): Promise<void> {
  for (const region of peerRegionsOfSet(deps, set, replica?.region)) {
    await deps.store.enqueuePeerMessage(publicId, region, 'sync', now, region === replica?.region ? JSON.stringify(replica) : undefined)
  }
}

/** What a pending forget row holds: every Region of this deployment whose regional key of the set is gone. */
export interface PendingForget {
  keyId: string
  accountId: string
  regions: string[]
}

/** The Regions a stored forget names (a row written before forgets listed several named one). */
export function forgottenRegions(json: string | undefined): { accountId?: string; regions: string[] } {
  const stored = JSON.parse(json ?? '{}') as Partial<PendingForget> & Partial<ForgetRegionalKey>
  const regions = Array.isArray(stored.regions) ? stored.regions : typeof stored.region === 'string' ? [stored.region] : []
  return { ...(typeof stored.accountId === 'string' ? { accountId: stored.accountId } : {}), regions: regions.filter((r) => typeof r === 'string') }
}

/**
 * Queues, to every peer Region holding a row of `set`, that `destroyed` (a regional key of this deployment) is
 * gone. Call before destroying it. The message's content is kept in the row (replica_json), since the key it
 * names will no longer be there to read; one row per (set, peer Region) lists every such Region, so two regional
 * keys destroyed before a delivery are both announced.
 */
export async function notifyPeersOfDestruction(deps: NotifyDeps, now: Date, destroyed: Pick<KeyRecord, 'accountId' | 'region'>, publicId: string, set: readonly Pick<KeyRecord, 'region'>[]): Promise<void> {
  const pending = await deps.store.listPeerMessages(publicId)
  for (const region of peerRegionsOfSet(deps, set)) {
    const earlier = pending.find((m) => m.region === region && m.kind === 'forget')
    const regions = [...new Set([...forgottenRegions(earlier?.replicaJson).regions, destroyed.region])].sort()
    const message: PendingForget = { keyId: publicId, accountId: destroyed.accountId, regions }
    await deps.store.enqueuePeerMessage(publicId, region, 'forget', now, JSON.stringify(message))
  }
}

/**
 * Makes the local `change` to the set `publicId` between two enqueues of its messages (notifyPeers). The first,
 * before it, means a crash cannot lose the announcement. The second, after it, closes a race: a delivery that ran
 * between the first enqueue and the commit built its sync from the set as it was BEFORE the change, and its
 * completion would otherwise delete the row, leaving the peer without the change (a primary it never takes, a
 * rotation it never hears of) until some later change. The second enqueue bumps the row's seq, so that delivery's
 * completion deletes nothing and the row goes out again, built from the changed set. A change that throws skips
 * the second enqueue; the first one's sync is then the harmless extra one.
 */
export async function announced<T>(
  deps: NotifyDeps, now: Date, publicId: string, set: readonly Pick<KeyRecord, 'region'>[], change: () => Promise<T>, replica?: ReplicaToCreate,
): Promise<T> {
  await notifyPeers(deps, now, publicId, set, replica)
  const result = await change()
  await notifyPeers(deps, now, publicId, set, replica)
  return result
}

/** `announced` for a change to the multi-Region key `key` (rotation, its schedule); just `change` for any other key. */
export async function announcedForKey<T>(deps: NotifyDeps, now: Date, key: Pick<KeyRecord, 'keyId' | 'multiRegion'>, change: () => Promise<T>): Promise<T> {
  if (!key.multiRegion || deps.peerRegions.size === 0) return change()
  const publicId = publicKeyId(key.keyId)
  return announced(deps, now, publicId, await deps.store.listRegionalKeys(publicId), change)
}
