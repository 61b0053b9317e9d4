// The PostgreSQL driver's key, key-version, alias and tag methods. Each multi-row change is one transaction;
// limits are counted under a store_locks row lock on the key, taken before the transaction's first write.
import type pg from 'pg'
import type { Tag } from '../../keys/key.js'
import { fetchSize, toPage } from '../page.js'
import { StoreConflictError, StoreLimitError, type Store } from '../store.js'
import { aliasToRow, keyToRow, rowToAlias, rowToKey, rowToVersion, versionToRow, type AliasRow, type KeyRow, type KeyVersionRow } from '../sqlite/rows.js'
import { conflictAware, inTransaction, insertRow, lockName, type Query } from './pool.js'

type KeyMethods = Pick<Store,
  | 'insertKey' | 'getKey' | 'listKeys' | 'updateKey' | 'listKeysDueForDeletion' | 'destroyKey'
  | 'getKeyVersion' | 'addKeyVersion' | 'listLegacyWrappedVersions' | 'rewrapKeyVersion'
  | 'insertAlias' | 'getAlias' | 'updateAlias' | 'deleteAlias' | 'listAliases' | 'listTags' | 'putTags' | 'deleteTags'>

const KEY_COLUMNS = ['key_id', 'account_id', 'region', 'created_at', 'description', 'key_spec', 'key_usage', 'origin',
  'key_state', 'deletion_date', 'pending_window_days', 'policy', 'policy_bindings', 'current_version', 'multi_region',
  'rotation_period_days', 'next_rotation_at', 'on_demand_rotation_started_at', 'primary_region'] as const
export const VERSION_COLUMNS = ['key_id', 'version', 'material_id', 'material_id_format', 'wrapped_material', 'wrap_format', 'created_at',
  'import_state', 'expiration_model', 'valid_to', 'material_description', 'pending_rotation', 'rotation_type', 'rotated_at'] as const

/**
 * Holds the key's row (FOR UPDATE) until the transaction ends: the writers of its material and current version
 * (imports, rotations, promotions) queue on it, as SQLite's IMMEDIATE transactions queue on the database.
 * Taken first, before any write. False when there is no such key.
 */
export async function lockKeyRow(query: Query, keyId: string): Promise<boolean> {
  return (await query('SELECT 1 FROM keys WHERE key_id = $1 FOR UPDATE', [keyId])).rows.length > 0
}

/** Overwrites a blob column in place with zero bytes of its length (the bytes, not the material, reach old row versions). */
export const ZEROED_MATERIAL = "decode(repeat('00', length(wrapped_material)), 'hex')"

/** Destroys one key's rows inside the caller's transaction: material overwritten first, then every row of it gone. */
export async function destroyKeyRows(query: Query, keyId: string): Promise<void> {
  // Overwritten before the delete, as the SQLite driver does. PostgreSQL keeps the old row versions
  // until VACUUM reclaims them and in its WAL (docs/operations.md); the material is wrapped under the root key.
  await query(`UPDATE key_versions SET wrapped_material = ${ZEROED_MATERIAL} WHERE key_id = $1`, [keyId])
  for (const table of ['key_versions', 'aliases', 'tags', 'keys']) await query(`DELETE FROM ${table} WHERE key_id = $1`, [keyId])
}

async function upsertTags(query: Query, keyId: string, tags: Tag[]): Promise<void> {
  if (tags.length === 0) return
  // One statement for the whole set; a tag key given twice keeps its last value, as repeated upserts would.
  const last = new Map(tags.map((t) => [t.tagKey, t.tagValue]))
  await query(
    `INSERT INTO tags (key_id, tag_key, tag_value) SELECT $1, k, v FROM unnest($2::text[], $3::text[]) AS t (k, v)
     ON CONFLICT (key_id, tag_key) DO UPDATE SET tag_value = excluded.tag_value`,
    [keyId, [...last.keys()], [...last.values()]],
  )
}

async function aliasCount(query: Query, keyId: string): Promise<number> {
  const { rows } = await query('SELECT COUNT(*) AS n FROM aliases WHERE key_id = $1', [keyId])
  return (rows[0] as { n: number }).n
}

