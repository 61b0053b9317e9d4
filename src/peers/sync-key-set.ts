// SyncKeySet (receiver side, docs/multi-region-peers-plan.md): a peer deployment holding a multi-Region set's
// primary sends its view of the set. Everything is checked before anything is written: the body
// (peer-input.ts), each new version's material (unsealed with this deployment's transport key and re-wrapped
// under ITS root key, bound to the public id exactly as phase-1 material is, so local Decrypt works), and a
// replica's policy and tags (as ReplicateKey checks them). The store then applies it all in one transaction
// (applyKeySetSync). Imported material never travels: such versions stay PENDING_IMPORT rows without bytes.
import type { AuditRecord } from '../audit/record.js'
import type { Services } from '../http/services.js'
import { keyServiceEvent } from '../jobs/service-event.js'
import { keyArn, type KeyRecord, type KeyVersion, type RotationSchedule, type Tag } from '../keys/key.js'
import { replicaStorageId } from '../keys/regional-key.js'
import { defaultKeyPolicy, validateKeyPolicy, withKeyPolicy } from '../operations/key-policy.js'
import { importableMaterial } from '../operations/imported-material-format.js'
import { validateTags } from '../operations/tags.js'
import { StoreConflictError, StoreLimitError } from '../store/store.js'
import { tagAliasErrors } from '../wire/messages.js'
import { MAX_KEYS_PER_REGION } from '../operations/create-key.js'
import { KmsError } from '../wire/kms-error.js'
import type { AuthenticatedPeer } from './authenticate-peer.js'
import type { PeerTrace } from './dispatch-peer.js'
import { regionsOfPeer, syncRefusal } from './peer-entitlement.js'
import { parseKeySetSync, peerValidation } from './peer-input.js'
import { transportKeyPair } from './transport-key.js'
import { TransportUnwrapError, unwrapFromTransport } from './transport-wrap.js'
import type { KeySetSync, KeySetSyncReply, SyncedVersion } from './wire.js'

/** The version as this deployment stores it: unsealed from transport and wrapped under the local root key. */
async function localVersion(services: Services, peer: AuthenticatedPeer, msg: KeySetSync, v: SyncedVersion): Promise<KeyVersion> {
  const common = { keyId: msg.keyId, version: v.version, materialId: v.materialId, materialIdFormat: 2 as const, createdAt: new Date(v.createdAt),
    ...(v.rotation ? { rotation: { type: v.rotation.type, rotatedAt: new Date(v.rotation.rotatedAt) } } : {}) }
  if (v.imported) {
    const { validTo, description, expirationModel, pendingRotation } = v.imported
    return { ...common, wrappedMaterial: new Uint8Array(0), wrapFormat: 2, imported: {
      importState: 'PENDING_IMPORT', expirationModel: expirationModel as NonNullable<KeyVersion['imported']>['expirationModel'], pendingRotation,
      ...(validTo === undefined ? {} : { validTo: new Date(validTo) }), ...(description === undefined ? {} : { description }),
    } }
  }
  const pair = await transportKeyPair(services.store, services.rootKey)
  if (v.material!.transportKeyId !== pair.transportKeyId) {
    throw peerValidation(`Version ${v.version} was sealed for another transport key; fetch the current one with GetTransportKey.`)
  }
  let material: Uint8Array
  try {
    material = unwrapFromTransport(v.material!, pair.privateKey, pair.transportKeyId, { keyId: msg.keyId, version: v.version, receiverRegion: peer.region })
  } catch (e) {
    if (e instanceof TransportUnwrapError) throw peerValidation(`The key material of version ${v.version} does not open for this key, version and Region.`)
    throw e
  }
  // The materialId proves only that these are the sender's bytes; a key of the wrong size or kind would make
  // every later call on the replica fail. Generated material has the form ImportKeyMaterial accepts.
  const checked = importableMaterial(msg.keySpec, material)
  if (checked === undefined) {
    material.fill(0)
    throw peerValidation(`The key material of version ${v.version} is not key material for ${msg.keySpec}.`)
  }
  checked.fill(0)
  // wrapVersion takes the material (and, uncached, zeroes it); the id it derives proves the bytes are the sender's.
  const wrapped = await services.keyring.wrapVersion({ keyId: msg.keyId, keySpec: msg.keySpec, keyUsage: msg.keyUsage }, v.version, material, common.createdAt, { cache: false })
  if (wrapped.materialId !== v.materialId) throw peerValidation(`The key material of version ${v.version} does not match its materialId.`)
  return { ...wrapped, ...common }
}

/** Every version of the set as stored here: held generated material is reused, only new material is unsealed. */
async function localVersions(services: Services, peer: AuthenticatedPeer, msg: KeySetSync, existing: KeyRecord[]): Promise<KeyVersion[]> {
  const held = new Map((existing[0] ? await services.store.listAllKeyVersions(existing[0].keyId) : []).map((v) => [v.version, v]))
  const out: KeyVersion[] = []
  for (const v of msg.versions) {
    const mine = held.get(v.version)
    if (mine && mine.materialId !== v.materialId) throw peerValidation(`Version ${v.version} of the key set is held here with other key material.`)
    out.push(mine && !v.imported ? { ...mine, keyId: msg.keyId } : await localVersion(services, peer, msg, v))
  }
  return out
}

