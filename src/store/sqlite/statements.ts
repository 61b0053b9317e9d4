// Every SQL statement the SQLite driver runs, prepared once per connection.
// Kept to portable SQL (ON CONFLICT, LIMIT) except where noted, so the PostgreSQL driver can mirror it.
import type Database from 'better-sqlite3'
import type { AccessKeyRow, AccountRow, AliasRow, KeyRow, KeyVersionRow } from './rows.js'

type Db = Database.Database

export function prepareStatements(db: Db) {
  return {
    ...settingStatements(db),
    ...accountStatements(db),
    ...keyStatements(db),
    ...versionStatements(db),
    ...aliasStatements(db),
    ...tagStatements(db),
  }
}

export type Statements = ReturnType<typeof prepareStatements>

function settingStatements(db: Db) {
  return {
    initSetting: db.prepare<[string, string]>('INSERT INTO settings (name, value) VALUES (?, ?) ON CONFLICT (name) DO NOTHING'),
    getSetting: db.prepare<[string], { value: string }>('SELECT value FROM settings WHERE name = ?'),
  }
}

function accountStatements(db: Db) {
  return {
    insertAccount: db.prepare<[AccountRow]>('INSERT INTO accounts (account_id, created_at) VALUES (@account_id, @created_at)'),
    getAccount: db.prepare<[string], AccountRow>('SELECT * FROM accounts WHERE account_id = ?'),
    insertAccessKey: db.prepare<[AccessKeyRow]>(
      `INSERT INTO access_keys (access_key_id, account_id, principal_arn, principal_id, wrapped_secret, status, created_at)
       VALUES (@access_key_id, @account_id, @principal_arn, @principal_id, @wrapped_secret, @status, @created_at)`,
    ),
    getAccessKey: db.prepare<[string], AccessKeyRow>('SELECT * FROM access_keys WHERE access_key_id = ?'),
  }
}

function keyStatements(db: Db) {
  return {
    insertKey: db.prepare<[KeyRow]>(
      `INSERT INTO keys (key_id, account_id, region, created_at, description, key_spec, key_usage, origin,
         key_state, deletion_date, pending_window_days, policy, policy_bindings, current_version, multi_region,
         rotation_period_days, next_rotation_at, on_demand_rotation_started_at)
       VALUES (@key_id, @account_id, @region, @created_at, @description, @key_spec, @key_usage, @origin,
         @key_state, @deletion_date, @pending_window_days, @policy, @policy_bindings, @current_version, @multi_region,
         @rotation_period_days, @next_rotation_at, @on_demand_rotation_started_at)`,
    ),
    getKey: db.prepare<[string], KeyRow>('SELECT * FROM keys WHERE key_id = ?'),
    countKeysOf: db.prepare<[string, string], { n: number }>('SELECT COUNT(*) AS n FROM keys WHERE account_id = ? AND region = ?'),
    // `after` is '' for the first page: every key id sorts after the empty string.
    listKeys: db.prepare<[string, string, string, number], KeyRow>(
      'SELECT * FROM keys WHERE account_id = ? AND region = ? AND key_id > ? ORDER BY key_id LIMIT ?',
    ),
    // Not current_version nor the rotation columns: an update made from a key read before a rotation must not undo it.
    updateKey: db.prepare<[Omit<KeyRow, 'current_version' | 'rotation_period_days' | 'next_rotation_at' | 'on_demand_rotation_started_at'>]>(
      `UPDATE keys SET key_state = @key_state, description = @description, policy = @policy, policy_bindings = @policy_bindings,
         deletion_date = @deletion_date, pending_window_days = @pending_window_days
       WHERE key_id = @key_id`,
    ),
    listDue: db.prepare<[number], KeyRow>(
      `SELECT * FROM keys WHERE key_state = 'PendingDeletion' AND deletion_date <= ?
       ORDER BY deletion_date, key_id`,
    ),
    setCurrentVersion: db.prepare<[number, string]>('UPDATE keys SET current_version = ? WHERE key_id = ?'),
    deleteKey: db.prepare<[string]>('DELETE FROM keys WHERE key_id = ?'),
  }
}