export function keyMethods(pool: pg.Pool): KeyMethods {
  const one = async <R>(text: string, values: unknown[]): Promise<R | undefined> => (await pool.query(text, values)).rows[0] as R | undefined
  const all = async <R>(text: string, values: unknown[]): Promise<R[]> => (await pool.query(text, values)).rows as R[]
  const requireRoom = async (query: Query, keyId: string, maxPerKey: number, alreadyCounted: number): Promise<void> => {
    if ((await aliasCount(query, keyId)) - alreadyCounted >= maxPerKey) throw new StoreLimitError('the key already has the maximum number of aliases')
  }
  const lockKey = (query: Query, what: string, keyId: string) => lockName(query, `${what}/${keyId}`)
  return {
    async insertKey(key, version, tags, maxKeys) {
      await conflictAware('key', () => inTransaction(pool, async (query) => {
        if (maxKeys !== undefined) {
          // Counted under the account+region's lock row, so concurrent creators on any node cannot both take the last place.
          await lockName(query, `keys/${key.accountId}/${key.region}`)
          const { rows } = await query('SELECT COUNT(*) AS n FROM keys WHERE account_id = $1 AND region = $2', [key.accountId, key.region])
          if ((rows[0] as { n: number }).n >= maxKeys) throw new StoreLimitError('the account already has the maximum number of keys in this region')
        }
        await query(...insertRow<KeyRow>('keys', KEY_COLUMNS, keyToRow(key)))
        if (version !== null) await query(...insertRow<KeyVersionRow>('key_versions', VERSION_COLUMNS, versionToRow(version)))
        await upsertTags(query, key.keyId, tags)
      }))
    },
    async getKey(keyId) {
      const row = await one<KeyRow>('SELECT * FROM keys WHERE key_id = $1', [keyId])
      return row && rowToKey(row)
    },
    async listKeys(accountId, region, after, limit) {
      const rows = await all<KeyRow>('SELECT * FROM keys WHERE account_id = $1 AND region = $2 AND key_id > $3 ORDER BY key_id LIMIT $4',
        [accountId, region, after ?? '', fetchSize(limit)])
      return toPage(rows.map(rowToKey), limit, (k) => k.keyId)
    },
    async updateKey(next, read) {
      const r = keyToRow(next)
      const was = keyToRow(read)
      // Not current_version nor the rotation columns: an update made from a key read before a rotation must not undo
      // it. A compare-and-set on what the caller read, as the SQLite driver's: a concurrent change wins, cleanly.
      const result = await pool.query(
        `UPDATE keys SET key_state = $2, description = $3, policy = $4, policy_bindings = $5, deletion_date = $6,
           pending_window_days = $7
         WHERE key_id = $1 AND key_state IS NOT DISTINCT FROM $8 AND deletion_date IS NOT DISTINCT FROM $9
           AND pending_window_days IS NOT DISTINCT FROM $10 AND policy IS NOT DISTINCT FROM $11
           AND policy_bindings IS NOT DISTINCT FROM $12 AND description IS NOT DISTINCT FROM $13`,
        [r.key_id, r.key_state, r.description, r.policy, r.policy_bindings, r.deletion_date, r.pending_window_days,
          was.key_state, was.deletion_date, was.pending_window_days, was.policy, was.policy_bindings, was.description],
      )
      return result.rowCount === 1
    },
    async listKeysDueForDeletion(now) {
      const rows = await all<KeyRow>(`SELECT * FROM keys WHERE key_state = 'PendingDeletion' AND deletion_date <= $1 ORDER BY deletion_date, key_id`, [now.getTime()])
      return rows.map(rowToKey)
    },
    async destroyKey(keyId, dueBy) {
      return inTransaction(pool, async (query) => {
        // The key's limit locks go first: taken before any other write, as every limit-checking writer does
        // (lock rows are recreated on demand, so removing them for a key that then stays is harmless).
        await query('DELETE FROM store_locks WHERE name IN ($1, $2, $3)', [`aliases/${keyId}`, `tags/${keyId}`, `grants/${keyId}`])
        const { rows: [row] } = await query('SELECT key_state, deletion_date FROM keys WHERE key_id = $1 FOR UPDATE', [keyId])
        const current = row as { key_state: string; deletion_date: string | number | null } | undefined
        if (!current) return false
        if (dueBy !== undefined && !(current.key_state === 'PendingDeletion' && current.deletion_date !== null && Number(current.deletion_date) <= dueBy.getTime())) return false
        await destroyKeyRows(query, keyId)
        return true
      })
    },
    async getKeyVersion(keyId, version) {
      const row = await one<KeyVersionRow>('SELECT * FROM key_versions WHERE key_id = $1 AND version = $2', [keyId, version])
      return row && rowToVersion(row)
    },
    async addKeyVersion(v) {
      await conflictAware('key version', () => inTransaction(pool, async (query) => {
        await lockKeyRow(query, v.keyId)
        await query(...insertRow<KeyVersionRow>('key_versions', VERSION_COLUMNS, versionToRow(v)))
        await query('UPDATE keys SET current_version = $1 WHERE key_id = $2', [v.version, v.keyId])
      }))
    },
    async listLegacyWrappedVersions(limit) {
      const rows = await all<{ key_id: string; version: number }>('SELECT key_id, version FROM key_versions WHERE wrap_format = 1 ORDER BY key_id, version LIMIT $1', [limit])
      return rows.map((r) => ({ keyId: r.key_id, version: r.version }))
    },
    async rewrapKeyVersion(previous, rewrapped) {
      // Compare-and-set on the old blob and format: a concurrent rewrap by another node, or a destroy, wins cleanly.
      const result = await pool.query(
        `UPDATE key_versions SET wrapped_material = $4, wrap_format = 2, material_id = $5, material_id_format = $6
         WHERE key_id = $1 AND version = $2 AND wrap_format = 1 AND wrapped_material = $3`,
        [previous.keyId, previous.version, previous.wrappedMaterial, rewrapped.wrappedMaterial, rewrapped.materialId, rewrapped.materialIdFormat],
      )
      return result.rowCount === 1
    },

    async insertAlias(alias, maxPerKey) {
      await conflictAware('alias', () => inTransaction(pool, async (query) => {
        await lockKey(query, 'aliases', alias.keyId)
        const { rows } = await query('SELECT 1 FROM aliases WHERE account_id = $1 AND region = $2 AND alias_name = $3', [alias.accountId, alias.region, alias.aliasName])
        if (rows.length > 0) throw new StoreConflictError('alias already exists')
        await requireRoom(query, alias.keyId, maxPerKey, 0)
        await query(...insertRow<AliasRow>('aliases', ['account_id', 'region', 'alias_name', 'key_id', 'created_at', 'updated_at'], aliasToRow(alias)))
      }))
    },
    async getAlias(accountId, region, aliasName) {
      const row = await one<AliasRow>('SELECT * FROM aliases WHERE account_id = $1 AND region = $2 AND alias_name = $3', [accountId, region, aliasName])
      return row && rowToAlias(row)
    },
    async updateAlias(alias, maxPerKey) {
      await inTransaction(pool, async (query) => {
        await lockKey(query, 'aliases', alias.keyId)
        const { rows } = await query('SELECT key_id FROM aliases WHERE account_id = $1 AND region = $2 AND alias_name = $3 FOR UPDATE',
          [alias.accountId, alias.region, alias.aliasName])
        // Re-pointing to the key it already names adds no alias to that key.
        await requireRoom(query, alias.keyId, maxPerKey, (rows[0] as { key_id: string } | undefined)?.key_id === alias.keyId ? 1 : 0)
        const r = aliasToRow(alias)
        await query('UPDATE aliases SET key_id = $4, updated_at = $5 WHERE account_id = $1 AND region = $2 AND alias_name = $3',
          [r.account_id, r.region, r.alias_name, r.key_id, r.updated_at])
      })
    },
    async deleteAlias(accountId, region, aliasName) {
      const result = await pool.query('DELETE FROM aliases WHERE account_id = $1 AND region = $2 AND alias_name = $3', [accountId, region, aliasName])
      return (result.rowCount ?? 0) > 0
    },
    async listAliases(accountId, region, keyId, after, limit) {
      const size = fetchSize(limit)
      const rows = keyId === undefined
        ? await all<AliasRow>('SELECT * FROM aliases WHERE account_id = $1 AND region = $2 AND alias_name > $3 ORDER BY alias_name LIMIT $4',
          [accountId, region, after ?? '', size])
        : await all<AliasRow>('SELECT * FROM aliases WHERE account_id = $1 AND region = $2 AND key_id = $3 AND alias_name > $4 ORDER BY alias_name LIMIT $5',
          [accountId, region, keyId, after ?? '', size])
      return toPage(rows.map(rowToAlias), limit, (a) => a.aliasName)
    },

    async listTags(keyId) {
      const rows = await all<{ tag_key: string; tag_value: string }>('SELECT tag_key, tag_value FROM tags WHERE key_id = $1 ORDER BY tag_key', [keyId])
      return rows.map((r) => ({ tagKey: r.tag_key, tagValue: r.tag_value }))
    },
    async putTags(keyId, tags, maxTags) {
      await inTransaction(pool, async (query) => {
        await lockKey(query, 'tags', keyId)
        await upsertTags(query, keyId, tags)
        // Counted after the upserts (distinct tag keys); throwing rolls every upsert of this call back.
        const { rows } = await query('SELECT COUNT(*) AS n FROM tags WHERE key_id = $1', [keyId])
        if ((rows[0] as { n: number }).n > maxTags) throw new StoreLimitError('the key would exceed its tag limit')
      })
    },
    async deleteTags(keyId, tagKeys) {
      await pool.query('DELETE FROM tags WHERE key_id = $1 AND tag_key = ANY($2::text[])', [keyId, tagKeys])
    },
  }
}
