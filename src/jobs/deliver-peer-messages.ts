// The delivery job (docs/multi-region-peers-plan.md, "Outbox and delivery"): sends every due outbox message to
// its peer deployment. A sync is built from the set's current state (peers/build-key-set-sync.ts), its material
// sealed for the transport key the peer hands out at that moment; the peer's reply then settles this side:
// mirror rows take the peer's reported states (a Creating mirror becomes the replica's Enabled), and local rows
// UpdatePrimaryRegion left Updating are Enabled again. A forget tells the peer a local regional key is gone.
// A failure defers the message (1 s doubling to 60 s) with a secret-free last_error. Runs under the jobs lease.
import { createHash } from 'node:crypto'
import type { Clock } from '../config/clock.js'
import type { PeerLink } from '../config/peer-config.js'
import type { KeyRecord, KeyState } from '../keys/key.js'
import { KEY_STATES } from '../keys/key-state.js'
import type { Keyring } from '../keys/keyring.js'
import type { Logger } from '../logging/logger.js'
import { buildKeySetSync, syncSource } from '../peers/build-key-set-sync.js'
import { PeerCallError, peerClient, type PeerClient } from '../peers/peer-client.js'
import { forgottenRegions } from '../peers/notify-peers.js'
import type { KeySetSyncReply, ReplicaToCreate } from '../peers/wire.js'
import type { PeerMessage } from '../store/peer-outbox-store.js'
import type { Store } from '../store/store.js'

export interface DeliveryDeps {
  store: Store
  keyring: Keyring
  clock: Clock
  logger: Logger
  /** Regions this deployment serves. */
  regions: ReadonlySet<string>
  peers: readonly PeerLink[]
  /** The client for a link (tests substitute one). */
  clientFor?: (link: PeerLink) => PeerClient
}

/** Messages read per store call; a run keeps reading until none is due. */
const BATCH = 50
const FIRST_RETRY_MS = 1000
const MAX_RETRY_MS = 60_000

/** The wait before the next attempt after `attempts` earlier failures: 1 s, 2 s, 4 s … at most 60 s. */
export function retryDelayMs(attempts: number): number {
  return Math.min(FIRST_RETRY_MS * 2 ** Math.min(attempts, 16), MAX_RETRY_MS)
}

type Outcome = 'delivered' | 'moot'

/**
 * A message is queued just BEFORE its change commits, so a delivery racing that commit can find the change not
 * yet made (no mirror row for a replica being created; a key about to be destroyed still there). Such a message
 * is moot only once it has been tried before; the first time it waits one retry.
 */
class NotYetCommitted extends Error {
  override readonly name = 'NotYetCommitted'
}

function moot(message: PeerMessage): Outcome {
  if (message.attempts === 0) throw new NotYetCommitted('waiting for the local change to commit')
  return 'moot'
}

/**
 * Delivers the messages due now; returns how each went, by `<public id>/<region>/<kind>`. `mayContinue` is asked
 * before each (the scheduler renews its lease there); on false the run stops.
 */
export async function deliverPeerMessages(deps: DeliveryDeps, mayContinue: () => Promise<boolean> = async () => true): Promise<Map<string, Outcome | 'deferred'>> {
  const outcomes = new Map<string, Outcome | 'deferred'>()
  const now = deps.clock.now()
  for (;;) {
    const due = (await deps.store.listDuePeerMessages(now, BATCH + outcomes.size)).filter((m) => !outcomes.has(nameOf(m)))
    if (due.length === 0) return outcomes
    for (const message of due) {
      if (!(await mayContinue())) return outcomes
      outcomes.set(nameOf(message), await deliverOne(deps, message))
    }
  }
}

function nameOf(m: PeerMessage): string {
  return `${m.publicId}/${m.region}/${m.kind}`
}

async function deliverOne(deps: DeliveryDeps, message: PeerMessage): Promise<Outcome | 'deferred'> {
  try {
    const link = deps.peers.find((p) => p.region === message.region)
    if (!link) throw new PeerCallError(`no peer link is configured for ${message.region}`)
    const client = (deps.clientFor ?? ((l) => peerClient(l, { now: () => deps.clock.now() })))(link)
    const outcome = message.kind === 'sync' ? await deliverSync(deps, client, message) : await deliverForget(deps, client, message)
    await deps.store.completePeerMessage(message.publicId, message.region, message.kind, message.seq)
    return outcome
  } catch (e) {
    // Only our own short, secret-free texts are kept: a peer's failure as PeerCallError words it, anything else by name.
    const error = e instanceof PeerCallError || e instanceof NotYetCommitted ? e.message : `local failure: ${(e as Error).name ?? 'Error'}`
    const dueAt = new Date(deps.clock.now().getTime() + retryDelayMs(message.attempts))
    deps.logger.warn({ keyId: message.publicId, region: message.region, kind: message.kind, attempts: message.attempts + 1, error }, 'peer delivery failed; will retry')
    await deps.store.deferPeerMessage(message.publicId, message.region, message.kind, message.seq, dueAt, error)
    return 'deferred'
  }
}

async function deliverSync(deps: DeliveryDeps, client: PeerClient, message: PeerMessage): Promise<Outcome> {
  const from = syncSource(await deps.store.listRegionalKeys(message.publicId), deps.regions, message.region)
  if (!from) return moot(message)
  const key = await client.getTransportKey()
  const spki = Buffer.from(key.publicKey, 'base64')
  // The id names the key the peer will accept sealed material for; one that does not match its DER is a broken peer.
  if (createHash('sha256').update(spki).digest('hex') !== key.transportKeyId) throw new PeerCallError(`GetTransportKey to ${message.region} failed: the key id does not match the key`)
  const replica = message.replicaJson !== undefined ? JSON.parse(message.replicaJson) as ReplicaToCreate : undefined
  const sync = await buildKeySetSync(deps, message.publicId, from, { spki, region: message.region }, replica)
  await applyReply(deps, from.set, await client.syncKeySet(sync))
  return 'delivered'
}

/** Mirrors take the peer's states; local rows left Updating (a primary handed over) are Enabled again. */
async function applyReply(deps: DeliveryDeps, set: KeyRecord[], reply: KeySetSyncReply): Promise<void> {
  for (const member of reply.members) {
    const mirror = set.find((k) => k.region === member.region && !deps.regions.has(k.region))
    if (!mirror || mirror.keyState === member.keyState || !KEY_STATES.includes(member.keyState as KeyState)) continue
    await deps.store.finishKeyTransition(mirror.keyId, mirror.keyState, member.keyState)
  }
  for (const k of set) {
    if (deps.regions.has(k.region) && k.keyState === 'Updating') await deps.store.finishKeyTransition(k.keyId, 'Updating', 'Enabled')
  }
}

async function deliverForget(deps: DeliveryDeps, client: PeerClient, message: PeerMessage): Promise<Outcome> {
  const { accountId, regions } = forgottenRegions(message.replicaJson)
  // Queued before the destruction: a key still here (a CancelKeyDeletion won) is not announced.
  const set = await deps.store.listRegionalKeys(message.publicId)
  const gone = regions.filter((r) => !set.some((k) => k.region === r))
  if (accountId === undefined || gone.length === 0) return moot(message)
  // ForgetRegionalKey is idempotent, so a retry after a partial failure resends the ones already forgotten.
  for (const region of gone) await client.forgetRegionalKey({ keyId: message.publicId, accountId, region })
  return 'delivered'
}
