// UpdatePrimaryRegion: makes the replica in PrimaryRegion the set's primary and the current primary a replica.
// One store transaction names the new primary on every regional key, moves the automatic-rotation schedule to
// it and puts both keys (if Enabled) in Updating, where crypto still works; then both return to Enabled. A
// crash between the two steps leaves them Updating until the jobs finish them (jobs/finish-regional-keys.ts).
// To a Region a peer deployment serves, the new primary is that Region's MIRROR row here: the peer holds the
// replica, its policy and its audit log, so its policy is the peer's to apply and its UpdatePrimaryRegion service
// event the peer's to file. Both rows stay Updating until the delivery job has handed the primary over (the
// peer's reply; jobs/deliver-peer-messages.ts), and finishRegionalKeys leaves a set with pending messages alone.
import { keyServiceEvent } from '../jobs/service-event.js'
import { keyArn } from '../keys/key.js'
import { isReplica, publicKeyId } from '../keys/regional-key.js'
import { announced } from '../peers/notify-peers.js'
import { multiRegionErrors } from '../wire/messages.js'
import type { UpdatePrimaryRegionRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: UpdatePrimaryRegionRequest) {
  const primary = await authorizedKey(ctx, input.KeyId, 'kms:UpdatePrimaryRegion', { allowAlias: false, conditions: { 'kms:PrimaryRegion': input.PrimaryRegion } })
  if (!primary.multiRegion) throw multiRegionErrors.notMultiRegion(keyArn(primary))
  if (isReplica(primary)) throw multiRegionErrors.notPrimary(keyArn(primary))
  // Already the primary there: nothing to change (AWS accepts it as a no-op).
  if (input.PrimaryRegion === primary.region) return
  const toPeer = ctx.peerRegions.has(input.PrimaryRegion)
  if (!ctx.regions.has(input.PrimaryRegion) && !toPeer) throw multiRegionErrors.regionNotServed(input.PrimaryRegion)
  const publicId = publicKeyId(primary.keyId)
  const set = await ctx.store.listRegionalKeys(publicId)
  const next = set.find((k) => k.region === input.PrimaryRegion)
  if (!next) throw multiRegionErrors.noKeyInRegion(keyArn(primary), input.PrimaryRegion)
  // AWS asks the replica's own policy too (and holds it to the key-state table) before anything changes, so a
  // replica whose policy refuses leaves both keys as they were.
  if (!toPeer) await ctx.authorize(next, 'kms:UpdatePrimaryRegion', { 'kms:PrimaryRegion': input.PrimaryRegion })
  // The peer's replica is held to the key-state table by the state it last reported (its mirror's here): one
  // still Creating (the peer has not made it yet), Disabled or pending deletion cannot take the primary.
  else ctx.checkKeyState(next)
  // Every peer Region of the set hears of the new primary, before and after it is named (announced).
  const named = await announced(ctx, ctx.clock.now(), publicId, set, () => ctx.store.updatePrimaryRegion(publicId, primary.region, input.PrimaryRegion))
  if (!named) throw multiRegionErrors.primaryChanged(keyArn(primary))
  ctx.noteResource(next)
  if (toPeer) return
  await ctx.store.finishKeyTransition(primary.keyId, 'Updating', 'Enabled')
  await ctx.store.finishKeyTransition(next.keyId, 'Updating', 'Enabled')
  // AWS files the change in the new primary's Region too, as an UpdatePrimaryRegion by the KMS service.
  // Fail closed: the change is made, but the call fails should that record not be written.
  await ctx.auditServiceEvent(keyServiceEvent(next, 'UpdatePrimaryRegion', ctx.clock.now()))
}

export const updatePrimaryRegion = defineOperation({
  name: 'UpdatePrimaryRegion', auditInput: ['KeyId', 'PrimaryRegion'], auditOutput: [], readOnly: false, keyScoped: true, run,
})
