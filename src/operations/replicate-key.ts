// ReplicateKey: a replica of a multi-Region primary in another Region this deployment serves. It shares the
// primary's key spec, usage, origin and every material version (copied rows, the same wrapped material, so a
// ciphertext of either Region decrypts in the other); description, policy and tags are its own. It is written
// in Creating, then made Enabled (PendingImport for EXTERNAL keys, whose material must be imported into each
// replica) right after; should a crash come between, the jobs finish it (jobs/finish-regional-keys.ts).
// Into a Region a peer deployment serves (TRENT_PEERS) the row written here is the replica's MIRROR: it stays
// Creating, as AWS answers, until the peer has made the replica and the delivery job takes its state from the
// reply (jobs/deliver-peer-messages.ts); the peer files the replica's CreateKey service event in its own log.
import { keyArn, type KeyRecord, type KeyVersion } from '../keys/key.js'
import { keyServiceEvent } from '../jobs/service-event.js'
import { isReplica, primaryRegionOf, publicKeyId, replicaStorageId } from '../keys/regional-key.js'
import { StoreConflictError, StoreLimitError } from '../store/store.js'
import { announced } from '../peers/notify-peers.js'
import { multiRegionErrors, tagAliasErrors } from '../wire/messages.js'
import type { ReplicateKeyRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { MAX_KEYS_PER_REGION } from './create-key.js'
import { defaultKeyPolicy, requireLockoutSafe, validateKeyPolicy, withKeyPolicy } from './key-policy.js'
import { toKeyMetadata } from './key-metadata.js'
import { defineOperation, type OperationContext } from './operation.js'
import { validateTags } from './tags.js'

/** The primary's versions as the replica keeps them: imported bytes are not copied (each Region imports them). */
function replicaVersions(versions: KeyVersion[], replicaId: string): KeyVersion[] {
  return versions.map((v) => v.imported
    ? { ...v, keyId: replicaId, wrappedMaterial: new Uint8Array(0), imported: { ...v.imported, importState: 'PENDING_IMPORT' as const } }
    : { ...v, keyId: replicaId })
}

async function run(ctx: OperationContext, input: ReplicateKeyRequest) {
  const primary = await authorizedKey(ctx, input.KeyId, 'kms:ReplicateKey', { allowAlias: false, conditions: { 'kms:ReplicaRegion': input.ReplicaRegion } })
  if (!primary.multiRegion || isReplica(primary)) throw multiRegionErrors.notPrimary(keyArn(primary))
  if (input.ReplicaRegion === primary.region) throw multiRegionErrors.sameRegion(input.ReplicaRegion)
  const toPeer = ctx.peerRegions.has(input.ReplicaRegion)
  if (!ctx.regions.has(input.ReplicaRegion) && !toPeer) throw multiRegionErrors.regionNotServed(input.ReplicaRegion)
  const tags = validateTags(input.Tags)
  const policy = input.Policy ?? defaultKeyPolicy(ctx.principal.accountId)
  // AWS also counts a CreateKey in the replica's Region; the caller's identity decides it (no key yet).
  await ctx.authorize(null, 'kms:CreateKey', {
    'kms:KeySpec': primary.keySpec, 'kms:KeyUsage': primary.keyUsage, 'kms:MultiRegion': true, 'kms:KeyOrigin': primary.origin,
    'kms:BypassPolicyLockoutSafetyCheck': input.BypassPolicyLockoutSafetyCheck, requestTags: tags,
  })
  if (tags.length > 0) await ctx.authorize(null, 'kms:TagResource', { requestTags: tags })
  const bindings = await validateKeyPolicy(ctx.store, policy)
  const publicId = publicKeyId(primary.keyId)
  const replicaId = replicaStorageId(publicId, input.ReplicaRegion)
  const replica: KeyRecord = withKeyPolicy({
    keyId: replicaId, accountId: primary.accountId, region: input.ReplicaRegion, createdAt: ctx.clock.now(),
    description: input.Description ?? '', keySpec: primary.keySpec, keyUsage: primary.keyUsage, origin: primary.origin,
    keyState: 'Creating', policy, currentVersion: primary.currentVersion, multiRegion: true, primaryRegion: primaryRegionOf(primary),
  }, policy, bindings)
  if (input.Policy !== undefined) await requireLockoutSafe(ctx, replica, input.BypassPolicyLockoutSafetyCheck, tags)
  const versions = replicaVersions(await ctx.store.listAllKeyVersions(primary.keyId), replicaId)
  const toCreate = toPeer ? {
    region: input.ReplicaRegion, description: replica.description, policy, tags,
    bypassPolicyLockoutSafetyCheck: input.BypassPolicyLockoutSafetyCheck ?? false,
  } : undefined
  let inserted
  try {
    // The peers hear of the new regional key (and a peer Region of its creation), before and after it is written (announced).
    inserted = await announced(ctx, ctx.clock.now(), publicId, await ctx.store.listRegionalKeys(publicId),
      () => ctx.store.insertReplicaKey(replica, versions, tags, primary.keyId, primary.currentVersion, MAX_KEYS_PER_REGION), toCreate)
  } catch (e) {
    if (e instanceof StoreConflictError) throw multiRegionErrors.replicaExists(keyArn(primary), input.ReplicaRegion)
    if (e instanceof StoreLimitError) throw tagAliasErrors.keyLimit(MAX_KEYS_PER_REGION)
    throw e
  }
  // The primary rotated (or went) between our reads: nothing was written; the caller may simply retry.
  if (!inserted) throw multiRegionErrors.primaryChanged(keyArn(primary))
  ctx.noteResource(replica)
  // AWS files the replica's creation in the replica's Region too, as a CreateKey by the KMS service. Fail
  // closed: should it not be written the call fails (the replica row stays, as after a crash; a retry meets
  // AlreadyExistsException, and the caller's own record of the failed call names the replica's ARN).
  if (!toPeer) await ctx.auditServiceEvent(keyServiceEvent(replica, 'CreateKey', ctx.clock.now()))
  const current = versions.find((v) => v.version === replica.currentVersion)
  const metadata = toKeyMetadata(replica, current, {}, await ctx.store.listRegionalKeys(publicId))
  if (!toPeer) await finishReplica(ctx, replica)
  return { ReplicaKeyMetadata: metadata, ReplicaPolicy: policy, ReplicaTags: tags.map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue })) }
}

/** Creating → Enabled, or PendingImport when the replica's imported material must still be imported. */
export async function finishReplica(ctx: Pick<OperationContext, 'store'>, replica: KeyRecord): Promise<void> {
  await ctx.store.finishKeyTransition(replica.keyId, 'Creating', replica.origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled')
}

export const replicateKey = defineOperation({
  name: 'ReplicateKey',
  auditInput: ['KeyId', 'ReplicaRegion', 'Description', 'BypassPolicyLockoutSafetyCheck', 'Tags'],
  auditOutput: ['ReplicaKeyMetadata'],
  readOnly: false,
  keyScoped: true,
  run,
})
