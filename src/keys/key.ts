// The key domain: a KMS key's metadata and its material versions, as the store keeps them.
import type { ExpirationModelType, ImportState, KeySpec, KeyUsageType, OriginType, KeyState, RotationType } from '../wire/types.generated.js'
import type { MaterialIdFormat, WrapFormat } from './material-binding.js'

export type { ExpirationModelType, ImportState, KeySpec, KeyUsageType, OriginType, KeyState, RotationType }

/** Automatic rotation of a key's material, present while it is enabled. */
export interface RotationSchedule {
  periodDays: number
  /** When the rotation job next rotates the key (while it is Enabled). */
  nextRotationDate: Date
}

/** A KMS key. Mutable fields change only through explicit operations or jobs, never on read. */
export interface KeyRecord {
  keyId: string
  accountId: string
  region: string
  createdAt: Date
  description: string
  keySpec: KeySpec
  keyUsage: KeyUsageType
  origin: OriginType
  keyState: KeyState
  /** Set only while the key is PendingDeletion. */
  deletionDate?: Date
  pendingWindowDays?: number
  /** The key policy document, exactly as the caller gave it (name `default`). */
  policy: string
  /**
   * What the policy's user and role ARNs were bound to when it was stored: ARN → unique id (AIDA…/AROA…).
   * Absent when it names none. An ARN missing here matches nobody (see policy/document.ts PrincipalBindings).
   */
  policyBindings?: Readonly<Record<string, string>>
  /** The version new ciphertexts use; older versions stay for decryption. Changed only by a rotation (or import). */
  currentVersion: number
  multiRegion: boolean
  /**
   * Automatic rotation, when enabled. Kept while the key is pending deletion (GetKeyRotationStatus then reads
   * false, and the job skips the key) so that CancelKeyDeletion restores it. Changed only by the rotation methods.
   */
  rotation?: RotationSchedule
  /** When an on-demand rotation asked for has begun and not yet completed (GetKeyRotationStatus shows it). */
  onDemandRotationStartedAt?: Date
}

/** One generation of key material, stored only wrapped under the root key. */
export interface KeyVersion {
  keyId: string
  version: number
  /** 64 lowercase hex characters; AWS's KeyMaterialId. Not secret. */
  materialId: string
  /** How materialId was derived; it is recomputed from the unwrapped material and must match. */
  materialIdFormat: MaterialIdFormat
  wrappedMaterial: Uint8Array
  /** Which AAD wrappedMaterial is bound to (keys/material-binding.ts); 1 only until the start-up rewrap. */
  wrapFormat: WrapFormat
  createdAt: Date
  /** How and when this material became current through a rotation; absent for a key's first material. */
  rotation?: { type: RotationType; rotatedAt: Date }
  /** Present only on material imported into an EXTERNAL key (keys/imported-material.ts). */
  imported?: ImportedMaterial
}

/**
 * How one imported material stands. PENDING_IMPORT means its bytes were destroyed (deleted or expired): the row
 * and its id stay, so re-importing the same material restores it and old ciphertexts decrypt again.
 */
export interface ImportedMaterial {
  importState: ImportState
  expirationModel: ExpirationModelType
  /** Set exactly when expirationModel is KEY_MATERIAL_EXPIRES. */
  validTo?: Date
  /** KeyMaterialDescription; absent when none was ever given. */
  description?: string
  /** Imported as NEW_KEY_MATERIAL into a key that already had material: current only after RotateKeyOnDemand. */
  pendingRotation: boolean
}

export interface Tag {
  tagKey: string
  tagValue: string
}

export interface AliasRecord {
  accountId: string
  region: string
  /** Full name, always starting with `alias/`. */
  aliasName: string
  keyId: string
  createdAt: Date
  updatedAt: Date
}

export function keyArn(key: Pick<KeyRecord, 'region' | 'accountId' | 'keyId'>): string {
  return `arn:aws:kms:${key.region}:${key.accountId}:key/${key.keyId}`
}

export function aliasArn(alias: Pick<AliasRecord, 'region' | 'accountId' | 'aliasName'>): string {
  return `arn:aws:kms:${alias.region}:${alias.accountId}:${alias.aliasName}`
}
