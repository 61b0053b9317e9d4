// What a peer link may speak for. A link credential authenticates one peer deployment; that deployment serves
// the Regions of every TRENT_PEERS entry reached at the same endpoint (one entry per Region, each with its own
// credential, so a deployment serving two Regions signs all its calls with one of them). A sync may only come
// from the deployment holding the set's primary (or handing it over to a Region served here), and a forget only
// for a Region that deployment serves: one linked peer cannot rewrite or delete another peer's key sets.
import type { PeerLink } from '../config/peer-config.js'
import { primaryRegionOf } from '../keys/regional-key.js'
import type { KeyRecord } from '../keys/key.js'
import type { KeySetSync } from './wire.js'

/** The Regions the deployment behind `link` serves, as this deployment's configuration knows them. */
export function regionsOfPeer(peers: readonly PeerLink[], link: PeerLink): Set<string> {
  return new Set(peers.filter((p) => p.endpoint === link.endpoint).map((p) => p.region))
}

/**
 * Why the sender may not send this sync, or undefined when it may. `existing` is this deployment's rows of the set
 * (mirrors included), `served` its own Regions.
 */
export function syncRefusal(owned: ReadonlySet<string>, served: ReadonlySet<string>, msg: Pick<KeySetSync, 'primaryRegion'>, existing: readonly KeyRecord[]): string | undefined {
  // Known sets: the sender must hold a regional key of the set as far as this deployment knows.
  if (existing.length > 0 && !existing.some((k) => owned.has(k.region))) return 'The key set has no regional key in a Region this peer serves.'
  if (owned.has(msg.primaryRegion)) return undefined
  // A hand-over to a Region served here, from the primary as this deployment knows it (or a retry once it is done).
  const held = existing[0] === undefined ? undefined : primaryRegionOf(existing[0])
  if (served.has(msg.primaryRegion) && held !== undefined && (owned.has(held) || held === msg.primaryRegion)) return undefined
  return 'The key set\'s primary is not in a Region this peer serves.'
}