function versionStatements(db: Db) {
  return {
    insertVersion: db.prepare<[KeyVersionRow]>(
      `INSERT INTO key_versions (key_id, version, material_id, material_id_format, wrapped_material, wrap_format, created_at,
         import_state, expiration_model, valid_to, material_description, pending_rotation, rotation_type, rotated_at)
       VALUES (@key_id, @version, @material_id, @material_id_format, @wrapped_material, @wrap_format, @created_at,
         @import_state, @expiration_model, @valid_to, @material_description, @pending_rotation, @rotation_type, @rotated_at)`,
    ),
    // A re-import replaces the row only when it is the same material (same id); otherwise nothing changes.
    upsertImportedVersion: db.prepare<[KeyVersionRow]>(
      `INSERT INTO key_versions (key_id, version, material_id, material_id_format, wrapped_material, wrap_format, created_at,
         import_state, expiration_model, valid_to, material_description, pending_rotation, rotation_type, rotated_at)
       VALUES (@key_id, @version, @material_id, @material_id_format, @wrapped_material, @wrap_format, @created_at,
         @import_state, @expiration_model, @valid_to, @material_description, @pending_rotation, @rotation_type, @rotated_at)
       ON CONFLICT (key_id, version) DO UPDATE SET wrapped_material = excluded.wrapped_material, wrap_format = excluded.wrap_format,
         material_id_format = excluded.material_id_format, import_state = excluded.import_state,
         expiration_model = excluded.expiration_model, valid_to = excluded.valid_to,
         material_description = excluded.material_description, pending_rotation = excluded.pending_rotation
       WHERE key_versions.material_id = excluded.material_id`,
    ),
    listVersions: db.prepare<[string], KeyVersionRow>('SELECT * FROM key_versions WHERE key_id = ? ORDER BY version'),
    // SQLite-specific (zeroblob), as zeroVersions: the bytes are overwritten in place, then the row keeps an empty blob.
    zeroImportedVersion: db.prepare<[{ key_id: string; version: number; expired_by: number | null }]>(
      `UPDATE key_versions SET wrapped_material = zeroblob(length(wrapped_material))
       WHERE key_id = @key_id AND version = @version AND import_state = 'IMPORTED'
         AND (@expired_by IS NULL OR valid_to <= @expired_by)`,
    ),
    emptyImportedVersion: db.prepare<[string, number]>(
      `UPDATE key_versions SET wrapped_material = X'', import_state = 'PENDING_IMPORT' WHERE key_id = ? AND version = ?`,
    ),
    // The key's side of an import, decided from the rows inside the writing transaction.
    keyTakesImport: db.prepare<[{ key_id: string; version: number }]>(
      `UPDATE keys SET
         current_version = CASE WHEN current_version = 0 THEN @version ELSE current_version END,
         key_state = CASE WHEN key_state = 'PendingImport' AND NOT EXISTS (
           SELECT 1 FROM key_versions WHERE key_id = @key_id AND import_state = 'PENDING_IMPORT') THEN 'Enabled' ELSE key_state END
       WHERE key_id = @key_id`,
    ),
    keyAwaitsImport: db.prepare<[string]>(
      `UPDATE keys SET key_state = 'PendingImport'
       WHERE key_id = ? AND key_state NOT IN ('PendingDeletion', 'PendingReplicaDeletion')`,
    ),
    listExpiredImported: db.prepare<[number, number], KeyVersionRow>(
      `SELECT * FROM key_versions WHERE import_state = 'IMPORTED' AND valid_to IS NOT NULL AND valid_to <= ?
       ORDER BY valid_to, key_id, version LIMIT ?`,
    ),
    getPendingRotation: db.prepare<[string], KeyVersionRow>(
      'SELECT * FROM key_versions WHERE key_id = ? AND pending_rotation = 1 ORDER BY version LIMIT 1',
    ),
    // Promoted by RotateKeyOnDemand: the material records that rotation, as a generated one's does.
    clearPendingRotation: db.prepare<[{ key_id: string; version: number; rotated_at: number }]>(
      `UPDATE key_versions SET pending_rotation = 0, rotation_type = 'ON_DEMAND', rotated_at = @rotated_at
       WHERE key_id = @key_id AND version = @version AND pending_rotation = 1 AND import_state = 'IMPORTED'`,
    ),
    listLegacyVersions: db.prepare<[number], { key_id: string; version: number }>(
      'SELECT key_id, version FROM key_versions WHERE wrap_format = 1 ORDER BY key_id, version LIMIT ?',
    ),
    // Compare-and-set on the old blob and format: a concurrent rewrap by another process, or a destroy, wins cleanly.
    rewrapVersion: db.prepare<[{ key_id: string; version: number; old_wrapped: Uint8Array; wrapped_material: Uint8Array; material_id: string; material_id_format: number }]>(
      `UPDATE key_versions SET wrapped_material = @wrapped_material, wrap_format = 2, material_id = @material_id,
         material_id_format = @material_id_format
       WHERE key_id = @key_id AND version = @version AND wrap_format = 1 AND wrapped_material = @old_wrapped`,
    ),
    getVersion: db.prepare<[string, number], KeyVersionRow>('SELECT * FROM key_versions WHERE key_id = ? AND version = ?'),
    // SQLite-specific (zeroblob): the PostgreSQL driver needs its own way to overwrite in place.
    zeroVersions: db.prepare<[string]>(
      'UPDATE key_versions SET wrapped_material = zeroblob(length(wrapped_material)) WHERE key_id = ?',
    ),
    deleteVersions: db.prepare<[string]>('DELETE FROM key_versions WHERE key_id = ?'),
  }
}

