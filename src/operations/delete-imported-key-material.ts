// DeleteImportedKeyMaterial: destroys one imported material's bytes (the current one unless KeyMaterialId names
// another) and puts the key in PendingImport (a key pending deletion keeps its state). The version row, its id
// and expiry settings stay, so re-importing the same material restores the key and its old ciphertexts.
import { keyArn } from '../keys/key.js'
import { importErrors } from '../wire/messages.js'
import type { DeleteImportedKeyMaterialRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { requireExternalOrigin } from './imported-key.js'
import { defineOperation, type OperationContext } from './operation.js'

async function run(ctx: OperationContext, input: DeleteImportedKeyMaterialRequest) {
  const key = await authorizedKey(ctx, input.KeyId, 'kms:DeleteImportedKeyMaterial', { allowAlias: false })
  requireExternalOrigin(key)
  // The origin rule comes first (AWS answers it in every state); then the key-state table (key-state.ts).
  ctx.checkKeyState(key)
  const versions = await ctx.store.listAllKeyVersions(key.keyId)
  const target = input.KeyMaterialId === undefined
    ? versions.find((v) => v.version === key.currentVersion)
    : versions.find((v) => v.materialId === input.KeyMaterialId)
  if (input.KeyMaterialId !== undefined && !target) throw importErrors.materialNotFound(input.KeyMaterialId)
  // Material already gone (or never imported): nothing to destroy, as AWS answers a key pending import.
  if (target) {
    await ctx.store.deleteImportedVersion(key.keyId, target.version)
    // The change feed already did this for this process's caches; the workers' parsed keys go the same way.
    await ctx.keyring.forget(key.keyId)
  }
  const response: { KeyId: string; KeyMaterialId?: string } = { KeyId: keyArn(key) }
  if (target) response.KeyMaterialId = target.materialId
  return response
}

export const deleteImportedKeyMaterial = defineOperation({
  name: 'DeleteImportedKeyMaterial',
  auditInput: ['KeyId', 'KeyMaterialId'],
  auditOutput: ['KeyId', 'KeyMaterialId'],
  readOnly: false,
  keyScoped: true,
  run,
})
