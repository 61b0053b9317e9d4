// ForgetRegionalKey (receiver side): the sender's regional key in `region` was deleted there, so this
// deployment destroys its mirror of it; a local primary waiting in PendingReplicaDeletion can then start its
// own window (startReplicaFreeDeletions). Only a mirror can be forgotten: a Region served here belongs to this
// deployment alone. Idempotent: a mirror already gone is success.
import type { Services } from '../http/services.js'
import { keyArn } from '../keys/key.js'
import { primaryRegionOf } from '../keys/regional-key.js'
import type { AuthenticatedPeer } from './authenticate-peer.js'
import type { PeerTrace } from './dispatch-peer.js'
import { regionsOfPeer } from './peer-entitlement.js'
import { parseForgetRegionalKey, peerValidation } from './peer-input.js'

export async function forgetRegionalKey(services: Services, peer: AuthenticatedPeer, body: unknown, trace: PeerTrace): Promise<Record<string, never>> {
  const msg = parseForgetRegionalKey(body)
  trace.accountId = msg.accountId
  trace.requestParameters = { keyId: msg.keyId, region: msg.region }
  trace.resources.push({ arn: keyArn(msg), accountId: msg.accountId })
  if (services.regions.has(msg.region)) throw peerValidation(`${msg.region} is a Region this deployment serves; only a mirror of a peer's regional key can be forgotten.`)
  // Only the deployment serving that Region can say its regional key is gone.
  if (!regionsOfPeer(services.peers, peer.link).has(msg.region)) throw peerValidation(`${msg.region} is not a Region this peer serves.`)
  const set = await services.store.listRegionalKeys(msg.keyId)
  const mirror = set.find((k) => k.region === msg.region)
  if (!mirror) return {}
  if (mirror.accountId !== msg.accountId) throw peerValidation('The key set belongs to another account here.')
  // A primary is destroyed only once it has no replicas (PendingReplicaDeletion): while a replica is here, a
  // forget of the primary is a sender's error, and honouring it would leave the replica naming a primary gone.
  if (primaryRegionOf(mirror) === msg.region && set.some((k) => services.regions.has(k.region))) {
    throw peerValidation(`The key set's primary in ${msg.region} still has a replica here.`)
  }
  // Through the caching store: the mirror's cached rows and material go with it.
  await services.store.destroyKey(mirror.keyId)
  return {}
}