function aliasStatements(db: Db) {
  return {
    insertAlias: db.prepare<[AliasRow]>(
      `INSERT INTO aliases (account_id, region, alias_name, key_id, created_at, updated_at)
       VALUES (@account_id, @region, @alias_name, @key_id, @created_at, @updated_at)`,
    ),
    getAlias: db.prepare<[string, string, string], AliasRow>(
      'SELECT * FROM aliases WHERE account_id = ? AND region = ? AND alias_name = ?',
    ),
    repointAlias: db.prepare<[AliasRow]>(
      `UPDATE aliases SET key_id = @key_id, updated_at = @updated_at
       WHERE account_id = @account_id AND region = @region AND alias_name = @alias_name`,
    ),
    deleteAlias: db.prepare<[string, string, string]>(
      'DELETE FROM aliases WHERE account_id = ? AND region = ? AND alias_name = ?',
    ),
    countAliasesOfKey: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM aliases WHERE key_id = ?'),
    listAliases: db.prepare<[string, string, string, number], AliasRow>(
      'SELECT * FROM aliases WHERE account_id = ? AND region = ? AND alias_name > ? ORDER BY alias_name LIMIT ?',
    ),
    listAliasesOfKey: db.prepare<[string, string, string, string, number], AliasRow>(
      `SELECT * FROM aliases WHERE account_id = ? AND region = ? AND key_id = ? AND alias_name > ?
       ORDER BY alias_name LIMIT ?`,
    ),
    deleteAliasesOfKey: db.prepare<[string]>('DELETE FROM aliases WHERE key_id = ?'),
  }
}

function tagStatements(db: Db) {
  return {
    upsertTag: db.prepare<[string, string, string]>(
      `INSERT INTO tags (key_id, tag_key, tag_value) VALUES (?, ?, ?)
       ON CONFLICT (key_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
    ),
    countTags: db.prepare<[string], { n: number }>('SELECT COUNT(*) AS n FROM tags WHERE key_id = ?'),
    listTags: db.prepare<[string], { tag_key: string; tag_value: string }>(
      'SELECT tag_key, tag_value FROM tags WHERE key_id = ? ORDER BY tag_key',
    ),
    deleteTag: db.prepare<[string, string]>('DELETE FROM tags WHERE key_id = ? AND tag_key = ?'),
    deleteTagsOfKey: db.prepare<[string]>('DELETE FROM tags WHERE key_id = ?'),
  }
}
