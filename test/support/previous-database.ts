// Builds a database file exactly as the code before wrap format 2 left it: the schema of the migrations
// before that step, and keys whose material rows were written with the previous AAD and material id.
import Database from 'better-sqlite3'
import { randomUUID } from 'node:crypto'
import { randomBytes } from '../../src/crypto/data-key.js'
import { wrapKeyMaterial } from '../../src/crypto/key-wrap.js'
import { sealBlob } from '../../src/crypto/symmetric-blob.js'
import { defaultKeyPolicy } from '../../src/operations/key-policy.js'
import { migrations } from '../../src/store/sqlite/migrations.js'
import { previousMaterialAad, previousMaterialId } from './legacy-material.js'

export interface PreviousKey {
  keyId: string
  keySpec: 'SYMMETRIC_DEFAULT' | 'HMAC_256'
  material: Uint8Array
  materialId: string
  /** For SYMMETRIC_DEFAULT keys: a ciphertext of `plaintext` made as the previous Encrypt made it. */
  ciphertext?: Uint8Array
}

export const previousPlaintext = new TextEncoder().encode('written by the previous version')

/** The index of the migration that introduced wrap_format: the previous code's user_version. */
export function previousSchemaVersion(): number {
  const index = migrations.findIndex((m) => m.includes('ADD COLUMN wrap_format'))
  if (index < 0) throw new Error('the wrap_format migration is missing')
  return index
}

/** Writes a previous-version database at `path` holding `specs.length` keys of account/region. */
export function writePreviousDatabase(path: string, rootKey: Uint8Array, account: string, region: string, specs: PreviousKey['keySpec'][]): PreviousKey[] {
  const db = new Database(path)
  try {
    db.pragma('journal_mode = WAL')
    const version = previousSchemaVersion()
    for (const m of migrations.slice(0, version)) db.exec(m)
    db.pragma(`user_version = ${version}`)
    return specs.map((spec) => insertPreviousKey(db, rootKey, account, region, spec))
  } finally {
    db.close()
  }
}

function insertPreviousKey(db: Database.Database, rootKey: Uint8Array, account: string, region: string, keySpec: PreviousKey['keySpec']): PreviousKey {
  const keyId = randomUUID()
  const material = randomBytes(32)
  const usage = keySpec === 'SYMMETRIC_DEFAULT' ? 'ENCRYPT_DECRYPT' : 'GENERATE_VERIFY_MAC'
  db.prepare(
    `INSERT INTO keys (key_id, account_id, region, created_at, description, key_spec, key_usage, origin, key_state,
       deletion_date, pending_window_days, policy, current_version, multi_region)
     VALUES (?, ?, ?, ?, '', ?, ?, 'AWS_KMS', 'Enabled', NULL, NULL, ?, 1, 0)`,
  ).run(keyId, account, region, Date.now(), keySpec, usage, defaultKeyPolicy(account))
  const materialId = previousMaterialId(keyId, material)
  // The previous INSERT: no format columns existed.
  db.prepare('INSERT INTO key_versions (key_id, version, material_id, wrapped_material, created_at) VALUES (?, 1, ?, ?, ?)')
    .run(keyId, materialId, wrapKeyMaterial(rootKey, material, previousMaterialAad(keyId, 1), randomBytes), Date.now())
  const ciphertext = keySpec === 'SYMMETRIC_DEFAULT'
    ? sealBlob({ material, keyId, keyVersion: 1, plaintext: previousPlaintext, random: randomBytes })
    : undefined
  return { keyId, keySpec, material, materialId, ciphertext }
}