/**
 * The replica to create, validated as ReplicateKey validates it. A policy that does not hold here (it names
 * a principal this deployment does not have) refuses the whole message, changing nothing: the sender keeps
 * the error and retries, rather than a replica appearing with another policy than its owner chose.
 */
async function replicaToCreate(services: Services, msg: KeySetSync, existing: KeyRecord[], now: Date): Promise<{ key: KeyRecord; tags: Tag[] } | undefined> {
  const r = msg.replica
  if (!r || existing.some((k) => k.region === r.region)) return undefined
  let tags
  let bindings
  try {
    tags = validateTags(r.tags.map((t) => ({ TagKey: t.tagKey, TagValue: t.tagValue })))
    bindings = await validateKeyPolicy(services.store, r.policy)
  } catch (e) {
    if (e instanceof KmsError) throw peerValidation(`The replica in ${r.region} cannot be created here: ${e.message}`)
    throw e
  }
  const key: KeyRecord = {
    keyId: r.region === msg.firstRegion ? msg.keyId : replicaStorageId(msg.keyId, r.region), accountId: msg.accountId, region: r.region,
    createdAt: now, description: r.description, keySpec: msg.keySpec, keyUsage: msg.keyUsage, origin: msg.origin,
    keyState: msg.origin === 'EXTERNAL' ? 'PendingImport' : 'Enabled', policy: r.policy, currentVersion: msg.currentVersion,
    multiRegion: true, primaryRegion: msg.primaryRegion,
  }
  return { key: withKeyPolicy(key, r.policy, bindings), tags }
}

function rotationOf(msg: KeySetSync): RotationSchedule | null {
  const { enabled, periodDays, nextRotationAt } = msg.rotation
  return enabled ? { periodDays: periodDays!, nextRotationDate: new Date(nextRotationAt!) } : null
}

export async function syncKeySet(services: Services, peer: AuthenticatedPeer, body: unknown, trace: PeerTrace): Promise<KeySetSyncReply> {
  const msg = parseKeySetSync(body)
  trace.accountId = msg.accountId
  trace.requestParameters = {
    keyId: msg.keyId, primaryRegion: msg.primaryRegion, firstRegion: msg.firstRegion, regions: msg.regions, currentVersion: msg.currentVersion,
    versions: msg.versions.map((v) => v.version), ...(msg.replica ? { replicaRegion: msg.replica.region } : {}),
  }
  trace.resources.push({ arn: keyArn({ keyId: msg.keyId, accountId: msg.accountId, region: peer.region }), accountId: msg.accountId })
  // The material is sealed for the Region the message was signed for; a set without a key there is not ours to hold.
  if (!msg.regions.includes(peer.region)) throw peerValidation(`The key set has no regional key in ${peer.region}, the Region the message was signed for.`)
  if (msg.replica && !services.regions.has(msg.replica.region)) throw peerValidation(`This deployment does not serve ${msg.replica.region}.`)
  const now = services.clock.now()
  const existing = await services.store.listRegionalKeys(msg.keyId)
  const refusal = syncRefusal(regionsOfPeer(services.peers, peer.link), services.regions, msg, existing)
  if (refusal !== undefined) throw peerValidation(refusal)
  const versions = await localVersions(services, peer, msg, existing)
  const replica = await replicaToCreate(services, msg, existing, now)
  let result
  try {
    result = await services.store.applyKeySetSync({
      publicId: msg.keyId, accountId: msg.accountId, keySpec: msg.keySpec, keyUsage: msg.keyUsage, origin: msg.origin, createdAt: new Date(msg.createdAt),
      mirrorPolicy: defaultKeyPolicy(msg.accountId), primaryRegion: msg.primaryRegion, firstRegion: msg.firstRegion, regions: msg.regions,
      servedRegions: [...services.regions], maxKeys: MAX_KEYS_PER_REGION, currentVersion: msg.currentVersion, versions, rotation: rotationOf(msg), now, ...(replica ? { replica } : {}),
    })
  } catch (e) {
    if (e instanceof StoreConflictError) throw peerValidation(e.message)
    if (e instanceof StoreLimitError) throw tagAliasErrors.keyLimit(MAX_KEYS_PER_REGION)
    throw e
  }
  // AWS's own service events in the receiving Regions; fail closed (the sender retries; the apply is idempotent).
  const events: AuditRecord[] = []
  if (result.created) events.push(keyServiceEvent(result.created, 'CreateKey', now))
  for (const key of result.local) {
    if (result.changed && key.keyId !== result.created?.keyId) events.push(keyServiceEvent(key, 'SynchronizeMultiRegionKey', now))
    if (result.primaryMoved && key.region === msg.primaryRegion) events.push(keyServiceEvent(key, 'UpdatePrimaryRegion', now))
  }
  for (const event of events) await services.auditLog.write(event)
  const members = result.local.map((k) => ({ region: k.region, keyState: k.keyState }))
  trace.responseElements = { members }
  return { members }
}
