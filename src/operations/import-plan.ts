// Where ImportKeyMaterial puts material: which version it becomes or restores, whether it waits for
// RotateKeyOnDemand, and what the key becomes. Pure decisions over the key's stored versions, so every
// rule (NEW vs EXISTING, the one-pending-material limit, same material only) is tested without crypto.
import type { ExpirationModelType, KeyRecord, KeyVersion } from '../keys/key.js'
import { importErrors } from '../wire/messages.js'
import type { ImportKeyMaterialRequest, ImportType } from '../wire/types.generated.js'

/** The longest ValidTo AWS allows ahead of the request. */
export const MAX_VALID_TO_DAYS = 365
const DAY_MS = 86_400_000

export interface Expiration {
  expirationModel: ExpirationModelType
  validTo?: Date
}

/** ExpirationModel (default KEY_MATERIAL_EXPIRES) and ValidTo as AWS allows them together. Throws ValidationException. */
export function chooseExpiration(input: Pick<ImportKeyMaterialRequest, 'ExpirationModel' | 'ValidTo'>, now: Date): Expiration {
  const expirationModel = input.ExpirationModel ?? 'KEY_MATERIAL_EXPIRES'
  if (expirationModel === 'KEY_MATERIAL_DOES_NOT_EXPIRE') {
    if (input.ValidTo !== undefined) throw importErrors.validToForbidden()
    return { expirationModel }
  }
  if (input.ValidTo === undefined) throw importErrors.validToRequired()
  if (input.ValidTo.getTime() <= now.getTime()) throw importErrors.validToNotFuture()
  if (input.ValidTo.getTime() > now.getTime() + MAX_VALID_TO_DAYS * DAY_MS) throw importErrors.validToTooFar(MAX_VALID_TO_DAYS)
  return { expirationModel, validTo: input.ValidTo }
}

export interface ImportChoice {
  importType?: ImportType
  keyMaterialId?: string
  description?: string
}

export interface ImportPlan {
  version: number
  /** The stored row this import restores or refreshes (same material), if any. */
  existing?: KeyVersion
  pendingRotation: boolean
  description?: string
}

/**
 * Decides where material with id `materialId` goes. NEW_KEY_MATERIAL (the default before any import) adds a
 * version: the first becomes current, a later one (symmetric keys only) waits in PENDING_ROTATION, at most
 * one at a time. EXISTING_KEY_MATERIAL (the default afterwards) must be material the key already has.
 * Throws IncorrectKeyMaterialException, KMSInvalidStateException or ValidationException.
 */
export function planImport(key: KeyRecord, versions: readonly KeyVersion[], materialId: string, choice: ImportChoice): ImportPlan {
  const importType = choice.importType ?? (versions.length === 0 ? 'NEW_KEY_MATERIAL' : 'EXISTING_KEY_MATERIAL')
  const match = versions.find((v) => v.materialId === materialId)
  if (importType === 'EXISTING_KEY_MATERIAL') {
    if (!match || (choice.keyMaterialId !== undefined && choice.keyMaterialId !== materialId)) throw importErrors.incorrectMaterial()
    return { version: match.version, existing: match, pendingRotation: match.imported?.pendingRotation ?? false, description: choice.description ?? match.imported?.description }
  }
  if (choice.keyMaterialId !== undefined) throw importErrors.materialIdWithNewMaterial()
  // New material that is not new, or a second material for a key type whose material can never change.
  if (match || (versions.length > 0 && key.keySpec !== 'SYMMETRIC_DEFAULT')) throw importErrors.incorrectMaterial()
  const pending = versions.find((v) => v.imported?.pendingRotation)
  if (pending) throw importErrors.otherMaterialPendingRotation(materialId, key.keyId, pending.materialId)
  const version = versions.reduce((n, v) => Math.max(n, v.version), 0) + 1
  const plan: ImportPlan = { version, pendingRotation: versions.length > 0 }
  if (choice.description !== undefined) plan.description = choice.description
  return plan
}

/** Refuses members AWS allows only for symmetric encryption keys. Throws ValidationException. */
export function requireSymmetricOnlyMembers(key: KeyRecord, input: Pick<ImportKeyMaterialRequest, 'KeyMaterialId' | 'KeyMaterialDescription'>): void {
  if (key.keySpec === 'SYMMETRIC_DEFAULT') return
  if (input.KeyMaterialId !== undefined) throw importErrors.symmetricOnly('KeyMaterialId')
  if (input.KeyMaterialDescription !== undefined) throw importErrors.symmetricOnly('KeyMaterialDescription')
}
