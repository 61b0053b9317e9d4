// ListKeyRotations: the key's material versions made by rotations, oldest first; ALL_KEY_MATERIAL adds the
// first material (and, for an imported key, material pending rotation). Each entry says whether it is the
// material new encryptions use (CURRENT).
import { keyArn, type KeyRecord, type KeyVersion } from '../keys/key.js'
import { requireRotatableKeyType } from '../keys/rotation-rules.js'
import { lookupErrors } from '../wire/messages.js'
import type { ListKeyRotationsRequest, RotationsListEntry } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { defineOperation, type OperationContext } from './operation.js'
import { decodeMarker, pageFields, pageLimit } from './pagination.js'

/** The version number a marker stands for; InvalidMarkerException for anything else. */
function afterVersion(marker: string | undefined): number | undefined {
  const after = decodeMarker(marker)
  if (after === undefined) return undefined
  if (!/^[1-9]\d{0,8}$/.test(after)) throw lookupErrors.invalidMarker()
  return Number(after)
}

function toEntry(key: KeyRecord, v: KeyVersion): RotationsListEntry {
  const entry: RotationsListEntry = {
    KeyId: keyArn(key), KeyMaterialId: v.materialId, KeyMaterialState: v.version === key.currentVersion ? 'CURRENT' : 'NON_CURRENT',
  }
  if (v.rotation) {
    entry.RotationDate = v.rotation.rotatedAt
    entry.RotationType = v.rotation.type
  }
  // Imported material says how it stands; material imported as NEW_KEY_MATERIAL waits for RotateKeyOnDemand.
  if (v.imported) {
    entry.ImportState = v.imported.importState
    entry.ExpirationModel = v.imported.expirationModel
    if (v.imported.validTo) entry.ValidTo = v.imported.validTo
    if (v.imported.description !== undefined) entry.KeyMaterialDescription = v.imported.description
    if (v.imported.pendingRotation) entry.KeyMaterialState = 'PENDING_ROTATION'
  }
  return entry
}

async function run(ctx: OperationContext, input: ListKeyRotationsRequest) {
  const after = afterVersion(input.Marker)
  const limit = pageLimit(input.Limit, 100, 1000)
  const key = await authorizedKey(ctx, input.KeyId, 'kms:ListKeyRotations', { allowAlias: false })
  requireRotatableKeyType(key)
  ctx.checkKeyState(key)
  const allMaterial = input.IncludeKeyMaterial === 'ALL_KEY_MATERIAL'
  const page = await ctx.store.listKeyVersions(key.keyId, after, limit)
  // A page may come back short (AWS allows fewer than Limit): the first material is left out of ROTATIONS_ONLY.
  const rotations = page.items.filter((v) => allMaterial || v.rotation !== undefined).map((v) => toEntry(key, v))
  return { Rotations: rotations, ...pageFields(page.nextAfter) }
}

export const listKeyRotations = defineOperation({
  name: 'ListKeyRotations', auditInput: ['KeyId', 'IncludeKeyMaterial', 'Limit', 'Marker'], auditOutput: [], readOnly: true, keyScoped: true, run,
})
