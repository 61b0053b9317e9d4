// The PostgreSQL driver's imported-material methods (ImportKeyMaterial, DeleteImportedKeyMaterial, the
// import-expiry job, RotateKeyOnDemand's promotion of pending material), with the SQLite driver's semantics.
// Every write holds the key's row lock first (lockKeyRow), so the key's side of an import is decided from
// rows no other node is changing, as SQLite's IMMEDIATE transactions decide it.
import type pg from 'pg'
import { StoreConflictError, StoreLimitError, type Store } from '../store.js'
import { rowToVersion, versionToRow, type KeyVersionRow } from '../sqlite/rows.js'
import { inTransaction, insertRow, type Query } from './pool.js'
import { lockKeyRow, VERSION_COLUMNS, ZEROED_MATERIAL } from './pg-keys.js'
import { onDemandCount } from './pg-rotation.js'

/** A version's imported material is missing: the key waits for its import (unless it is being deleted). */
export async function keyAwaitsImport(query: Query, keyId: string): Promise<void> {
  await query(`UPDATE keys SET key_state = 'PendingImport' WHERE key_id = $1 AND key_state NOT IN ('PendingDeletion', 'PendingReplicaDeletion')`, [keyId])
}

type ImportedMethods = Pick<Store,
  | 'listAllKeyVersions' | 'saveImportedVersion' | 'deleteImportedVersion' | 'listExpiredImportedVersions'
  | 'getPendingRotationVersion' | 'promotePendingVersion'>

/** A re-import replaces the row only when it is the same material (same id); otherwise nothing changes. */
function upsertImported(row: KeyVersionRow): [string, unknown[]] {
  const [insert, values] = insertRow<KeyVersionRow>('key_versions', VERSION_COLUMNS, row)
  return [`${insert}
    ON CONFLICT (key_id, version) DO UPDATE SET wrapped_material = excluded.wrapped_material, wrap_format = excluded.wrap_format,
      material_id_format = excluded.material_id_format, import_state = excluded.import_state,
      expiration_model = excluded.expiration_model, valid_to = excluded.valid_to,
      material_description = excluded.material_description
    WHERE key_versions.material_id = excluded.material_id`, values]
}

/** The key's side of an import: material when it had none, Enabled once nothing awaits import. */
async function keyTakesImport(query: Query, keyId: string, version: number): Promise<void> {
  await query(
    `UPDATE keys SET
       current_version = CASE WHEN current_version = 0 THEN $2 ELSE current_version END,
       key_state = CASE WHEN key_state = 'PendingImport' AND NOT EXISTS (
         SELECT 1 FROM key_versions WHERE key_id = $1 AND import_state = 'PENDING_IMPORT') THEN 'Enabled' ELSE key_state END
     WHERE key_id = $1`,
    [keyId, version],
  )
}

export function importedMethods(pool: pg.Pool): ImportedMethods {
  const all = async (text: string, values: unknown[]): Promise<KeyVersionRow[]> => (await pool.query(text, values)).rows as KeyVersionRow[]
  return {
    async listAllKeyVersions(keyId) {
      return (await all('SELECT * FROM key_versions WHERE key_id = $1 ORDER BY version', [keyId])).map(rowToVersion)
    },
    async saveImportedVersion(v) {
      await inTransaction(pool, async (query) => {
        await lockKeyRow(query, v.keyId)
        if ((await query(...upsertImported(versionToRow(v)))).rowCount !== 1) throw new StoreConflictError('key version holds other material')
        await keyTakesImport(query, v.keyId, v.version)
      })
    },
    async deleteImportedVersion(keyId, version, expiredBy) {
      return inTransaction(pool, async (query) => {
        await lockKeyRow(query, keyId)
        // A re-import that moved ValidTo past `expiredBy` meanwhile wins: the row no longer matches.
        const expiry = expiredBy === undefined ? '' : ' AND valid_to <= $3'
        const zeroed = await query(
          `UPDATE key_versions SET wrapped_material = ${ZEROED_MATERIAL}
           WHERE key_id = $1 AND version = $2 AND import_state = 'IMPORTED'${expiry}`,
          expiredBy === undefined ? [keyId, version] : [keyId, version, expiredBy.getTime()],
        )
        if (zeroed.rowCount !== 1) return false
        await query(`UPDATE key_versions SET wrapped_material = '\\x'::bytea, import_state = 'PENDING_IMPORT' WHERE key_id = $1 AND version = $2`, [keyId, version])
        await keyAwaitsImport(query, keyId)
        return true
      })
    },
    async listExpiredImportedVersions(now, limit) {
      const rows = await all(
        `SELECT * FROM key_versions WHERE import_state = 'IMPORTED' AND valid_to IS NOT NULL AND valid_to <= $1
         ORDER BY valid_to, key_id, version LIMIT $2`, [now.getTime(), limit])
      return rows.map(rowToVersion)
    },
    async getPendingRotationVersion(keyId) {
      const row = (await all('SELECT * FROM key_versions WHERE key_id = $1 AND pending_rotation = 1 ORDER BY version LIMIT 1', [keyId]))[0]
      return row && rowToVersion(row)
    },
    async promotePendingVersion(keyId, version, rotatedAt, maxOnDemand) {
      return inTransaction(pool, async (query) => {
        await lockKeyRow(query, keyId)
        // Under the key's row lock, as rotateKey: a key disabled meanwhile does not rotate, and concurrent
        // promotions cannot both take the last of the key's on-demand rotations.
        const state = await query('SELECT key_state FROM keys WHERE key_id = $1', [keyId])
        if ((state.rows[0] as { key_state?: string } | undefined)?.key_state !== 'Enabled') return false
        if ((await onDemandCount(query, keyId)) >= maxOnDemand) throw new StoreLimitError('on-demand rotation limit reached')
        // Promoted by RotateKeyOnDemand: the material records that rotation, as a generated one's does.
        const cleared = await query(
          `UPDATE key_versions SET pending_rotation = 0, rotation_type = 'ON_DEMAND', rotated_at = $3
           WHERE key_id = $1 AND version = $2 AND pending_rotation = 1 AND import_state = 'IMPORTED'`,
          [keyId, version, rotatedAt.getTime()],
        )
        if (cleared.rowCount !== 1) return false
        await query('UPDATE keys SET current_version = $1 WHERE key_id = $2', [version, keyId])
        return true
      })
    },
  }
}
