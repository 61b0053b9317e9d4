// Row shapes of the SQLite tables and their conversion to and from the domain records.
// Dates travel as integer milliseconds and booleans as 0/1, which SQLite stores natively.
import type { AccessKeyRecord, AccountRecord } from '../../auth/principal.js'
import type { AliasRecord, ImportedMaterial, KeyRecord, KeyVersion } from '../../keys/key.js'

export interface KeyRow {
  key_id: string
  account_id: string
  region: string
  created_at: number
  description: string
  key_spec: string
  key_usage: string
  origin: string
  key_state: string
  deletion_date: number | null
  pending_window_days: number | null
  policy: string
  /** JSON object ARN → unique id, or NULL when the policy binds no principal. */
  policy_bindings: string | null
  current_version: number
  multi_region: number
  rotation_period_days: number | null
  next_rotation_at: number | null
  on_demand_rotation_started_at: number | null
}

export interface KeyVersionRow {
  key_id: string
  version: number
  material_id: string
  material_id_format: number
  wrapped_material: Uint8Array
  wrap_format: number
  created_at: number
  /** NULL for material Trent generated; IMPORTED or PENDING_IMPORT for imported material. */
  import_state: string | null
  expiration_model: string | null
  valid_to: number | null
  material_description: string | null
  pending_rotation: number
  rotation_type: string | null
  rotated_at: number | null
}

export interface AliasRow {
  account_id: string
  region: string
  alias_name: string
  key_id: string
  created_at: number
  updated_at: number
}

export interface AccountRow {
  account_id: string
  created_at: number
}

export interface AccessKeyRow {
  access_key_id: string
  account_id: string
  principal_arn: string
  /** The owning user's unique id; NULL for the account root (or a key whose user was gone at migration). */
  principal_id: string | null
  wrapped_secret: Uint8Array
  status: string
  created_at: number
}

export function keyToRow(key: KeyRecord): KeyRow {
  return {
    key_id: key.keyId,
    account_id: key.accountId,
    region: key.region,
    created_at: key.createdAt.getTime(),
    description: key.description,
    key_spec: key.keySpec,
    key_usage: key.keyUsage,
    origin: key.origin,
    key_state: key.keyState,
    deletion_date: key.deletionDate?.getTime() ?? null,
    pending_window_days: key.pendingWindowDays ?? null,
    policy: key.policy,
    policy_bindings: key.policyBindings && Object.keys(key.policyBindings).length > 0 ? JSON.stringify(key.policyBindings) : null,
    current_version: key.currentVersion,
    multi_region: key.multiRegion ? 1 : 0,
    rotation_period_days: key.rotation?.periodDays ?? null,
    next_rotation_at: key.rotation?.nextRotationDate.getTime() ?? null,
    on_demand_rotation_started_at: key.onDemandRotationStartedAt?.getTime() ?? null,
  }
}

/** Optional fields are left absent (not `undefined`-valued) so records compare equal to what was stored. */
export function rowToKey(row: KeyRow): KeyRecord {
  const key: KeyRecord = {
    keyId: row.key_id,
    accountId: row.account_id,
    region: row.region,
    createdAt: new Date(row.created_at),
    description: row.description,
    keySpec: row.key_spec as KeyRecord['keySpec'],
    keyUsage: row.key_usage as KeyRecord['keyUsage'],
    origin: row.origin as KeyRecord['origin'],
    keyState: row.key_state as KeyRecord['keyState'],
    policy: row.policy,
    currentVersion: row.current_version,
    multiRegion: row.multi_region === 1,
  }
  if (row.deletion_date !== null) key.deletionDate = new Date(row.deletion_date)
  if (row.pending_window_days !== null) key.pendingWindowDays = row.pending_window_days
  if (row.policy_bindings !== null) key.policyBindings = JSON.parse(row.policy_bindings) as Record<string, string>
  if (row.rotation_period_days !== null && row.next_rotation_at !== null) {
    key.rotation = { periodDays: row.rotation_period_days, nextRotationDate: new Date(row.next_rotation_at) }
  }
  if (row.on_demand_rotation_started_at !== null) key.onDemandRotationStartedAt = new Date(row.on_demand_rotation_started_at)
  return key
}

