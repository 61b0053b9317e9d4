// ImportKeyMaterial: unwraps customer material with an import token's wrapping key, checks it fits the key
// spec, and stores it as a new version or restores the same material into its old version (so ciphertexts
// made before a deletion or expiry decrypt again).
import { deriveMaterialId, currentMaterialIdFormat } from '../keys/material-binding.js'
import { ImportTokenError, openImportToken } from '../keys/import-token.js'
import { keyArn, type KeyRecord, type KeyVersion } from '../keys/key.js'
import { StoreConflictError } from '../store/store.js'
import { importErrors } from '../wire/messages.js'
import type { ImportKeyMaterialRequest } from '../wire/types.generated.js'
import { authorizedKey } from './authorized-key.js'
import { requireExternalOrigin } from './imported-key.js'
import { importableMaterial } from './imported-material-format.js'
import { chooseExpiration, planImport, requireSymmetricOnlyMembers, type Expiration } from './import-plan.js'
import { unwrapImportedMaterial } from './import-unwrap.js'
import { defineOperation, type OperationContext } from './operation.js'

async function openToken(ctx: OperationContext, key: KeyRecord, token: Uint8Array) {
  try {
    return await openImportToken(ctx.keyring, token, key.keyId, ctx.clock.now())
  } catch (e) {
    if (e instanceof ImportTokenError) throw e.reason === 'expired' ? importErrors.expiredToken() : importErrors.invalidToken()
    throw e
  }
}

/** Unwraps and checks the material; the result is the caller's to hand on or zero. */
async function materialOf(ctx: OperationContext, key: KeyRecord, input: ImportKeyMaterialRequest): Promise<Uint8Array> {
  const plaintext = await unwrapImportedMaterial(ctx, await openToken(ctx, key, input.ImportToken), input.EncryptedKeyMaterial)
  try {
    const material = importableMaterial(key.keySpec, plaintext)
    if (!material) throw importErrors.incorrectMaterial()
    return material
  } finally {
    plaintext.fill(0)
  }
}

/** Plans and stores the import; a concurrent import that took the planned version number makes it plan again. */
async function store(ctx: OperationContext, key: KeyRecord, input: ImportKeyMaterialRequest, material: Uint8Array, expiration: Expiration) {
  const materialId = deriveMaterialId(currentMaterialIdFormat, key.keyId, material)
  const choice = { importType: input.ImportType, keyMaterialId: input.KeyMaterialId, description: input.KeyMaterialDescription }
  for (let attempt = 0; ; attempt++) {
    const versions = await ctx.store.listAllKeyVersions(key.keyId)
    const plan = planImport(key, versions, materialId, choice)
    const wrapped = await ctx.keyring.wrapVersion(key, plan.version, new Uint8Array(material), plan.existing?.createdAt ?? ctx.clock.now())
    const version: KeyVersion = { ...wrapped, imported: { importState: 'IMPORTED', ...expiration, pendingRotation: plan.pendingRotation } }
    if (plan.description !== undefined) version.imported!.description = plan.description
    try {
      await ctx.store.saveImportedVersion(version)
      return materialId
    } catch (e) {
      // wrapVersion cached the material as this version; the row may now hold other material.
      await ctx.keyring.forget(key.keyId)
      if (!(e instanceof StoreConflictError) || attempt >= 2) throw e
    }
  }
}

async function run(ctx: OperationContext, input: ImportKeyMaterialRequest) {
  const expiration = chooseExpiration(input, ctx.clock.now())
  const key = await authorizedKey(ctx, input.KeyId, 'kms:ImportKeyMaterial', {
    allowAlias: false, conditions: { 'kms:ExpirationModel': expiration.expirationModel, 'kms:ValidTo': expiration.validTo },
  })
  requireExternalOrigin(key)
  // The origin rule comes first (AWS answers it in every state); then the key-state table (key-state.ts).
  ctx.checkKeyState(key)
  requireSymmetricOnlyMembers(key, input)
  const material = await materialOf(ctx, key, input)
  try {
    return { KeyId: keyArn(key), KeyMaterialId: await store(ctx, key, input, material, expiration) }
  } finally {
    material.fill(0)
  }
}

export const importKeyMaterial = defineOperation({
  name: 'ImportKeyMaterial',
  // Never ImportToken or EncryptedKeyMaterial.
  auditInput: ['KeyId', 'ExpirationModel', 'ValidTo', 'ImportType', 'KeyMaterialDescription', 'KeyMaterialId'],
  auditOutput: ['KeyId', 'KeyMaterialId'],
  readOnly: false,
  keyScoped: true,
  run,
})