export function versionToRow(v: KeyVersion): KeyVersionRow {
  return {
    key_id: v.keyId,
    version: v.version,
    material_id: v.materialId,
    material_id_format: v.materialIdFormat,
    wrapped_material: v.wrappedMaterial,
    wrap_format: v.wrapFormat,
    created_at: v.createdAt.getTime(),
    import_state: v.imported?.importState ?? null,
    expiration_model: v.imported?.expirationModel ?? null,
    valid_to: v.imported?.validTo?.getTime() ?? null,
    material_description: v.imported?.description ?? null,
    pending_rotation: v.imported?.pendingRotation ? 1 : 0,
    rotation_type: v.rotation?.type ?? null,
    rotated_at: v.rotation?.rotatedAt.getTime() ?? null,
  }
}

export function rowToVersion(row: KeyVersionRow): KeyVersion {
  const version: KeyVersion = {
    keyId: row.key_id,
    version: row.version,
    materialId: row.material_id,
    materialIdFormat: row.material_id_format === 1 ? 1 : 2,
    wrappedMaterial: row.wrapped_material,
    // Anything but 1 reads as the bound format: a row tampered to an unknown value then fails to unwrap.
    wrapFormat: row.wrap_format === 1 ? 1 : 2,
    createdAt: new Date(row.created_at),
    ...(row.rotation_type !== null && row.rotated_at !== null
      ? { rotation: { type: row.rotation_type === 'ON_DEMAND' ? 'ON_DEMAND' : 'AUTOMATIC', rotatedAt: new Date(row.rotated_at) } as const }
      : {}),
  }
  if (row.import_state !== null) version.imported = rowToImported(row)
  return version
}

function rowToImported(row: KeyVersionRow): ImportedMaterial {
  const imported: ImportedMaterial = {
    importState: row.import_state === 'IMPORTED' ? 'IMPORTED' : 'PENDING_IMPORT',
    expirationModel: row.expiration_model === 'KEY_MATERIAL_DOES_NOT_EXPIRE' ? 'KEY_MATERIAL_DOES_NOT_EXPIRE' : 'KEY_MATERIAL_EXPIRES',
    pendingRotation: row.pending_rotation === 1,
  }
  if (row.valid_to !== null) imported.validTo = new Date(row.valid_to)
  if (row.material_description !== null) imported.description = row.material_description
  return imported
}

export function aliasToRow(a: AliasRecord): AliasRow {
  return {
    account_id: a.accountId,
    region: a.region,
    alias_name: a.aliasName,
    key_id: a.keyId,
    created_at: a.createdAt.getTime(),
    updated_at: a.updatedAt.getTime(),
  }
}

export function rowToAlias(row: AliasRow): AliasRecord {
  return {
    accountId: row.account_id,
    region: row.region,
    aliasName: row.alias_name,
    keyId: row.key_id,
    createdAt: new Date(row.created_at),
    updatedAt: new Date(row.updated_at),
  }
}

export function rowToAccount(row: AccountRow): AccountRecord {
  return { accountId: row.account_id, createdAt: new Date(row.created_at) }
}

export function accessKeyToRow(k: AccessKeyRecord): AccessKeyRow {
  return {
    access_key_id: k.accessKeyId,
    account_id: k.accountId,
    principal_arn: k.principalArn,
    principal_id: k.principalId ?? null,
    wrapped_secret: k.wrappedSecret,
    status: k.status,
    created_at: k.createdAt.getTime(),
  }
}

export function rowToAccessKey(row: AccessKeyRow): AccessKeyRecord {
  const key: AccessKeyRecord = {
    accessKeyId: row.access_key_id,
    accountId: row.account_id,
    principalArn: row.principal_arn,
    wrappedSecret: row.wrapped_secret,
    status: row.status as AccessKeyRecord['status'],
    createdAt: new Date(row.created_at),
  }
  if (row.principal_id !== null) key.principalId = row.principal_id
  return key
}
